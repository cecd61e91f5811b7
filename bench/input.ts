/**
 * `npm run bench` (input part): live input latency on the built-in model at 1080p, with
 * real NDI on loopback on both sides. One line per figure, `BENCH <name> <value> <unit>`:
 *  - input_to_output_ms_p50 / _p95 at 1080p29.97 and 1080p59.94 input: from the first
 *    send of a changed pattern at the sender (a white bar that jumps across the frame) to
 *    the first frame of the engine's 1080p59.94 NDI output, read by a real receiver, whose
 *    structure shows it (column luma profile correlating with the new bar's place);
 *  - input_fps at each input rate: frames a second the engine's input received (its own
 *    count, state.inputs[].fpsReceived, averaged over the run).
 * Goal (issue 14): p95 within two output frame periods (33.4 ms) plus the model's own frame time.
 *
 * The sender and the receiver run in a worker thread of their own (one clock for both
 * timestamps, and their libndi send/receive work stays off the engine thread, whose
 * output clocks are what is measured). Env: BENCH_INPUT_SAMPLES (default 15 per rate).
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Engine } from '../app/engine/engine.js';
import { commandSchema } from '../app/contract/commands.js';
import { FOURCC_UYVY, FRAME_FORMAT_PROGRESSIVE, TIMECODE_SYNTHESIZE, type LibNdi, type NativePointer } from '../app/engine/ndi/libndi.js';
import { convertRgbaToUyvyJs } from '../app/engine/ndi/pixels.js';
import { findNdiSource, NdiReceiver } from '../app/engine/ndi/receiver.js';
import { loadNdiRuntime } from '../app/engine/ndi/runtime.js';

const W = 1920;
const H = 1080;
const OUT_RATE = { num: 60000, den: 1001 };
const IN_RATES = [
  { label: '29.97', num: 30000, den: 1001 },
  { label: '59.94', num: 60000, den: 1001 },
];
const BAR_W = 240;
const POSITIONS = [200, 1400];
const BINS = 40;
const SAMPLES = Number(process.env.BENCH_INPUT_SAMPLES ?? 15);
const SAMPLE_TIMEOUT_MS = 5000;

interface ProbeJob {
  outputName: string;
  senderName: string;
  rate: { num: number; den: number };
  samples: number;
}
type ProbeMessage = { type: 'source'; name: string } | { type: 'done'; latencies: number[]; misses: number } | { type: 'failed'; message: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function print(name: string, value: number, unit: string): void {
  console.log(`BENCH ${name} ${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

// ---- the probe (worker thread): a real sender and a real receiver -------------------

function barUyvy(barX: number): Uint8Array {
  const rgba = new Uint8Array(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 4;
      const v = x >= barX && x < barX + BAR_W ? 255 : 0;
      rgba[i] = rgba[i + 1] = rgba[i + 2] = v;
      rgba[i + 3] = 255;
    }
  }
  const uyvy = new Uint8Array(W * 2 * H);
  convertRgbaToUyvyJs({ src: rgba, srcWidth: W, srcHeight: H, dst: uyvy, width: W, height: H, stride: W * 2, level: 1, filter: 'bilinear' });
  return uyvy;
}

/** Mean luma per column bin of a UYVY frame (every 8th row). */
function profile(data: Uint8Array, width: number, height: number, stride: number): number[] {
  const sums = new Array<number>(BINS).fill(0);
  const counts = new Array<number>(BINS).fill(0);
  for (let y = 0; y < height; y += 8) {
    for (let x = 0; x < width; x += 2) {
      const bin = Math.min(BINS - 1, Math.floor((x * BINS) / width));
      sums[bin] = (sums[bin] as number) + (data[y * stride + x * 2 + 1] as number);
      counts[bin] = (counts[bin] as number) + 1;
    }
  }
  return sums.map((s, i) => s / Math.max(1, counts[i] as number));
}

function barProfile(barX: number): number[] {
  return Array.from({ length: BINS }, (_, bin) => {
    const x0 = (bin * W) / BINS;
    const x1 = ((bin + 1) * W) / BINS;
    return Math.max(0, Math.min(x1, barX + BAR_W) - Math.max(x0, barX)) / (x1 - x0);
  });
}

function correlation(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += ((a[i] as number) - ma) * ((b[i] as number) - mb);
    saa += ((a[i] as number) - ma) ** 2;
    sbb += ((b[i] as number) - mb) ** 2;
  }
  return saa === 0 || sbb === 0 ? 0 : sab / Math.sqrt(saa * sbb);
}

