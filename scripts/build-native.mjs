#!/usr/bin/env node
/**
 * Builds the native addons with node-gyp, the one npm ships:
 *  - native/pixels: RGBA -> UYVY for NDI outputs (without it: pure-JS conversion);
 *  - native/shm: maps the frame ring shared with the inference process (without it,
 *    or on Windows: inference stays in a worker thread of the engine). Runs as the root package's `install` script, so
 * `npm ci` builds it on a clean clone. Tolerant of failure: without a C compiler or
 * Node headers each part has its fallback (slower or less isolated, and logged).
 *
 * node-gyp needs Node's headers: it uses npm's `nodedir` setting when there is one
 * (these machines: /usr), else downloads them (a connected machine). Where node-gyp
 * fails on Linux/macOS, a direct `cc` build against the Node-API headers koffi ships
 * is tried (Node-API needs nothing else).
 *
 * Prints one line per addon: `cyclorama native: pixels addon built` or why not.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Each addon: its folder under native/, its target name, what happens without it. */
const addons = [
  { name: 'pixels', target: 'cyclorama_pixels', source: 'uyvy.c', without: 'NDI outputs will use the slower pure-JS conversion' },
  {
    name: 'shm',
    target: 'cyclorama_shm',
    source: 'shm.c',
    without: 'inference will run in a worker thread of the engine (a model crash then takes the outputs down)',
    posixOnly: true,
  },
];

function nodeGyp() {
  if (process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp)) return process.env.npm_config_node_gyp;
  const bundled = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  return existsSync(bundled) ? bundled : null;
}

function firstError(result) {
  const text = `${result.stdout ?? ''}\n${result.stderr ?? ''}${result.error?.message ?? ''}`;
  return (text.split('\n').find((l) => /error|not found|ENOENT|EACCES/i.test(l)) ?? `exit ${result.status}`).trim().slice(0, 200);
}

function viaNodeGyp(dir, output) {
  const gyp = nodeGyp();
  if (!gyp) return 'node-gyp not found';
  const args = [gyp, 'rebuild', '--release'];
  const nodedir = process.env.npm_config_nodedir;
  if (nodedir) args.push(`--nodedir=${nodedir}`);
  const result = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', timeout: 5 * 60_000 });
  return result.status === 0 && existsSync(output) ? null : `node-gyp: ${firstError(result)}`;
}

function viaCc(dir, output, source) {
  if (process.platform === 'win32') return 'no direct build on Windows';
  const headers = path.join(root, 'node_modules', 'koffi', 'vendor', 'node-api-headers', 'include');
  if (!existsSync(headers)) return 'no Node-API headers';
  mkdirSync(path.dirname(output), { recursive: true });
  const cc = process.env.CC ?? 'cc';
  const platformFlags = process.platform === 'darwin' ? ['-undefined', 'dynamic_lookup'] : [];
  const result = spawnSync(cc, ['-O3', '-std=c11', '-fPIC', '-shared', '-DNAPI_VERSION=8', '-I', headers, ...platformFlags, '-o', output, path.join(dir, source)], {
    encoding: 'utf8',
  });
  return result.status === 0 ? null : `${cc}: ${firstError(result)}`;
}

for (const addon of addons) {
  const dir = path.join(root, 'native', addon.name);
  const output = path.join(dir, 'build', 'Release', `${addon.target}.node`);
  if (addon.posixOnly && process.platform === 'win32') {
    console.log(`cyclorama native: ${addon.name} addon not built (POSIX only); ${addon.without}`);
    continue;
  }
  const gypError = viaNodeGyp(dir, output);
  if (!gypError) {
    console.log(`cyclorama native: ${addon.name} addon built (node-gyp)`);
    continue;
  }
  const ccError = viaCc(dir, output, addon.source);
  if (!ccError) console.log(`cyclorama native: ${addon.name} addon built (cc; ${gypError})`);
  else console.log(`cyclorama native: ${addon.name} addon not built (${gypError}; ${ccError}); ${addon.without}`);
}
