/**
 * Pulls one model (a pinned revision of a hub repository, a known file list) into the
 * hub's standard cache, verified, resumable, cancellable. Who does what:
 *  - @huggingface/hub (the hub's own client): the API calls: repository metadata
 *    (gated or not) and file lists (hub-files.ts), the cache folder naming;
 *  - here: the downloads themselves (hub-download.ts: HTTP Range resume from the
 *    .incomplete, sha256 / git blob id hashed as bytes arrive, stall detection), the
 *    cache layout writes (hub-cache.ts), one pull per model (hub-lock.ts), the free-space
 *    check, proxies through undici (hub-settings.ts) and the messages (hub-errors.ts).
 *
 * Atomic install: blobs are renamed into place only once verified, and the snapshot's
 * links are made only after every file is verified, so a crash at any point leaves no
 * snapshot that findInCache (and so the model library) would list as installed.
 */
import { Worker } from 'node:worker_threads';

import type { FileState } from './hub-download.js';
import { PullError, type PullErrorCode } from './hub-errors.js';
import { lockPull } from './hub-lock.js';
import { checkRequest, failed, pullLocked } from './hub-pull-run.js';
import type { HubSettings } from './hub-settings.js';

export { findInCache } from './hub-cache.js';
export { listRepoFiles } from './hub-files.js';
export { hubSettingsFromEnv, type HubSettings, type HubProxySettings } from './hub-settings.js';
export type { PullErrorCode } from './hub-errors.js';

export interface PullFile {
  /** Path inside the repository, '/'-separated. */
  path: string;
  /** Bytes. */
  size: number;
  /** LFS files: the published sha256 (the LFS oid). */
  sha256: string | null;
  /** Small files: the git blob id (sha1 of "blob <size>\0" + bytes). */
  gitBlobId: string | null;
}

export interface PullRequest {
  /** "org/name" */
  repo: string;
  /** A pinned commit, 40 hex. */
  revision: string;
  files: PullFile[];
}

export interface PullProgress {
  totalBytes: number;
  doneBytes: number;
  /** Network rate over the last few seconds. */
  bytesPerSecond: number;
  etaSeconds: number | null;
  files: { path: string; size: number; doneBytes: number; state: FileState; error?: string }[];
}

export type PullResult = { ok: true; snapshotDir: string; bytesDownloaded: number; bytesReused: number } | { ok: false; code: PullErrorCode; message: string; file?: string };

export interface PullOptions {
  /** Files downloaded at once (default 4, as huggingface_hub's max_workers 8 is for many small files). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Called at most every progressIntervalMs, and once at the end. */
  onProgress?: (p: PullProgress) => void;
  /** No byte for this long fails the request as stalled (default 30 s). */
  stallTimeoutMs?: number;
  /** Resumed retries of one file after a dropped connection or a stall (default 3). */
  retries?: number;
  /** Default 250 ms. */
  progressIntervalMs?: number;
  /**
   * 'worker' (default): the downloads, hashing and writes run in a worker thread of
   * their own, so the engine's output clock on the calling thread is never held up
   * (bench/model-pull.ts: pull_missed_ticks); 'caller': on the calling thread.
   */
  thread?: 'worker' | 'caller';
}

export async function pullModel(request: PullRequest, settings: HubSettings, options: PullOptions = {}): Promise<PullResult> {
  const bad = checkRequest(request);
  if (bad) return failed(bad);
  const lock = await lockPull(settings.cacheDir, request.repo, request.revision);
  if (!lock.ok) {
    return failed(
      new PullError(
        'busy',
        `${request.repo} is already being pulled${lock.ownerPid && lock.ownerPid !== process.pid ? ` by another process (pid ${lock.ownerPid})` : ''}: ` +
          `wait for that pull to finish, or cancel it, before pulling again.`,
      ),
    );
  }
  try {
    return await (options.thread === 'caller' ? pullLocked(request, settings, options) : pullInWorker(request, settings, options));
  } finally {
    await lock.release();
  }
}

/** What the worker is sent: the options that are data (the signal and callback stay here). */
export interface PullWorkerData {
  request: PullRequest;
  settings: HubSettings;
  options: Omit<PullOptions, 'signal' | 'onProgress' | 'thread'> & { progress: boolean };
}

export type PullWorkerMessage = { type: 'progress'; progress: PullProgress } | { type: 'result'; result: PullResult };

/** Compiled to .js in dist/; under the test runner this module is .ts and the worker is bootstrapped through tsx (as show-parse.ts does). */
function spawnPullWorker(workerData: PullWorkerData): Worker {
  const options = { name: 'cyclorama-model-pull', workerData };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./hub-pull-worker.js', import.meta.url), options);
  const source = new URL('./hub-pull-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

function pullInWorker(request: PullRequest, settings: HubSettings, options: PullOptions): Promise<PullResult> {
  const { signal, onProgress, thread: _thread, ...data } = options;
  void _thread;
  return new Promise((resolve) => {
    let settled = false;
    const worker = spawnPullWorker({ request, settings, options: { ...data, progress: !!onProgress } });
    const onAbort = () => worker.postMessage({ type: 'cancel' });
    const settle = (result: PullResult) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
      void worker.terminate();
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: PullWorkerMessage) => {
      if (m.type === 'progress') onProgress?.(m.progress);
      else settle(m.result);
    });
    const stopped = (why: string) =>
      settle(failed(new PullError('network', `The download thread for ${request.repo} stopped (${why}). Pull again: what was downloaded is kept and resumes.`)));
    worker.once('error', (err) => stopped(err.message));
    worker.once('exit', (code) => stopped(`exit code ${code}`));
  });
}
