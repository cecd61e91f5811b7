/**
 * CLIP's byte-level BPE tokenizer in TypeScript, reading a model folder's own
 * `vocab.json` + `merges.txt` (the Hugging Face CLIPTokenizer files the
 * SD-Turbo / SDXL-Turbo exports ship in `tokenizer/` and `tokenizer_2/`).
 *
 * Text -> ids as CLIP does it: NFC, HTML entities unescaped, whitespace collapsed,
 * lower-cased; split by CLIP's regex; each piece's UTF-8 bytes mapped to the
 * printable "byte characters"; BPE with `</w>` on the last character; then
 * `<|startoftext|>` ... `<|endoftext|>`, truncated to `maxLength` with the end
 * token kept, and padded with the pad token the folder's tokenizer files name, read as
 * transformers reads them (`"!"` = 0 for SD-2.x-style folders such as SD-Turbo's,
 * `<|endoftext|>` = 49407 for others; see padTokenOf).
 *
 * Pure apart from the file reads in `loadClipTokenizer`; runs once per prompt
 * change, never per frame (the pipeline caches the encoder output).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** CLIP's context length: every text encoder of these models takes [batch, 77]. */
export const CLIP_MAX_LENGTH = 77;
export const START_OF_TEXT = '<|startoftext|>';
export const END_OF_TEXT = '<|endoftext|>';

/** CLIP's pre-tokenizer pattern (case-insensitive, Unicode letters and digits). */
const PIECE = /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+/giu;

/**
 * GPT-2/CLIP's reversible byte -> printable character map: printable Latin-1
 * bytes map to themselves, the rest to code points from 256 up. The order of
 * `BYTE_CHARS` is also the order of the first 256 vocabulary entries.
 */
export const BYTE_CHARS: readonly string[] = (() => {
  const bs: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bs.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bs.push(b);
  for (let b = 0xae; b <= 0xff; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  // Index by byte value: BYTE_TO_CHAR[b].
  const byByte: string[] = new Array(256);
  bs.forEach((b, i) => (byByte[b] = String.fromCodePoint(cs[i] as number)));
  (byByte as unknown as { order: string[] }).order = cs.map((c) => String.fromCodePoint(c));
  return byByte;
})();

/** The 256 byte characters in vocabulary order (not byte order). */
export const BYTE_CHARS_IN_VOCAB_ORDER: readonly string[] = (BYTE_CHARS as unknown as { order: string[] }).order;

const CHAR_TO_BYTE = new Map<string, number>(BYTE_CHARS.map((c, b) => [c, b]));

/**
 * The vocabulary CLIP derives from its merge list (its README explains it):
 * the 256 byte characters, the same with `</w>`, one entry per merge, then the
 * two special tokens. With CLIP's 48 894 merges the specials land on 49406/49407.
 */
export function clipVocabularyFromMerges(merges: readonly string[]): Record<string, number> {
  const entries = [...BYTE_CHARS_IN_VOCAB_ORDER, ...BYTE_CHARS_IN_VOCAB_ORDER.map((c) => `${c}</w>`)];
  for (const merge of merges) entries.push(merge.split(' ').join(''));
  entries.push(START_OF_TEXT, END_OF_TEXT);
  const vocab: Record<string, number> = {};
  entries.forEach((token, id) => (vocab[token] = id));
  return vocab;
}

/** Merge lines of a merges.txt: drops the `#version` header and blank lines. */
export function parseMerges(text: string): string[] {
  return text.split('\n').filter((line) => line.length > 0 && !line.startsWith('#version'));
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
function unescapeHtml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/** CLIP's text clean-up (ftfy's fixes aside): NFC, entities twice, whitespace collapsed, lower case. */
export function normalizeClipText(text: string): string {
  return unescapeHtml(unescapeHtml(text.normalize('NFC')))
    .replace(/\s+/gu, ' ')
    .trim()
    .toLowerCase();
}

export interface ClipTokenizerOptions {
  /** Token used to pad to `maxLength` (a vocabulary entry; default `<|endoftext|>`). */
  padToken?: string;
  maxLength?: number;
}

export class ClipTokenizer {
  private readonly ranks = new Map<string, number>();
  private readonly cache = new Map<string, number[]>();
  private readonly idToToken: string[] = [];
  readonly bosId: number;
  readonly eosId: number;
  readonly padId: number;
  readonly maxLength: number;

  constructor(
    private readonly vocab: Readonly<Record<string, number>>,
    merges: readonly string[],
    options: ClipTokenizerOptions = {},
  ) {
    merges.forEach((merge, rank) => this.ranks.set(merge, rank));
    for (const [token, id] of Object.entries(vocab)) this.idToToken[id] = token;
    this.bosId = this.idOf(START_OF_TEXT);
    this.eosId = this.idOf(END_OF_TEXT);
    this.padId = this.idOf(options.padToken ?? END_OF_TEXT);
    this.maxLength = options.maxLength ?? CLIP_MAX_LENGTH;
  }

  private idOf(token: string): number {
    const id = this.vocab[token];
    if (id === undefined) throw new Error(`the tokenizer vocabulary has no "${token}"`);
    return id;
  }

  /** BPE of one pre-tokenized piece (already in byte characters). */
  private bpe(piece: string): number[] {
    const cached = this.cache.get(piece);
    if (cached) return cached;
    const chars = Array.from(piece);
    let word = chars.map((c, i) => (i === chars.length - 1 ? `${c}</w>` : c));
    while (word.length > 1) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < word.length - 1; i++) {
        const rank = this.ranks.get(`${word[i]} ${word[i + 1]}`);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          best = i;
        }
      }
      if (best < 0) break;
      const first = word[best] as string;
      const second = word[best + 1] as string;
      // Merge every occurrence of the best pair, left to right (as CLIP's bpe() does).
      const merged: string[] = [];
      for (let i = 0; i < word.length; i++) {
        if (i < word.length - 1 && word[i] === first && word[i + 1] === second) {
          merged.push(first + second);
          i++;
        } else merged.push(word[i] as string);
      }
      word = merged;
    }
    const ids = word.map((token) => {
      const id = this.vocab[token];
      if (id === undefined) throw new Error(`the tokenizer vocabulary has no "${token}" (vocab.json and merges.txt do not match)`);
      return id;
    });
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(piece, ids);
    return ids;
  }

  /** Token ids of the text without the special tokens, no truncation. */
  tokenize(text: string): number[] {
    const ids: number[] = [];
    const encoder = new TextEncoder();
    for (const match of normalizeClipText(text).matchAll(PIECE)) {
      const piece = match[0];
      if (piece === START_OF_TEXT || piece === END_OF_TEXT) {
        ids.push(this.idOf(piece));
        continue;
      }
      let mapped = '';
      for (const byte of encoder.encode(piece)) mapped += BYTE_CHARS[byte];
      ids.push(...this.bpe(mapped));
    }
    return ids;
  }

  /** `[BOS, ...ids, EOS, pad...]`, exactly `maxLength` long; long prompts lose their tail, never EOS. */
  encode(text: string): Int32Array {
    const out = new Int32Array(this.maxLength).fill(this.padId);
    const ids = this.tokenize(text).slice(0, this.maxLength - 2);
    out[0] = this.bosId;
    out.set(ids, 1);
    out[ids.length + 1] = this.eosId;
    return out;
  }

  /** Text of ids (specials and padding dropped); for tests and logs. */
  decode(ids: ArrayLike<number>): string {
    let text = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (id === this.bosId || id === this.eosId) continue;
      text += this.idToToken[id] ?? '';
    }
    const bytes = Array.from(text.replaceAll('</w>', ' '), (c) => CHAR_TO_BYTE.get(c) ?? 0x20);
    return new TextDecoder().decode(Uint8Array.from(bytes)).trim();
  }
}

