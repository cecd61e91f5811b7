/**
 * The model library pulling a catalog model, with a stand-in for the model hub
 * (tests/helpers/fake-hub.ts: a real HTTP server on loopback in the hub's URL layout;
 * there is no internet here) and the real downloader (hub-pull.ts), real cache on disk:
 *   - in the engine: the licence first, then pullModel with progress in state.models,
 *     the model listed once verified, loaded with the existing loadModel while the
 *     show runs; cancel; a gated repository without a token; a catalog entry the hub disagrees with;
 *   - the CLI: `cyclorama models pull NAME` with its bar, `list`, `remove`, and the
 *     non-zero exit with the message when it cannot.
 * The fixture repository is the built-in model's real folder published as a hub repo.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogDocument, CatalogEntry } from '../../app/contract/models.js';
import type { EngineState } from '../../app/contract/state.js';
import { Engine } from '../../app/engine/engine.js';
import { findInCache, listRepoFiles, pullModel, type HubSettings } from '../../app/engine/models/hub-pull.js';
import { builtinModelRepo, FakeHub, sha256Of, type FixtureRepo } from '../helpers/fake-hub.js';
import { CLI_PATH } from '../helpers/cli-process.js';

const fixture: FixtureRepo = builtinModelRepo('cyclorama-test/library-backdrops');
const gatedFixture: FixtureRepo = { ...builtinModelRepo('cyclorama-test/gated-library-backdrops'), gated: true };

function entryFor(repo: FixtureRepo, over: Partial<CatalogEntry> = {}): CatalogEntry {
  return {
    id: 'backdrops',
    name: 'Test backdrops',
    kind: 'frame-model',
    variant: null,
    description: 'The built-in model published as a hub repository (test fixture).',
    repo: repo.repo,
    revision: repo.revision,
    filesComplete: false,
    filesNote: 'sizes from the hub',
    // As the real catalog does: what was read, the rest from the hub at the pinned revision.
    files: [
      { path: 'model.json', size: null, shownSize: null, sha256: null, gitBlobId: null, note: 'from the hub' },
      { path: 'model.onnx', size: null, shownSize: '400 kB', sha256: sha256Of(repo.files.find((f) => f.path === 'model.onnx')!.bytes), gitBlobId: null },
      { path: 'vocab.json', size: null, shownSize: null, sha256: null, gitBlobId: null, note: 'from the hub' },
    ],
    totalSizeBytes: null,
    totalSizeNote: 'from the hub',
    memory: { bytes: 50_000_000, note: 'test' },
    providers: ['cpu'],
    licence: { id: 'test-licence', name: 'Test Licence', url: 'https://example.com/licence', gated: false, needsAcceptance: true, summary: 'For tests.' },
    source: [{ fact: 'fixture', url: 'https://example.com' }],
    ...over,
  };
}

let hub: FakeHub;
let root: string;
let cacheDir: string;
let configDir: string;

beforeEach(async () => {
  hub = await FakeHub.start([fixture, gatedFixture]);
  root = mkdtempSync(path.join(tmpdir(), 'cyclorama-library-pull-'));
  cacheDir = path.join(root, 'hub-cache');
  configDir = path.join(root, 'config');
});
afterEach(async () => {
  await hub.close();
  rmSync(root, { recursive: true, force: true });
});

const settings = (over: Partial<HubSettings> = {}): HubSettings => ({ endpoint: hub.url, token: null, cacheDir, offline: false, proxy: null, ...over });

async function startEngine(catalog: CatalogEntry[], hubSettings = settings()): Promise<Engine> {
  const file = path.join(root, 'catalog.json');
  writeFileSync(file, JSON.stringify({ version: 1, models: catalog } satisfies CatalogDocument));
  process.env.CYCLORAMA_CATALOG = file;
  try {
    return await Engine.start({ width: 64, height: 36, configDir, savedOutputs: false, hub: { settings: hubSettings, pullModel, findInCache, listRepoFiles } });
  } finally {
    delete process.env.CYCLORAMA_CATALOG;
  }
}

function stateWhere(engine: Engine, predicate: (state: EngineState) => boolean, timeoutMs = 20_000): Promise<EngineState> {
  return new Promise((resolve, reject) => {
    const check = (state: EngineState) => {
      if (!predicate(state)) return false;
      clearTimeout(timer);
      engine.off('event', onEvent);
      resolve(state);
      return true;
    };
    const onEvent = (event: { kind: string; state?: EngineState }) => void (event.kind === 'state' && event.state && check(event.state));
    const timer = setTimeout(() => {
      engine.off('event', onEvent);
      reject(new Error(`no state matched in ${timeoutMs} ms: ${JSON.stringify(engine.state().models)}`));
    }, timeoutMs);
    if (!check(engine.state())) engine.on('event', onEvent);
  });
}

describe('model library pulls, with a stand-in for the model hub', () => {
  it('in the engine: licence first, then the pull with progress, the model listed once verified, then loaded while the show runs', async () => {
    const engine = await startEngine([entryFor(fixture)]);
    try {
      const refused = await engine.dispatch({ type: 'pullModel', name: 'backdrops' });
      expect(refused.ok === false && refused.error.message).toMatch(/Test Licence .*https:\/\/example\.com\/licence.*accept it before the first download/);
      expect(hub.servedBytes()).toBe(0);

      expect(await engine.dispatch({ type: 'acceptLicence', name: 'backdrops' })).toEqual({ ok: true });
      expect(JSON.parse(readFileSync(path.join(configDir, 'models.json'), 'utf8')).acceptedLicences).toEqual([{ model: 'backdrops', licence: 'test-licence' }]);

      const seen: number[] = [];
      engine.on('event', (event) => {
        const d = event.kind === 'state' ? event.state.models?.downloads.find((x) => x.model === 'backdrops') : undefined;
        if (d?.state === 'running') seen.push(d.doneBytes);
      });
      hub.faults = { slowBytesPerSecond: 400_000 };
      expect(await engine.dispatch({ type: 'pullModel', name: 'backdrops' })).toEqual({ ok: true });
      // A second pull while one runs is refused with a reason.
      const twice = await engine.dispatch({ type: 'pullModel', name: 'backdrops' });
      expect(twice.ok === false && twice.error.message).toMatch(/already downloading/);

      const running = engine.state().models!.downloads.find((d) => d.model === 'backdrops')!;
      const total = fixture.files.filter((f) => ['model.json', 'model.onnx', 'vocab.json'].includes(f.path)).reduce((n, f) => n + f.bytes.length, 0);
      expect(running).toMatchObject({ state: 'running', totalBytes: total });
      expect(running.files.map((f) => f.path).sort()).toEqual(['model.json', 'model.onnx', 'vocab.json']);

      const done = await stateWhere(engine, (s) => s.models?.installed.some((m) => m.name === 'backdrops') ?? false);
      const installed = done.models!.installed.find((m) => m.name === 'backdrops')!;
      expect(installed).toMatchObject({ origin: 'downloaded', kind: 'frame-model', loadable: true, provider: 'cpu' });
      expect(installed.sizeBytes).toBe(total);
      expect(done.models!.downloads.find((d) => d.model === 'backdrops')?.state).toBe('done');
      // Progress went up in steps the consoles saw (not one jump at the end).
      expect(new Set(seen).size).toBeGreaterThan(1);
      // README and .gitattributes were not asked for: only what the catalog names.
      expect(hub.servedBytes('README.md')).toBe(0);

      // Load it with the existing command; the show keeps running on the old model meanwhile.
      expect(await engine.dispatch({ type: 'loadModel', dir: installed.dir })).toEqual({ ok: true });
      const live = await stateWhere(engine, (s) => s.models?.installed.find((m) => m.name === 'backdrops')?.live === true);
      expect(live.model.status).toBe('running');
      const onWall = await engine.dispatch({ type: 'removeModel', name: 'backdrops' });
      expect(onWall.ok === false && onWall.error.message).toMatch(/on the wall now/);
    } finally {
      await engine.stop();
    }
  });

  it('cancel stops the download and says so; the partial files are kept for a resume', async () => {
    const engine = await startEngine([entryFor(fixture, { licence: { ...entryFor(fixture).licence, needsAcceptance: false } })]);
    try {
      hub.faults = { slowBytesPerSecond: 50_000 };
      expect(await engine.dispatch({ type: 'pullModel', name: 'backdrops' })).toEqual({ ok: true });
      await stateWhere(engine, (s) => (s.models?.downloads.find((d) => d.model === 'backdrops')?.doneBytes ?? 0) > 0);
      expect(await engine.dispatch({ type: 'cancelPull', name: 'backdrops' })).toEqual({ ok: true });
      const cancelled = await stateWhere(engine, (s) => s.models?.downloads.find((d) => d.model === 'backdrops')?.state === 'cancelled');
      expect(cancelled.models!.downloads[0]!.error?.message).toMatch(/cancelled.*resumes/);
      expect(cancelled.models!.installed.some((m) => m.name === 'backdrops')).toBe(false);
      const none = await engine.dispatch({ type: 'cancelPull', name: 'backdrops' });
      expect(none.ok).toBe(false);
    } finally {
      await engine.stop();
    }
  });

  it('a gated repository with a token its account has not accepted the licence for: the hub says 403, the message says what the hub needs', async () => {
    const gated = entryFor(gatedFixture, { id: 'gated', licence: { ...entryFor(gatedFixture).licence, gated: true, needsAcceptance: false } });
    const engine = await startEngine([gated], settings({ token: 'hf_notAccepted' }));
    try {
      expect(await engine.dispatch({ type: 'pullModel', name: 'gated' })).toEqual({ ok: true });
      const failed = await stateWhere(engine, (s) => s.models?.downloads.find((d) => d.model === 'gated')?.state === 'failed');
      expect(failed.models!.downloads[0]!.error?.message).toMatch(/accepted this licence on https:\/\/huggingface\.co\/cyclorama-test\/gated-library-backdrops.*HF_TOKEN/);
      expect(failed.models!.installed.some((m) => m.name === 'gated')).toBe(false);
    } finally {
      await engine.stop();
    }
  });

  it('a gated repository without a token: the reply says the hub must see the licence accepted with an account and a token (HF_TOKEN)', async () => {
    const gated = entryFor(gatedFixture, { id: 'gated', licence: { ...entryFor(gatedFixture).licence, gated: true, needsAcceptance: false } });
    const engine = await startEngine([gated]);
    try {
      const reply = await engine.dispatch({ type: 'pullModel', name: 'gated' });
      expect(reply.ok).toBe(false);
      expect(!reply.ok && reply.error.message).toMatch(/HF_TOKEN/);
      expect(!reply.ok && reply.error.message).toMatch(/accepted this licence on https:\/\/huggingface\.co\/cyclorama-test\/gated-library-backdrops/);
      expect(hub.requests).toHaveLength(0);
    } finally {
      await engine.stop();
    }
  });

  it('a catalog entry whose recorded hash the hub does not match downloads nothing and says the two disagree', async () => {
    const wrong = entryFor(fixture, { licence: { ...entryFor(fixture).licence, needsAcceptance: false } });
    wrong.files = wrong.files.map((f) => (f.path === 'model.onnx' ? { ...f, sha256: 'f'.repeat(64) } : f));
    const engine = await startEngine([wrong]);
    try {
      const reply = await engine.dispatch({ type: 'pullModel', name: 'backdrops' });
      expect(!reply.ok && reply.error.message).toMatch(/model\.onnx of cyclorama-test\/library-backdrops .* does not match the catalog \(its sha256 differs\)/);
      expect(hub.servedBytes()).toBe(0);
    } finally {
      await engine.stop();
    }
  });
});

describe('cyclorama models (CLI), with a stand-in for the model hub', () => {
  beforeAll(() => {
    if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run "npm run build" first.`);
  });
  afterAll(() => delete process.env.CYCLORAMA_CATALOG);

  const cli = (args: string[], endpoint = hub.url) => {
    const file = path.join(root, 'catalog.json');
    if (!existsSync(file)) writeFileSync(file, JSON.stringify({ version: 1, models: [entryFor(fixture)] }));
    // Asynchronously: the stand-in hub serves from this process's event loop.
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI_PATH, 'models', ...args], {
        env: { ...process.env, FORCE_COLOR: '0', HF_ENDPOINT: endpoint, HF_HUB_CACHE: cacheDir, CYCLORAMA_CONFIG_DIR: configDir, CYCLORAMA_CATALOG: file, HF_TOKEN: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  };

  it('pull without the licence accepted exits 1 with the licence named; with --accept-licence it downloads, lists, removes', async () => {
    const refused = await cli(['pull', 'backdrops']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/cyclorama models pull: Test backdrops is licensed under the Test Licence/);

    const pulled = await cli(['pull', 'backdrops', '--accept-licence']);
    expect(pulled.stderr).toBe('');
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toMatch(/Pulling Test backdrops from cyclorama-test\/library-backdrops/);
    expect(pulled.stdout).toMatch(/\d+% \| .* \| .*\/s \| ETA/); // the bar's line (piped: printed on a schedule and at the end)
    expect(pulled.stdout).toMatch(/backdrops is installed: .*models--cyclorama-test--library-backdrops[/\\]snapshots[/\\][0-9a-f]{40}/);

    const listed = await cli(['list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/backdrops +frame-model .* downloaded +cpu/);
    expect(listed.stdout).toMatch(/builtin +frame-model/);

    const removed = await cli(['remove', 'backdrops']);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/Deleted backdrops from the hub cache/);
    expect(existsSync(path.join(cacheDir, 'models--cyclorama-test--library-backdrops', 'snapshots'))).toBe(false);
  });

  it('unknown names and unreachable hubs exit 1 with one line saying what to do', async () => {
    const unknown = await cli(['pull', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^cyclorama models pull: No model "nope" in the catalog\. Known: backdrops\.\n$/);
    const endpoint = hub.url;
    await hub.close();
    const down = await cli(['pull', 'backdrops', '--accept-licence'], endpoint);
    expect(down.code).toBe(1);
    expect(down.stderr.trim().split('\n')).toHaveLength(1);
    expect(down.stderr).toMatch(/^cyclorama models pull: /);
    hub = await FakeHub.start([fixture]);
    const notFolder = await cli(['import', path.join(root, 'nowhere')]);
    expect(notFolder.code).toBe(1);
    expect(notFolder.stderr).toMatch(/does not exist: give the folder that holds the model/);
  });
});
