/**
 * Model pulls against a stand-in for the model hub (tests/helpers/fake-hub.ts: a real
 * HTTP server on loopback in the hub's URL layout, since there is no internet here),
 * with the real client code: @huggingface/hub for the API, undici for the transfers and
 * proxies, the real file system for the cache. The fixture repository is the built-in
 * model's real folder, so the pulled snapshot is loaded and renders frames at the end.
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';

import { Engine } from '../../app/engine/engine.js';
import { Generator } from '../../app/engine/generate/generator.js';
import { loadModelFolder } from '../../app/engine/generate/model-folder.js';
import { blobPath, incompletePath, repoDir, snapshotDir } from '../../app/engine/models/hub-cache.js';
import { findInCache, listRepoFiles, pullModel, type HubSettings, type PullProgress, type PullRequest } from '../../app/engine/models/hub-pull.js';
import { builtinModelRepo, FakeHub, LoopbackProxy, pullFilesOf, type FixtureRepo } from '../helpers/fake-hub.js';

const fixture: FixtureRepo = builtinModelRepo();
const gatedFixture: FixtureRepo = { ...builtinModelRepo('cyclorama-test/gated-backdrops'), gated: true };
const ONNX = 'model.onnx';
const onnxSize = fixture.files.find((f) => f.path === ONNX)!.bytes.length;
const TOKEN = 'hf_licenceAcceptedToken';

let hub: FakeHub;
let cacheDir: string;
const tempDirs: string[] = [];

function request(repo: FixtureRepo = fixture): PullRequest {
  return { repo: repo.repo, revision: repo.revision, files: pullFilesOf(repo) };
}

function settings(over: Partial<HubSettings> = {}): HubSettings {
  return { endpoint: hub.url, token: null, cacheDir, offline: false, proxy: null, ...over };
}

/**
 * The error paths run the pull on the test's own thread (thread: 'caller'): the same code as in
 * the worker, without a tsx-bootstrapped worker per pull. The full pull, the restart, the
 * busy/cancel and the load test go through the default worker thread.
 */
function pullHere(req: PullRequest, s: HubSettings, options: Parameters<typeof pullModel>[2] = {}): ReturnType<typeof pullModel> {
  return pullModel(req, s, { thread: 'caller', ...options });
}

