/**
 * The file helpers every engine read and write of an operator-chosen path goes
 * through: regular files only (FIFOs, devices and folders refused without
 * waiting), sizes capped before reading, exclusive temp files that follow no
 * symlink, no-replace writes that leave an existing file alone. Real files,
 * a real FIFO and /dev/zero in a temp folder.
 */
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  formatBytes,
  readRegularFileSync,
  readRegularText,
  readRegularTextSync,
  tempPathFor,
  writeFileAtomic,
  writeFileAtomicSync,
} from '../../../../app/engine/show-files/safe-files.js';
import { makeFifo } from '../../../helpers/fifo.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-safe-files-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('reading regular files only', () => {
  it('reads a regular file, and names a missing one, a folder and a device', async () => {
    const file = path.join(dir, 'a.json');
    writeFileSync(file, '{"ok":true}');
    expect(readRegularTextSync(file, 100)).toEqual({ ok: true, value: '{"ok":true}' });
    expect(await readRegularText(file, 100)).toEqual({ ok: true, value: '{"ok":true}' });
    expect(readRegularTextSync(path.join(dir, 'none.json'), 100)).toMatchObject({ ok: false, failure: { kind: 'missing' } });
    mkdirSync(path.join(dir, 'folder.json'));
    expect(readRegularTextSync(path.join(dir, 'folder.json'), 100)).toMatchObject({ ok: false, failure: { kind: 'not-regular', what: 'a folder' } });
    expect(readRegularFileSync('/dev/zero', 100)).toMatchObject({ ok: false, failure: { kind: 'not-regular', what: 'a device' } });
    expect(await readRegularText('/dev/zero', 100)).toMatchObject({ ok: false, failure: { kind: 'not-regular', what: 'a device' } });
  });

  it('refuses a FIFO without waiting for a writer (sync and async)', async () => {
    const fifo = makeFifo(path.join(dir, 'pipe.json'));
    try {
      expect(readRegularTextSync(fifo.path, 100)).toMatchObject({ ok: false, failure: { kind: 'not-regular', message: 'not a regular file (it is a named pipe (FIFO))' } });
      expect(await readRegularText(fifo.path, 100)).toMatchObject({ ok: false, failure: { kind: 'not-regular' } });
    } finally {
      fifo.close();
    }
  });

  it('checks the size before reading and says both sizes', async () => {
    const file = path.join(dir, 'big.json');
    writeFileSync(file, 'x'.repeat(2048));
    expect(readRegularTextSync(file, 2048).ok).toBe(true);
    expect(readRegularTextSync(file, 1024)).toMatchObject({
      ok: false,
      failure: { kind: 'too-large', sizeBytes: 2048, maxBytes: 1024, message: 'too large (2 kB; the limit is 1 kB)' },
    });
    expect(await readRegularText(file, 1024)).toMatchObject({ ok: false, failure: { kind: 'too-large', sizeBytes: 2048 } });
    expect(formatBytes(17 * 1024 * 1024)).toBe('17.0 MB');
  });
});

describe('writing through exclusive temp files', () => {
  it('picks an unpredictable temp name next to the target', () => {
    const file = path.join(dir, 'show.json');
    const a = tempPathFor(file);
    expect(path.dirname(a)).toBe(dir);
    expect(a).not.toBe(tempPathFor(file));
  });

  it('replaces atomically and leaves no temp file', async () => {
    const file = path.join(dir, 'show.json');
    writeFileSync(file, 'old');
    expect(writeFileAtomicSync(file, 'new')).toEqual({ ok: true });
    expect(await writeFileAtomic(file, 'newer')).toEqual({ ok: true });
    expect(readFileSync(file, 'utf8')).toBe('newer');
    expect(readdirSync(dir)).toEqual(['show.json']);
  });

  it('without replace, leaves an existing file (or a symlink, even a dangling one) alone', () => {
    const file = path.join(dir, 'other.json');
    writeFileSync(file, 'keep');
    expect(writeFileAtomicSync(file, 'mine', { replace: false })).toMatchObject({ ok: false, exists: true });
    expect(readFileSync(file, 'utf8')).toBe('keep');
    const link = path.join(dir, 'link.json');
    const target = path.join(dir, 'created-through-link.json');
    symlinkSync(target, link);
    expect(writeFileAtomicSync(link, 'mine', { replace: false })).toMatchObject({ ok: false, exists: true });
    expect(() => lstatSync(target)).toThrow();
    expect(writeFileAtomicSync(path.join(dir, 'fresh.json'), 'mine', { replace: false })).toEqual({ ok: true });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('replacing a symlink replaces the link, never writes through it', async () => {
    const victim = path.join(dir, 'victim.txt');
    writeFileSync(victim, 'untouched');
    const link = path.join(dir, 'show.json.autosave');
    symlinkSync(victim, link);
    expect(await writeFileAtomic(link, 'autosave')).toEqual({ ok: true });
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    expect(lstatSync(link).isSymbolicLink()).toBe(false);
    expect(readFileSync(link, 'utf8')).toBe('autosave');
    expect(() => readlinkSync(link)).toThrow();
  });
});
