/**
 * The worker thread a pull runs in (see pullModel in hub-pull.ts): the transfers, the
 * hashing and the file writes stay off the engine's thread. Cancel arrives as a message;
 * progress and the result go back as messages.
 */
import { parentPort, workerData } from 'node:worker_threads';

import type { PullWorkerData, PullWorkerMessage } from './hub-pull.js';
import { pullLocked } from './hub-pull-run.js';

const data = workerData as PullWorkerData;
const port = parentPort!;
const abort = new AbortController();
port.on('message', (m: { type: string }) => {
  if (m.type === 'cancel') abort.abort();
});
const post = (m: PullWorkerMessage) => port.postMessage(m);
const { progress, ...options } = data.options;
const result = await pullLocked(data.request, data.settings, {
  ...options,
  signal: abort.signal,
  ...(progress ? { onProgress: (p) => post({ type: 'progress', progress: p }) } : {}),
});
post({ type: 'result', result });
port.close();