function resolveRequests(): number {
  return hub.requests.filter((r) => r.url.includes('/resolve/') || r.url.startsWith('/cdn-lfs/')).length;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

beforeEach(async () => {
  hub = await FakeHub.start([fixture, gatedFixture]);
  cacheDir = mkdtempSync(path.join(tmpdir(), 'cyclorama-hub-cache-'));
  tempDirs.push(cacheDir);
});

afterEach(async () => {
  await hub.close();
});

afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

describe('model pull (against a stand-in for the model hub on loopback)', () => {
  it('pulls every file into the standard cache layout, verified, and a second pull downloads nothing', async () => {
    const progress: PullProgress[] = [];
    const result = await pullModel(request(), settings(), { onProgress: (p) => progress.push(p), progressIntervalMs: 0 });
    expect(result).toMatchObject({ ok: true, bytesReused: 0 });
    if (!result.ok) return;
    const total = fixture.files.reduce((n, f) => n + f.bytes.length, 0);
    expect(result.bytesDownloaded).toBe(total);
    expect(result.snapshotDir).toBe(snapshotDir(cacheDir, fixture.repo, fixture.revision));
    expect(path.basename(repoDir(cacheDir, fixture.repo))).toBe('models--cyclorama-test--builtin-backdrops');
    for (const f of fixture.files) {
      const linked = path.join(result.snapshotDir, f.path);
      // Relative links into blobs/, named by sha256 (LFS) or git blob id, as huggingface_hub makes them.
      expect(lstatSync(linked).isSymbolicLink()).toBe(true);
      expect(readlinkSync(linked)).toBe(
        path.relative(
          path.dirname(linked),
          blobPath(
            cacheDir,
            fixture.repo,
            pullFilesOf(fixture).find((p) => p.path === f.path)!,
          ),
        ),
      );
      expect(Buffer.compare(readFileSync(linked), f.bytes)).toBe(0);
    }
    expect(readdirSync(path.join(repoDir(cacheDir, fixture.repo), 'blobs')).filter((n) => n.endsWith('.incomplete'))).toEqual([]);
    // The LFS file came through the hub's 302 to its CDN path.
    expect(hub.requests.some((r) => r.url.startsWith('/cdn-lfs/') && r.status === 200)).toBe(true);
    const last = progress.at(-1)!;
    expect(last.doneBytes).toBe(total);
    expect(last.totalBytes).toBe(total);
    expect(last.files.every((f) => f.state === 'done')).toBe(true);
    expect(progress.some((p) => p.doneBytes > 0 && p.doneBytes < total)).toBe(true);
    expect(await findInCache(request(), settings())).toBe(result.snapshotDir);

    const before = resolveRequests();
    const again = await pullModel(request(), settings());
    expect(again).toMatchObject({ ok: true, bytesDownloaded: 0, bytesReused: total });
    expect(resolveRequests()).toBe(before);
  });

  it('lists a revision’s files with their sizes and hashes through @huggingface/hub, across tree pages', async () => {
    hub.treePageSize = 2; // the client must follow the Link header
    const files = await listRepoFiles(fixture.repo, fixture.revision, settings());
    expect(Array.isArray(files) ? [...files].sort((a, b) => a.path.localeCompare(b.path)) : files).toEqual([...pullFilesOf(fixture)].sort((a, b) => a.path.localeCompare(b.path)));
    expect(hub.requests.filter((r) => r.url.includes('/tree/')).length).toBeGreaterThan(1);
    const missing = await listRepoFiles('cyclorama-test/no-such-model', fixture.revision, settings());
    expect(missing).toMatchObject({ code: 'not-found' });
    expect((missing as { message: string }).message).toContain('cyclorama-test/no-such-model');
  });

  it('resumes a file whose connection dropped mid-way by HTTP Range, without downloading its first part again', async () => {
    hub.faults.interrupt = { path: ONNX, atByte: Math.floor(onnxSize / 2), times: 1 };
    const result = await pullHere(request(), settings());
    expect(result.ok).toBe(true);
    expect(hub.servedBytes(ONNX)).toBe(onnxSize);
    expect(hub.requests.some((r) => r.url.startsWith('/cdn-lfs/') && r.range === `bytes=${Math.floor(onnxSize / 2)}-` && r.status === 206)).toBe(true);
  });

  it('a server that ignores the Range header (200, whole file) restarts that file cleanly from byte 0', async () => {
    hub.faults.interrupt = { path: ONNX, atByte: 100_000, times: 1 };
    expect(await pullHere(request(), settings(), { retries: 0 })).toMatchObject({ ok: false, code: 'network' });
    hub.faults.ignoreRange = true;
    const served = hub.servedBytes(ONNX);
    const result = await pullHere(request(), settings());
    expect(result).toMatchObject({ ok: true });
    expect(hub.requests.some((r) => r.range === 'bytes=100000-' && r.status === 200)).toBe(true);
    expect(hub.servedBytes(ONNX) - served).toBe(onnxSize); // the whole file once more, appended nowhere
    expect(await findInCache(request(), settings())).not.toBeNull();
  });

  it('after an interrupted pull nothing counts as installed, and a restarted pull resumes the partial file and keeps the finished ones', async () => {
    hub.faults.interrupt = { path: ONNX, atByte: 100_000, times: 1 };
    const first = await pullModel(request(), settings(), { retries: 0 });
    expect(first).toMatchObject({ ok: false, code: 'network', file: ONNX });
    if (first.ok) return;
    expect(first.message).toContain(ONNX);
    expect(first.message).toMatch(/resumes/);
    const onnx = pullFilesOf(fixture).find((f) => f.path === ONNX)!;
    expect(existsSync(incompletePath(cacheDir, fixture.repo, onnx))).toBe(true);
    // Atomic install: no snapshot, so nothing lists the model.
    expect(existsSync(snapshotDir(cacheDir, fixture.repo, fixture.revision))).toBe(false);
    expect(await findInCache(request(), settings())).toBeNull();

    const small = fixture.files.filter((f) => !f.lfs);
    const second = await pullModel(request(), settings());
    expect(second).toMatchObject({ ok: true, bytesReused: expect.any(Number) });
    if (!second.ok) return;
    expect(hub.servedBytes(ONNX)).toBe(onnxSize); // 100 000 bytes once, the rest once
    expect(small.map((f) => hub.servedBytes(f.path))).toEqual(small.map((f) => f.bytes.length)); // each small file once, never again
    expect(second.bytesReused).toBeGreaterThanOrEqual(100_000);
    expect(second.bytesReused + second.bytesDownloaded).toBe(fixture.files.reduce((n, f) => n + f.bytes.length, 0));
    expect(await findInCache(request(), settings())).toBe(second.snapshotDir);
  });

  it('a corrupted byte fails the file by its sha256, deletes it and says so', async () => {
    hub.faults.corrupt = { path: ONNX, offset: 1234 };
    const result = await pullHere(request(), settings());
    expect(result).toMatchObject({ ok: false, code: 'corrupt', file: ONNX });
    if (result.ok) return;
    expect(result.message).toContain('sha256');
    expect(result.message).toContain('deleted');
    const onnx = pullFilesOf(fixture).find((f) => f.path === ONNX)!;
    expect(existsSync(incompletePath(cacheDir, fixture.repo, onnx))).toBe(false);
    expect(existsSync(blobPath(cacheDir, fixture.repo, onnx))).toBe(false);
    expect(await findInCache(request(), settings())).toBeNull();
  });

  it('a corrupted small file fails by its git blob id', async () => {
    hub.faults.corrupt = { path: 'model.json', offset: 3 };
    const result = await pullHere(request(), settings());
    expect(result).toMatchObject({ ok: false, code: 'corrupt', file: 'model.json' });
    expect(result.ok ? '' : result.message).toContain('git blob id');
  });

  it('a gated repository without a token: 401 explains the licence must be accepted on the hub with an account and a token', async () => {
    const noToken = await pullModel(request(gatedFixture), settings());
    expect(noToken).toMatchObject({ ok: false, code: 'unauthorized' });
    if (noToken.ok) return;
    expect(noToken.message).toMatch(/licence/);
    expect(noToken.message).toMatch(/accepted/);
    expect(noToken.message).toContain('HF_TOKEN');
    expect(noToken.message).toContain(`${hub.url}/${gatedFixture.repo}`);

    const notAccepted = await pullModel(request(gatedFixture), settings({ token: 'hf_someoneElse' }));
    expect(notAccepted).toMatchObject({ ok: false, code: 'forbidden' });
    expect(notAccepted.ok ? '' : notAccepted.message).toMatch(/accept the licence/);

    hub.faults.acceptedTokens = [TOKEN];
    hub.requests.length = 0;
    const accepted = await pullModel(request(gatedFixture), settings({ token: TOKEN }));
    expect(accepted.ok).toBe(true);
    // The token goes to the hub, never to the CDN the hub redirects to.
    const cdn = hub.requests.filter((r) => r.url.startsWith('/cdn-lfs/'));
    expect(cdn.length).toBeGreaterThan(0);
    expect(cdn.every((r) => r.authorization === null)).toBe(true);
    expect(hub.requests.filter((r) => r.url.includes('/resolve/')).every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('a 404 names the missing file; an unknown revision names the revision', async () => {
    hub.faults.notFound = ['vocab.json'];
    const result = await pullHere(request(), settings());
    expect(result).toMatchObject({ ok: false, code: 'not-found', file: 'vocab.json' });
    expect(result.ok ? '' : result.message).toContain('vocab.json');

    const wrongRev = await pullHere({ ...request(), revision: 'a'.repeat(40) }, settings());
    expect(wrongRev).toMatchObject({ ok: false, code: 'not-found' });
    expect(wrongRev.ok ? '' : wrongRev.message).toContain('a'.repeat(40));
  });

  it('a server that stalls mid-file fails as stalled after its retries, naming the file', async () => {
    hub.faults.stall = { path: ONNX, atByte: 50_000 };
    const result = await pullHere(request(), settings(), { stallTimeoutMs: 300, retries: 1 });
    expect(result).toMatchObject({ ok: false, code: 'stalled', file: ONNX });
    expect(result.ok ? '' : result.message).toMatch(/stopped sending model\.onnx/);
    // The retry resumed from what had arrived.
    expect(hub.requests.some((r) => r.range === 'bytes=50000-')).toBe(true);
  });

  it('a full disk mid-file (an injected write error: the partial blob is a link to /dev/full, whose every write fails with ENOSPC)', async () => {
    const onnx = pullFilesOf(fixture).find((f) => f.path === ONNX)!;
    mkdirSync(path.dirname(incompletePath(cacheDir, fixture.repo, onnx)), { recursive: true });
    symlinkSync('/dev/full', incompletePath(cacheDir, fixture.repo, onnx));
    const result = await pullHere(request(), settings());
    expect(result).toMatchObject({ ok: false, code: 'disk-full', file: ONNX });
    expect(result.ok ? '' : result.message).toMatch(/disk is full/);
    expect(await findInCache(request(), settings())).toBeNull();
  });

  it('checks free space first (fs.statfs) and says how much is needed and free, before downloading anything', async () => {
    const huge: PullRequest = { ...request(), files: request().files.map((f) => (f.path === ONNX ? { ...f, size: 2 ** 52 } : f)) };
    const result = await pullHere(huge, settings());
    expect(result).toMatchObject({ ok: false, code: 'disk-full' });
    expect(result.ok ? '' : result.message).toMatch(/needs .* but only .* is free/);
    expect(resolveRequests()).toBe(0);
  });

  it('a second pull of the same model while one runs is refused as busy; cancelling the first keeps its bytes for a resume', async () => {
    hub.faults.slowBytesPerSecond = 100_000;
    const abort = new AbortController();
    let started: () => void = () => undefined;
    const downloading = new Promise<void>((r) => (started = r));
    const first = pullModel(request(), settings(), { signal: abort.signal, progressIntervalMs: 0, onProgress: (p) => p.doneBytes > 0 && started() });
    const second = await pullModel(request(), settings());
    expect(second).toMatchObject({ ok: false, code: 'busy' });
    expect(second.ok ? '' : second.message).toContain(fixture.repo);
    await downloading;
    abort.abort();
    const cancelled = await first;
    expect(cancelled).toMatchObject({ ok: false, code: 'cancelled' });
    expect(await findInCache(request(), settings())).toBeNull();
    const kept = hub.servedBytes();
    expect(kept).toBeGreaterThan(0);

    hub.faults.slowBytesPerSecond = undefined;
    const resumed = await pullModel(request(), settings());
    expect(resumed.ok).toBe(true);
    expect(resumed.ok && resumed.bytesReused).toBeGreaterThan(0);
  });

  it('offline mode (HF_HUB_OFFLINE=1) makes no request: a missing model gets a clear message, a cached one is found', async () => {
    const offline = await pullHere(request(), settings({ offline: true }));
    expect(offline).toMatchObject({ ok: false, code: 'offline' });
    expect(offline.ok ? '' : offline.message).toMatch(/HF_HUB_OFFLINE/);
    expect(hub.requests.length).toBe(0);
    expect(await listRepoFiles(fixture.repo, fixture.revision, settings({ offline: true }))).toMatchObject({ code: 'offline' });

    expect((await pullHere(request(), settings())).ok).toBe(true);
    const count = hub.requests.length;
    const cached = await pullHere(request(), settings({ offline: true }));
    expect(cached).toMatchObject({ ok: true, bytesDownloaded: 0 });
    expect(hub.requests.length).toBe(count);
  });

  it('finds a model another tool put in the cache (huggingface_hub layout, no marks of ours) without downloading it', async () => {
    const dir = snapshotDir(cacheDir, fixture.repo, fixture.revision);
    for (const f of pullFilesOf(fixture)) {
      const blob = blobPath(cacheDir, fixture.repo, f);
      mkdirSync(path.dirname(blob), { recursive: true });
      writeFileSync(blob, fixture.files.find((x) => x.path === f.path)!.bytes);
      mkdirSync(dir, { recursive: true });
      symlinkSync(path.relative(dir, blob), path.join(dir, f.path));
    }
    expect(await findInCache(request(), settings())).toBe(dir);
    const result = await pullHere(request(), settings());
    expect(result).toMatchObject({ ok: true, bytesDownloaded: 0 });
    expect(hub.requests.length).toBe(0);
    // A tampered blob is not trusted (its size and mtime changed since it was verified).
    const onnx = pullFilesOf(fixture).find((f) => f.path === ONNX)!;
    const bytes = Buffer.from(fixture.files.find((f) => f.path === ONNX)!.bytes);
    bytes[10] = (bytes[10] ?? 0) ^ 1;
    writeFileSync(blobPath(cacheDir, fixture.repo, onnx), Buffer.concat([bytes, Buffer.from([0])]));
    expect(await findInCache(request(), settings())).toBeNull();
  });

  it('goes through HTTP_PROXY (a real proxy on loopback), bypasses it for NO_PROXY hosts, and names a dead proxy', async () => {
    const proxy = await LoopbackProxy.start();
    try {
      const viaProxy = await pullHere(request(), settings({ proxy: { httpProxy: proxy.url, httpsProxy: null, noProxy: null } }));
      expect(viaProxy.ok).toBe(true);
      const hosts = new Set([...proxy.tunnels, ...proxy.forwarded.map((u) => new URL(u).host)]);
      // The API and resolve calls and the CDN's: everything went through the proxy.
      expect([...hosts].sort()).toEqual([new URL(hub.url).host, new URL(hub.cdnUrl).host].sort());

      rmSync(repoDir(cacheDir, fixture.repo), { recursive: true, force: true });
      const seen = proxy.tunnels.length + proxy.forwarded.length;
      const bypass = await pullHere(request(), settings({ proxy: { httpProxy: proxy.url, httpsProxy: null, noProxy: 'localhost,127.0.0.1' } }));
      expect(bypass.ok).toBe(true);
      expect(proxy.tunnels.length + proxy.forwarded.length).toBe(seen);
    } finally {
      await proxy.close();
    }
    rmSync(repoDir(cacheDir, fixture.repo), { recursive: true, force: true });
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const result = await pullHere(request(), settings({ proxy: { httpProxy: dead, httpsProxy: null, noProxy: null } }));
    expect(result).toMatchObject({ ok: false, code: 'proxy' });
    expect(result.ok ? '' : result.message).toContain(dead);
  });

  it('no network and a DNS failure each get their own message', async () => {
    const down = await pullHere(request(), settings({ endpoint: `http://127.0.0.1:${await closedPort()}` }));
    expect(down).toMatchObject({ ok: false, code: 'network' });
    expect(down.ok ? '' : down.message).toMatch(/Check the network/);
    const dns = await pullHere(request(), settings({ endpoint: 'http://hub.cyclorama-test.invalid' }));
    expect(dns).toMatchObject({ ok: false, code: 'dns' });
    expect(dns.ok ? '' : dns.message).toContain('hub.cyclorama-test.invalid');
  });

  it('a pull while the live model runs: the engine keeps generating and its outputs keep running', async () => {
    const engine = await Engine.start({ width: 320, height: 180, configDir: null });
    try {
      expect(engine.state().model.status).toBe('running');
      await new Promise((r) => setTimeout(r, 500));
      const before = engine.state().stats.generatedFrames;
      hub.faults.slowBytesPerSecond = 400_000; // long enough to overlap many frames
      const result = await pullModel(request(), settings());
      expect(result.ok).toBe(true);
      const state = engine.state();
      expect(state.model.status).toBe('running');
      expect(state.stats.generatedFrames).toBeGreaterThan(before);
      expect(state.outputs.find((o) => o.id === 'preview')?.status).toBe('running');
    } finally {
      await engine.stop();
    }
  });

  it('the pulled snapshot is a loadable model folder that renders frames', async () => {
    const result = await pullModel(request(), settings());
    if (!result.ok) throw new Error(result.message);
    const folder = loadModelFolder(result.snapshotDir);
    if (!folder.ok) throw new Error(folder.error.message);
    const started = await Generator.start({ model: folder.value, width: 64, height: 36, showEpochMs: 0, onlyProvider: 'cpu' });
    if (!started.ok) throw new Error(started.error.message);
    try {
      started.value.setLook({ lookId: 1, from: null, to: { prompt: 'sunset over the desert', seed: 3 }, transition: { durationMs: 0, curve: 'linear' }, startedAtMs: 0 });
      const frame = await started.value.renderAt(1000);
      if (!frame.ok) throw new Error(frame.error.message);
      expect(frame.value.pixels.length).toBe(64 * 36 * 4);
      expect(frame.value.pixels.some((v, i) => i % 4 !== 3 && v > 0)).toBe(true);
      started.value.release(frame.value);
    } finally {
      await started.value.stop();
    }
  });
});