async function probe(job: ProbeJob, post: (m: ProbeMessage) => void): Promise<void> {
  const runtime = loadNdiRuntime();
  if (!runtime.ok) throw new Error(runtime.error.message);
  const lib: LibNdi = runtime.value.lib;
  const sender = lib.sendCreate({ p_ndi_name: job.senderName, p_groups: null, clock_video: false, clock_audio: false });
  if (!sender) throw new Error('NDIlib_send_create failed');
  const pictures = POSITIONS.map(barUyvy);
  const targets = POSITIONS.map(barProfile);
  let showing = 0;
  /** performance.now() of the first send of the picture now showing; null until it went out. */
  let firstSentAtMs: number | null = null;
  let stopped = false;
  const periodMs = (1000 * job.rate.den) / job.rate.num;
  const startMs = performance.now();
  let n = 0;
  const sendNext = () => {
    if (stopped) return;
    lib.sendVideo(sender, {
      xres: W,
      yres: H,
      FourCC: FOURCC_UYVY,
      frame_rate_N: job.rate.num,
      frame_rate_D: job.rate.den,
      picture_aspect_ratio: W / H,
      frame_format_type: FRAME_FORMAT_PROGRESSIVE,
      timecode: TIMECODE_SYNTHESIZE,
      p_data: pictures[showing] as unknown as NativePointer,
      line_stride_in_bytes: W * 2,
      p_metadata: null,
      timestamp: 0,
    });
    firstSentAtMs ??= performance.now();
    n++;
    setTimeout(sendNext, Math.max(0, startMs + n * periodMs - performance.now()));
  };
  sendNext();
  let receiver: NdiReceiver | null = null;
  try {
    const own = await findNdiSource(lib, (s) => s.name.endsWith(`(${job.senderName})`), { extraIps: '127.0.0.1', timeoutMs: 15_000 });
    if (!own) throw new Error(`the bench sender ${job.senderName} is not visible`);
    post({ type: 'source', name: own.name });
    const output = await findNdiSource(lib, (s) => s.name.endsWith(`(${job.outputName})`), { extraIps: '127.0.0.1', timeoutMs: 15_000 });
    if (!output) throw new Error(`the engine's output ${job.outputName} is not visible`);
    receiver = NdiReceiver.connect(lib, output, `${job.outputName} bench receiver`);
    const rx = receiver;
    /** Waits for the first output frame matching bar `index` (clearly more than the other); its receive time, or null. */
    const firstMatch = async (index: number, timeoutMs: number): Promise<number | null> => {
      const until = performance.now() + timeoutMs;
      while (performance.now() < until) {
        const frame = rx.poll();
        if (!frame) {
          await sleep(1);
          continue;
        }
        const p = profile(frame.data, frame.width, frame.height, frame.stride);
        const here = correlation(p, targets[index] as number[]);
        const there = correlation(p, targets[1 - index] as number[]);
        if (here > 0.6 && here > there + 0.3) return frame.receivedAtMs;
      }
      return null;
    };
    if ((await firstMatch(0, 60_000)) === null) throw new Error('the output never showed the input (is the model input-aware?)');
    const latencies: number[] = [];
    let misses = 0;
    for (let i = 0; i < job.samples; i++) {
      showing = 1 - showing;
      firstSentAtMs = null;
      const seenAt = await firstMatch(showing, SAMPLE_TIMEOUT_MS);
      if (seenAt === null || firstSentAtMs === null) misses++;
      else latencies.push(seenAt - firstSentAtMs);
      await sleep(150 + Math.random() * 150); // off the frame grid, so samples do not phase-lock
    }
    post({ type: 'done', latencies, misses });
  } finally {
    stopped = true;
    receiver?.close();
    lib.sendDestroy(sender);
  }
}

if (!isMainThread) {
  const port = parentPort!;
  probe(workerData as ProbeJob, (m) => port.postMessage(m)).catch((error: unknown) =>
    port.postMessage({ type: 'failed', message: (error as Error).message } satisfies ProbeMessage),
  );
}

// ---- the engine side (main thread) -----------------------------------------------------

async function main(): Promise<void> {
  const tag = `${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
  const outputName = `Cyclorama bench input out ${tag}`;
  const engine = await Engine.start({
    configDir: null,
    width: W,
    height: H,
    rate: OUT_RATE,
    ndi: { extraIps: '127.0.0.1', outputs: [{ name: outputName, width: W, height: H, rate: OUT_RATE }] },
  });
  engine.on('log', () => {});
  try {
    for (const rate of IN_RATES) {
      const senderName = `Cyclorama bench input src ${rate.label} ${tag}`;
      const worker = new Worker(new URL(import.meta.url), { workerData: { outputName, senderName, rate, samples: SAMPLES } satisfies ProbeJob });
      const fps: number[] = [];
      let key: string | null = null;
      const sampler = setInterval(() => {
        const row = key ? engine.state().inputs?.find((r) => r.key === key) : undefined;
        if (row?.state === 'connected') fps.push(row.fpsReceived);
      }, 500);
      const result = await new Promise<Extract<ProbeMessage, { type: 'done' }>>((resolve, reject) => {
        worker.on('message', (m: ProbeMessage) => {
          if (m.type === 'source') {
            key = `ndi:${m.name}`;
            void engine.dispatch(commandSchema.parse({ type: 'setInput', input: { source: { kind: 'ndi', name: m.name } }, strength: 0.5 }));
          } else if (m.type === 'done') resolve(m);
          else reject(new Error(m.message));
        });
        worker.on('error', reject);
      });
      clearInterval(sampler);
      await worker.terminate();
      const model = engine.state().stats;
      console.log(`# input ${rate.label}: ${result.latencies.length} samples, ${result.misses} missed; model ${model.modelFps} fps`);
      print(`input_to_output_ms_p50_in${rate.label}`, percentile(result.latencies, 50), 'ms');
      print(`input_to_output_ms_p95_in${rate.label}`, percentile(result.latencies, 95), 'ms');
      print(`input_fps_in${rate.label}`, fps.length ? fps.reduce((s, x) => s + x, 0) / fps.length : 0, 'fps');
      await engine.dispatch(commandSchema.parse({ type: 'setInput', input: null }));
    }
  } finally {
    await engine.stop();
  }
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
