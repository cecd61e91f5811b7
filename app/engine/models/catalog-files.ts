/**
 * The exact file list of a catalog model at its pinned revision. The catalog names
 * the files a model needs, with whatever was read of them on the hub's pages (often
 * not the exact size, nor a hash for every file). The list the downloader gets is
 * the hub's own, at the pinned commit, of:
 *   - every root-level file the catalog names (model_index.json), and
 *   - every file in a folder the catalog names a file in (unet/ brings its
 *     model.onnx.data external weights along, tokenizer/ its special_tokens_map).
 * Where the catalog recorded a size or hash, the hub's must agree, else nothing is
 * downloaded and the message says the catalog and the hub disagree.
 *
 * Offline, the same list is read back from the hub cache: a snapshot's files are
 * links to blobs named by their sha256 (LFS) or git blob id, which is how the
 * library lists a model another tool downloaded.
 */
import { lstatSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';
import { engineError } from '../../contract/errors.js';
import type { CatalogEntry } from '../../contract/models.js';
import { fail, ok, type Result } from '../result.js';
import type { PullFile, PullRequest } from './hub-pull.js';

const folderOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');

/** The hub's files the entry needs, checked against what the catalog recorded. */
export function selectCatalogFiles(entry: CatalogEntry, available: readonly PullFile[]): Result<PullFile[]> {
  const folders = new Set(entry.files.map((f) => folderOf(f.path)).filter((f) => f !== ''));
  const exact = new Set(entry.files.map((f) => f.path));
  const chosen = available.filter((f) => exact.has(f.path) || folders.has(folderOf(f.path)));
  const byPath = new Map(chosen.map((f) => [f.path, f]));
  const where = `${entry.repo} at ${entry.revision?.slice(0, 12) ?? '?'}`;
  for (const want of entry.files) {
    const got = byPath.get(want.path);
    if (!got)
      return fail(
        engineError(
          'model-library',
          `The catalog's ${entry.id} needs ${want.path}, but ${where} has no such file: the catalog entry is wrong. Update Cyclorama, or import a folder you downloaded yourself.`,
          { model: entry.id, file: want.path },
        ),
      );
    const mismatch =
      (want.size !== null && want.size !== got.size && 'size') ||
      (want.sha256 !== null && want.sha256 !== got.sha256 && 'sha256') ||
      (want.gitBlobId !== null && want.gitBlobId !== got.gitBlobId && 'git blob id');
    if (mismatch)
      return fail(
        engineError(
          'model-library',
          `${want.path} of ${where} does not match the catalog (its ${mismatch} differs): nothing was downloaded. The catalog or the hub's copy is not what was checked; update Cyclorama.`,
          {
            model: entry.id,
            file: want.path,
          },
        ),
      );
  }
  return ok([...chosen].sort((a, b) => a.path.localeCompare(b.path)));
}

/** The standard hub cache folder of a model repository's snapshot (models--OWNER--NAME/snapshots/REV). */
export function snapshotFolder(cacheDir: string, repo: string, revision: string): string {
  return path.join(cacheDir, `models--${repo.split('/').join('--')}`, 'snapshots', revision);
}

/**
 * The entry's file list as the hub cache holds it (a snapshot of links to blobs
 * named by their hash), or null when the snapshot is absent or cannot tell (copies
 * instead of links, or a file the catalog needs is not there).
 */
export function filesFromSnapshot(entry: CatalogEntry, cacheDir: string): PullRequest | null {
  if (!entry.revision) return null;
  const dir = snapshotFolder(cacheDir, entry.repo, entry.revision);
  const found: PullFile[] = [];
  const walk = (folder: string, prefix: string): boolean => {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      return false;
    }
    for (const name of names) {
      const full = path.join(folder, name);
      const relative = prefix ? `${prefix}/${name}` : name;
      const stat = lstatSync(full);
      if (stat.isDirectory()) {
        if (!walk(full, relative)) return false;
        continue;
      }
      if (!stat.isSymbolicLink()) continue; // a copy says nothing of its hash
      const blob = path.basename(readlinkSync(full));
      let size: number;
      try {
        size = statSync(full).size;
      } catch {
        continue; // a dangling link: that file is missing
      }
      if (/^[0-9a-f]{64}$/.test(blob)) found.push({ path: relative, size, sha256: blob, gitBlobId: null });
      else if (/^[0-9a-f]{40}$/.test(blob)) found.push({ path: relative, size, sha256: null, gitBlobId: blob });
    }
    return true;
  };
  if (!walk(dir, '')) return null;
  const selected = selectCatalogFiles(entry, found);
  return selected.ok ? { repo: entry.repo, revision: entry.revision, files: selected.value } : null;
}

/** The catalog's own list when it recorded everything (exact size and a hash for every file), else null. */
export function filesFromCatalog(entry: CatalogEntry): PullRequest | null {
  if (!entry.revision) return null;
  const files: PullFile[] = [];
  for (const f of entry.files) {
    if (f.size === null || (f.sha256 === null && f.gitBlobId === null)) return null;
    files.push({ path: f.path, size: f.size, sha256: f.sha256, gitBlobId: f.gitBlobId });
  }
  return { repo: entry.repo, revision: entry.revision, files };
}
