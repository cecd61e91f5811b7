import { describe, expect, it } from 'vitest';
import { cosineSimilarity, fromHalf, gaussianNoise, mulberry32, slerp, toHalf } from '../../../../../app/engine/generate/turbo/latent-math.js';
import { alphasCumprod, stepForStrength, TURBO_SCHEDULE } from '../../../../../app/engine/generate/turbo/schedule.js';

const norm = (v: Float32Array, start = 0, end = v.length) => {
  let s = 0;
  for (let i = start; i < end; i++) s += (v[i] as number) ** 2;
  return Math.sqrt(s);
};

describe('seeded noise', () => {
  it('is the same for the same seed and stream, and unrelated otherwise', () => {
    const a = gaussianNoise(new Float32Array(4096), 7);
    const b = gaussianNoise(new Float32Array(4096), 7);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Math.abs(cosineSimilarity(a, gaussianNoise(new Float32Array(4096), 8)))).toBeLessThan(0.1);
    expect(Math.abs(cosineSimilarity(a, gaussianNoise(new Float32Array(4096), 7, 1)))).toBeLessThan(0.1);
  });
  it('is standard normal', () => {
    const n = gaussianNoise(new Float32Array(100_000), 3);
    let mean = 0;
    for (const v of n) mean += v;
    mean /= n.length;
    let variance = 0;
    for (const v of n) variance += (v - mean) ** 2;
    variance /= n.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
    expect(mulberry32(1)()).toBe(mulberry32(1)());
  });
});

describe('slerp', () => {
  const a = gaussianNoise(new Float32Array(256), 1);
  const b = gaussianNoise(new Float32Array(256), 2);
  it('returns the inputs at the endpoints', () => {
    expect(Array.from(slerp(a, b, 0, new Float32Array(256)))).toEqual(Array.from(a));
    expect(Array.from(slerp(a, b, 1, new Float32Array(256)))).toEqual(Array.from(b));
  });
  it('keeps the norm of equal-norm inputs (a lerp would shrink it) and halves the angle', () => {
    const bScaled = b.map((v) => (v * norm(a)) / norm(b));
    const mid = slerp(a, bScaled, 0.5, new Float32Array(256));
    expect(norm(mid)).toBeCloseTo(norm(a), 3);
    const lerp = a.map((v, i) => (v + (bScaled[i] as number)) / 2);
    expect(norm(lerp)).toBeLessThan(norm(a) * 0.8);
    expect(cosineSimilarity(mid, a)).toBeCloseTo(cosineSimilarity(mid, bScaled), 5);
  });
  it('works row by row (per token), each row keeping its own norm', () => {
    const rows = new Float32Array(512);
    rows.set(a, 0);
    rows.set(
      a.map((v) => v * 10),
      256,
    );
    const other = new Float32Array(512);
    other.set(
      b.map((v) => (v * norm(a)) / norm(b)),
      0,
    );
    other.set(
      b.map((v) => (v * 10 * norm(a)) / norm(b)),
      256,
    );
    const out = slerp(rows, other, 0.3, new Float32Array(512), 256);
    expect(norm(out, 0, 256)).toBeCloseTo(norm(a), 3);
    expect(norm(out, 256, 512)).toBeCloseTo(10 * norm(a), 2);
  });
});

describe('float16', () => {
  it('round-trips values at half precision', () => {
    // Half keeps 11 significant bits: a relative error of at most 2^-11 (plus the subnormal step).
    for (const v of [0, 1, -2.5, 0.1, 65504, 1e-5, -14.6146]) expect(Math.abs(fromHalf(toHalf(v)) - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 2 ** -25);
    expect(toHalf(1)).toBe(0x3c00);
    expect(fromHalf(toHalf(1e6))).toBe(Infinity);
  });
});

describe('turbo schedule', () => {
  const cumprod = alphasCumprod(TURBO_SCHEDULE);
  it('has sigma 14.6146 at the last step (the init noise sigma of the exports)', () => {
    expect(stepForStrength(TURBO_SCHEDULE, cumprod, 1).timestep).toBe(999);
    expect(stepForStrength(TURBO_SCHEDULE, cumprod, 1).sigma).toBeCloseTo(14.6146, 3);
  });
  it('maps strength to a timestep; less strength, less noise', () => {
    const half = stepForStrength(TURBO_SCHEDULE, cumprod, 0.5);
    expect(half.timestep).toBe(499);
    expect(half.sigma).toBeLessThan(stepForStrength(TURBO_SCHEDULE, cumprod, 0.8).sigma);
    expect(stepForStrength(TURBO_SCHEDULE, cumprod, 0).timestep).toBeGreaterThanOrEqual(1);
  });
});
