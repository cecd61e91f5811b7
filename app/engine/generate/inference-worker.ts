/**
 * The inference loop in a worker thread of the engine: the fallback where the
 * shared-memory addon is missing (no compiler, Windows). Frames cross by transfer
 * (no copy) and come back the same way. A native crash of the model here takes the
 * whole engine with it, which is why the generator prefers inference-host.ts.
 */
import { parentPort } from 'node:worker_threads';
import { FramePool } from './frame-pool.js';
import { serveInference } from './inference-loop.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

if (!parentPort) throw new Error('inference-worker must run as a worker thread');
const port = parentPort;

serveInference({
  post: (message) => port.postMessage(message),
  onMessage: (handler) => port.on('message', (message: ToWorker) => handler(message)),
  frames(init) {
    const pool = new FramePool(init.width * init.height * 4);
    return {
      pool,
      send: (buffer, message) => port.postMessage({ ...message, frame: { buffer } } satisfies FromWorker, [buffer]),
      recycled: (frame) => {
        if ('buffer' in frame) pool.give(frame.buffer);
      },
    };
  },
  close: () => port.close(),
});
