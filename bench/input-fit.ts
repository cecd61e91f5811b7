/**
 * `npm run bench:input-fit`: the cost of fitting a live input to the model's working
 * size (app/engine/inputs/fit.ts), on the input's worker thread in the app; here on the
 * main thread, one frame at a time, median of BENCH_FIT_FRAMES (default 60) frames:
 *  - input_fit_1080p_ms: 1920x1080 RGBX (NDI stride) -> 512x512, fill (box filter, 3.75x/2.1x shrink)
 *  - input_fit_1080p_to_1024x576_ms: -> 1024x576 crop (bilinear)
 *  - input_fit_1080p_to_1080p_ms: same size (the copy path)
 *  - input_fit_4k_to_512_ms: 3840x2160 -> 512x288 fit (box, 8x8 taps capped)
 */
import { Fitter, type FitSource } from '../app/engine/inputs/fit.js';
import type { InputFit } from '../app/contract/inputs.js';

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
}

const hd = source(1920, 1080);
measure('input_fit_1080p_ms', hd, 'fill', 512, 512);
measure('input_fit_1080p_to_1024x576_ms', hd, 'crop', 1024, 576);
measure('input_fit_1080p_to_1080p_ms', hd, 'fill', 1920, 1080);
measure('input_fit_4k_to_512_ms', source(3840, 2160), 'fit', 512, 288);
