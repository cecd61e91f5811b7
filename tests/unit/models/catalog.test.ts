/**
 * models/catalog.json: the repository's catalog parses with the contract's schema,
 * every entry pins a revision (or says why not), every file has a hash or says why
 * not, and the schema rejects the entries that would hide a guess.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogDocumentSchema, catalogEntrySchema, type CatalogEntry } from '../../../app/contract/models.js';
import { catalogSize, parseShownSize, readCatalog } from '../../../app/engine/models/catalog.js';

const catalogFile = path.resolve(__dirname, '../../../models/catalog.json');
const raw = JSON.parse(readFileSync(catalogFile, 'utf8')) as { version: number; models: CatalogEntry[] };

describe('models/catalog.json', () => {
  it('parses with the contract schema, version 1, the four models the issue names', () => {
    const parsed = catalogDocumentSchema.safeParse(raw);
    expect(parsed.success ? 'ok' : parsed.error.issues).toBe('ok');
    expect(raw.version).toBe(1);
    expect(raw.models.map((m) => m.id).sort()).toEqual(['sd-turbo', 'sdxl-turbo', 'taesd', 'taesdxl']);
  });

  it('is what the engine reads (shipped resource path)', () => {
    const read = readCatalog(catalogFile);
    expect(read.ok).toBe(true);
  });

  it('every entry has a pinned 40-hex revision or an explicit note, and says where each fact was read', () => {
    for (const entry of raw.models) {
      if (entry.revision === null) expect(entry.revisionNote, entry.id).toMatch(/\S/);
      else expect(entry.revision, entry.id).toMatch(/^[0-9a-f]{40}$/);
      expect(entry.source.length, entry.id).toBeGreaterThan(0);
      for (const s of entry.source) expect(s.url, entry.id).toMatch(/^https:\/\/huggingface\.co\//);
    }
  });

  it('every file has a sha256 or git blob id, or a note saying what was not read', () => {
    for (const entry of raw.models)
      for (const file of entry.files) {
        if (file.sha256 === null && file.gitBlobId === null) expect(file.note, `${entry.id} ${file.path}`).toMatch(/\S/);
      }
  });

  it('turbo entries name the files turbo-folder.ts needs to load the pulled folder', () => {
    for (const entry of raw.models.filter((m) => m.kind === 'turbo-diffusion')) {
      const paths = entry.files.map((f) => f.path);
      expect(paths, entry.id).toEqual(
        expect.arrayContaining(['unet/model.onnx', 'text_encoder/model.onnx', 'tokenizer/vocab.json', 'tokenizer/merges.txt', 'vae_decoder/model.onnx']),
      );
      if (entry.variant === 'sdxl') expect(paths, entry.id).toEqual(expect.arrayContaining(['text_encoder_2/model.onnx', 'tokenizer_2/vocab.json', 'tokenizer_2/merges.txt']));
    }
  });

  it('tiny decoders pair with a catalog model of their own variant', () => {
    for (const entry of raw.models.filter((m) => m.kind === 'tiny-vae')) {
      const pair = raw.models.find((m) => m.id === entry.pairsWith);
      expect(pair?.variant, entry.id).toBe(entry.variant);
    }
  });

  it('sizes: exact when read, else the sum the pages show, flagged approximate', () => {
    expect(parseShownSize('1.73 GB')).toBe(1_730_000_000);
    expect(parseShownSize('595 Bytes')).toBe(595);
    expect(parseShownSize('525 kB')).toBe(525_000);
    expect(parseShownSize(null)).toBeNull();
    const taesdxl = raw.models.find((m) => m.id === 'taesdxl')!;
    expect(catalogSize(taesdxl)).toEqual({ bytes: 4_912_312, approximate: true, lowerBound: true });
    const taesd = raw.models.find((m) => m.id === 'taesd')!;
    expect(catalogSize(taesd)).toEqual({ bytes: 4_910_000, approximate: true, lowerBound: false });
  });
});

describe('catalog entry schema', () => {
  const good = raw.models.find((m) => m.id === 'taesdxl')!;

  it('rejects a branch name in place of a pinned commit', () => {
    const result = catalogEntrySchema.safeParse({ ...good, revision: 'main' });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('40-hex commit');
  });

  it('rejects a null revision without a note', () => {
    const { revisionNote: _note, ...rest } = good;
    const result = catalogEntrySchema.safeParse({ ...rest, revision: null });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['revisionNote']);
  });

  it('rejects a file with neither hash nor note', () => {
    const result = catalogEntrySchema.safeParse({ ...good, files: [{ path: 'vae_decoder/model.onnx', size: 1, shownSize: null, sha256: null, gitBlobId: null }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('must say why');
  });

  it('rejects a path that escapes the repository', () => {
    const result = catalogEntrySchema.safeParse({ ...good, files: [{ ...good.files[1]!, path: '../../etc/passwd' }] });
    expect(result.success).toBe(false);
  });

  it('rejects an incomplete file list without a note', () => {
    const { filesNote: _n, ...rest } = good;
    const result = catalogEntrySchema.safeParse({ ...rest, filesComplete: false });
    expect(result.success).toBe(false);
  });

  it('rejects a document whose pairsWith names a missing model', () => {
    const result = catalogDocumentSchema.safeParse({ version: 1, models: [good] });
    expect(result.success).toBe(false);
  });
});
