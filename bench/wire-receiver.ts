/**
 * The wire bench's NDI receiver (bench/wire.ts forks it): libndi's own receiver
 * through the project's binding (app/engine/ndi/), in a process of its own so its
 * capture work shares neither the engine's event loop nor the bench's.
 *
 * argv: <source name> (the engine's NDI output name, without the "HOST (...)" part).
 * Every video frame is stamped on receipt (engine-clock ms, clock.ts: the same epoch
 * in every process) and reduced to its colour: mean Y, Cb, Cr of a sparse grid read
 * straight from libndi's buffer (no copy). The parent classifies frames by look from
 * that (the pixels, never a marker). Messages to the parent (IPC):
 *   { type: 'connected', name }   then per frame { type: 'frame', atMs, y, u, v }
 *   on { type: 'stop' }: { type: 'done', totalVideo, droppedVideo } and exit.
 */
import { engineNowMs } from '../app/engine/clock.js';
import { FOURCC_UYVY } from '../app/engine/ndi/libndi.js';
import { findNdiSource, NdiReceiver } from '../app/engine/ndi/receiver.js';
import { loadNdiRuntime } from '../app/engine/ndi/runtime.js';

export type ReceiverMessage =
  | { type: 'connected'; name: string }
  | { type: 'frame'; atMs: number; width: number; height: number; y: number; u: number; v: number }
  | { type: 'done'; totalVideo: number; droppedVideo: number }
  | { type: 'failed'; message: string };

/** Sampling grid: every 16th row, every 16th pixel pair, inside the middle 80 % of the frame. */
const STEP = 16;

function post(message: ReceiverMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const wanted = process.argv[2];
  if (!wanted) throw new Error('usage: wire-receiver <NDI output name>');
  const runtime = loadNdiRuntime();
  if (!runtime.ok) throw new Error(runtime.error.message);
  const lib = runtime.value.lib;
  const source = await findNdiSource(lib, (s) => s.name.endsWith(`(${wanted})`), { extraIps: '127.0.0.1', timeoutMs: 30_000 });
  if (!source) throw new Error(`the engine's output "${wanted}" is not visible over NDI`);
  const receiver = NdiReceiver.connect(lib, source, `${wanted} wire bench`);
  post({ type: 'connected', name: source.name });
  let stopping = false;
  process.on('message', (m: { type: string }) => {
    if (m.type === 'stop') stopping = true;
  });
  process.on('disconnect', () => (stopping = true));
  while (!stopping) {
    // Blocks this process only (up to 40 ms): the frame is stamped the moment libndi hands it over.
    const seen = receiver.captureView(40, (frame) => (frame.fourCC === FOURCC_UYVY ? { atMs: engineNowMs(), ...meanColour(frame) } : null));
    if (seen) post({ type: 'frame', ...seen });
    // Let IPC (stop) in between captures.
    await new Promise((r) => setImmediate(r));
  }
  const perf = receiver.performance();
  receiver.close();
  post({ type: 'done', ...perf });
  process.disconnect?.();
}

/** Mean Y, Cb, Cr of a sparse grid of a UYVY frame (U Y0 V Y1 per pixel pair). */
function meanColour({ width: w, height: h, stride, data }: { width: number; height: number; stride: number; data: Uint8Array }) {
  let y = 0;
  let u = 0;
  let v = 0;
  let n = 0;
  for (let row = Math.floor(h * 0.1); row < h * 0.9; row += STEP) {
    const base = row * stride;
    for (let px = Math.floor(w * 0.1) & ~1; px < w * 0.9; px += STEP) {
      const i = base + px * 2;
      u += data[i] as number;
      y += data[i + 1] as number;
      v += data[i + 2] as number;
      n++;
    }
  }
  return { width: w, height: h, y: y / n, u: u / n, v: v / n };
}

main().catch((error: unknown) => {
  post({ type: 'failed', message: (error as Error).message });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 200);
});
