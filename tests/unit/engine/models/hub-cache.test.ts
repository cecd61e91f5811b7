import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { blobPath, checkRepoPath, incompletePath, repoDir, snapshotDir } from '../../../../app/engine/models/hub-cache.js';
import { lockPull } from '../../../../app/engine/models/hub-lock.js';
import { lockDir } from '../../../../app/engine/models/hub-cache.js';

const cache = mkdtempSync(path.join(tmpdir(), 'cyclorama-hub-cache-unit-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));
const sha = 'ab'.repeat(32);
const oid = 'cd'.repeat(20);

describe('hub cache layout', () => {
  it('names folders and blobs as huggingface_hub does', () => {
    expect(repoDir('/c', 'stabilityai/sd-turbo')).toBe('/c/models--stabilityai--sd-turbo');
    expect(blobPath('/c', 'a/b', { path: 'unet/model.onnx', size: 1, sha256: sha.toUpperCase(), gitBlobId: null })).toBe(`/c/models--a--b/blobs/${sha}`);
    expect(incompletePath('/c', 'a/b', { path: 'x.json', size: 1, sha256: null, gitBlobId: oid })).toBe(`/c/models--a--b/blobs/${oid}.incomplete`);
    expect(snapshotDir('/c', 'a/b', oid)).toBe(`/c/models--a--b/snapshots/${oid}`);
    expect(() => blobPath('/c', 'a/b', { path: 'x', size: 1, sha256: '../../etc', gitBlobId: null })).toThrow(/no sha256 or git blob id/);
  });

  it('refuses repository paths that would leave the snapshot folder', () => {
    for (const bad of ['../x', '/etc/passwd', 'a/../../b', 'a\\b', 'a//b', '']) expect(() => checkRepoPath(bad)).toThrow(/not a safe path/);
    expect(() => checkRepoPath('text_encoder/model.onnx')).not.toThrow();
  });
});

describe('one pull per model (lock file in the cache’s .locks folder)', () => {
  it('refuses a second lock in this process until the first is released', async () => {
    const first = await lockPull(cache, 'a/b', oid);
    expect(first.ok).toBe(true);
    expect(await lockPull(cache, 'a/b', oid)).toEqual({ ok: false, ownerPid: process.pid });
    expect((await lockPull(cache, 'a/c', oid)).ok).toBe(true); // another model is free
    if (first.ok) await first.release();
    expect((await lockPull(cache, 'a/b', oid)).ok).toBe(true);
  });

  it('takes over a lock left by a process that died, and respects one held by a live process', async () => {
    const file = path.join(lockDir(cache, 'd/e'), `cyclorama-pull-${oid}.lock`);
    const first = await lockPull(cache, 'd/e', oid);
    if (first.ok) await first.release();
    writeFileSync(file, '2147483646'); // no such pid
    expect((await lockPull(cache, 'd/e', oid)).ok).toBe(true);
    const other = path.join(lockDir(cache, 'f/g'), `cyclorama-pull-${oid}.lock`);
    const mk = await lockPull(cache, 'f/g', oid);
    if (mk.ok) await mk.release();
    writeFileSync(other, String(process.ppid)); // a live process that is not us
    expect(await lockPull(cache, 'f/g', oid)).toEqual({ ok: false, ownerPid: process.ppid });
  });
});
