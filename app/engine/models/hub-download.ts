/**
 * Downloads one file of a pull into the cache's blobs/ folder. This is the part the hub
 * client cannot do: @huggingface/hub's downloadFileToCacheDir writes a whole new
 * .incomplete from byte 0 each time and checks no hash. Here:
 *  - the GET goes to /{repo}/resolve/{commit}/{path} (following the hub's 302 to its CDN
 *    for LFS files), with `Range: bytes=N-` when N bytes are already in the .incomplete;
 *    a server that ignores the range (200) restarts the file cleanly;
 *  - each chunk is written at its offset and fed to the file's hash (sha256 for LFS, git
 *    blob id for small files); the bytes already on disk are hashed first, from disk;
 *  - no byte for stallTimeoutMs aborts the request ("stalled"); a dropped connection or a
 *    stall is retried from where it stopped, `retries` times;
 *  - a hash mismatch deletes the .incomplete and fails the file; a match renames it to
 *    its blob name (atomic), so blobs/ only ever holds verified content.
 */
import type { Hash } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

import { blobPath, incompletePath, sizeOf, verifyCached, type VerifiedMarks } from './hub-cache.js';
import { diskFull, fromRequestError, fromStatus, mb, PullError } from './hub-errors.js';
import { contentHasher, describeHash, expectedHash, hashFilePrefix } from './hub-hash.js';
import type { PullFile, PullRequest } from './hub-pull.js';
import type { HubSettings } from './hub-settings.js';

export type FileState = 'queued' | 'downloading' | 'verifying' | 'done' | 'failed';

export interface DownloadContext {
  request: PullRequest;
  settings: HubSettings;
  fetch: typeof globalThis.fetch;
  /** The pull's signal: the user's cancel, or another file's fatal failure. */
  signal: AbortSignal;
  stallTimeoutMs: number;
  retries: number;
  gated: boolean;
  marks: VerifiedMarks;
  /** doneBytes counts bytes of this file on disk (reused + downloaded). */
  onFile(file: PullFile, doneBytes: number, state: FileState): void;
  /** Bytes that came over the network (for the rate). */
  onNetworkBytes(n: number): void;
}

export interface FileOutcome {
  downloaded: number;
  reused: number;
}

class Retryable extends Error {
  constructor(readonly failure: PullError) {
    super(failure.message);
  }
}

export function resolveUrl(settings: HubSettings, request: PullRequest, path: string): string {
  const encodedPath = path.split('/').map(encodeURIComponent).join('/');
  return `${settings.endpoint}/${request.repo}/resolve/${encodeURIComponent(request.revision)}/${encodedPath}`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}

function cancelled(file: string): PullError {
  return new PullError('cancelled', `The pull was stopped while downloading ${file}. Pulling again resumes it.`, file);
}

export async function downloadFile(ctx: DownloadContext, file: PullFile): Promise<FileOutcome> {
  const { request, settings } = ctx;
  const expected = expectedHash(file);
  if (!expected) throw new PullError('corrupt', `${file.path} has neither a sha256 nor a git blob id in the file list, so it cannot be verified.`, file.path);
  const blob = blobPath(settings.cacheDir, request.repo, file);
  const partial = incompletePath(settings.cacheDir, request.repo, file);
  await mkdir(dirname(blob), { recursive: true });

  // Already complete (from an earlier pull or another tool): reuse it when it verifies.
  if ((await sizeOf(blob)) !== null) {
    ctx.onFile(file, 0, 'verifying');
    if (await verifyCached(blob, file, ctx.marks, ctx.signal)) {
      ctx.onFile(file, file.size, 'done');
      return { downloaded: 0, reused: file.size };
    }
    await ctx.marks.forget(blob);
    await rm(blob, { force: true }); // wrong content under a hash name: fetched again below
  }

  let onDisk = (await sizeOf(partial)) ?? 0;
  if (onDisk > file.size) {
    await rm(partial, { force: true });
    onDisk = 0;
  }
  const progress: Transfer = { hash: contentHasher(expected.algorithm, file.size), position: onDisk, received: 0, reused: onDisk };
  if (onDisk > 0) {
    ctx.onFile(file, 0, 'verifying');
    progress.position = progress.reused = await hashFilePrefix(partial, onDisk, progress.hash, ctx.signal);
  }
  ctx.onFile(file, progress.position, 'downloading');

  for (let attempt = 0; progress.position < file.size; attempt++) {
    if (ctx.signal.aborted) throw cancelled(file.path);
    try {
      await fetchFrom(ctx, file, partial, progress);
      if (progress.position < file.size) {
        throw new Retryable(
          new PullError(
            'corrupt',
            `The hub ended ${file.path} early: ${mb(progress.position)} of ${mb(file.size)} (truncated). Pull again: it resumes from ${mb(progress.position)}.`,
            file.path,
          ),
        );
      }
    } catch (err) {
      if (!(err instanceof Retryable)) throw err;
      if (attempt >= ctx.retries) throw err.failure;
      await sleep(Math.min(2000, 200 * (attempt + 1)), ctx.signal);
    }
  }

  ctx.onFile(file, progress.position, 'verifying');
  const actual = progress.hash.digest('hex');
  if (actual !== expected.hex) {
    await rm(partial, { force: true });
    throw new PullError(
      'corrupt',
      `${file.path} arrived corrupted: its ${describeHash(expected)} should be ${expected.hex} but the bytes received hash to ${actual}. ` +
        `The damaged file was deleted; pull again to download it afresh (if it happens again, a proxy or mirror is altering the file).`,
      file.path,
    );
  }
  await rename(partial, blob);
  await ctx.marks.markVerified(blob);
  ctx.onFile(file, file.size, 'done');
  return { downloaded: progress.received, reused: progress.reused };
}

