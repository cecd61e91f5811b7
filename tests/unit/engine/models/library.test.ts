/**
 * The model library (app/engine/models/library.ts) on real folders: the built-in
 * model, folders imported from disk (checked that they load, remembered in the
 * config folder, forgotten without being deleted), a catalog model laid out in a
 * real hub cache folder (found by the downloader's own findInCache, removed with
 * only the blobs it owns), and the licence gate before a download. The downloader
 * itself runs against a stand-in for the model hub in tests/integration/model-library-pull.test.ts.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogDocument, CatalogEntry } from '../../../../app/contract/models.js';
import { builtinModelDir, loadModelFolder } from '../../../../app/engine/generate/model-folder.js';
import { findInCache, listRepoFiles, pullModel, type HubSettings } from '../../../../app/engine/models/hub-pull.js';
import { deleteSnapshot, ModelLibrary, slug, type HubPort } from '../../../../app/engine/models/library.js';
import { ok } from '../../../../app/engine/result.js';

let root: string;
let configDir: string;
let cacheDir: string;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-library-'));
  configDir = path.join(root, 'config');
  cacheDir = path.join(root, 'hub-cache');
  mkdirSync(cacheDir, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const REVISION = 'a'.repeat(40);
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A small tiny-VAE-like entry whose file we make, so a real cache layout can hold it. */
function testEntry(overrides: Partial<CatalogEntry> = {}, content = Buffer.from('tiny decoder bytes')): CatalogEntry {
  return {
    id: 'tiny-test',
    name: 'Tiny test decoder',
    kind: 'tiny-vae',
    variant: 'sd',
    description: 'test',
    repo: 'test-org/tiny-test',
    revision: REVISION,
    filesComplete: true,
    files: [{ path: 'vae_decoder/model.onnx', size: content.length, shownSize: null, sha256: sha256(content), gitBlobId: null }],
    totalSizeBytes: content.length,
    memory: { bytes: 1000, note: 'test' },
    providers: ['cpu'],
    licence: { id: 'mit', name: 'MIT', url: 'https://example.com/mit', gated: false, needsAcceptance: false, summary: 'ok' },
    source: [{ fact: 'test', url: 'https://example.com' }],
    ...overrides,
  };
}

function hub(settings: Partial<HubSettings> = {}): HubPort {
  return { settings: { endpoint: 'http://127.0.0.1:9', token: null, cacheDir, offline: true, ...settings } as HubSettings, pullModel, findInCache, listRepoFiles };
}

function library(entries: CatalogEntry[] = [], options: { liveDir?: string | null; hubPort?: HubPort } = {}) {
  const catalog: CatalogDocument = { version: 1, models: entries.length > 0 ? entries : [testEntry()] };
  return new ModelLibrary({
    configDir,
    catalog: ok(catalog),
    hub: options.hubPort ?? hub(),
    intendedProvider: (preferred) => (preferred.includes('cpu') ? 'cpu' : null),
    liveDir: () => options.liveDir ?? null,
  });
}

/** A copy of the built-in model in a folder of its own (a real model folder to import). */
function copyOfBuiltin(name: string): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const file of ['model.json', 'model.onnx', 'vocab.json']) copyFileSync(path.join(builtinModelDir(), file), path.join(dir, file));
  return dir;
}

/** Lays `entry`'s file out as the hub cache does: blobs/<sha256>, snapshots/<rev>/<path> -> ../../blobs/<sha256>. */
function cacheEntry(entry: CatalogEntry, content: Buffer, revision = REVISION): string {
  const repoDir = path.join(cacheDir, `models--${entry.repo.replace('/', '--')}`);
  const blob = path.join(repoDir, 'blobs', sha256(content));
  mkdirSync(path.dirname(blob), { recursive: true });
  writeFileSync(blob, content);
  const link = path.join(repoDir, 'snapshots', revision, 'vae_decoder', 'model.onnx');
  mkdirSync(path.dirname(link), { recursive: true });
  symlinkSync(path.relative(path.dirname(link), blob), link);
  mkdirSync(path.join(repoDir, 'refs'), { recursive: true });
  writeFileSync(path.join(repoDir, 'refs', 'main'), revision);
  return path.join(repoDir, 'snapshots', revision);
}