type TokenValue = string | { content?: string } | null | undefined;

function tokenText(value: TokenValue): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value.content === 'string') return value.content;
  return null;
}

function readConfig(file: string): Record<string, unknown> | null {
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/**
 * The pad token a tokenizer folder names, by transformers' rule (PreTrainedTokenizerBase._from_pretrained):
 * - new-format tokenizer_config.json (it has `added_tokens_decoder`, transformers >= 4.34): that file
 *   alone; special_tokens_map.json is not read for special tokens;
 * - old format (no `added_tokens_decoder`, e.g. SD-Turbo's tokenizer/): special_tokens_map.json
 *   overrides tokenizer_config.json key by key (SD-Turbo: "!" = 0 over `<|endoftext|>`);
 * - neither names one: CLIPTokenizer's default, `<|endoftext|>`.
 */
export function padTokenOf(tokenizerDir: string): string {
  const config = readConfig(path.join(tokenizerDir, 'tokenizer_config.json'));
  const fromConfig = tokenText(config?.pad_token as TokenValue);
  if (config && 'added_tokens_decoder' in config) return fromConfig ?? END_OF_TEXT;
  const map = readConfig(path.join(tokenizerDir, 'special_tokens_map.json'));
  return tokenText(map?.pad_token as TokenValue) ?? fromConfig ?? END_OF_TEXT;
}

/** A tokenizer from a model folder's `tokenizer/` (vocab.json, merges.txt, optional configs). */
export function loadClipTokenizer(tokenizerDir: string): ClipTokenizer {
  const vocab = JSON.parse(readFileSync(path.join(tokenizerDir, 'vocab.json'), 'utf8')) as Record<string, number>;
  const merges = parseMerges(readFileSync(path.join(tokenizerDir, 'merges.txt'), 'utf8'));
  let maxLength = CLIP_MAX_LENGTH;
  const configPath = path.join(tokenizerDir, 'tokenizer_config.json');
  if (existsSync(configPath)) {
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as { model_max_length?: number };
    // Some exports write a huge sentinel here; CLIP's positions stop at 77.
    if (typeof config.model_max_length === 'number' && config.model_max_length > 2 && config.model_max_length <= CLIP_MAX_LENGTH) maxLength = config.model_max_length;
  }
  return new ClipTokenizer(vocab, merges, { padToken: padTokenOf(tokenizerDir), maxLength });
}
