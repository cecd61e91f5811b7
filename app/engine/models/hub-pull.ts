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
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';

import { blobPath, checkRepoPath, incompletePath, linkIntoSnapshot, missingFromCache, sizeOf, snapshotDir, VerifiedMarks } from './hub-cache.js';
import { downloadFile, type FileState } from './hub-download.js';
import { mb, PullError, type PullErrorCode } from './hub-errors.js';
import { repoInfo } from './hub-files.js';
import { lockPull } from './hub-lock.js';
import { hubFetch, type HubSettings } from './hub-settings.js';

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
}

/** Room kept free beyond the download itself (the snapshot links, the marks file, the OS). */
const DISK_MARGIN_BYTES = 32 * 1024 * 1024;
const RATE_WINDOW_MS = 3000;

function failed(e: PullError): PullResult {
  return e.file ? { ok: false, code: e.code, message: e.message, file: e.file } : { ok: false, code: e.code, message: e.message };
}

function checkRequest(request: PullRequest): PullError | null {
  if (!/^[^/\s]+\/[^/\s]+$/.test(request.repo)) return new PullError('not-found', `"${request.repo}" is not a repository name (expected org/name).`);
  if (!/^[0-9a-f]{40}$/.test(request.revision))
    return new PullError('not-found', `The revision of ${request.repo} must be a pinned commit (40 hex digits), not "${request.revision}".`);
  for (const f of request.files) {
    try {
      checkRepoPath(f.path);
    } catch (err) {
      return new PullError('not-found', `${request.repo}: ${(err as Error).message}.`, f.path);
    }
    if (!f.sha256 && !f.gitBlobId)
      return new PullError('corrupt', `${f.path} of ${request.repo} has no sha256 or git blob id to check it by: the file list is incomplete.`, f.path);
  }
  return null;
}

/** Free bytes on the disk that holds (or will hold) `dir`. */
async function freeBytes(dir: string): Promise<number | null> {
  for (let d = dir; ; d = dirname(d)) {
    try {
      const s = await statfs(d);
      return s.bavail * s.bsize;
    } catch {
      if (dirname(d) === d) return null;
    }
  }
}

/** Bytes still to download: all but complete blobs and the .incomplete parts already on disk. */
async function bytesStillNeeded(request: PullRequest, settings: HubSettings): Promise<number> {
  let need = 0;
  for (const f of request.files) {
    if ((await sizeOf(blobPath(settings.cacheDir, request.repo, f))) === f.size) continue;
    need += f.size - Math.min(f.size, (await sizeOf(incompletePath(settings.cacheDir, request.repo, f))) ?? 0);
  }
  return need;
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
    return await pullLocked(request, settings, options);
  } finally {
    await lock.release();
  }
}

