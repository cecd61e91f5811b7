/**
 * The latent noise a seed gives: one fixed Gaussian field per (seed, stream),
 * the same every frame (temporal stability), and with `motion` a drift along
 * the sphere from field to field over show time. Fields are generated once and
 * kept for the few seeds in use.
 */
import { gaussianNoise, slerp } from './latent-math.js';

/** Noise fields kept: the current and previous seed, each with two drift streams, and some slack. */
const FIELDS_KEPT = 8;

export class SeedNoise {
  private readonly fields = new Map<string, Float32Array>();

  /** `size`: values per field (the latent's channels x height x width). */
  constructor(private readonly size: number) {}

  private field(seed: number, stream: number): Float32Array {
    const key = `${seed}:${stream}`;
    let noise = this.fields.get(key);
    if (!noise) {
      if (this.fields.size >= FIELDS_KEPT) this.fields.delete(this.fields.keys().next().value as string);
      noise = gaussianNoise(new Float32Array(this.size), seed, stream);
      this.fields.set(key, noise);
    }
    return noise;
  }

  /**
   * Writes the seed's noise at `showTimeMs` into `out`: still for motion 0, else
   * drifting `motion` fields per second. Returns a key that changes exactly when the noise does.
   */
  at(seed: number, showTimeMs: number, motion: number, out: Float32Array): string {
    if (motion <= 0) {
      out.set(this.field(seed, 0));
      return `${seed}`;
    }
    const position = (showTimeMs / 1000) * motion;
    const k = Math.floor(position);
    const frac = position - k;
    slerp(this.field(seed, k), this.field(seed, k + 1), frac, out);
    return `${seed}@${position}`;
  }
}
