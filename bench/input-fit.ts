/**
 * `npm run bench:input-fit`: the cost of fitting a live input to the model's working
 * size (app/engine/inputs/fit.ts), on the input's worker thread in the app; here on the
 * main thread, one frame at a time, median of BENCH_FIT_FRAMES (default 60) frames:
 *  - input_fit_1080p_ms: 1920x1080 RGBX (NDI stride) -> 512x512, fill (box filter, 3.75x/2.1x shrink)
 *  - input_fit_1080p_to_1024x576_ms: -> 1024x576 crop (bilinear)
 *  - input_fit_1080p_to_1080p_ms: same size (the copy path)
 *  - input_fit_4k_to_512_ms: 3840x2160 -> 512x288 fit (box)
 *  - input_picture_for_us: one InputSet.pictureFor on a connected input (what the inference
 *    thread pays per step when nothing changed: a shared-memory read), microseconds
 *  - input_crossfade_512_ms: one pictureFor during a transition between two inputs at 512x512
 *    (the blend on the inference thread), a new mix every call
 * The figures are medians; on a loaded machine compare the `_min_` lines.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { Fitter, type FitSource } from '../app/engine/inputs/fit.js';
import { InputSet } from '../app/engine/inputs/input-set.js';
import type { InputFit, LookInput } from '../app/contract/inputs.js';

const FRAMES = Number(process.env.BENCH_FIT_FRAMES ?? 60);

function source(width: number, height: number): FitSource {
  const stride = width * 4;
  const data = new Uint8Array(stride * height);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
  return { data, width, height, stride };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function measure(name: string, src: FitSource, fit: InputFit, w: number, h: number): void {
  const fitter = new Fitter();
  for (let i = 0; i < 5; i++) fitter.fit(src, fit, w, h); // warm-up (tables, JIT)
  const times: number[] = [];
  for (let i = 0; i < FRAMES; i++) {
    const t0 = performance.now();
    fitter.fit(src, fit, w, h);
    times.push(performance.now() - t0);
  }
  console.log(`BENCH ${name} ${median(times).toFixed(2)} ms`);
  console.log(`BENCH ${name.replace(/_ms$/, '_min_ms')} ${Math.min(...times).toFixed(2)} ms`);
}

function stillPng(dir: string, name: string, grey: number): LookInput {
  const png = new PNG({ width: 1920, height: 1080 });
  png.data.fill(grey);
  const file = path.join(dir, name);
  writeFileSync(file, PNG.sync.write(png));
  return { source: { kind: 'image', path: file }, fit: 'fill' };
}

async function measurePictureFor(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cyclorama-bench-input-'));
  const set = new InputSet({ ndi: null });
  try {
    const a = stillPng(dir, 'a.png', 40);
    const b = stillPng(dir, 'b.png', 200);
    const until = performance.now() + 20_000;
    while ((!set.pictureFor(null, a, 1, 512, 512) || !set.pictureFor(null, b, 1, 512, 512)) && performance.now() < until) await new Promise((r) => setTimeout(r, 10));
    const calls = 10_000;
    let t0 = performance.now();
    for (let i = 0; i < calls; i++) set.pictureFor(null, b, 1, 512, 512);
    console.log(`BENCH input_picture_for_us ${(((performance.now() - t0) / calls) * 1000).toFixed(2)} us`);
    const times: number[] = [];
    for (let i = 0; i < FRAMES; i++) {
      t0 = performance.now();
      set.pictureFor(a, b, (i % 250) / 250 + 0.002, 512, 512);
      times.push(performance.now() - t0);
    }
    console.log(`BENCH input_crossfade_512_ms ${median(times).toFixed(2)} ms`);
  } finally {
    set.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const hd = source(1920, 1080);
measure('input_fit_1080p_ms', hd, 'fill', 512, 512);
measure('input_fit_1080p_to_1024x576_ms', hd, 'crop', 1024, 576);
measure('input_fit_1080p_to_1080p_ms', hd, 'fill', 1920, 1080);
measure('input_fit_4k_to_512_ms', source(3840, 2160), 'fit', 512, 288);
await measurePictureFor();
