/**
 * Where the files Cyclorama ships live: beside the project in a checkout or a
 * plain install, and in an installed Electron app under `process.resourcesPath`
 * (electron-builder's extraResources) or `app.asar.unpacked` (native code, which
 * cannot load from inside an asar archive). One place decides, so the model, the
 * NDI runtime and the pixel addon are found the same way in every layout.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository (or packaged app) root: the nearest folder up with our package.json. */
export function projectRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'cyclorama') return dir;
      } catch {
        // not ours; keep walking
      }
    }
    const parent = path.dirname(dir);
    // No package.json of ours above (an unusual layout): the folder two up from app/engine/.
    if (parent === dir) return path.resolve(from, '..', '..');
    dir = parent;
  }
}

/** A shipped data file or folder (models/, vendor/ndi/): extraResources first, then the project. */
export function shippedResource(...parts: string[]): string {
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources) {
    const packaged = path.join(resources, ...parts);
    if (existsSync(packaged)) return packaged;
  }
  return path.join(projectRoot(), ...parts);
}

/** A native binary inside the app: the asar-unpacked copy when the project root is an asar archive. */
export function shippedNativeFile(...parts: string[]): string {
  const inProject = path.join(projectRoot(), ...parts);
  const unpacked = inProject.replace(/([/\\])app\.asar([/\\])/, '$1app.asar.unpacked$2');
  return unpacked !== inProject && existsSync(unpacked) ? unpacked : inProject;
}
