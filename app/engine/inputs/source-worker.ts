/**
 * The inference thread's side of an input worker (input-worker.ts): spawns it, asks it
 * for the sizes and fits the looks need (one shared triple buffer each, dropped when no
 * look has asked for a while), and reads pictures and counters from shared memory
 * without waiting. State changes (rare) come as messages.
 */
import { Worker } from 'node:worker_threads';
import type { InputFit, InputStatus } from '../../contract/inputs.js';
import { createSharedPicture, SharedPictureReader, type PictureFrame } from './shared-picture.js';
import { STAT_COUNT, type FromSourceWorker, type SourceWorkerData, type SourceWorkerSpec, type ToSourceWorker } from './worker-protocol.js';

/** A size/fit no look asked for this long is given back (its three buffers freed). */
const TARGET_IDLE_MS = 5000;

interface Target {
  id: number;
  reader: SharedPictureReader;
  lastAskedMs: number;
}

export interface SourceWorkerState {
  state: InputStatus['state'];
  error: string | null;
}

function spawn(data: SourceWorkerData): Worker {
  const options = { name: `cyclorama-input-${data.kind}`, workerData: data };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./input-worker.js', import.meta.url), options);
  // Under the test runner this module is .ts: a two-line bootstrap registers tsx's loader (as inference-link.ts does).
  const source = new URL('./input-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

export class SourceWorker {
  readonly stats: Float64Array;
  current: SourceWorkerState;
  private readonly worker: Worker;
  private readonly targets = new Map<string, Target>();
  private nextId = 1;
  private closed = false;

  constructor(
    data: SourceWorkerSpec,
    initial: SourceWorkerState,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    const stats = new SharedArrayBuffer(STAT_COUNT * 8);
    this.stats = new Float64Array(stats);
    this.current = initial;
    this.worker = spawn({ ...data, stats });
    this.worker.on('message', (message: FromSourceWorker) => {
      if (message.type === 'state') this.current = { state: message.state, error: message.error };
    });
    this.worker.on('error', (error) => {
      this.current = { state: 'failed', error: `input worker stopped: ${error.message}` };
    });
    this.worker.on('exit', (code) => {
      if (!this.closed && this.current.state !== 'failed') this.current = { state: 'failed', error: `input worker exited (code ${code})` };
    });
    // The worker must not keep the process alive on its own (the engine's close() ends it).
    this.worker.unref();
  }

  /** The newest picture for this fit and size; null until the worker filled one. Never waits. */
  picture(fit: InputFit, width: number, height: number): PictureFrame | null {
    if (this.closed) return null;
    const key = `${fit}:${width}x${height}`;
    const now = this.nowMs();
    let target = this.targets.get(key);
    if (!target) {
      const buffers = createSharedPicture(width, height);
      target = { id: this.nextId++, reader: new SharedPictureReader(buffers), lastAskedMs: now };
      this.targets.set(key, target);
      this.post({ type: 'target', id: target.id, fit, buffers });
    }
    target.lastAskedMs = now;
    this.prune(now);
    return target.reader.latest();
  }

  private prune(now: number): void {
    for (const [key, target] of this.targets) {
      if (now - target.lastAskedMs <= TARGET_IDLE_MS) continue;
      this.targets.delete(key);
      this.post({ type: 'untarget', id: target.id });
    }
  }

  private post(message: ToSourceWorker): void {
    try {
      this.worker.postMessage(message);
    } catch {
      // A worker that already died: its state says so.
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.post({ type: 'close' });
    // It stops on 'close' (freeing libndi's receiver); terminate() is the backstop.
    const timer = setTimeout(() => void this.worker.terminate(), 2000);
    timer.unref();
    this.worker.once('exit', () => clearTimeout(timer));
  }
}
