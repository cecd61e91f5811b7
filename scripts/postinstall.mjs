#!/usr/bin/env node
/**
 * Fetches the two downloads that npm packages of ours make at install time,
 * tolerating their absence, so `npm ci` does the right thing on both kinds of
 * machine without hand edits:
 *  - Electron's binary: on a connected workstation the app opens as a window;
 *    offline (CI, render nodes, these dev machines) it is skipped and
 *    `npm start` runs as a headless node instead.
 *  - onnxruntime-node's extra GPU providers (CUDA/TensorRT on Linux x64): the
 *    CPU and WebGPU providers are bundled in the package; the extras are best-effort.
 * npm itself does not run these packages' scripts (package.json allowScripts denies
 * them) because a failed download would fail the whole install.
 * ELECTRON_SKIP_BINARY_DOWNLOAD=1 and ONNXRUNTIME_NODE_INSTALL=skip skip each step outright.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function packageDir(name) {
  try {
    return path.dirname(require.resolve(`${name}/package.json`, { paths: [root] }));
  } catch {
    return null;
  }
}

/** Runs a package's own install script; returns a one-line outcome. */
function runInstall(label, dir, script, timeoutMs) {
  if (!dir || !existsSync(path.join(dir, script))) return `${label}: not installed, nothing to fetch`;
  // Run it as npm would for a dependency: onnxruntime's script skips itself when it
  // thinks it is the project being installed (npm_package_json pointing at our root).
  const env = { ...process.env };
  delete env.npm_package_json;
  delete env.npm_config_local_prefix;
  const result = spawnSync(process.execPath, [script], { cwd: dir, env, timeout: timeoutMs, encoding: 'utf8' });
  if (result.status === 0) return `${label}: ok`;
  const reason = `${result.stderr ?? ''}${result.error?.message ?? ''}`.split('\n').find((l) => /error|ENOTFOUND|EAI_AGAIN|timed? ?out/i.test(l)) ?? `exit ${result.status}`;
  return `${label}: not fetched (${reason.trim().slice(0, 160)})`;
}

const lines = [];
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  lines.push('Electron binary: skipped (ELECTRON_SKIP_BINARY_DOWNLOAD is set); npm start will run headless');
} else {
  const outcome = runInstall('Electron binary', packageDir('electron'), 'install.js', 10 * 60_000);
  lines.push(outcome.endsWith(': ok') ? outcome : `${outcome}; npm start will run headless`);
}
if (process.env.ONNXRUNTIME_NODE_INSTALL === 'skip') {
  lines.push('onnxruntime GPU extras: skipped (ONNXRUNTIME_NODE_INSTALL=skip); CPU and WebGPU providers are bundled');
} else {
  const outcome = runInstall('onnxruntime GPU extras', packageDir('onnxruntime-node'), 'script/install.js', 10 * 60_000);
  lines.push(outcome.endsWith(': ok') ? outcome : `${outcome}; CPU and WebGPU providers are bundled`);
}
{
  // The NDI runtime Cyclorama bundles (scripts/fetch-ndi-runtime.mjs prints its own one line).
  const ndi = spawnSync(process.execPath, [path.join(root, 'scripts', 'fetch-ndi-runtime.mjs')], { encoding: 'utf8', timeout: 5 * 60_000 });
  const said = `${ndi.stdout ?? ''}`
    .trim()
    .split('\n')
    .pop()
    ?.replace(/^fetch-ndi-runtime: /, '');
  lines.push(
    `NDI runtime: ${said || `not fetched (${ndi.error?.message ?? `exit ${ndi.status}`})`}${ndi.status === 0 ? '' : '; NDI outputs need an installed NDI runtime until "npm run fetch:ndi" works'}`,
  );
}
for (const line of lines) console.log(`cyclorama postinstall: ${line}`);