describe('model library: listing', () => {
  it('lists the built-in model with its size on disk, kind, licence and the provider it would run on', async () => {
    const installed = await library().refresh();
    const builtin = installed.find((m) => m.name === 'builtin');
    expect(builtin).toMatchObject({ origin: 'builtin', kind: 'frame-model', loadable: true, provider: 'cpu', dir: builtinModelDir() });
    expect(builtin!.sizeBytes).toBeGreaterThan(100_000);
    expect(builtin!.licence?.name).toMatch(/\S/);
  });

  it('lists a catalog model only when it is complete and verified in the hub cache', async () => {
    const content = Buffer.from('tiny decoder bytes');
    const entry = testEntry({}, content);
    const lib = library([entry]);
    expect((await lib.refresh()).map((m) => m.name)).toEqual(['builtin']);
    const snapshot = cacheEntry(entry, content);
    const found = (await lib.refresh()).find((m) => m.name === 'tiny-test');
    expect(found).toMatchObject({ origin: 'downloaded', kind: 'tiny-vae', dir: snapshot, sizeBytes: content.length, loadable: false });
    expect(found?.problem).toMatch(/tiny VAE decoder/);
    expect(lib.status().catalog.find((c) => c.id === 'tiny-test')?.installed).toBe(true);
  });

  it('does not list a cached model whose bytes do not match its hash (a corrupted blob)', async () => {
    const content = Buffer.from('tiny decoder bytes');
    const entry = testEntry({}, content);
    const snapshot = cacheEntry(entry, content);
    writeFileSync(path.join(snapshot, 'vae_decoder', 'model.onnx'), Buffer.from('tiny decoder bytez')); // same size, one byte off
    expect((await library([entry]).refresh()).map((m) => m.name)).toEqual(['builtin']);
  });
});

describe('model library: import', () => {
  it('imports a folder that loads as a model, remembers it in the config folder, lists it after a restart', async () => {
    const dir = copyOfBuiltin('My Backdrop Model');
    const lib = library();
    await lib.refresh();
    const imported = lib.importFolder(dir);
    expect(imported.ok && imported.value).toMatchObject({ name: 'my-backdrop-model', origin: 'imported', loadable: true, dir });
    const saved = JSON.parse(readFileSync(path.join(configDir, 'models.json'), 'utf8')) as { imported: { name: string; dir: string }[] };
    expect(saved.imported).toEqual([{ name: 'my-backdrop-model', dir }]);
    const again = await library().refresh();
    expect(again.find((m) => m.name === 'my-backdrop-model')?.dir).toBe(dir);
  });

  it("refuses a folder that does not load, with the loader's reason", () => {
    const empty = path.join(root, 'not-a-model');
    mkdirSync(empty);
    const result = library().importFolder(empty);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toMatch(/does not load as a model: .*model\.json not found/);
    expect(existsSync(path.join(configDir, 'models.json'))).toBe(false);
  });

  it('refuses a half-downloaded turbo export, naming every missing file', () => {
    const dir = path.join(root, 'half-turbo');
    mkdirSync(path.join(dir, 'unet'), { recursive: true });
    writeFileSync(path.join(dir, 'unet', 'model.onnx'), 'x');
    const result = library().importFolder(dir);
    expect(!result.ok && result.error.message).toMatch(/text_encoder\/model\.onnx missing.*tokenizer\/vocab\.json missing/);
  });

  it('refuses a missing folder, a file, a second import of the same folder, and a name already taken', () => {
    const lib = library();
    expect(lib.importFolder(path.join(root, 'nowhere')).ok === false && 'refused').toBe('refused');
    const file = path.join(root, 'file.txt');
    writeFileSync(file, 'x');
    const asFile = lib.importFolder(file);
    expect(!asFile.ok && asFile.error.message).toMatch(/is a file, not a folder/);
    const dir = copyOfBuiltin('twice');
    expect(lib.importFolder(dir).ok).toBe(true);
    const second = lib.importFolder(dir);
    expect(!second.ok && second.error.message).toMatch(/already in the library as "twice"/);
    const other = copyOfBuiltin('other');
    const taken = lib.importFolder(other, 'twice');
    expect(!taken.ok && taken.error.message).toMatch(/name "twice" is already used/);
    const catalogName = lib.importFolder(other, 'tiny-test');
    expect(catalogName.ok).toBe(false);
  });

  it('slugs folder names into library names', () => {
    expect(slug('My SD Turbo (fp16)')).toBe('my-sd-turbo-fp16');
    expect(slug('___')).toBe('model-folder');
  });
});

