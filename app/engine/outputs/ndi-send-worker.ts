/**
 * One NDI output's send thread (a worker_threads worker per output, started by
 * ndi-worker-sink.ts): scales and converts the program frame to UYVY with the
 * native addon (native/pixels) and hands it to libndi, so that a heavy output (a
 * UHD wall, a slow filter) costs its own thread, never the engine thread's ticks
 * nor another output's.
 *
 * The work per job is NdiFrameSink's, the same class an in-thread output uses (its
 * three native buffers, a repeat sent again unconverted, libndi's blocking send on a
 * libuv thread with one frame queued behind it), on the sender the engine thread
 * made: the worker only adds the hand-over. It waits for jobs with Atomics.waitAsync
 * (its event loop keeps running for the send's completion). Nothing is allocated per
 * frame. On stop, the sink's close: a NULL send (libndi lets go of the last buffer),
 * the sender destroyed, the buffers freed; then the thread ends.
 */
import { receiveMessageOnPort, workerData, parentPort, type MessagePort } from 'node:worker_threads';
import koffi from 'koffi';
import { engineNowMs } from '../clock.js';
import type { GeneratedFrame } from '../generate/generator.js';
import { bindLibNdi, type NativePointer } from '../ndi/libndi.js';
import { uyvyConverter, type UyvyConverter } from '../ndi/pixels.js';
import type { TtffStage } from '../frames/ttff-trace.js';
import { NdiFrameSink, type SinkTrace } from './ndi-frame-sink.js';
import { CTL, JOB, STAMP, type NdiSendWorkerData, type NdiSourceMessage, type NdiWorkerMessage } from './ndi-send-protocol.js';

const data = workerData as NdiSendWorkerData & { port: MessagePort };
const ctl = new Int32Array(data.control, 0, CTL.length);
const stamps = new Float64Array(data.control, CTL.length * 4, STAMP.length);
const job = new Float64Array(data.control, CTL.length * 4 + STAMP.length * 8, JOB.length);
const lib = bindLibNdi(data.libPath, koffi.load(data.libPath));
lib.initialize(); // reference-counted in libndi: the engine thread's runtime stays initialised too

function busyWait(ms: number): void {
  const until = engineNowMs() + ms;
  while (engineNowMs() < until) {
    /* the injected slow conversion: CPU time, as a heavy output would take */
  }
}

const native = uyvyConverter().converter;
const slowMs = data.injectedSlowConversionMs ?? 0;
const converter: UyvyConverter = slowMs
  ? {
      ...native,
      convert: (args) => {
        native.convert(args);
        busyWait(slowMs);
      },
    }
  : native;

/** The look the engine thread traces: its first frame's stages, stamped for the engine thread to read back. */
const trace: SinkTrace = {
  on: true,
  wants: (lookId: number) => lookId !== 0 && lookId === Atomics.load(ctl, CTL.traceLook),
  mark: (lookId: number, stage: TtffStage, atMs: number) => {
    const at = stage === 'converted' ? STAMP.converted : stage === 'sendStarted' ? STAMP.sendStarted : stage === 'sendReturned' ? STAMP.sendReturned : -1;
    if (at < 0) return;
    if (stamps[STAMP.lookId] !== lookId) stamps.fill(0);
    stamps[STAMP.lookId] = lookId;
    if (stamps[at] === 0) stamps[at] = atMs;
  },
};

const sink = NdiFrameSink.onSender(lib, data.senderAddress as unknown as NativePointer, data.config, converter, trace);
/** One frame object for every job (no allocation per frame); its pixels are the current source buffer. */
const frame: GeneratedFrame = {
  pixels: new Uint8Array(0),
  width: 0,
  height: 0,
  lookId: 0,
  sequence: -1,
  showTimeMs: 0,
  inferMs: 0,
  doneAtMs: 0,
  requestId: null,
};
let source: Uint8Array | null = null;
let generation = -1;
let viewKey = '';

/** The source buffer of the job's generation (sent by message just before the job that first uses it). */
function sourceOf(wanted: number): Uint8Array | null {
  while (generation !== wanted) {
    const received = receiveMessageOnPort(data.port);
    if (!received) return null;
    const message = received.message as NdiSourceMessage;
    source = new Uint8Array(message.pixels);
    generation = message.generation;
  }
  return source;
}

const post = (message: NdiWorkerMessage) => parentPort?.postMessage(message);
let reported = false;

function takeJob(): void {
  const width = Atomics.load(ctl, CTL.srcWidth);
  const height = Atomics.load(ctl, CTL.srcHeight);
  const wanted = Atomics.load(ctl, CTL.srcGeneration);
  const pixels = sourceOf(wanted);
  if (!pixels) throw new Error(`the source frame (generation ${wanted}) did not arrive`);
  // A new view only when the buffer or the size changed: the sink tells repeats by sequence and view.
  const key = `${generation}:${width}x${height}`;
  if (key !== viewKey) {
    frame.pixels = pixels.subarray(0, width * height * 4);
    viewKey = key;
  }
  frame.width = width;
  frame.height = height;
  frame.sequence = Atomics.load(ctl, CTL.sequence);
  frame.lookId = Atomics.load(ctl, CTL.lookId);
  sink.send({ frame, fresh: false, level: Atomics.load(ctl, CTL.levelMicros) / 1e6, tick: job[JOB.tick] as number, firedAtMs: job[JOB.firedAtMs] as number });
  Atomics.store(ctl, CTL.converted, sink.converted);
  Atomics.store(ctl, CTL.resent, sink.resent);
  Atomics.store(ctl, CTL.encoderSkipped, sink.encoderSkipped);
}

async function run(): Promise<void> {
  // A pending Atomics.waitAsync does not keep a thread alive: this timer does, until stop.
  const keepAlive = setInterval(() => {}, 1 << 30);
  Atomics.store(ctl, CTL.ready, 1);
  let seen = Atomics.load(ctl, CTL.taken);
  while (Atomics.load(ctl, CTL.stop) !== 1) {
    const waited = Atomics.waitAsync(ctl, CTL.posted, seen, 1000);
    if (waited.async) await waited.value;
    const posted = Atomics.load(ctl, CTL.posted);
    if (posted === seen || Atomics.load(ctl, CTL.stop) === 1) continue;
    seen = posted;
    try {
      takeJob();
    } catch (error) {
      if (!reported) post({ type: 'error', message: (error as Error).message });
      reported = true;
    }
    Atomics.store(ctl, CTL.taken, seen); // source read: the engine thread may write the next job
  }
  clearInterval(keepAlive);
  sink.close(); // waits for a send in flight, flushes, destroys the sender, frees the buffers
  data.port.close();
}

void run();
