import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { fileMatches, gitBlobId, sha256Hex } from '../../../../app/engine/models/hub-hash.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cyclorama-hub-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hub file hashes', () => {
  it('computes the git blob id as git does (`echo hello | git hash-object --stdin`)', () => {
    expect(gitBlobId(Buffer.from('hello\n'))).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    expect(gitBlobId(Buffer.alloc(0))).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391'); // git's empty blob
  });

  it('checks a file on disk by sha256 or git blob id, and its size', async () => {
    const bytes = Buffer.from('a small config\n');
    const file = path.join(dir, 'f');
    writeFileSync(file, bytes);
    expect(await fileMatches(file, { size: bytes.length, sha256: sha256Hex(bytes), gitBlobId: null })).toBe(true);
    expect(await fileMatches(file, { size: bytes.length, sha256: null, gitBlobId: gitBlobId(bytes) })).toBe(true);
    expect(await fileMatches(file, { size: bytes.length, sha256: sha256Hex(Buffer.from('other')), gitBlobId: null })).toBe(false);
    writeFileSync(file, Buffer.concat([bytes, Buffer.from('x')]));
    expect(await fileMatches(file, { size: bytes.length, sha256: sha256Hex(bytes), gitBlobId: null })).toBe(false); // longer than listed
    expect(await fileMatches(file, { size: bytes.length, sha256: null, gitBlobId: null })).toBe(false); // nothing to check by
  });
});
