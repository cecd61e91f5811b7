/**
 * File reads and writes that an operator's (or an attacker's) choice of path
 * cannot turn against the engine:
 *
 * - reads open with O_NONBLOCK (a FIFO's open cannot wait for a writer), then
 *   fstat the opened descriptor: regular files only (no FIFOs, devices, folders),
 *   and the size is checked against a cap before a byte is read;
 * - writes go to a temp file created exclusively (O_CREAT|O_EXCL: never an
 *   existing file, never through a planted symlink) with a random name in the
 *   target's folder, fsynced, then renamed over the target (or linked, when the
 *   target must not exist yet), so the target is always the old or the new content.
 *
 * Failures are values (ReadFailure / WriteFailure) that say what is wrong; callers
 * word them for their file (show file, model.json, outputs.json).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, fsyncSync, linkSync, lstatSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { readFailureWords, writeFailureWords } from './file-errors.js';

/** Largest show file read, bytes: a real show is well under 1 MB (500 cues of long prompts is ~3 MB). */
export const SHOW_FILE_MAX_BYTES = 16 * 1024 * 1024;
/** model.json: a few kB in practice. */
export const MODEL_MANIFEST_MAX_BYTES = 1024 * 1024;
/** outputs.json: at most 64 outputs of a few hundred bytes. */
export const OUTPUT_RIG_MAX_BYTES = 1024 * 1024;
/** recent-shows.json: ten paths. */
export const RECENT_SHOWS_MAX_BYTES = 256 * 1024;
/** A safe plate PNG (an 8K still compresses well below this). */
export const SAFE_PLATE_MAX_BYTES = 64 * 1024 * 1024;

export type ReadFailure =
  | { kind: 'missing'; message: string }
  | { kind: 'not-regular'; message: string; what: string }
  | { kind: 'too-large'; message: string; sizeBytes: number; maxBytes: number }
  | { kind: 'unreadable'; message: string; code: string | null };

export type ReadOutcome<T> = { ok: true; value: T } | { ok: false; failure: ReadFailure };

/** "17.0 MB", "512 kB", "12 bytes": sizes as an operator reads them. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${bytes} bytes`;
}

/** O_NONBLOCK where the platform has it (not on Windows, where FIFOs are not files anyway). */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function kindOf(stat: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a plain file';
}

function openFailure(error: unknown): ReadFailure {
  const code = (error as NodeJS.ErrnoException).code ?? null;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing', message: 'no such file' };
  if (code === 'EISDIR') return { kind: 'not-regular', message: 'not a regular file (it is a folder)', what: 'a folder' };
  return { kind: 'unreadable', message: `cannot be read: ${readFailureWords(error)}`, code };
}

function checkStat(stat: Stats, maxBytes: number): ReadFailure | null {
  if (!stat.isFile()) {
    const what = kindOf(stat);
    return { kind: 'not-regular', message: `not a regular file (it is ${what})`, what };
  }
  if (stat.size > maxBytes) return { kind: 'too-large', message: `too large (${formatBytes(stat.size)}; the limit is ${formatBytes(maxBytes)})`, sizeBytes: stat.size, maxBytes };
  return null;
}

/** Reads a regular file of at most `maxBytes` (the whole file, checked again after reading in case it grew). */
export function readRegularFileSync(file: string, maxBytes: number): ReadOutcome<Buffer> {
  let fd: number;
  try {
    fd = openSync(file, READ_FLAGS);
  } catch (error) {
    return { ok: false, failure: openFailure(error) };
  }
  try {
    const stat = fstatSync(fd);
    const problem = checkStat(stat, maxBytes);
    if (problem) return { ok: false, failure: problem };
    // One byte more than fstat said: a file that grew since is noticed (and read on, up to the cap).
    const buffer = Buffer.allocUnsafe(stat.size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) return readGrowing(fd, buffer, length, maxBytes);
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return { ok: true, value: buffer.subarray(0, length) };
  } catch (error) {
    return { ok: false, failure: openFailure(error) };
  } finally {
    closeSync(fd);
  }
}

/** The rare file that grew between fstat and read: keep reading up to the cap. */
function readGrowing(fd: number, start: Buffer, length: number, maxBytes: number): ReadOutcome<Buffer> {
  const tooLarge = (): ReadOutcome<Buffer> => ({
    ok: false,
    failure: { kind: 'too-large', message: `too large (over ${formatBytes(maxBytes)}, the limit)`, sizeBytes: length, maxBytes },
  });
  if (length > maxBytes) return tooLarge();
  const buffer = Buffer.allocUnsafe(maxBytes + 1);
  start.copy(buffer, 0, 0, length);
  for (;;) {
    const n = readSync(fd, buffer, length, buffer.length - length, null);
    if (n === 0) return { ok: true, value: buffer.subarray(0, length) };
    length += n;
    if (length > maxBytes) return tooLarge();
  }
}

