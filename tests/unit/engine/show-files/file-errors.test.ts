/**
 * File-system errors in words (issue 16: a missing show file must not say only
 * "ENOENT"): real failures on a temp folder, read and written through safe-files.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFailureWords, writeFailureWords } from '../../../../app/engine/show-files/file-errors.js';
import { readRegularTextSync, writeFileAtomicSync } from '../../../../app/engine/show-files/safe-files.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-file-errors-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const errno = (code: string) => Object.assign(new Error(`${code}: raw`), { code });

describe('file errors in words', () => {
  it('a write into a folder that does not exist names the folder and what to do, not ENOENT', () => {
    const folder = path.join(dir, 'no-such-folder');
    const written = writeFileAtomicSync(path.join(folder, 'gig.json'), '{}');
    expect(written.ok).toBe(false);
    if (written.ok) return;
    expect(written.message).toBe(`the folder ${folder} does not exist: create it first, or choose a file in a folder that exists`);
    expect(written.message).not.toMatch(/ENOENT|\.tmp/);
  });

  it('a write where a path part is a file says so', () => {
    const file = path.join(dir, 'plain-file');
    writeFileSync(file, 'x');
    const written = writeFileAtomicSync(path.join(file, 'gig.json'), '{}');
    expect(written.ok).toBe(false);
    if (!written.ok) expect(written.message).toMatch(/is a file, not a folder/);
  });

  it('a read without permission says permission denied and what to do (skipped meaning only as root)', () => {
    const file = path.join(dir, 'locked.json');
    writeFileSync(file, '{}');
    chmodSync(file, 0o000);
    const read = readRegularTextSync(file, 1024);
    // root reads anything: then the words are checked on the code alone below.
    if (!read.ok) expect(read.failure.message).toMatch(/permission denied .*fix the file's permissions/);
    expect(readFailureWords(errno('EACCES'))).toMatch(/^permission denied/);
  });

  it('maps the common codes to words and keeps an unknown code visible', () => {
    expect(writeFailureWords(errno('ENOSPC'), '/x')).toMatch(/disk is full/);
    expect(writeFailureWords(errno('EROFS'), '/x')).toMatch(/read-only/);
    expect(writeFailureWords(errno('EACCES'), '/shows')).toMatch(/may not write in \/shows/);
    expect(writeFailureWords(errno('EWEIRD'), '/x')).toMatch(/unexpected file-system error \(EWEIRD\)/);
    expect(readFailureWords(errno('EIO'))).toMatch(/read error/);
  });
});
