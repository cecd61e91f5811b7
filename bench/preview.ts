/**
 * `npm run build && node dist/bench/preview.js`: what the standby preview costs, one
 * figure per line as `BENCH <name> <value> <unit>`.
 *  - standby_preview_ms: median request -> finished still (384x216, the second small
 *    generator in stepped mode, one intra-op thread), alone on the machine;
 *  - standby_preview_p95_ms: its 95th percentile;
 *  - standby_preview_live_ms: median while the engine's live model streams 1080p
 *    (the situation on a show: both compete for the cores);
 *  - live_model_fps_with_preview: the live model's fps while stills are requested
 *    back to back (worst case; on a show a still is made a few times a minute).
 *  - display_scale_<W>x<H>_ms: a display output's per-frame CPU cost on the engine
 *    thread, 1080p program frame -> transport size (crop scaler, JS), median; the
 *    bytes per frame and per second at 29.97 fps are printed with it.
 * Env: BENCH_PREVIEW_STILLS (default 60).
 */
import { engineNowMs } from '../app/engine/clock.js';
import { Engine } from '../app/engine/engine.js';
import { builtinModelDir, loadModelFolder } from '../app/engine/generate/model-folder.js';
import { StandbyPreview } from '../app/engine/preview/standby-preview.js';
import { Downscaler } from '../app/engine/frames/downscale.js';

const STILLS = Number(process.env.BENCH_PREVIEW_STILLS ?? 60);
const PROMPTS = ['sunset over the desert', 'neon night city', 'underwater caustics', 'snow forest dawn', 'deep green forest moss', 'storm clouds'];

function print(name: string, value: number, unit: string): void {
  console.log(`BENCH ${name} ${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`);
}
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

async function stills(preview: StandbyPreview, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = engineNowMs();
    const still = await preview.renderOnce({ prompt: PROMPTS[i % PROMPTS.length] as string, seed: i + 1 }, i * 40);
    if (!still.ok) throw new Error(still.error.message);
    times.push(engineNowMs() - started);
  }
  return times;
}

function displayScaleFigures(): void {
  const source = new Uint8Array(1920 * 1080 * 4);
  for (let i = 0; i < source.length; i++) source[i] = (i * 2654435761) >>> 24;
  for (const [width, height] of [[640, 360], [960, 540], [1920, 1080]] as const) {
    const scaler = new Downscaler(1920, 1080, width, height);
    const target = new Uint8Array(width * height * 4);
    const times: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t = engineNowMs();
      scaler.run(source, target, 1);
      times.push(engineNowMs() - t);
    }
    print(`display_scale_${width}x${height}_ms`, percentile(times.slice(5), 50), 'ms');
    print(`display_bytes_${width}x${height}_per_s`, (width * height * 4 * 30000) / 1001 / 1e6, 'MB/s');
  }
}

displayScaleFigures();
const folder = loadModelFolder(builtinModelDir());
if (!folder.ok) throw new Error(folder.error.message);
const preview = await StandbyPreview.start({ model: folder.value, showEpochMs: engineNowMs(), provider: 'cpu' });
if (!preview.ok) throw new Error(preview.error.message);
await stills(preview.value, 5); // warm-up
const alone = await stills(preview.value, STILLS);
print('standby_preview_ms', percentile(alone, 50), 'ms');
print('standby_preview_p95_ms', percentile(alone, 95), 'ms');

const engine = await Engine.start({ configDir: null, width: 1920, height: 1080 });
await new Promise((r) => setTimeout(r, 3000));
const fpsBefore = engine.state().stats.modelFps;
const generatedBefore = engine.state().stats.generatedFrames;
const t0 = engineNowMs();
const live = await stills(preview.value, STILLS);
const fpsDuring = ((engine.state().stats.generatedFrames - generatedBefore) * 1000) / (engineNowMs() - t0);
print('standby_preview_live_ms', percentile(live, 50), 'ms');
print('live_model_fps_alone', fpsBefore, 'fps');
print('live_model_fps_with_preview', fpsDuring, 'fps');
await engine.stop();
await preview.value.stop();
