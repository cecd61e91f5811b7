/**
 * A real NDI sender on a worker thread of its own, for tests that block the main thread
 * (as a synchronous model step does) and still need frames to keep coming at their rate.
 * Each frame is black with a grey block at the top left whose level encodes the frame
 * number (40 + 4 * (n mod 50)); `counter[0]` is the number of the frame sent last.
 */
import { Worker } from 'node:worker_threads';

export const counterGrey = (n: number) => 40 + 4 * (n % 50);

export interface CounterSender {
  /** Number of the frame sent last (0 before the first). */
  sent(): number;
  stop(): Promise<void>;
}

export function startCounterSender(options: { name: string; width: number; height: number; fps: number }): CounterSender {
  const counter = new Int32Array(new SharedArrayBuffer(8));
  const source = new URL('./ndi-counter-sender-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { ...options, counter: counter.buffer } });
  worker.on('error', (error) => {
    throw error;
  });
  return {
    sent: () => Atomics.load(counter, 0),
    stop: async () => {
      Atomics.store(counter, 1, 1);
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}