describe('model library: remove', () => {
  it('forgets an imported folder and never deletes it', async () => {
    const dir = copyOfBuiltin('keep-me');
    const lib = library();
    expect(lib.importFolder(dir).ok).toBe(true);
    const removed = await lib.remove('keep-me');
    expect(removed.ok && removed.value.removed).toBe('forgotten');
    expect(existsSync(path.join(dir, 'model.onnx'))).toBe(true);
    expect((await library().refresh()).map((m) => m.name)).toEqual(['builtin']);
  });

  it('deletes a downloaded model from the hub cache: its snapshot, its blobs, its ref; then the repository folder', async () => {
    const content = Buffer.from('tiny decoder bytes');
    const entry = testEntry({}, content);
    cacheEntry(entry, content);
    const lib = library([entry]);
    await lib.refresh();
    const removed = await lib.remove('tiny-test');
    expect(removed.ok && removed.value.removed).toBe('deleted');
    expect(existsSync(path.join(cacheDir, 'models--test-org--tiny-test'))).toBe(false);
    expect(existsSync(cacheDir)).toBe(true);
    expect((await lib.refresh()).map((m) => m.name)).toEqual(['builtin']);
  });

  it('keeps a blob another snapshot of the same repository still links to', () => {
    const content = Buffer.from('shared bytes');
    const entry = testEntry({}, content);
    const mine = cacheEntry(entry, content, REVISION);
    const other = cacheEntry(entry, content, 'b'.repeat(40));
    expect(deleteSnapshot(mine).ok).toBe(true);
    expect(existsSync(mine)).toBe(false);
    expect(readFileSync(path.join(other, 'vae_decoder', 'model.onnx'), 'utf8')).toBe('shared bytes');
  });

  it('refuses to delete outside a hub cache layout', () => {
    const dir = copyOfBuiltin('not-cache');
    const result = deleteSnapshot(dir);
    expect(!result.ok && result.error.message).toMatch(/not a snapshot in the hub cache/);
    expect(existsSync(path.join(dir, 'model.onnx'))).toBe(true);
  });

  it('refuses the built-in model, the model on the wall, and a name not installed', async () => {
    const dir = copyOfBuiltin('on-air');
    const lib = library([], { liveDir: dir });
    expect(lib.importFolder(dir).ok).toBe(true);
    const live = await lib.remove('on-air');
    expect(!live.ok && live.error.message).toMatch(/on the wall now/);
    const builtin = await lib.remove('builtin');
    expect(!builtin.ok && builtin.error.message).toMatch(/cannot be removed/);
    const unknown = await lib.remove('nothing-here');
    expect(!unknown.ok && unknown.error.message).toMatch(/No installed model is named "nothing-here"/);
  });
});

describe('model library: licences before the first download', () => {
  const licensed = testEntry({
    id: 'licensed',
    licence: {
      id: 'sai-nc-community',
      name: 'Stability AI Non-Commercial Research Community License',
      url: 'https://example.com/licence',
      gated: true,
      needsAcceptance: true,
      summary: 'Non-commercial.',
    },
  });

  it('refuses the pull until the licence is accepted, naming it, its link, and what a gated model needs (HF_TOKEN)', async () => {
    const reply = await library([licensed]).startPull('licensed');
    expect(reply.ok).toBe(false);
    const message = !reply.ok ? reply.error.message : '';
    expect(message).toContain('Stability AI Non-Commercial Research Community License');
    expect(message).toContain('https://example.com/licence');
    expect(message).toMatch(/accept it before the first download/);
    expect(message).toMatch(/HF_TOKEN/);
  });

  it('remembers an accepted licence in the config folder, per model and licence id', () => {
    const lib = library([licensed]);
    expect(lib.status().catalog[0]?.licenceAccepted).toBe(false);
    expect(lib.acceptLicence('licensed')).toEqual({ ok: true });
    expect(library([licensed]).status().catalog[0]?.licenceAccepted).toBe(true);
    // A changed licence asks again.
    const changed = { ...licensed, licence: { ...licensed.licence, id: 'other-licence' } };
    expect(library([changed]).status().catalog[0]?.licenceAccepted).toBe(false);
  });

  it('refuses an unknown catalog name, listing the known ones', async () => {
    const reply = await library([licensed]).startPull('nope');
    expect(!reply.ok && reply.error.message).toMatch(/No model "nope" in the catalog\. Known: licensed/);
    expect(library([licensed]).acceptLicence('nope').ok).toBe(false);
  });

  it('offline, a pull of an accepted model that is not in the cache says so and lists nothing new', async () => {
    const lib = library([testEntry()]);
    const reply = await lib.pull('tiny-test');
    expect(reply.ok).toBe(false);
    expect(!reply.ok && reply.error.message).toMatch(/[Oo]ffline/);
    expect(lib.status().downloads[0]).toMatchObject({ model: 'tiny-test', state: 'failed' });
  });
});

