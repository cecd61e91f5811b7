/**
 * One pull of a model at a time, in this process and across processes (the console's
 * engine and a `cyclorama models pull` in a terminal share the cache): a lock file made
 * with O_EXCL in huggingface_hub's lock folder, holding the owner's pid. A lock whose
 * process is gone (a crash) is taken over, so a restart resumes instead of waiting.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { lockDir } from './hub-cache.js';

export type LockResult = { ok: true; release: () => Promise<void> } | { ok: false; ownerPid: number | null };

const heldHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

export async function lockPull(cacheDir: string, repo: string, revision: string): Promise<LockResult> {
  const dir = lockDir(cacheDir, repo);
  const path = join(dir, `cyclorama-pull-${revision}.lock`);
  if (heldHere.has(path)) return { ok: false, ownerPid: process.pid };
  heldHere.add(path); // claimed before any await: a second call in this process sees it at once
  try {
    await mkdir(dir, { recursive: true });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fh = await open(path, 'wx');
        await fh.writeFile(String(process.pid));
        await fh.close();
        return {
          ok: true,
          release: async () => {
            heldHere.delete(path);
            await rm(path, { force: true });
          },
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
        if (Number.isFinite(owner) && owner !== process.pid && alive(owner)) {
          heldHere.delete(path);
          return { ok: false, ownerPid: owner };
        }
        await rm(path, { force: true }); // stale: its process died mid-pull
      }
    }
    heldHere.delete(path);
    return { ok: false, ownerPid: null };
  } catch (err) {
    heldHere.delete(path);
    throw err;
  }
}
