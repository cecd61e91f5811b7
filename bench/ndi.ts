/**
 * `npm run bench:ndi`: NDI output figures, one per line as `BENCH <name> <value> <unit>`.
 *  - ndi_send_ms_per_frame: CPU time of the whole process (process.cpuUsage: our
 *    conversion + libndi's encoder threads) per 1080p59.94 frame sent through
 *    NdiFrameSink, every frame new (converted), paced at the output rate.
 *  - ndi_send_call_ms_per_frame: wall time of NdiFrameSink.send on the clock's thread
 *    (the RGBA -> UYVY conversion plus handing the frame to libndi's send off-thread).
 *  - ndi_missed_ticks: a 1080p59.94 NDI output's missed ticks over BENCH_NDI_SECONDS
 *    (default 60) while the built-in model runs in the engine.
 * Env: BENCH_NDI_FRAMES (default 600), BENCH_NDI_SECONDS (default 60).
 */
import { Engine } from '../app/engine/engine.js';
import { loadNdiRuntime } from '../app/engine/ndi/runtime.js';
import { uyvyConverter } from '../app/engine/ndi/pixels.js';
import { NdiFrameSink } from '../app/engine/outputs/ndi-frame-sink.js';
import type { GeneratedFrame } from '../app/engine/generate/generator.js';
import { existsSync, rmSync } from 'node:fs';

const FRAMES = Number(process.env.BENCH_NDI_FRAMES ?? 600);
const SECONDS = Number(process.env.BENCH_NDI_SECONDS ?? 60);
const W = 1920;
const H = 1080;
const RATE = { num: 60000, den: 1001 };

function print(name: string, value: number, unit: string): void {
  console.log(`BENCH ${name} ${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A smooth moving pattern (never random noise: that hangs libndi's send). */
function pattern(t: number, into: Uint8Array): void {
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 4;
      into[i] = (x + t * 4) & 255;
      into[i + 1] = (y + t * 2) & 255;
      into[i + 2] = ((x + y) >> 2) & 255;
      into[i + 3] = 255;
    }
  }
}

function removeMarker(name: string): void {
  const marker = `/tmp/NTK_SEND_${name}`;
  if (existsSync(marker)) rmSync(marker, { force: true });
}

async function sendFigures(): Promise<void> {
  const runtime = loadNdiRuntime();
  if (!runtime.ok) throw new Error(runtime.error.message);
  const { converter, note } = uyvyConverter();
  console.log(`# ${runtime.value.version} (${runtime.value.source}); ${note}`);
  const name = `Cyclorama Bench ${process.pid}`;
  const opened = NdiFrameSink.open(runtime.value.lib, { id: 'bench', name, width: W, height: H, rate: RATE }, converter);
  if (!opened.ok) throw new Error(opened.error.message);
  const sink = opened.value;
  // A few distinct source frames, cycled, each send a new sequence: every frame is converted.
  const sources = Array.from({ length: 8 }, (_, t) => {
    const pixels = new Uint8Array(W * H * 4);
    pattern(t, pixels);
    return pixels;
  });
  const frame = (n: number): GeneratedFrame => ({
    pixels: sources[n % sources.length] as Uint8Array,
    width: W,
    height: H,
    lookId: 1,
    sequence: n,
    showTimeMs: 0,
    inferMs: 0,
    doneAtMs: 0,
    requestId: null,
  });
  const periodMs = (RATE.den * 1000) / RATE.num;
  for (let n = 0; n < 30; n++) sink.send({ frame: frame(n), fresh: true, level: 1, tick: n }); // warm
  await sleep(200);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let convertMs = 0;
  for (let n = 0; n < FRAMES; n++) {
    const c0 = performance.now();
    sink.send({ frame: frame(n + 30), fresh: true, level: 1, tick: n + 30 });
    convertMs += performance.now() - c0;
    const due = t0 + (n + 1) * periodMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
  }
  const cpu = process.cpuUsage(cpu0);
  const wallS = (performance.now() - t0) / 1000;
  sink.close();
  removeMarker(name);
  print('ndi_send_ms_per_frame', (cpu.user + cpu.system) / 1000 / FRAMES, 'ms');
  print('ndi_send_call_ms_per_frame', convertMs / FRAMES, 'ms');
  console.log(`# ${FRAMES} frames 1920x1080 UYVY async in ${wallS.toFixed(1)} s (${(FRAMES / wallS).toFixed(2)} fps paced at 59.94)`);
  console.log(
    '# grandiose not measured: grandiose-mac installs only with "overrides": {"pkg-prebuilds": "1.0.0"} in package.json and a node-gyp build of its addon (its git dependency fails offline); that would change the main install, so it is left out. Measured once by hand on a dev machine: grandiose 5.1 ms/frame UYVY vs 4.4 ms through libndi directly (bench/README.md).',
  );
}

async function missedTicks(): Promise<void> {
  const name = `Cyclorama Bench Engine ${process.pid}`;
  const engine = await Engine.start({ width: W, height: H, configDir: null, ndi: { outputs: [{ name, rate: RATE }] } });
  try {
    if (engine.state().model.status !== 'running') throw new Error(`model did not start: ${JSON.stringify(engine.state().recentErrors)}`);
    await sleep(2000); // the output opens on the next turn; let the model warm up
    const output = () => engine.state().outputs.find((o) => o.kind === 'ndi');
    const preview = () => engine.state().outputs.find((o) => o.id === 'preview');
    const previewBefore = preview()?.missedTicks ?? 0;
    const before = output();
    if (!before || before.status !== 'running') throw new Error(`NDI output not running: ${JSON.stringify(before)}`);
    const generated0 = engine.state().stats.generatedFrames;
    const t0 = performance.now();
    await sleep(SECONDS * 1000);
    const after = output()!;
    const seconds = (performance.now() - t0) / 1000;
    print('ndi_missed_ticks', after.missedTicks - before.missedTicks, 'ticks');
    console.log(
      `# ${seconds.toFixed(0)} s at 1080p59.94 with the built-in model on ${engine.state().model.provider}: ` +
        `${after.freshFrames + after.repeatedFrames - before.freshFrames - before.repeatedFrames} ticks sent, ` +
        `model ${((engine.state().stats.generatedFrames - generated0) / seconds).toFixed(1)} fps; ` +
        `the console preview's own clock (29.97, same thread) missed ${(preview()?.missedTicks ?? 0) - previewBefore} ticks meanwhile`,
    );
  } finally {
    await engine.stop();
    removeMarker(name);
  }
}

await sendFigures();
await missedTicks();
