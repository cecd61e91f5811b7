#!/usr/bin/env node
/**
 * Fetches the NDI(R) runtime that Cyclorama ships as its fallback (NDI SDK 5.5.2,
 * from the npm package grandiose-mac@0.0.6, whose own install fails offline) into
 * the git-ignored folder vendor/ndi/:
 *
 *   vendor/ndi/lib/<platform>/   libndi.so.5 | libndi.dylib | Processing.NDI.Lib.x64.dll
 *   vendor/ndi/include/          the SDK's C headers (for reference and native code)
 *   vendor/ndi/licenses/         NDI SDK License Agreement, libndi_licenses.txt, header LICENSE
 *   vendor/ndi/NOTICE.txt        the NDI trademark notice the SDK licence asks for
 *   vendor/ndi/runtime.json      where it came from (package, integrity, SDK version)
 *
 * Reproducible: `npm pack` of one pinned version, checked against the pinned sha512
 * integrity before anything is extracted. Only this machine's platform is extracted
 * unless `--all` is given (packaging for other platforms). Binaries are never committed.
 *
 * Usage: node scripts/fetch-ndi-runtime.mjs [--all] [--force] [--quiet]
 * Exit code 0 with one line when it worked or was already there; 1 with one line
 * saying why when it failed (postinstall tolerates that: NDI is then unavailable
 * until a runtime is installed, everything else works).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = 'grandiose-mac';
const VERSION = '0.0.6';
const INTEGRITY = 'sha512-sfmVUoyuZfxeQXPQYyMSkQO82JxyjIKP2381W80Hz5z0+80a7Y7uwuNRbkMD/uKcNMXobzYwyWpr0Q2Ur7QI8w==';
const SDK_VERSION = '5.5.2';
/** grandiose-mac's lib/ folder names, by Node's platform-arch. */
const PLATFORM_DIRS = {
  'linux-x64': 'linux_x64',
  'linux-arm64': 'linux_arm64',
  'darwin-x64': 'mac_universal',
  'darwin-arm64': 'mac_universal',
  'win32-x64': 'win_x64',
  'win32-ia32': 'win_x86',
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'vendor', 'ndi');
const args = new Set(process.argv.slice(2));
const all = args.has('--all');
const quiet = args.has('--quiet');

const NOTICE = `NDI(R) is a registered trademark of Vizrt NDI AB (formerly NewTek, Inc.).
Cyclorama is not a product of, nor sponsored or endorsed by, Vizrt or NewTek; it uses
NDI only to be compatible with NDI-enabled products. The NDI runtime in this folder is
NDI SDK ${SDK_VERSION} (Copyright (C) 2014-2022, NewTek, inc.), redistributed under the
NDI SDK License Agreement in licenses/. NDI information: https://ndi.video/
`;

function say(line) {
  if (!quiet || line.startsWith('failed')) console.log(`fetch-ndi-runtime: ${line}`);
}

function wanted() {
  const key = `${process.platform}-${process.arch}`;
  if (all) return [...new Set(Object.values(PLATFORM_DIRS))];
  const dir = PLATFORM_DIRS[key];
  return dir ? [dir] : [];
}

function alreadyThere(dirs) {
  try {
    const meta = JSON.parse(readFileSync(path.join(target, 'runtime.json'), 'utf8'));
    return meta.integrity === INTEGRITY && dirs.every((d) => existsSync(path.join(target, 'lib', d)) && readdirSync(path.join(target, 'lib', d)).length > 0);
  } catch {
    return false;
  }
}

function main() {
  const dirs = wanted();
  if (dirs.length === 0) {
    say(`no bundled NDI runtime for ${process.platform}-${process.arch}; install the NDI runtime from https://ndi.video/tools/`);
    return 0;
  }
  if (!args.has('--force') && alreadyThere(dirs)) {
    say(`NDI SDK ${SDK_VERSION} runtime already in vendor/ndi (${dirs.join(', ')})`);
    return 0;
  }
  const work = mkdtempSync(path.join(tmpdir(), 'cyclorama-ndi-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const packed = spawnSync(npm, ['pack', `${PACKAGE}@${VERSION}`, '--silent', '--pack-destination', work], {
      cwd: work,
      encoding: 'utf8',
      timeout: 5 * 60_000,
      shell: process.platform === 'win32',
    });
    const tarball = path.join(work, `${PACKAGE}-${VERSION}.tgz`);
    if (packed.status !== 0 || !existsSync(tarball)) {
      const why = `${packed.stderr ?? ''}${packed.error?.message ?? ''}`.split('\n').find((l) => l.trim()) ?? `exit ${packed.status}`;
      say(`failed: npm pack ${PACKAGE}@${VERSION}: ${why.trim().slice(0, 200)}`);
      return 1;
    }
    const digest = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
    if (digest !== INTEGRITY) {
      say(`failed: ${PACKAGE}@${VERSION} tarball integrity ${digest.slice(0, 24)}... is not the pinned ${INTEGRITY.slice(0, 24)}...`);
      return 1;
    }
    const extracted = path.join(work, 'x');
    mkdirSync(extracted);
    const untar = spawnSync('tar', ['-xzf', tarball, '-C', extracted], { encoding: 'utf8' });
    if (untar.status !== 0) {
      say(`failed: tar: ${(untar.stderr || untar.error?.message || '').trim().slice(0, 200)}`);
      return 1;
    }
    const pkg = path.join(extracted, 'package');
    rmSync(target, { recursive: true, force: true });
    mkdirSync(path.join(target, 'licenses'), { recursive: true });
    for (const dir of dirs) cpSync(path.join(pkg, 'lib', dir), path.join(target, 'lib', dir), { recursive: true });
    cpSync(path.join(pkg, 'include'), path.join(target, 'include'), { recursive: true });
    cpSync(path.join(pkg, 'lib', 'NDI SDK License Agreement.txt'), path.join(target, 'licenses', 'NDI SDK License Agreement.txt'));
    cpSync(path.join(pkg, 'lib', 'libndi_licenses.txt'), path.join(target, 'licenses', 'libndi_licenses.txt'));
    cpSync(path.join(pkg, 'include', 'LICENSE'), path.join(target, 'licenses', 'NDI SDK headers LICENSE.txt'));
    writeFileSync(path.join(target, 'NOTICE.txt'), NOTICE);
    writeFileSync(
      path.join(target, 'runtime.json'),
      `${JSON.stringify({ source: `${PACKAGE}@${VERSION}`, integrity: INTEGRITY, sdkVersion: SDK_VERSION, platforms: dirs }, null, 2)}\n`,
    );
    say(`NDI SDK ${SDK_VERSION} runtime (${dirs.join(', ')}), headers and licence texts -> vendor/ndi`);
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

let code;
try {
  code = main();
} catch (error) {
  say(`failed: ${error instanceof Error ? error.message : String(error)}`);
  code = 1;
}
process.exitCode = code;