/** A file's transfer so far: the hash covers exactly bytes [0, position) of the .incomplete. */
interface Transfer {
  hash: Hash;
  position: number;
  /** Bytes that came over the network for this file (all attempts). */
  received: number;
  /** Bytes that were already on disk when the pull began (0 after a restart from byte 0). */
  reused: number;
}

/** One GET from transfer.position to the end, appending to the .incomplete as bytes arrive. */
async function fetchFrom(ctx: DownloadContext, file: PullFile, partial: string, t: Transfer): Promise<void> {
  const { settings, request } = ctx;
  const url = resolveUrl(settings, request, file.path);
  const attempt = new AbortController();
  const signal = AbortSignal.any([ctx.signal, attempt.signal]);
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      attempt.abort();
    }, ctx.stallTimeoutMs);
  };
  const failure = (err: unknown): Error => {
    if (err instanceof PullError || err instanceof Retryable) return err;
    if (ctx.signal.aborted) return cancelled(file.path);
    if (stalled) {
      return new Retryable(
        new PullError(
          'stalled',
          `The hub stopped sending ${file.path} (nothing for ${(ctx.stallTimeoutMs / 1000).toFixed(1)} s at ${mb(t.position)} of ${mb(file.size)}). ` +
            `Pull again: it resumes from there. If it keeps stalling, the network or a proxy is dropping the transfer.`,
          file.path,
        ),
      );
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') return diskFull(file.path, settings, file.path);
    const e = fromRequestError(err, url, settings, file.path, file.path);
    return e.code === 'network' ? new Retryable(e) : e;
  };
  const refused = (res: Response) =>
    fromStatus(res.status, res.headers.get('x-error-code'), res.headers.get('x-error-message'), {
      repo: request.repo,
      revision: request.revision,
      file: file.path,
      settings,
      gated: ctx.gated,
    });
  const restart = async () => {
    t.hash = contentHasher(expectedHash(file)!.algorithm, file.size);
    t.position = 0;
    t.reused = 0;
    await rm(partial, { force: true });
  };

  let fh: FileHandle | undefined;
  arm();
  try {
    const headers: Record<string, string> = { 'user-agent': 'cyclorama' };
    if (settings.token) headers.authorization = `Bearer ${settings.token}`;
    if (t.position > 0) headers.range = `bytes=${t.position}-`;
    const res = await ctx.fetch(url, { headers, signal, redirect: 'follow' }).catch((err: unknown) => {
      throw failure(err);
    });
    if (t.position > 0) {
      const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
      if (res.status === 200) {
        await restart(); // the server ignored the range and sends the whole file: take it from byte 0
      } else if (res.status !== 206 || !range || Number(range[1]) !== t.position) {
        await res.body?.cancel().catch(() => undefined);
        if (res.status >= 400 && res.status !== 416) throw refused(res);
        await restart(); // 416 or a range elsewhere: the partial file does not match the server's; start over
        throw new Retryable(new PullError('network', `The hub could not resume ${file.path} by range.`, file.path));
      }
    } else if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw refused(res);
    }
    try {
      fh = await open(partial, t.position === 0 ? 'w' : 'r+');
      if (!res.body) return;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        arm();
        if (t.position + chunk.length > file.size) {
          await fh.close();
          fh = undefined;
          await rm(partial, { force: true });
          throw new PullError(
            'corrupt',
            `The hub sent more than the ${file.size} bytes listed for ${file.path}: the file was deleted. The file list may be out of date: check the pinned revision.`,
            file.path,
          );
        }
        let off = 0;
        while (off < chunk.length) {
          const { bytesWritten } = await fh.write(chunk, off, chunk.length - off, t.position + off);
          off += bytesWritten;
        }
        t.hash.update(chunk);
        t.position += chunk.length;
        t.received += chunk.length;
        ctx.onNetworkBytes(chunk.length);
        ctx.onFile(file, t.position, 'downloading');
      }
    } catch (err) {
      throw failure(err);
    }
  } finally {
    clearTimeout(timer);
    await fh?.close().catch(() => undefined);
  }
}
