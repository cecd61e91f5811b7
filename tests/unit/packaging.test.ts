/**
 * electron-builder.yml names files that must exist when installers are built on a
 * connected machine (packaging itself downloads Electron, so it cannot run here).
 * Run after `npm ci && npm run build`: every local path the config names exists.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
interface ExtraResource {
  from: string;
  to: string;
  filter?: string[];
}
const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as {
  appId?: string;
  productName?: string;
  files: string[];
  extraResources: ExtraResource[];
  asarUnpack: string[];
  win: { target: string };
  mac: { target: string };
  linux: { target: string[]; maintainer?: string };
};
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string; author?: string | { email?: string } };

/** The fixed part of a glob ("node_modules/koffi/**" -> "node_modules/koffi"). */
const base = (pattern: string) =>
  pattern
    .split('/')
    .filter((part, i, all) => !/[*?{[]/.test(part) && all.slice(0, i).every((p) => !/[*?{[]/.test(p)))
    .join('/');

describe('electron-builder.yml', () => {
  it('builds nsis, dmg, AppImage and deb, with what electron-builder needs for each', () => {
    expect(config.win.target).toBe('nsis');
    expect(config.mac.target).toBe('dmg');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    // Every target: an app id (reverse DNS) and a product name, and the app's entry point
    // (package.json "main") inside the packaged files, or the installed app cannot start.
    expect(config.appId).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    expect(config.productName).toBeTruthy();
    const packs = (file: string) => config.files.some((p) => !p.startsWith('!') && (p === file || (p.endsWith('/**') && file.startsWith(`${base(p)}/`))));
    expect(packs(packageJson.main), `files include ${packageJson.main}`).toBe(true);
    expect(packs('package.json')).toBe(true);
    // deb: electron-builder refuses to build one without a maintainer (linux.maintainer, or the author's email).
    const authorEmail = typeof packageJson.author === 'string' ? /<[^>]+@[^>]+>/.test(packageJson.author) : Boolean(packageJson.author?.email);
    expect(Boolean(config.linux.maintainer) || authorEmail, 'deb maintainer').toBe(true);
  });

  it('every file pattern names something that exists (built app, package.json, native addon)', () => {
    for (const pattern of config.files.filter((p) => !p.startsWith('!'))) {
      expect(existsSync(path.join(root, base(pattern))), pattern).toBe(true);
    }
    expect(existsSync(path.join(root, 'dist/app/main/main.js')), 'npm run build output').toBe(true);
    expect(existsSync(path.join(root, 'dist/renderer/index.html')), 'console build').toBe(true);
  });

  it('extra resources exist: the built-in model files, the NDI runtime, its licence texts and notice', () => {
    for (const resource of config.extraResources) {
      const from = path.join(root, resource.from);
      expect(existsSync(from), resource.from).toBe(true);
      for (const name of resource.filter ?? []) expect(existsSync(path.join(from, name)), `${resource.from}/${name}`).toBe(true);
    }
    const named = config.extraResources.map((r) => r.from);
    expect(named).toEqual(expect.arrayContaining(['models/builtin', 'vendor/ndi/lib', 'vendor/ndi/licenses', 'vendor/ndi/NOTICE.txt']));
    // The licence folder holds the texts, not an empty directory.
    expect(readdirSync(path.join(root, 'vendor/ndi/licenses')).filter((f) => statSync(path.join(root, 'vendor/ndi/licenses', f)).size > 0).length).toBeGreaterThan(0);
    // This platform's runtime library is in the bundled folder.
    expect(readdirSync(path.join(root, 'vendor/ndi/lib'), { recursive: true }).some((f) => /libndi|Processing\.NDI/.test(String(f)))).toBe(true);
  });

  it('native parts are unpacked from asar and exist', () => {
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['node_modules/onnxruntime-node/**', 'node_modules/koffi/**', 'native/pixels/build/**', 'native/shm/build/**', 'node_modules/@ffmpeg-installer/**']),
    );
    for (const pattern of config.asarUnpack) expect(existsSync(path.join(root, base(pattern))), pattern).toBe(true);
  });
});
