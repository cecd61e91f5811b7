/**
 * Small numeric helpers of the turbo pipeline, pure and allocation-aware:
 * a seeded PRNG (no Math.random anywhere), Gaussian noise, slerp, cosine
 * similarity, and float16 <-> float32 for fp16 exports (Node 20 has no
 * Float16Array; onnxruntime-node hands fp16 tensors over as Uint16Array).
 */

/** mulberry32: a tiny 32-bit PRNG; the same seed gives the same stream on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes a seed and a stream index into one 32-bit seed (so noise k of seed s is independent of noise k+1). */
export function mixSeed(seed: number, stream: number): number {
  let h = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream | 0, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}

/** Standard normal noise into `out` (Box-Muller on mulberry32), deterministic for (seed, stream). */
export function gaussianNoise(out: Float32Array, seed: number, stream = 0): Float32Array {
  const next = mulberry32(mixSeed(seed, stream));
  for (let i = 0; i < out.length; i += 2) {
    const u = 1 - next(); // (0, 1]: log never sees 0
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

function dot(a: Float32Array, b: Float32Array, start: number, end: number): number {
  let s = 0;
  for (let i = start; i < end; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** Cosine similarity of two equal-length vectors (1 for identical directions; 1 when both are zero). */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  const ab = dot(a, b, 0, a.length);
  const aa = dot(a, a, 0, a.length);
  const bb = dot(b, b, 0, b.length);
  if (aa === 0 && bb === 0) return 1;
  if (aa === 0 || bb === 0) return 0;
  return ab / Math.sqrt(aa * bb);
}

/**
 * Spherical interpolation of `a` -> `b` by `t` into `out`, row by row (`rowSize`
 * elements each; the whole vector when omitted). Per-row slerp keeps each token
 * embedding on its own sphere, as CLIP's per-position norms differ a lot (the
 * BOS position is far larger than the rest). Endpoints are exact copies; the
 * norm follows the endpoints' norms linearly (equal norms are preserved); nearly
 * parallel rows fall back to a linear blend.
 */
export function slerp(a: Float32Array, b: Float32Array, t: number, out: Float32Array, rowSize = a.length): Float32Array {
  if (t <= 0) {
    out.set(a);
    return out;
  }
  if (t >= 1) {
    out.set(b);
    return out;
  }
  for (let start = 0; start < a.length; start += rowSize) {
    const end = Math.min(a.length, start + rowSize);
    const na = Math.sqrt(dot(a, a, start, end));
    const nb = Math.sqrt(dot(b, b, start, end));
    const cos = na > 0 && nb > 0 ? Math.max(-1, Math.min(1, dot(a, b, start, end) / (na * nb))) : 1;
    const omega = Math.acos(cos);
    if (omega < 1e-4) {
      for (let i = start; i < end; i++) out[i] = (a[i] as number) + ((b[i] as number) - (a[i] as number)) * t;
      continue;
    }
    // Interpolate the directions on the unit sphere, then the length linearly.
    const sin = Math.sin(omega);
    const wa = Math.sin((1 - t) * omega) / sin / na;
    const wb = Math.sin(t * omega) / sin / nb;
    const length = na + (nb - na) * t;
    for (let i = start; i < end; i++) out[i] = ((a[i] as number) * wa + (b[i] as number) * wb) * length;
  }
  return out;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half bits of a float (round to nearest even; overflow to infinity). */
export function toHalf(value: number): number {
  f32[0] = value;
  const x = u32[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}

/** Float value of IEEE half bits. */
export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

export function toHalfArray(src: Float32Array, out: Uint16Array): Uint16Array {
  for (let i = 0; i < src.length; i++) out[i] = toHalf(src[i] as number);
  return out;
}

export function fromHalfArray(src: Uint16Array, out: Float32Array): Float32Array {
  for (let i = 0; i < src.length; i++) out[i] = fromHalf(src[i] as number);
  return out;
}
