/**
 * The one denoising step (StreamDiffusion img2img, Euler form of the
 * scheduler at the strength's timestep), on float32 latents:
 *
 *   x_t    = x0(previous frame) + sigma * noise        (noise alone without feedback)
 *   sample = x_t / sqrt(sigma^2 + 1)                   the UNet's input scaling (c_in)
 *   x0     = x_t - sigma * eps                         epsilon prediction
 *   x0     = x_t / (sigma^2 + 1) - eps * sigma * c_in  v prediction
 */
import type { NoiseSchedule } from './schedule.js';

/** Fills `xt` and the UNet's `sample` for one step; `previous` null = no feedback (text-to-image). */
export function noisedSample(previous: Float32Array | null, noise: Float32Array, sigma: number, xt: Float32Array, sample: Float32Array): void {
  const n = xt.length;
  for (let i = 0; i < n; i++) xt[i] = (previous ? (previous[i] as number) : 0) + sigma * (noise[i] as number);
  const cIn = 1 / Math.sqrt(sigma * sigma + 1);
  for (let i = 0; i < n; i++) sample[i] = (xt[i] as number) * cIn;
}

/** The denoised latent x0 from the UNet's output `eps`, into `out`. */
export function denoised(xt: Float32Array, eps: Float32Array, sigma: number, prediction: NoiseSchedule['predictionType'], out: Float32Array): void {
  const n = out.length;
  if (prediction === 'v_prediction') {
    const cIn = 1 / Math.sqrt(sigma * sigma + 1);
    const a = 1 / (sigma * sigma + 1);
    const b = sigma * cIn;
    for (let i = 0; i < n; i++) out[i] = (xt[i] as number) * a - (eps[i] as number) * b;
  } else {
    for (let i = 0; i < n; i++) out[i] = (xt[i] as number) - sigma * (eps[i] as number);
  }
}
