/**
 * The CLIP BPE tokenizer against CLIP's real merge list (tests/fixtures/clip-bpe,
 * with its licence and source) and the widely published reference ids.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClipTokenizer, clipVocabularyFromMerges, loadClipTokenizer, parseMerges } from '../../../../app/engine/generate/clip-tokenizer.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const BPE_DIR = path.join(REPO, 'tests', 'fixtures', 'clip-bpe');
const BPE_FILE = path.join(BPE_DIR, 'bpe_simple_vocab_16e6.txt.gz');

let merges: string[];
let vocab: Record<string, number>;
let tokenizer: ClipTokenizer;
const dirs: string[] = [];

beforeAll(() => {
  if (!existsSync(BPE_FILE)) {
    throw new Error(`CLIP merge list not found at ${BPE_FILE}: it is committed in the repository (tests/fixtures/clip-bpe); restore it with git checkout.`);
  }
  // As the data README says: a header line, then CLIP's merges 1 .. 48894.
  const lines = gunzipSync(readFileSync(BPE_FILE)).toString('utf8').split('\n');
  merges = lines.slice(1, 49152 - 256 - 2 + 1);
  vocab = clipVocabularyFromMerges(merges);
  tokenizer = new ClipTokenizer(vocab, merges);
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A model-folder tokenizer/ as the exports ship it: vocab.json, merges.txt and a config naming the pad token. */
function tokenizerFolder(config: Record<string, unknown>, configFile = 'tokenizer_config.json'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cyclorama-tokenizer-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'vocab.json'), JSON.stringify(vocab));
  writeFileSync(path.join(dir, 'merges.txt'), `#version: 0.2\n${merges.join('\n')}\n`);
  writeFileSync(path.join(dir, configFile), JSON.stringify(config));
  return dir;
}

describe('CLIP tokenizer', () => {
  it('builds the 49408-entry vocabulary with the specials at 49406 and 49407', () => {
    expect(Object.keys(vocab)).toHaveLength(49408);
    expect(vocab['<|startoftext|>']).toBe(49406);
    expect(vocab['<|endoftext|>']).toBe(49407);
    expect(vocab['!']).toBe(0);
  });

  it('reproduces the reference ids of "a photo of a cat", padded to 77', () => {
    const ids = Array.from(tokenizer.encode('a photo of a cat'));
    expect(ids).toHaveLength(77);
    expect(ids.slice(0, 7)).toEqual([49406, 320, 1125, 539, 320, 2368, 49407]);
    expect(ids.slice(7).every((id) => id === 49407)).toBe(true);
  });

  it('pads with the token the folder config names ("!" = 0 or <|endoftext|>)', () => {
    const bang = loadClipTokenizer(tokenizerFolder({ pad_token: '!' }));
    const ids = Array.from(bang.encode('a photo of a cat'));
    expect(ids.slice(0, 7)).toEqual([49406, 320, 1125, 539, 320, 2368, 49407]);
    expect(ids.slice(7).every((id) => id === 0)).toBe(true);
    const eos = loadClipTokenizer(tokenizerFolder({ pad_token: { content: '<|endoftext|>', lstrip: false } }, 'special_tokens_map.json'));
    expect(eos.encode('a photo of a cat')[7]).toBe(49407);
  });

  it("follows transformers' pad-token rule for old-format and new-format tokenizer configs", () => {
    const fixtures = path.join(REPO, 'tests/fixtures/turbo-tokenizers');
    // Old format (no added_tokens_decoder, as SD-Turbo ships it): special_tokens_map.json ("!") wins
    // over tokenizer_config.json (<|endoftext|>), so diffusers pads with 0.
    const old = loadClipTokenizer(path.join(fixtures, 'old-format'));
    expect(old.padId).toBe(0);
    expect(Array.from(old.encode('a photo of a cat')).slice(-3)).toEqual([0, 0, 0]);
    // New format (added_tokens_decoder present): tokenizer_config.json ("!") is read, the map (<|endoftext|>) is not.
    const fresh = loadClipTokenizer(path.join(fixtures, 'new-format'));
    expect(fresh.padId).toBe(0);
    // A new-format config without pad_token: CLIPTokenizer's own default, <|endoftext|>, not the map's.
    const bare = tokenizerFolder({ added_tokens_decoder: {} });
    writeFileSync(path.join(bare, 'special_tokens_map.json'), JSON.stringify({ pad_token: '!' }));
    expect(loadClipTokenizer(bare).padId).toBe(49407);
    // Old format with only tokenizer_config.json: its pad token.
    expect(loadClipTokenizer(tokenizerFolder({ pad_token: { __type: 'AddedToken', content: '!' } })).padId).toBe(0);
  });

  it('splits punctuation into its own tokens', () => {
    expect(tokenizer.tokenize('hello world')).toEqual([3306, 1002]);
    // "." 269, "," 267, "!" 256 (the byte characters with </w>).
    expect(tokenizer.tokenize('a cat. a dog, yes!')).toEqual([320, 2368, 269, 320, 1929, 267, 1958, 256]);
    expect(tokenizer.tokenize("it's")).toEqual(tokenizer.tokenize("it 's"));
  });

  it('normalises case, whitespace and HTML entities like CLIP does', () => {
    expect(tokenizer.tokenize('  A   PHOTO\n of a\tCat ')).toEqual([320, 1125, 539, 320, 2368]);
    expect(tokenizer.tokenize('salt &amp; pepper')).toEqual(tokenizer.tokenize('salt & pepper'));
  });

  it('encodes any Unicode through its UTF-8 bytes, reversibly', () => {
    for (const text of ['café crème', 'naïve façade', '東京の夜', 'fire 🔥 and ice ❄️']) {
      const ids = tokenizer.tokenize(text);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.every((id) => id >= 0 && id < 49406)).toBe(true);
      expect(tokenizer.decode(ids)).toBe(text.normalize('NFC').replace(/\s+/g, ' '));
    }
    // NFC: a decomposed é tokenizes like the composed one.
    expect(tokenizer.tokenize('cafe\u0301')).toEqual(tokenizer.tokenize('café'));
  });

  it('truncates a long prompt to 77 ids and keeps the end token', () => {
    const ids = Array.from(tokenizer.encode(Array.from({ length: 120 }, () => 'cat').join(' ')));
    expect(ids).toHaveLength(77);
    expect(ids[0]).toBe(49406);
    expect(ids[76]).toBe(49407);
    expect(ids.slice(1, 76).every((id) => id === 2368)).toBe(true);
  });

  it('reads merges.txt with or without its version header', () => {
    expect(parseMerges('#version: 0.2\nt h\nth e</w>\n')).toEqual(['t h', 'th e</w>']);
    expect(parseMerges('t h\n')).toEqual(['t h']);
  });
});
