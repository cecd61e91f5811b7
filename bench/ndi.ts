/**
 * `npm run bench:ndi`: NDI output figures, one per line as `BENCH <name> <value> <unit>`.
 *  - ndi_send_ms_per_frame: CPU time of the whole process (process.cpuUsage: our
 *    conversion + libndi's encoder threads) per 1080p59.94 frame sent through
 *    NdiFrameSink, every frame new (converted), paced at the output rate.
 *  - ndi_send_call_ms_per_frame: wall time of NdiFrameSink.send on the clock's thread
 *    (the RGBA -> UYVY conversion plus handing the frame to libndi's send off-thread).
 *  - ndi_send_ratio_vs_grandiose: ndi_send_ms_per_frame over the same figure for grandiose
 *    (grandiose-mac, a dev-only dependency) sending the same frames through the same
 *    converter at the same pace, in a child process of its own (bench/ndi-grandiose.ts:
 *    grandiose brings its own libndi). Goal <= 0.9. Where grandiose cannot load, the reason.
 *  - ndi_missed_ticks: a 1080p59.94 NDI output's missed ticks over BENCH_NDI_SECONDS
 *    (default 60) while the built-in model runs in the engine.
 * Env: BENCH_NDI_FRAMES (default 600), BENCH_NDI_SECONDS (default 60).
 */
import { Engine } from '../app/engine/engine.js';
import { loadNdiRuntime } from '../app/engine/ndi/runtime.js';
import { uyvyConverter } from '../app/engine/ndi/pixels.js';
import { NdiFrameSink } from '../app/engine/outputs/ndi-frame-sink.js';
import type { GeneratedFrame } from '../app/engine/generate/generator.js';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { H, RATE, sourceFrames, W } from './ndi-frames.js';

const FRAMES = Number(process.env.BENCH_NDI_FRAMES ?? 600);
const SECONDS = Number(process.env.BENCH_NDI_SECONDS ?? 60);

function print(name: string, value: number, unit: string): void {
  console.log(`BENCH ${name} ${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function removeMarker(name: string): void {
  const marker = `/tmp/NTK_SEND_${name}`;
  if (existsSync(marker)) rmSync(marker, { force: true });
}

async function sendFigures(): Promise<number> {
  const runtime = loadNdiRuntime();
  if (!runtime.ok) throw new Error(runtime.error.message);
  const { converter, note } = uyvyConverter();
  console.log(`# ${runtime.value.version} (${runtime.value.source}); ${note}`);
  const name = `Cyclorama Bench ${process.pid}`;
  const opened = NdiFrameSink.open(runtime.value.lib, { id: 'bench', name, width: W, height: H, rate: RATE }, converter);
  if (!opened.ok) throw new Error(opened.error.message);
  const sink = opened.value;
  // A few distinct source frames, cycled, each send a new sequence: every frame is converted.
  const sources = sourceFrames();
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
  const msPerFrame = (cpu.user + cpu.system) / 1000 / FRAMES;
  print('ndi_send_ms_per_frame', msPerFrame, 'ms');
  print('ndi_send_call_ms_per_frame', convertMs / FRAMES, 'ms');
  console.log(`# ${FRAMES} frames 1920x1080 UYVY async in ${wallS.toFixed(1)} s (${(FRAMES / wallS).toFixed(2)} fps paced at 59.94)`);
  return msPerFrame;
}

/** grandiose on the same frames, in its own process (it loads its own libndi); the ratio, or why not. */
function grandioseFigures(oursMsPerFrame: number): void {
  const fromSource = import.meta.url.endsWith('.ts');
  const child = fileURLToPath(new URL(fromSource ? './ndi-grandiose.ts' : './ndi-grandiose.js', import.meta.url));
  const execArgv = fromSource ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href] : [];
  let out: string;
  try {
    out = execFileSync(process.execPath, [...execArgv, child, String(FRAMES)], { encoding: 'utf8', timeout: 120_000 });
  } catch (error) {
    console.log(`# grandiose not measured: its bench process failed (${(error as Error).message.split('\n')[0]})`);
    return;
  }
  const result = /^RESULT (.*)$/m.exec(out);
  if (!result) {
    console.log(`# grandiose not measured: ${/^UNAVAILABLE (.*)$/m.exec(out)?.[1] ?? out.trim().slice(-300)}`);
    return;
  }
  const { msPerFrame, fps } = JSON.parse(result[1] as string) as { msPerFrame: number; fps: number };
  print('ndi_send_ms_per_frame_grandiose', msPerFrame, 'ms');
  print('ndi_send_ratio_vs_grandiose', oursMsPerFrame / msPerFrame, 'ratio');
  console.log(`# grandiose-mac: the same ${FRAMES} frames and converter, send_video_v2 on its worker thread, ${fps.toFixed(2)} fps paced at 59.94`);
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

grandioseFigures(await sendFigures());
await missedTicks();
