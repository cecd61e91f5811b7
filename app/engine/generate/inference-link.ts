/**
 * One running inference loop as the generator sees it: a child process
 * (inference-host.ts, frames in the shared ring) or a worker thread
 * (inference-worker.ts, the fallback). Both carry the same messages
 * (worker-protocol.ts); the link says when its loop is gone for any reason
 * other than the generator stopping it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './worker-protocol.js';

export interface InferenceLink {
  readonly kind: 'process' | 'thread';
  /** The inference process's pid (null for a thread). */
  readonly pid: number | null;
  post(message: ToWorker): void;
  /** Replaces the handler of its messages (one at a time). */
  setHandler(handler: (message: FromWorker) => void): void;
  /** Called once when the loop is gone without `stop`: a crash, a signal, an exit. */
  onDeath(handler: (reason: string) => void): void;
  /** Asks the loop to stop, and ends it after `graceMs` if it does not. */
  stop(graceMs?: number): Promise<void>;
}

/** Under the test runner this module is the .ts source: a child or a thread then needs tsx's loader. */
const fromSource = import.meta.url.endsWith('.ts');
const tsxLoader = () => pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;

/** Niceness of the inference process (POSIX nice, 0..19 above the engine's; Windows maps it to a priority class). */
export const INFERENCE_NICENESS = 5;

/** The file descriptor number the ring gets in the inference process (after stdin, stdout, stderr, ipc). */
export const RING_FD_IN_CHILD = 4;

/**
 * Starts inference-host in a child process. `ringFd` is inherited as fd 4; `label`
 * goes on its command line (what `ps` shows, what tests look for).
 */
export function spawnInferenceProcess(ringFd: number, label: string[]): InferenceLink {
  const entry = fileURLToPath(new URL(fromSource ? './inference-host.ts' : './inference-host.js', import.meta.url));
  const child = fork(entry, ['cyclorama-inference', ...label], {
    execArgv: fromSource ? ['--import', tsxLoader()] : [],
    // Electron's own binary runs as plain Node for a child (the engine may live in a utilityProcess).
    env: process.versions.electron ? { ...process.env, ELECTRON_RUN_AS_NODE: '1' } : process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc', ringFd],
    serialization: 'advanced',
  });
  // Outputs first: where the model and the output clocks share CPU cores (the CPU provider,
  // a model loading after a restart), the scheduler should favour the engine's clocks.
  if (child.pid !== undefined) {
    try {
      setPriority(child.pid, INFERENCE_NICENESS);
    } catch {
      // not allowed here: same priority as the engine, as with the worker thread
    }
  }
  return processLink(child);
}

function processLink(child: ChildProcess): InferenceLink {
  let handler: (message: FromWorker) => void = () => {};
  let deathHandler: (reason: string) => void = () => {};
  let stopping = false;
  let gone = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      gone = true;
      resolve();
      if (!stopping) deathHandler(signal ? `killed by ${signal}` : `exit code ${code}`);
    });
  });
  child.on('message', (message: FromWorker) => handler(message));
  // A failed spawn (no such binary) emits 'error' and maybe no 'exit'.
  child.on('error', (error) => {
    if (gone) return;
    gone = true;
    if (!stopping) deathHandler(`could not run: ${error.message}`);
  });
  return {
    kind: 'process',
    get pid() {
      return child.pid ?? null;
    },
    post(message) {
      // A channel that closed (the process is dying) drops the message; 'exit' follows.
      if (!gone && child.connected) child.send(message, (error) => void error);
    },
    setHandler: (h) => (handler = h),
    onDeath: (h) => (deathHandler = h),
    async stop(graceMs = 2000) {
      stopping = true;
      if (gone) return;
      if (child.connected) child.send({ type: 'stop' } satisfies ToWorker, () => {});
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The fallback: the loop in a worker thread of this process (as before the inference process existed). */
export function spawnInferenceWorker(): InferenceLink {
  const options = { name: 'cyclorama-inference' };
  let worker: Worker;
  if (!fromSource) worker = new Worker(new URL('./inference-worker.js', import.meta.url), options);
  else {
    const source = new URL('./inference-worker.ts', import.meta.url).href;
    // A worker thread cannot load .ts by itself: a two-line bootstrap registers tsx's loader, then imports the source.
    const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`;
    worker = new Worker(bootstrap, { ...options, eval: true });
  }
  let handler: (message: FromWorker) => void = () => {};
  let deathHandler: (reason: string) => void = () => {};
  let stopping = false;
  let lastError: string | null = null;
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', (code) => {
      resolve();
      if (!stopping) deathHandler(lastError ? `crashed: ${lastError}` : `exit code ${code}`);
    });
  });
  worker.on('message', (message: FromWorker) => handler(message));
  worker.on('error', (error) => (lastError = error.message));
  return {
    kind: 'thread',
    pid: null,
    post(message) {
      if (message.type === 'recycle' && 'buffer' in message.frame) worker.postMessage(message, [message.frame.buffer]);
      else worker.postMessage(message);
    },
    setHandler: (h) => (handler = h),
    onDeath: (h) => (deathHandler = h),
    async stop(graceMs = 2000) {
      stopping = true;
      worker.postMessage({ type: 'stop' } satisfies ToWorker);
      await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
      await worker.terminate();
    },
  };
}