/** The same as text (UTF-8). */
export function readRegularTextSync(file: string, maxBytes: number): ReadOutcome<string> {
  const read = readRegularFileSync(file, maxBytes);
  return read.ok ? { ok: true, value: read.value.toString('utf8') } : read;
}

/** The same off the engine thread (libuv's pool does the reading). */
export async function readRegularFile(file: string, maxBytes: number): Promise<ReadOutcome<Buffer>> {
  let handle;
  try {
    handle = await open(file, READ_FLAGS);
  } catch (error) {
    return { ok: false, failure: openFailure(error) };
  }
  try {
    const stat = await handle.stat();
    const problem = checkStat(stat, maxBytes);
    if (problem) return { ok: false, failure: problem };
    let buffer = Buffer.allocUnsafe(stat.size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(maxBytes + 1 - length)]);
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) return { ok: false, failure: { kind: 'too-large', message: `too large (over ${formatBytes(maxBytes)}, the limit)`, sizeBytes: length, maxBytes } };
    }
    return { ok: true, value: buffer.subarray(0, length) };
  } catch (error) {
    return { ok: false, failure: openFailure(error) };
  } finally {
    await handle.close();
  }
}

/** The same as text (UTF-8). */
export async function readRegularText(file: string, maxBytes: number): Promise<ReadOutcome<string>> {
  const read = await readRegularFile(file, maxBytes);
  return read.ok ? { ok: true, value: read.value.toString('utf8') } : read;
}

/** Whether anything (file, folder, link, even a dangling one) is at `file`. */
export function somethingAt(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** A fresh temp name next to `file`: unpredictable, so nobody can plant a link there in advance. */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(8).toString('hex')}.tmp`);
}

/** O_CREAT|O_EXCL: fails on anything already there, a symlink included (it is not followed). */
const EXCLUSIVE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

export interface WriteOptions {
  /** false: fail with 'exists' when something is already at the target (no replace). Default true. */
  replace?: boolean;
}

export type WriteOutcome = { ok: true } | { ok: false; exists: boolean; message: string };

function fsyncFolder(folder: string): void {
  // Makes the rename itself durable; not supported on every platform (Windows), hence best effort.
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* best effort */
  }
}

/**
 * Puts the finished temp file at `file`. Replace: rename (atomic). No replace:
 * link (fails with EEXIST when the target exists, so there is no window in which
 * another writer's file is replaced), falling back to check-then-rename on file
 * systems without hard links.
 */
function placeSync(temp: string, file: string, replace: boolean): void {
  if (replace) {
    renameSync(temp, file);
    return;
  }
  try {
    linkSync(temp, file);
    unlinkSync(temp);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw error;
    if (somethingAt(file)) throw Object.assign(new Error('file exists'), { code: 'EEXIST' });
    renameSync(temp, file);
  }
}

function writeFailure(error: unknown, file: string): WriteOutcome {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EEXIST') return { ok: false, exists: true, message: 'a file is already there' };
  // In words (file-errors.ts): the raw message names the hidden temp file and an errno ("ENOENT: no such file ...").
  return { ok: false, exists: false, message: writeFailureWords(error, path.dirname(file)) };
}

/** Writes `text` so that `file` is always either the old or the new content, never half of one. */
export function writeFileAtomicSync(file: string, text: string | Uint8Array, options: WriteOptions = {}): WriteOutcome {
  const temp = tempPathFor(file);
  let created = false;
  try {
    const fd = openSync(temp, EXCLUSIVE_FLAGS, 0o644);
    created = true;
    try {
      const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    placeSync(temp, file, options.replace ?? true);
    created = somethingAt(temp);
    if (created) unlinkSync(temp);
    fsyncFolder(path.dirname(file));
    return { ok: true };
  } catch (error) {
    if (created) {
      try {
        unlinkSync(temp);
      } catch {
        /* already gone */
      }
    }
    return writeFailure(error, file);
  }
}

/** The same without blocking the engine thread on the write and fsync (autosave runs while the show runs). Always replaces. */
export async function writeFileAtomic(file: string, text: string): Promise<WriteOutcome> {
  const temp = tempPathFor(file);
  let created = false;
  try {
    const handle = await open(temp, EXCLUSIVE_FLAGS, 0o644);
    created = true;
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
    created = false;
    fsyncFolder(path.dirname(file));
    return { ok: true };
  } catch (error) {
    if (created) await unlink(temp).catch(() => {});
    return writeFailure(error, file);
  }
}
