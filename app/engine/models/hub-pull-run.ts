/**
 * The pull itself, in whichever thread runs it (by default a worker thread of its own:
 * hub-pull-worker.ts; see pullModel in hub-pull.ts): the cache check, offline mode, the
 * free-space check, the hub's metadata, the bounded parallel file downloads, progress,
 * and, only once every file is verified, the snapshot's links.
 */
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';

import { blobPath, checkRepoPath, incompletePath, linkIntoSnapshot, missingFromCache, sizeOf, snapshotDir, VerifiedMarks } from './hub-cache.js';
import { downloadFile, type FileState } from './hub-download.js';
import { mb, PullError } from './hub-errors.js';
import { repoInfo } from './hub-files.js';
import type { PullFile, PullOptions, PullProgress, PullRequest, PullResult } from './hub-pull.js';
import { hubFetch, type HubSettings } from './hub-settings.js';

/** Room kept free beyond the download itself (the snapshot links, the marks file, the OS). */
const DISK_MARGIN_BYTES = 32 * 1024 * 1024;
const RATE_WINDOW_MS = 3000;

export function failed(e: PullError): PullResult {
  return e.file ? { ok: false, code: e.code, message: e.message, file: e.file } : { ok: false, code: e.code, message: e.message };
}

export function checkRequest(request: PullRequest): PullError | null {
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

export async function pullLocked(request: PullRequest, settings: HubSettings, options: PullOptions): Promise<PullResult> {
  const totalBytes = request.files.reduce((n, f) => n + f.size, 0);
  const dir = snapshotDir(settings.cacheDir, request.repo, request.revision);
  let missing: string[];
  try {
    missing = await missingFromCache(request, settings, options.signal);
  } catch (err) {
    if (options.signal?.aborted) return failed(new PullError('cancelled', `The pull of ${request.repo} was cancelled while checking the cache.`));
    throw err;
  }
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

  const stop = new AbortController();
  const onUserAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onUserAbort, { once: true });
  if (options.signal?.aborted) stop.abort();
  const http = hubFetch(settings, stop.signal); // the API calls stop on a cancel too

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

  report(true); // every file queued, before the first byte

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
