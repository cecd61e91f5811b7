/**
 * Finding and loading the NDI(R) runtime (libndi) at run time, so Cyclorama needs no
 * separate install and never fails to start over NDI.
 *
 * Order (first that loads, binds and initializes wins; every failure is collected):
 *  1. an explicit folder: the `runtimeDir` option (CLI --ndi-runtime) or
 *     CYCLORAMA_NDI_RUNTIME. When given, ONLY that folder is tried (tests point it at an
 *     empty folder for the missing-runtime path; users pin a runtime with it);
 *  2. a runtime the user installed, newest major first: NDI_RUNTIME_DIR_V6, then
 *     NDI_RUNTIME_DIR_V5 (set by NDI's installers), then the standard locations
 *     (/usr/lib, /usr/local/lib, the NDI SDK folders on macOS, the loader's search path);
 *  3. the runtime Cyclorama ships: vendor/ndi/lib/<platform>/ (NDI SDK 5.5.2, fetched at
 *     install by scripts/fetch-ndi-runtime.mjs). It is the fallback on purpose: the NDI
 *     SDK licence asks products to use a current SDK, and 5.5.2 is from 2022.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import koffi, { type LibraryHandle } from 'koffi';
import { engineError } from '../../contract/errors.js';
import { fail, ok, type Result } from '../result.js';
import { bindLibNdi, type LibNdi } from './libndi.js';
import { shippedResource } from '../resources.js';

export type NdiRuntimeSource = 'explicit' | 'installed' | 'bundled';

export interface NdiRuntime {
  lib: LibNdi;
  /** File that was loaded. */
  path: string;
  source: NdiRuntimeSource;
  /** NDIlib_version(), e.g. "NDI SDK LINUX 10:20:36 Oct 19 2022 5.5.2". */
  version: string;
}

export interface NdiRuntimeOptions {
  /** Only this folder (or file) is tried; overrides everything else. */
  runtimeDir?: string;
  /** Environment to read NDI_RUNTIME_DIR_V5/V6 and CYCLORAMA_NDI_RUNTIME from (tests). */
  env?: NodeJS.ProcessEnv;
}

interface Candidate {
  file: string;
  source: NdiRuntimeSource;
  /** A bare soname for the dynamic loader's own search path. */
  bare?: boolean;
}

/** What the operator reads when no runtime was found: what to install or set. */
export const NDI_RUNTIME_HELP =
  'Install the NDI Runtime (NDI Tools, https://ndi.video/tools/), or set NDI_RUNTIME_DIR_V6 to the folder holding libndi, ' +
  'or run "npm run fetch:ndi" to fetch the runtime Cyclorama bundles. Other outputs keep running.';

function libraryNames(): string[] {
  if (process.platform === 'win32') return [process.arch === 'ia32' ? 'Processing.NDI.Lib.x86.dll' : 'Processing.NDI.Lib.x64.dll'];
  if (process.platform === 'darwin') return ['libndi.dylib', 'libndi_advanced.dylib'];
  return ['libndi.so.6', 'libndi.so.5', 'libndi.so'];
}

const BUNDLED_PLATFORM_DIRS: Record<string, string> = {
  'linux-x64': 'linux_x64',
  'linux-arm64': 'linux_arm64',
  'darwin-x64': 'mac_universal',
  'darwin-arm64': 'mac_universal',
  'win32-x64': 'win_x64',
  'win32-ia32': 'win_x86',
};

export function bundledRuntimeDir(): string {
  return shippedResource('vendor', 'ndi', 'lib', BUNDLED_PLATFORM_DIRS[`${process.platform}-${process.arch}`] ?? 'none');
}

function filesIn(dir: string, source: NdiRuntimeSource): Candidate[] {
  // A path straight to the library file is accepted too.
  if (/\.(so(\.\d+)*|dylib|dll)$/.test(dir)) return [{ file: dir, source }];
  return libraryNames().map((name) => ({ file: path.join(dir, name), source }));
}

