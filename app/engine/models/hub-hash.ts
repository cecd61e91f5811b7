/**
 * The hashes the hub publishes for a file, computed as bytes stream in (no second
 * read of a multi-gigabyte file after its download):
 *  - LFS files: sha256 of the content (the LFS oid, also the blob's name in the cache);
 *  - small files kept in git: the git blob id, sha1("blob <size>\0" + content).
 * Node's crypto hashes natively (OpenSSL) at well over 1 GB/s, so updating per
 * network chunk on the engine's thread costs microseconds per chunk (see
 * bench/model-pull.ts: pull_missed_ticks).
 */
import { createHash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';

export interface ExpectedHash {
  algorithm: 'sha256' | 'git-blob-sha1';
  hex: string;
}

export interface HashableFile {
  size: number;
  sha256: string | null;
  gitBlobId: string | null;
}

export function expectedHash(file: HashableFile): ExpectedHash | null {
  if (file.sha256) return { algorithm: 'sha256', hex: file.sha256.toLowerCase() };
  if (file.gitBlobId) return { algorithm: 'git-blob-sha1', hex: file.gitBlobId.toLowerCase() };
  return null;
}

export function describeHash(h: ExpectedHash): string {
  return h.algorithm === 'sha256' ? 'published sha256' : 'git blob id';
}

/** A running hash of one file's content; the size is needed up front for the git blob header. */
export function contentHasher(algorithm: ExpectedHash['algorithm'], size: number): Hash {
  if (algorithm === 'sha256') return createHash('sha256');
  const h = createHash('sha1');
  h.update(`blob ${size}\0`);
  return h;
}

export function gitBlobId(bytes: Uint8Array): string {
  return contentHasher('git-blob-sha1', bytes.length).update(bytes).digest('hex');
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const READ_CHUNK = 1 << 20; // 1 MiB: large enough to be fast, small enough to yield to the event loop often

/** Feeds the first `length` bytes of a file into `hash`, yielding between chunks. Returns the bytes read. */
export async function hashFilePrefix(path: string, length: number, hash: Hash, signal?: AbortSignal): Promise<number> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    let done = 0;
    while (done < length) {
      signal?.throwIfAborted();
      const { bytesRead } = await fh.read(buf, 0, Math.min(READ_CHUNK, length - done), done);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      done += bytesRead;
    }
    return done;
  } finally {
    await fh.close();
  }
}

/** True when the whole file at `path` has the expected size and hash. */
export async function fileMatches(path: string, file: HashableFile, signal?: AbortSignal): Promise<boolean> {
  const expected = expectedHash(file);
  if (!expected) return false;
  const hash = contentHasher(expected.algorithm, file.size);
  const read = await hashFilePrefix(path, file.size + 1, hash, signal);
  return read === file.size && hash.digest('hex') === expected.hex;
}
