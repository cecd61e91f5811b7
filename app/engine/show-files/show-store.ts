/**
 * Show files on disk: read (parse + migrate + validate, errors with field and
 * line), atomic write (temp file, fsync, rename, fsync the folder), the autosave
 * file next to the show, and the recent-shows list. All failures are values.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { engineError } from '../../contract/errors.js';
import type { Show } from '../../contract/show.js';
import { parseShowFile, serializeShow } from '../../show/show-file.js';
import { fail, ok, type Result } from '../result.js';

/** The autosave of a show lives next to it: `NAME.cyclorama.json` -> `NAME.cyclorama.json.autosave`. */
export function autosavePathFor(showPath: string): string {
  return `${showPath}.autosave`;
}

/** Reads and validates a show file. The error names the file, the field and the line. */
export function readShowFile(file: string): Result<{ show: Show; migratedFrom: number | null }> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return fail(engineError('show-file', `Cannot read show file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, { path: file }));
  }
  const parsed = parseShowFile(text);
  if (!parsed.ok) {
    const { field, line, message } = parsed.error;
    const where = line === null ? `field "${field}"` : `line ${line}, field "${field}"`;
    return fail(engineError('show-file', `${path.basename(file)}: ${where}: ${message}. The current show stays loaded.`, { path: file, field, line }));
  }
  return ok({ show: parsed.show, migratedFrom: parsed.migratedFrom });
}

let tempCounter = 0;
const tempPathFor = (file: string) => path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${++tempCounter}.tmp`);

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

/** Writes `text` so that `file` is always either the old or the new content, never half of one. */
export function writeFileAtomicSync(file: string, text: string): Result<void> {
  const temp = tempPathFor(file);
  try {
    const fd = openSync(temp, 'w');
    try {
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
    fsyncFolder(path.dirname(file));
    return ok(undefined);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      /* already gone */
    }
    return fail(engineError('show-file', `Could not write ${file}: ${(error as Error).message}.`, { path: file }));
  }
}

/** The same, without blocking the engine thread (autosave runs while the show runs). */
export async function writeFileAtomic(file: string, text: string): Promise<Result<void>> {
  const temp = tempPathFor(file);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
    fsyncFolder(path.dirname(file));
    return ok(undefined);
  } catch (error) {
    await unlink(temp).catch(() => {});
    return fail(engineError('show-file', `Autosave could not write ${file}: ${(error as Error).message}.`, { path: file }));
  }
}

export function saveShowFile(file: string, show: Show): Result<void> {
  return writeFileAtomicSync(file, serializeShow(show));
}

/** An autosave worth offering: it exists, is a valid show, and differs from the show file. */
export function findRecovery(showPath: string): { path: string; savedAtMs: number; show: Show } | null {
  const autosave = autosavePathFor(showPath);
  let savedAtMs: number;
  try {
    savedAtMs = statSync(autosave).mtimeMs;
  } catch {
    return null;
  }
  const read = readShowFile(autosave);
  if (!read.ok) return null;
  try {
    if (readFileSync(showPath, 'utf8') === serializeShow(read.value.show)) return null;
  } catch {
    /* no show file yet: the autosave is all there is */
  }
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
    const list = JSON.parse(readFileSync(path.join(configDir, 'recent-shows.json'), 'utf8')) as unknown;
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
