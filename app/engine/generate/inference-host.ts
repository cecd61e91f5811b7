/**
 * The inference process: a child of the engine (child_process.fork) that hosts
 * the inference loop, so a native abort in onnxruntime, a GPU reset or an
 * out-of-memory kill ends this process only. The engine's output clocks and NDI
 * senders keep running on the last frame while the generator restarts it.
 *
 * Frames are slots of the shared ring (shared-frame-ring.ts) mapped from the
 * descriptor the engine passes (init.frames.fd); over IPC only slot numbers and
 * frame metadata travel. The engine grants slots (init, `recycle`) and this
 * process writes only those.
 *
 * argv (for `ps`, and tests that find it): cyclorama-inference WIDTHxHEIGHT MODEL-ID
 */
import { FramePool } from './frame-pool.js';
import { serveInference } from './inference-loop.js';
import { SharedFrameRing } from './shared-frame-ring.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

const send = process.send?.bind(process);
if (!send) throw new Error('inference-host must be started by the engine (child_process.fork with an IPC channel)');

// The engine is gone (it died, or stopped without a goodbye): nothing to make frames for.
process.on('disconnect', () => process.exit(0));

serveInference({
  post: (message: FromWorker) => void send(message),
  onMessage: (handler) => process.on('message', (message: ToWorker) => handler(message)),
  frames(init) {
    if (init.frames.kind !== 'shared') throw new Error('the inference process needs the shared frame ring');
    const { fd, slotStride, slotCount, granted } = init.frames;
    const frameBytes = init.width * init.height * 4;
    const ring = SharedFrameRing.attach(fd, frameBytes, slotStride, slotCount);
    const pool = FramePool.of(
      frameBytes,
      granted.map((slot) => ring.slot(slot)),
    );
    return {
      pool,
      send: (buffer, message) => {
        const slot = ring.indexOf(buffer);
        ring.publish(slot);
        void send({ ...message, frame: { slot } } satisfies FromWorker);
      },
      recycled: (frame) => {
        if ('slot' in frame) pool.give(ring.slot(frame.slot));
      },
    };
  },
  close: () => process.disconnect(),
});
