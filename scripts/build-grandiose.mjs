#!/usr/bin/env node
/**
 * `npm run build:grandiose`: builds grandiose-mac's addon for the NDI bench's comparison
 * (bench/ndi-grandiose.ts). grandiose-mac is a dev-only dependency whose install script is
 * not run at install (allowScripts in package.json), so `npm ci` never needs a compiler or
 * Node's headers for it and CI passes without it; the bench prints why when it is not built.
 * Here node-gyp (npm's own) builds it offline against the local Node headers: npm's
 * `nodedir` setting when there is one, else the running Node's install (PREFIX/include/node,
 * e.g. /usr/include/node), never a header download.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'node_modules', 'grandiose-mac');
if (!existsSync(path.join(dir, 'binding.gyp'))) {
  console.error('build:grandiose: grandiose-mac is not installed (npm ci installs the dev dependencies)');
  process.exit(1);
}
const prefix = path.resolve(path.dirname(process.execPath), '..');
const nodedir = process.env.npm_config_nodedir || (existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : null);
if (!nodedir) {
  console.error(`build:grandiose: no local Node headers (looked in ${path.join(prefix, 'include', 'node')}); set npm_config_nodedir to a Node install or source tree`);
  process.exit(1);
}
const gyp =
  process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp)
    ? process.env.npm_config_node_gyp
    : path.join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
if (!existsSync(gyp)) {
  console.error('build:grandiose: node-gyp not found (it comes with npm)');
  process.exit(1);
}
const result = spawnSync(process.execPath, [gyp, 'rebuild', '--release', `--nodedir=${nodedir}`], { cwd: dir, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
console.log(`build:grandiose: built ${path.join(dir, 'build', 'Release', 'grandiose-mac.node')} against ${nodedir}`);
