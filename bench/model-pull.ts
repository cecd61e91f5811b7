/**
 * `node dist/bench/model-pull.js` (part of `npm run bench`): model hub pull figures,
 * against the loopback stand-in for the hub (tests/helpers/fake-hub.ts) run in a
 * child process of its own, so serving costs nothing in the measured process.
 *  - model_pull_mb_per_s: a pull of BENCH_PULL_MB (default 256) MB in 4 LFS files plus
 *    small files, downloaded, hashed as it streams (sha256) and written to a fresh
 *    cache, 4 files at once; MB = 10^6 bytes.
 *  - pull_missed_ticks: missed ticks of a 1080p59.94 NDI output (and of the console
 *    preview's 29.97 clock) while such a pull runs in the engine's own process beside
 *    the live built-in model at 1920x1080 (goal 0); the same span without a pull is
 *    printed as a comment next to it, and so is one pull on the engine's own thread
 *    (thread: 'caller') for comparison. Where libndi is missing, the preview clock alone.
 * Env: BENCH_PULL_MB (default 256), BENCH_PULL_ROUNDS (pulls during the engine run, default 2).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Engine } from '../app/engine/engine.js';
import { loadNdiRuntime } from '../app/engine/ndi/runtime.js';
import { pullModel, type HubSettings, type PullRequest } from '../app/engine/models/hub-pull.js';
import { FakeHub, pseudoRandomBytes, pullFilesOf, revisionOf, type FixtureFile, type FixtureRepo } from '../tests/helpers/fake-hub.js';

const MB = Number(process.env.BENCH_PULL_MB ?? 256);
const ROUNDS = Number(process.env.BENCH_PULL_ROUNDS ?? 2);
const RATE = { num: 60000, den: 1001 };

function print(name: string, value: number, unit: string): void {
  console.log(`BENCH ${name} ${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function benchRepo(): FixtureRepo {
  const part = Math.floor((MB * 1e6) / 4);
  const files: FixtureFile[] = [
    { path: 'model_index.json', bytes: Buffer.from('{"_class_name": "BenchPipeline"}\n'), lfs: false },
    ...[0, 1, 2, 3].map((i) => ({ path: `part${i}/model.onnx`, bytes: pseudoRandomBytes(part, i + 1), lfs: true })),
  ];
  return { repo: 'cyclorama-bench/pull', revision: revisionOf(files), files };
}

/** Child process: serve the bench repository and report its URL and file list. */
async function serve(): Promise<void> {
  const repo = benchRepo();
  const hub = await FakeHub.start([repo]);
  const request: PullRequest = { repo: repo.repo, revision: repo.revision, files: pullFilesOf(repo) };
  process.send?.({ url: hub.url, request });
  process.on('disconnect', () => void hub.close().then(() => process.exit(0)));
}

async function startServer(): Promise<{ child: ChildProcess; url: string; request: PullRequest }> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve']);
  const msg = await new Promise<{ url: string; request: PullRequest }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string; request: PullRequest }));
    child.once('exit', (code) => reject(new Error(`bench hub exited (${code})`)));
  });
  return { child, ...msg };
}

async function timedPull(url: string, request: PullRequest, thread: 'worker' | 'caller' = 'worker'): Promise<number> {
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'cyclorama-bench-pull-'));
  try {
    const settings: HubSettings = { endpoint: url, token: null, cacheDir, offline: false, proxy: null };
    const t0 = performance.now();
    const result = await pullModel(request, settings, { concurrency: 4, thread });
    const seconds = (performance.now() - t0) / 1000;
    if (!result.ok) throw new Error(result.message);
    return result.bytesDownloaded / 1e6 / seconds;
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const server = await startServer();
  try {
    await timedPull(server.url, server.request); // warm: connections, page cache
    const rate = await timedPull(server.url, server.request);
    print('model_pull_mb_per_s', rate, 'MB/s');
    console.log(`# ${MB} MB in 4 LFS files + 1 small file from a loopback stand-in for the hub (another process), sha256 as it streams, 4 at once`);

    const ndi = loadNdiRuntime().ok;
    const name = `Cyclorama Bench Pull ${process.pid}`;
    const engine = await Engine.start({ width: 1920, height: 1080, configDir: null, ...(ndi ? { ndi: { outputs: [{ name, rate: RATE }] } } : {}) });
    try {
      if (engine.state().model.status !== 'running') throw new Error(`model did not start: ${JSON.stringify(engine.state().recentErrors)}`);
      await sleep(2000); // outputs open on the next turn; the model warms up
      const ticks = () => {
        const outs = engine.state().outputs;
        return { ndi: outs.find((o) => o.kind === 'ndi')?.missedTicks ?? 0, preview: outs.find((o) => o.id === 'preview')?.missedTicks ?? 0 };
      };
      // The same span without a pull, for comparison.
      const idle0 = ticks();
      const pullStart = performance.now();
      let pulled = 0;
      for (let i = 0; i < ROUNDS; i++) pulled += await timedPull(server.url, server.request);
      const pullMs = performance.now() - pullStart;
      const during = ticks();
      await sleep(pullMs); // the same span without a pull: what this machine misses anyway
      const after = ticks();
      const callerStart = performance.now();
      await timedPull(server.url, server.request, 'caller'); // the pull on the engine's thread, for comparison
      const callerMs = performance.now() - callerStart;
      const caller = ticks();
      const pick = (t: { ndi: number; preview: number }) => (ndi ? t.ndi : t.preview);
      print('pull_missed_ticks', pick(during) - pick(idle0), 'ticks');
      console.log(
        `# ${ROUNDS} pulls of ${MB} MB (worker thread) in ${(pullMs / 1000).toFixed(1)} s (${(pulled / ROUNDS).toFixed(0)} MB/s each) beside the live built-in model at 1080p on ${engine.state().model.provider}` +
          `${ndi ? ' with a 1080p59.94 NDI output' : ' (no libndi here: the preview clock counted)'}: ` +
          `missed NDI ${during.ndi - idle0.ndi}, preview ${during.preview - idle0.preview}; the same span right after without a pull: NDI ${after.ndi - during.ndi}, preview ${after.preview - during.preview}; ` +
          `one pull on the engine's own thread instead (thread: 'caller', ${(callerMs / 1000).toFixed(1)} s): NDI ${caller.ndi - after.ndi}, preview ${caller.preview - after.preview}`,
      );
    } finally {
      await engine.stop();
      const marker = `/tmp/NTK_SEND_${name}`;
      if (existsSync(marker)) rmSync(marker, { force: true });
    }
  } finally {
    server.child.disconnect();
  }
}

if (process.argv.includes('--serve')) await serve();
else await main();
