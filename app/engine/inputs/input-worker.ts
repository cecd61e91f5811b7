/**
 * An input's worker thread: an NDI receiver (ndi-capture.ts) or a still-image decoder
 * (image-source.ts), fitting what it gets into the targets the inference thread asked
 * for (fit-targets.ts). Off the inference thread so that a model step never delays
 * capture and a large decode never delays a model step.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FitTargets } from './fit-targets.js';
import type { FromSourceWorker, SourceWorkerData, ToSourceWorker, WorkerContext } from './worker-protocol.js';

const data = workerData as SourceWorkerData;
const port = parentPort;
if (!port) throw new Error('input-worker.ts runs as a worker thread');

const targets = new FitTargets();
const stats = new Float64Array(data.stats);
const control = { closed: false };
let onClose: () => void = () => {};

const send = (message: FromSourceWorker) => port.postMessage(message);

port.on('message', (message: ToSourceWorker) => {
  if (message.type === 'target') targets.add(message.id, message.fit, message.buffers);
  else if (message.type === 'untarget') targets.remove(message.id);
  else if (message.type === 'close') {
    control.closed = true;
    onClose();
  }
});

const context: WorkerContext = {
  targets,
  stats,
  send,
  isClosed: () => control.closed,
  onClose: (f) => {
    onClose = f;
  },
  end: () => port.close(),
};

if (data.kind === 'image') {
  const { runImageSource } = await import('./image-source.js');
  runImageSource(data.path, context);
} else {
  const { runNdiCapture } = await import('./ndi-capture.js');
  await runNdiCapture({ name: data.name, extraIps: data.extraIps, libPath: data.libPath }, context);
}