async function pullLocked(request: PullRequest, settings: HubSettings, options: PullOptions): Promise<PullResult> {
  const totalBytes = request.files.reduce((n, f) => n + f.size, 0);
  const dir = snapshotDir(settings.cacheDir, request.repo, request.revision);
  const missing = await missingFromCache(request, settings, options.signal);
  if (missing.length === 0 && request.files.length > 0) return { ok: true, snapshotDir: dir, bytesDownloaded: 0, bytesReused: totalBytes };
  if (settings.offline) {
    return failed(
      new PullError(
        'offline',
        `Offline mode (HF_HUB_OFFLINE=1) downloads nothing, and ${request.repo} at ${request.revision.slice(0, 12)} is not complete in the cache ${settings.cacheDir} ` +
          `(missing or unverified: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? `, and ${missing.length - 5} more` : ''}). ` +
          `Unset HF_HUB_OFFLINE to pull it, or copy the model into that cache.`,
        missing[0],
      ),
    );
  }

  const need = await bytesStillNeeded(request, settings);
  const free = await freeBytes(settings.cacheDir);
  if (free !== null && need + DISK_MARGIN_BYTES > free) {
    return failed(
      new PullError(
        'disk-full',
        `Not enough disk space for ${request.repo}: it needs ${mb(need)} more (plus ${mb(DISK_MARGIN_BYTES)} to spare) but only ${mb(free)} is free where the cache is (${settings.cacheDir}). ` +
          `Free space there or set HF_HUB_CACHE to a bigger disk, then pull again.`,
      ),
    );
  }

  const http = hubFetch(settings);
  const stop = new AbortController();
  const onUserAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onUserAbort, { once: true });
  if (options.signal?.aborted) stop.abort();

  const files = request.files.map((f) => ({ path: f.path, size: f.size, doneBytes: 0, state: 'queued' as FileState, error: undefined as string | undefined }));
  const byPath = new Map(files.map((f) => [f.path, f]));
  const samples: Array<[number, number]> = [[performance.now(), 0]];
  let networkBytes = 0;
  let lastReport = 0;
  const interval = options.progressIntervalMs ?? 250;
  const snapshot = (): PullProgress => {
    const now = performance.now();
    while (samples.length > 2 && now - samples[1]![0] > RATE_WINDOW_MS) samples.shift();
    const [t0, b0] = samples[0]!;
    const rate = now - t0 > 0 ? ((networkBytes - b0) * 1000) / (now - t0) : 0;
    const doneBytes = files.reduce((n, f) => n + f.doneBytes, 0);
    return {
      totalBytes,
      doneBytes,
      bytesPerSecond: rate,
      etaSeconds: rate > 0 ? (totalBytes - doneBytes) / rate : null,
      files: files.map((f) => (f.error ? { ...f } : { path: f.path, size: f.size, doneBytes: f.doneBytes, state: f.state })),
    };
  };
  const report = (force = false) => {
    if (!options.onProgress) return;
    const now = performance.now();
    if (!force && now - lastReport < interval) return;
    lastReport = now;
    options.onProgress(snapshot());
  };

  let firstFailure: PullError | null = null;
  let downloaded = 0;
  let reused = 0;
  try {
    const { gated } = await repoInfo(request.repo, request.revision, settings, http.fetch);
    const marks = await VerifiedMarks.load(settings.cacheDir, request.repo);
    const ctx = {
      request,
      settings,
      fetch: http.fetch,
      signal: stop.signal,
      stallTimeoutMs: options.stallTimeoutMs ?? 30_000,
      retries: options.retries ?? 3,
      gated,
      marks,
      onFile: (file: PullFile, doneBytes: number, state: FileState) => {
        const f = byPath.get(file.path)!;
        const changed = f.state !== state;
        f.doneBytes = doneBytes;
        f.state = state;
        report(changed && state === 'done');
      },
      onNetworkBytes: (n: number) => {
        networkBytes += n;
        const now = performance.now();
        if (now - samples[samples.length - 1]![0] > 250) samples.push([now, networkBytes]);
      },
    };
    const queue = [...request.files].sort((a, b) => b.size - a.size); // big files first: the total finishes sooner
    const worker = async () => {
      for (let file = queue.shift(); file && !stop.signal.aborted; file = queue.shift()) {
        try {
          const got = await downloadFile(ctx, file);
          downloaded += got.downloaded;
          reused += got.reused;
        } catch (err) {
          const e = err instanceof PullError ? err : new PullError('network', `${file.path}: ${(err as Error).message}`, file.path);
          const f = byPath.get(file.path)!;
          f.state = 'failed';
          f.error = e.message;
          // The first real failure is the pull's; the others stop because of it (or the user's cancel).
          if (!firstFailure || (firstFailure.code === 'cancelled' && !options.signal?.aborted)) firstFailure = e;
          stop.abort();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, request.files.length)) }, worker));
  } catch (err) {
    firstFailure = err instanceof PullError ? err : new PullError('network', (err as Error).message);
  } finally {
    options.signal?.removeEventListener('abort', onUserAbort);
    await http.close().catch(() => undefined);
  }
  if (options.signal?.aborted) {
    report(true);
    return failed(new PullError('cancelled', `The pull of ${request.repo} was cancelled. What was downloaded is kept: pulling again resumes it.`));
  }
  if (firstFailure) {
    report(true);
    return failed(firstFailure);
  }
  // Every file verified: only now does the snapshot appear.
  for (const f of request.files) await linkIntoSnapshot(settings.cacheDir, request, f);
  report(true);
  return { ok: true, snapshotDir: dir, bytesDownloaded: downloaded, bytesReused: reused };
}
