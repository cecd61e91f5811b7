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
 *  - thumbnail_ms / thumbnail_p95_ms: one cue thumbnail (preview/cue-thumbnails.ts:
 *    a 384x216 still on the same renderer, downscaled to 160x90, wire message), alone;
 *  - thumbnails_<N>_cues_ms: a show of N cues loaded at once, until every thumbnail
 *    is made (paced to half the still thread, preview/still-queue.ts), alone;
 *  - thumbnails_<N>_cues_live_ms, live_model_fps_with_thumbnails: the same show
 *    loaded into the running 1080p engine (its own renderer), and the live model's fps
 *    meanwhile (compare live_model_fps_before_thumbnails, the same measure over 2 s
 *    just before);
 *  - standby_with_thumbnails_queued_ms: a standby change right after that load, to its
 *    still: the standby still goes ahead of the queued thumbnails.
 * Env: BENCH_PREVIEW_STILLS (default 60), BENCH_THUMBNAIL_CUES (default 100).
 */
import { engineNowMs } from '../app/engine/clock.js';
import { Engine } from '../app/engine/engine.js';
import { builtinModelDir, loadModelFolder } from '../app/engine/generate/model-folder.js';
import { StandbyPreview } from '../app/engine/preview/standby-preview.js';
import { Downscaler } from '../app/engine/frames/downscale.js';
import { CueThumbnails } from '../app/engine/preview/cue-thumbnails.js';
import type { CueLook } from '../app/engine/preview/thumbnail-cache.js';

const STILLS = Number(process.env.BENCH_PREVIEW_STILLS ?? 60);
const THUMBNAIL_CUES = Number(process.env.BENCH_THUMBNAIL_CUES ?? 100);
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

async function until(probe: () => boolean, timeoutMs = 120_000): Promise<void> {
  const end = engineNowMs() + timeoutMs;
  while (!probe()) {
    if (engineNowMs() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** A show of `count` cues with distinct looks (`salt` keeps them apart from an earlier run's). */
function showOf(count: number, salt: number): CueLook[] {
  return Array.from({ length: count }, (_, i) => ({ id: `c${i + 1}`, look: { prompt: PROMPTS[i % PROMPTS.length] as string, seed: salt * 1000 + i + 1, params: {} } }));
}

/** Loads a show into a fresh thumbnail cache on `renderer`: per-thumbnail cost and the time until all are made. */
async function thumbnailRun(renderer: StandbyPreview, count: number, salt: number): Promise<{ each: number[]; totalMs: number }> {
  const each: number[] = [];
  // The renderer records a thumbnail's time right after its listeners ran: read it then.
  const thumbnails = new CueThumbnails(() => queueMicrotask(() => each.push(renderer.lastThumbnailMs as number)));
  const started = engineNowMs();
  thumbnails.update(renderer, showOf(count, salt));
  await until(() => each.length >= count);
  return { each, totalMs: engineNowMs() - started };
}

function displayScaleFigures(): void {
  const source = new Uint8Array(1920 * 1080 * 4);
  for (let i = 0; i < source.length; i++) source[i] = (i * 2654435761) >>> 24;
  for (const [width, height] of [
    [640, 360],
    [960, 540],
    [1920, 1080],
  ] as const) {
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
await thumbnailRun(preview.value, 10, 1); // warm-up
const thumbnailsAlone = await thumbnailRun(preview.value, THUMBNAIL_CUES, 2);
print('thumbnail_ms', percentile(thumbnailsAlone.each, 50), 'ms');
print('thumbnail_p95_ms', percentile(thumbnailsAlone.each, 95), 'ms');
print(`thumbnails_${THUMBNAIL_CUES}_cues_ms`, thumbnailsAlone.totalMs, 'ms');

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

// The same show loaded into the running engine: its own still renderer makes the thumbnails.
let engineThumbnails = 0;
engine.on('thumbnail', () => engineThumbnails++);
const standbyStills: number[] = [];
engine.on('standby', () => standbyStills.push(engineNowMs()));
await new Promise((r) => setTimeout(r, 1000));
// The same measure as during the load (frames over the window), without it.
const quietFrames = engine.state().stats.generatedFrames;
const quietStarted = engineNowMs();
await new Promise((r) => setTimeout(r, 2000));
print('live_model_fps_before_thumbnails', ((engine.state().stats.generatedFrames - quietFrames) * 1000) / (engineNowMs() - quietStarted), 'fps');
const generatedBeforeLoad = engine.state().stats.generatedFrames;
const loadStarted = engineNowMs();
for (const cue of showOf(THUMBNAIL_CUES, 3)) engine.dispatch({ type: 'addCue', patch: { prompt: cue.look.prompt, seed: cue.look.seed } });
const lastCueId = engine.state().show?.document.cues.at(-1)?.id as string;
const standbyAsked = engineNowMs();
const stillsBefore = standbyStills.length;
engine.dispatch({ type: 'standby', cueId: lastCueId });
await until(() => standbyStills.length > stillsBefore);
print('standby_with_thumbnails_queued_ms', (standbyStills[stillsBefore] as number) - standbyAsked, 'ms');
await until(() => engineThumbnails >= THUMBNAIL_CUES);
const loadMs = engineNowMs() - loadStarted;
print(`thumbnails_${THUMBNAIL_CUES}_cues_live_ms`, loadMs, 'ms');
print('live_model_fps_with_thumbnails', ((engine.state().stats.generatedFrames - generatedBeforeLoad) * 1000) / loadMs, 'fps');
await engine.stop();
await preview.value.stop();