describe('model library: a turbo model with its tiny decoder', () => {
  const bytes = (text: string) => Buffer.from(text);
  const turboFiles: Record<string, Buffer> = {
    'text_encoder/model.onnx': bytes('text encoder graph'),
    'tokenizer/vocab.json': bytes('{"a": 0}'),
    'tokenizer/merges.txt': bytes('#version: 0.2\n'),
    'unet/model.onnx': bytes('unet graph'),
    'vae_decoder/model.onnx': bytes('full vae decoder'),
  };
  const tinyBytes = bytes('tiny decoder graph');
  const turbo = testEntry({
    id: 'turbo-test',
    name: 'Turbo test',
    kind: 'turbo-diffusion',
    repo: 'test-org/turbo-test',
    files: Object.entries(turboFiles).map(([p, b]) => ({ path: p, size: b.length, shownSize: null, sha256: sha256(b), gitBlobId: null })),
    totalSizeBytes: Object.values(turboFiles).reduce((n, b) => n + b.length, 0),
  });
  const tiny = testEntry({ pairsWith: 'turbo-test' }, tinyBytes);

  /** Lays several files of one entry out as the hub cache does. */
  function cacheFiles(entry: CatalogEntry, files: Record<string, Buffer>): string {
    const repoDir = path.join(cacheDir, `models--${entry.repo.replace('/', '--')}`);
    const snapshot = path.join(repoDir, 'snapshots', REVISION);
    for (const [file, content] of Object.entries(files)) {
      const blob = path.join(repoDir, 'blobs', sha256(content));
      mkdirSync(path.dirname(blob), { recursive: true });
      writeFileSync(blob, content);
      const link = path.join(snapshot, file);
      mkdirSync(path.dirname(link), { recursive: true });
      symlinkSync(path.relative(path.dirname(link), blob), link);
    }
    return snapshot;
  }

  it('lists the pair as a loadable model whose folder has the tiny decoder where turbo-folder.ts looks (taesd/)', async () => {
    cacheFiles(turbo, turboFiles);
    cacheFiles(tiny, { 'vae_decoder/model.onnx': tinyBytes });
    const lib = library([turbo, tiny]);
    const installed = await lib.refresh();
    expect(installed.map((m) => m.name)).toEqual(['builtin', 'turbo-test', 'tiny-test', 'turbo-test-tiny-test']);
    const pair = installed.find((m) => m.name === 'turbo-test-tiny-test')!;
    expect(pair).toMatchObject({ loadable: true, kind: 'turbo-diffusion', displayName: 'Turbo test + Tiny test decoder' });
    expect(pair.dir).toBe(path.join(configDir, 'models', 'paired', 'turbo-test-tiny-test'));
    const folder = loadModelFolder(pair.dir);
    expect(folder.ok && folder.value.kind === 'turbo-diffusion' && folder.value.layout.decoder).toBe('tiny');
    expect(folder.ok && folder.value.kind === 'turbo-diffusion' && readFileSync(folder.value.layout.tinyVaeDecoderPath!, 'utf8')).toBe('tiny decoder graph');

    // Removing the pair removes its links only; both downloads stay.
    const removed = await lib.remove('turbo-test-tiny-test');
    expect(removed.ok).toBe(true);
    expect(existsSync(path.join(cacheDir, 'models--test-org--turbo-test', 'snapshots', REVISION, 'unet', 'model.onnx'))).toBe(true);
    expect((await lib.refresh()).map((m) => m.name)).toContain('tiny-test');
  });

  it('drops the pair when its decoder is removed', async () => {
    cacheFiles(turbo, turboFiles);
    cacheFiles(tiny, { 'vae_decoder/model.onnx': tinyBytes });
    const lib = library([turbo, tiny]);
    await lib.refresh();
    expect((await lib.remove('tiny-test')).ok).toBe(true);
    const names = (await lib.refresh()).map((m) => m.name);
    expect(names).toEqual(['builtin', 'turbo-test']);
    expect(existsSync(path.join(configDir, 'models', 'paired', 'turbo-test-tiny-test'))).toBe(false);
  });
});