export function runtimeCandidates(options: NdiRuntimeOptions = {}): Candidate[] {
  const env = options.env ?? process.env;
  const explicit = options.runtimeDir ?? env.CYCLORAMA_NDI_RUNTIME;
  if (explicit) return filesIn(explicit, 'explicit');
  const list: Candidate[] = [];
  for (const variable of ['NDI_RUNTIME_DIR_V6', 'NDI_RUNTIME_DIR_V5']) {
    const dir = env[variable];
    if (dir) list.push(...filesIn(dir, 'installed'));
  }
  if (process.platform === 'linux') {
    const multiarch = process.arch === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-linux-gnu';
    for (const dir of ['/usr/local/lib', `/usr/lib/${multiarch}`, '/usr/lib', '/opt/ndi/lib']) list.push(...filesIn(dir, 'installed'));
  } else if (process.platform === 'darwin') {
    for (const dir of ['/usr/local/lib', '/Library/NDI SDK for Apple/lib/macOS', '/Library/NDI 6 SDK/lib/macOS', '/Library/NDI Advanced SDK for Apple/lib/macOS']) {
      list.push(...filesIn(dir, 'installed'));
    }
  }
  if (process.platform !== 'win32') {
    // The loader's own search path (LD_LIBRARY_PATH, ldconfig cache): a distro package.
    for (const name of libraryNames()) list.push({ file: name, source: 'installed', bare: true });
  }
  list.push(...filesIn(bundledRuntimeDir(), 'bundled'));
  return list;
}

/** Loaded runtimes by file: libndi is loaded and initialized once per process. */
const loaded = new Map<string, NdiRuntime>();

function tryLoad(candidate: Candidate): Result<NdiRuntime> {
  const cached = loaded.get(candidate.file);
  if (cached) return ok(cached);
  if (!candidate.bare && !existsSync(candidate.file)) return fail(engineError('output-failed', `${candidate.file}: not there`));
  let handle: LibraryHandle;
  try {
    handle = koffi.load(candidate.file);
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? 'load failed';
    return fail(engineError('output-failed', `${candidate.file}: ${candidate.bare ? 'not on the loader path' : message}`));
  }
  let lib: LibNdi;
  try {
    lib = bindLibNdi(candidate.file, handle);
  } catch (error) {
    return fail(engineError('output-failed', `${candidate.file}: not an NDI 5/6 runtime (${(error as Error).message})`));
  }
  if (!lib.initialize()) {
    const why = lib.isSupportedCpu() ? 'NDIlib_initialize failed' : 'this CPU is not supported by NDI (it needs SSE4.2)';
    return fail(engineError('output-failed', `${candidate.file}: ${why}`));
  }
  const runtime: NdiRuntime = { lib, path: candidate.file, source: candidate.source, version: lib.version() };
  loaded.set(candidate.file, runtime);
  return ok(runtime);
}

/**
 * Loads the first runtime that works. On failure the error's message is the one
 * line for the operator (what to install or set); `details.tried` lists each
 * candidate and why it was passed over.
 */
export function loadNdiRuntime(options: NdiRuntimeOptions = {}): Result<NdiRuntime> {
  const tried: string[] = [];
  for (const candidate of runtimeCandidates(options)) {
    const result = tryLoad(candidate);
    if (result.ok) return result;
    tried.push(result.error.message);
  }
  const explicit = options.runtimeDir ?? (options.env ?? process.env).CYCLORAMA_NDI_RUNTIME;
  const where = explicit ? `in ${explicit} (set by --ndi-runtime / CYCLORAMA_NDI_RUNTIME)` : 'installed or bundled';
  return fail(engineError('output-failed', `NDI runtime not found ${where}: NDI outputs are off. ${NDI_RUNTIME_HELP}`, { reason: 'ndi-runtime-missing', tried }));
}
