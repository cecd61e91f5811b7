/**
 * Show files on disk: read (regular files of at most 16 MB only, then parse +
 * migrate + validate, errors with field and line), atomic write (exclusive temp
 * file, fsync, rename, fsync the folder: safe-files.ts), the autosave file next
 * to the show, and the recent-shows list. All failures are values.
 */
import { mkdirSync, statSync, unlinkSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { engineError, type EngineError } from '../../contract/errors.js';
import type { Show } from '../../contract/show.js';
import { parseShowFile, serializeShow, type ShowFileResult } from '../../show/show-file.js';
import { fail, ok, type Result } from '../result.js';
import { parseShowFileOffThread } from './show-parse.js';
import {
  RECENT_SHOWS_MAX_BYTES,
  SHOW_FILE_MAX_BYTES,
  readRegularFile,
  readRegularText,
  readRegularTextSync,
  writeFileAtomic as writeAtomic,
  writeFileAtomicSync as writeAtomicSync,
  type ReadFailure,
} from './safe-files.js';

/** The autosave of a show lives next to it: `NAME.cyclorama.json` -> `NAME.cyclorama.json.autosave`. */
export function autosavePathFor(showPath: string): string {
  return `${showPath}.autosave`;
}

/**
 * Where autosaves go while a recovery is offered and not yet decided: the offered
 * autosave must survive the edits made meanwhile (and a second crash).
 */
export function pendingAutosavePathFor(showPath: string): string {
  return `${showPath}.autosave-while-recovery-offered`;
}

/** Why a read failed, in words for a show file; `details.reason` is the failure kind ('missing', 'not-regular', 'too-large', 'unreadable', 'invalid'). */
export function showReadError(file: string, failure: ReadFailure): EngineError {
  const details = { path: file, reason: failure.kind };
  switch (failure.kind) {
    case 'missing':
      return engineError('show-file', `No show file at ${file}. Check the path (it is on the engine's machine), or use Save As to create a show there.`, details);
    case 'not-regular':
      return engineError('show-file', `${file} is not a regular file (it is ${failure.what}): a show file is a .json file.`, details);
    case 'too-large':
      return engineError('show-file', `${file} is ${failure.message}: a real show is well under 1 MB, so this is not a show file.`, {
        ...details,
        sizeBytes: failure.sizeBytes,
        maxBytes: failure.maxBytes,
      });
    case 'unreadable':
      return engineError('show-file', `Show file ${file} ${failure.message}.`, details);
  }
}

export type ShowRead = Result<{ show: Show; migratedFrom: number | null }>;

function fromParsed(file: string, parsed: ShowFileResult): ShowRead {
  if (!parsed.ok) {
    const { field, line, message } = parsed.error;
    const where = line === null ? `field "${field}"` : `line ${line}, field "${field}"`;
    return fail(engineError('show-file', `${path.basename(file)}: ${where}: ${message}. The current show stays loaded.`, { path: file, field, line, reason: 'invalid' }));
  }
  return ok({ show: parsed.show, migratedFrom: parsed.migratedFrom });
}

/** Reads and validates a show file. The error names the file, the field and the line, never the file's content. */
export function readShowFile(file: string): ShowRead {
  const read = readRegularTextSync(file, SHOW_FILE_MAX_BYTES);
  if (!read.ok) return fail(showReadError(file, read.failure));
  return fromParsed(file, parseShowFile(read.value));
}

/** The same off the engine thread: async read, and a large text parsed in a worker (show-parse.ts). */
export async function readShowFileAsync(file: string): Promise<ShowRead> {
  const read = await readRegularFile(file, SHOW_FILE_MAX_BYTES);
  if (!read.ok) return fail(showReadError(file, read.failure));
  return fromParsed(file, await parseShowFileOffThread(read.value));
}

/** Writes `text` so that `file` is always either the old or the new content. `replace: false` refuses an existing file. */
export function writeFileAtomicSync(file: string, text: string, options: { replace?: boolean } = {}): Result<void> {
  const written = writeAtomicSync(file, text, options);
  if (written.ok) return ok(undefined);
  if (written.exists)
    return fail(
      engineError('show-file', `${file} already exists and is not this show's file: send the command again with overwrite to replace it, or choose another name.`, {
        path: file,
        overwritable: true,
      }),
    );
  return fail(engineError('show-file', `Could not write ${file}: ${written.message}.`, { path: file }));
}

/** The same, without blocking the engine thread (autosave runs while the show runs). */
export async function writeFileAtomic(file: string, text: string): Promise<Result<void>> {
  const written = await writeAtomic(file, text);
  return written.ok ? ok(undefined) : fail(engineError('show-file', `Autosave could not write ${file}: ${written.message}.`, { path: file }));
}

export function saveShowFile(file: string, show: Show, options: { replace?: boolean } = {}): Result<void> {
  return writeFileAtomicSync(file, serializeShow(show), options);
}

export type Recovery = { path: string; savedAtMs: number; show: Show };

/** An autosave worth offering: it exists, is a valid show, and differs from the show file. */
export function findRecovery(showPath: string): Recovery | null {
  const autosave = autosavePathFor(showPath);
  let savedAtMs: number;
  try {
    savedAtMs = statSync(autosave).mtimeMs;
  } catch {
    return null;
  }
  const read = readShowFile(autosave);
  if (!read.ok) return null;
  const current = readRegularTextSync(showPath, SHOW_FILE_MAX_BYTES);
  // No show file yet (or an unreadable one): the autosave is all there is.
  if (current.ok && current.value === serializeShow(read.value.show)) return null;
  return { path: autosave, savedAtMs, show: read.value.show };
}

/** The same off the engine thread. */
export async function findRecoveryAsync(showPath: string): Promise<Recovery | null> {
  const autosave = autosavePathFor(showPath);
  let savedAtMs: number;
  try {
    savedAtMs = (await stat(autosave)).mtimeMs;
  } catch {
    return null;
  }
  const read = await readShowFileAsync(autosave);
  if (!read.ok) return null;
  const current = await readRegularText(showPath, SHOW_FILE_MAX_BYTES);
  if (current.ok && current.value === serializeShow(read.value.show)) return null;
  return { path: autosave, savedAtMs, show: read.value.show };
}

export function removeFile(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    /* not there */
  }
}

/** Where the recent-shows list lives: $CYCLORAMA_CONFIG_DIR, else the user's config folder. */
export function defaultConfigDir(): string {
  return process.env.CYCLORAMA_CONFIG_DIR ?? path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'cyclorama');
}

const RECENT_LIMIT = 10;

export function readRecent(configDir: string): string[] {
  try {
    const read = readRegularTextSync(path.join(configDir, 'recent-shows.json'), RECENT_SHOWS_MAX_BYTES);
    if (!read.ok) return [];
    const list = JSON.parse(read.value) as unknown;
    return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string').slice(0, RECENT_LIMIT) : [];
  } catch {
    return [];
  }
}

/** Puts `file` first in the recent list and writes it; returns the new list (unchanged on failure). */
export function pushRecent(configDir: string, recent: string[], file: string): string[] {
  const next = [file, ...recent.filter((p) => p !== file)].slice(0, RECENT_LIMIT);
  try {
    mkdirSync(configDir, { recursive: true });
    writeFileAtomicSync(path.join(configDir, 'recent-shows.json'), `${JSON.stringify(next, null, 2)}\n`);
  } catch {
    /* the list is a convenience; the show itself was saved */
  }
  return next;
}
