/**
 * An image encoder thread (encode-worker.ts), started on first use: jobs go in
 * with their pixels transferred, answers come back by id. The engine thread only
 * copies the frame (a memcpy) and posts it; the encode and the file write are the
 * worker's. A worker that dies fails its jobs with a message and is restarted by
 * the next job.
 */
import { Worker } from 'node:worker_threads';
import type { EncodeAnswer, EncodeJob } from './encode-protocol.js';

type JobInput = EncodeJob extends infer J ? (J extends EncodeJob ? Omit<J, 'id'> : never) : never;

/** The worker is compiled to .js in dist/; under the test runner this module is .ts and the worker is bootstrapped through tsx (as show-parse.ts does). */
function spawnEncodeWorker(name: string): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./encode-worker.js', import.meta.url), { name });
  const source = new URL('./encode-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(bootstrap, { name, eval: true });
}

export class ImageEncoder {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (answer: EncodeAnswer) => void>();

  constructor(private readonly name: string) {}

  /** Jobs posted and not answered yet. */
  get inFlight(): number {
    return this.pending.size;
  }

  encode(job: JobInput): Promise<EncodeAnswer> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      worker.postMessage({ ...job, id }, [job.pixels]);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.failAll('the encoder was stopped');
    await worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = spawnEncodeWorker(this.name);
    // An idle encoder never keeps the process alive.
    worker.unref();
    worker.on('message', (answer: EncodeAnswer) => {
      const resolve = this.pending.get(answer.id);
      this.pending.delete(answer.id);
      resolve?.(answer);
    });
    const died = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(why);
    };
    worker.on('error', (error) => died(`the encoder thread failed (${error.message})`));
    worker.on('exit', (code) => died(`the encoder thread stopped (code ${code})`));
    this.worker = worker;
    return worker;
  }

  private failAll(message: string): void {
    for (const [id, resolve] of this.pending) resolve({ id, ok: false, message });
    this.pending.clear();
  }
}
