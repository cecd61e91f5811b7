/**
 * The hub's standard cache layout (the one huggingface_hub and @huggingface/hub write),
 * so a model another tool downloaded is found and one we download is found by them:
 *
 *   <cacheDir>/models--org--name/
 *     blobs/<sha256 for LFS files | git blob id for small files>   the content, once
 *     blobs/<same>.incomplete                                        a download in progress
 *     snapshots/<commit>/<path>  -> ../../blobs/<...>                relative symlinks
 *     refs/<branch>                                                  branch -> commit (we pin commits)
 *   <cacheDir>/.locks/models--org--name/                             huggingface_hub's lock folder
 *
 * A model counts as present only when every file of the request is in the snapshot and
 * verified. Hashing gigabytes on every look-up would be slow, so a verified blob is
 * remembered in <repo folder>/.cyclorama-verified.json by its size and mtime (a file the
 * other tools ignore); a blob that changed since is hashed again.
 */
import { getRepoFolderName } from '@huggingface/hub';
import { mkdir, readFile, realpath, rename, rm, stat, symlink, writeFile, copyFile, lstat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

import { fileMatches } from './hub-hash.js';
import type { PullFile, PullRequest } from './hub-pull.js';
import type { HubSettings } from './hub-settings.js';

export function repoDir(cacheDir: string, repo: string): string {
  return join(cacheDir, getRepoFolderName({ name: repo, type: 'model' }));
}

export function lockDir(cacheDir: string, repo: string): string {
  return join(cacheDir, '.locks', getRepoFolderName({ name: repo, type: 'model' }));
}

/** The blob's name in blobs/: what the hub sends as the file's (linked) ETag. */
export function blobName(file: PullFile): string {
  const name = file.sha256 ?? file.gitBlobId;
  if (!name || !/^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(name)) throw new Error(`${file.path}: no sha256 or git blob id to name its blob by`);
  return name.toLowerCase();
}

export function blobPath(cacheDir: string, repo: string, file: PullFile): string {
  return join(repoDir(cacheDir, repo), 'blobs', blobName(file));
}

export function incompletePath(cacheDir: string, repo: string, file: PullFile): string {
  return `${blobPath(cacheDir, repo, file)}.incomplete`;
}

export function snapshotDir(cacheDir: string, repo: string, revision: string): string {
  return join(repoDir(cacheDir, repo), 'snapshots', revision);
}

/** Rejects repo paths that would escape the snapshot folder (absolute, `..`, backslashes). */
export function checkRepoPath(path: string): void {
  if (!path || path.startsWith('/') || path.includes('\\') || path.split('/').some((part) => part === '..' || part === '')) {
    throw new Error(`"${path}" is not a safe path inside a repository`);
  }
}

export async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch {
    return null;
  }
}

/** snapshots/<commit>/<path> -> ../../blobs/<name>, relative as huggingface_hub makes it (a copy where links are refused). */
export async function linkIntoSnapshot(cacheDir: string, request: PullRequest, file: PullFile): Promise<void> {
  checkRepoPath(file.path);
  const target = join(snapshotDir(cacheDir, request.repo, request.revision), ...file.path.split('/'));
  const blob = blobPath(cacheDir, request.repo, file);
  await mkdir(dirname(target), { recursive: true });
  try {
    const existing = await realpath(target);
    if (existing === (await realpath(blob))) return;
  } catch {
    // missing or dangling: (re)made below
  }
  await rm(target, { force: true });
  try {
    await symlink(relative(dirname(target), blob), target);
  } catch {
    await copyFile(blob, target); // file systems without links (huggingface_hub does the same)
  }
}

interface Mark {
  size: number;
  mtimeMs: number;
}

/** Blobs already hashed and found right, by their path inside the repo folder. */
export class VerifiedMarks {
  private marks: Record<string, Mark> = {};
  private saving: Promise<void> = Promise.resolve();

  private constructor(private readonly dir: string) {}

  static async load(cacheDir: string, repo: string): Promise<VerifiedMarks> {
    const marks = new VerifiedMarks(repoDir(cacheDir, repo));
    try {
      const parsed: unknown = JSON.parse(await readFile(marks.file, 'utf8'));
      if (parsed && typeof parsed === 'object') marks.marks = parsed as Record<string, Mark>;
    } catch {
      // none yet, or unreadable: everything is hashed again
    }
    return marks;
  }

  private get file(): string {
    return join(this.dir, '.cyclorama-verified.json');
  }

  private async key(path: string): Promise<{ key: string; mark: Mark } | null> {
    try {
      const real = await realpath(path);
      const s = await stat(real);
      return { key: relative(this.dir, real).split(sep).join('/'), mark: { size: s.size, mtimeMs: s.mtimeMs } };
    } catch {
      return null;
    }
  }

  async isVerified(path: string): Promise<boolean> {
    const k = await this.key(path);
    const m = k && this.marks[k.key];
    return !!k && !!m && m.size === k.mark.size && m.mtimeMs === k.mark.mtimeMs;
  }

  async markVerified(path: string): Promise<void> {
    const k = await this.key(path);
    if (!k) return;
    this.marks[k.key] = k.mark;
    await this.save();
  }

  async forget(path: string): Promise<void> {
    const k = await this.key(path);
    if (k && delete this.marks[k.key]) await this.save();
  }

  private save(): Promise<void> {
    // Serialised: files finishing at once must not interleave their writes.
    this.saving = this.saving.then(async () => {
      await mkdir(this.dir, { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(this.marks));
      await rename(tmp, this.file);
    });
    return this.saving;
  }
}

/** Hash-checks `path` against `file` unless it is remembered as verified; remembers a match. */
export async function verifyCached(path: string, file: PullFile, marks: VerifiedMarks, signal?: AbortSignal): Promise<boolean> {
  if ((await sizeOf(path)) !== file.size) return false;
  if (await marks.isVerified(path)) return true;
  if (!(await fileMatches(path, file, signal))) return false;
  await marks.markVerified(path);
  return true;
}

async function isLinkOrFile(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** What of the request is missing or wrong in the snapshot (empty: complete and verified). */
export async function missingFromCache(request: PullRequest, settings: HubSettings, signal?: AbortSignal): Promise<string[]> {
  const marks = await VerifiedMarks.load(settings.cacheDir, request.repo);
  const dir = snapshotDir(settings.cacheDir, request.repo, request.revision);
  const missing: string[] = [];
  for (const file of request.files) {
    checkRepoPath(file.path);
    const path = join(dir, ...file.path.split('/'));
    if (!(await isLinkOrFile(path)) || !(await verifyCached(path, file, marks, signal))) missing.push(file.path);
  }
  return missing;
}

export async function findInCache(request: PullRequest, settings: HubSettings): Promise<string | null> {
  if (request.files.length === 0) return null;
  const missing = await missingFromCache(request, settings);
  return missing.length === 0 ? snapshotDir(settings.cacheDir, request.repo, request.revision) : null;
}
