/**
 * Any RGBA (or RGBX, as libndi hands it, with its own row stride) -> RGBA at the model's
 * working size, in one pass, into a buffer reused from frame to frame:
 *  - 'fill': stretch to the frame (every input pixel used);
 *  - 'fit':  contain, centred, black bars (alpha 255) around it;
 *  - 'crop': cover, centred, the overflow cut off.
 * Pixel centres map onto pixel centres (src = (dst + 0.5) * scale - 0.5, as every GPU
 * sampler does), so a 2x upscale of a 1-pixel bar stays centred where it was.
 *
 * Filter: bilinear while the picture shrinks by less than 2x on both axes; beyond that
 * a box filter (the mean of an n x n grid of point samples spread over the source area
 * behind each output pixel, n = ceil(shrink), at most 8), so a 4K source meets a 512 model
 * without the aliasing bilinear would give. Integer maths (8.8 fixed point). Output alpha
 * is always 255 (NDI's RGBX carries no alpha and the models ignore it).
 *
 * The tables (per output column and row) are kept while the geometry stays the same, so
 * a steady stream costs the inner loop only.
 */
import type { InputFit } from '../../contract/inputs.js';

export interface FitSource {
  data: Uint8Array;
  width: number;
  height: number;
  /** Bytes per source row (>= width * 4). */
  stride: number;
}

/** Above this shrink factor on either axis, box filtering replaces bilinear. */
const BOX_FROM_SHRINK = 2;
const MAX_BOX_TAPS = 8;

interface Placement {
  /** Destination rectangle the picture covers (the rest is black). */
  dx: number;
  dy: number;
  dw: number;
  dh: number;
  /** Source rectangle (fractional for 'crop') that maps onto it. */
  sx: number;
  sy: number;
  sw: number;
  sh: number;
}

/** Where the picture goes for this fit (exported for the tests and the bars' maths). */
export function placement(fit: InputFit, srcW: number, srcH: number, w: number, h: number): Placement {
  if (fit === 'fill') return { dx: 0, dy: 0, dw: w, dh: h, sx: 0, sy: 0, sw: srcW, sh: srcH };
  if (fit === 'fit') {
    const s = Math.min(w / srcW, h / srcH);
    const dw = Math.max(1, Math.min(w, Math.round(srcW * s)));
    const dh = Math.max(1, Math.min(h, Math.round(srcH * s)));
    return { dx: Math.floor((w - dw) / 2), dy: Math.floor((h - dh) / 2), dw, dh, sx: 0, sy: 0, sw: srcW, sh: srcH };
  }
  const s = Math.max(w / srcW, h / srcH);
  const sw = Math.min(srcW, w / s);
  const sh = Math.min(srcH, h / s);
  return { dx: 0, dy: 0, dw: w, dh: h, sx: (srcW - sw) / 2, sy: (srcH - sh) / 2, sw, sh };
}

/** Per-axis sample tables: for bilinear, two indices and a weight; for box, n indices. */
interface Axis {
  taps: number;
  /** Bilinear: [i0, i1] per output; box: `taps` indices per output (source pixel indices). */
  index: Int32Array;
  /** Bilinear weight of i1, 0..256. */
  weight: Uint16Array;
}

function bilinearAxis(count: number, start: number, span: number, srcSize: number): Axis {
  const index = new Int32Array(count * 2);
  const weight = new Uint16Array(count);
  const scale = span / count;
  for (let i = 0; i < count; i++) {
    let s = start + (i + 0.5) * scale - 0.5;
    if (s < 0) s = 0;
    if (s > srcSize - 1) s = srcSize - 1;
    const i0 = Math.floor(s);
    const i1 = Math.min(srcSize - 1, i0 + 1);
    index[i * 2] = i0;
    index[i * 2 + 1] = i1;
    weight[i] = Math.round((s - i0) * 256);
  }
  return { taps: 2, index, weight };
}

function boxAxis(count: number, start: number, span: number, srcSize: number, taps: number): Axis {
  const index = new Int32Array(count * taps);
  const scale = span / count;
  for (let i = 0; i < count; i++) {
    for (let t = 0; t < taps; t++) {
      // Sample at the centre of sub-cell t of the source interval behind output pixel i.
      const s = start + (i + (t + 0.5) / taps) * scale;
      index[i * taps + t] = Math.max(0, Math.min(srcSize - 1, Math.floor(s)));
    }
  }
  return { taps, index, weight: new Uint16Array(0) };
}

export class Fitter {
  private out = new Uint8Array(0);
  private key = '';
  private place: Placement | null = null;
  private xAxis: Axis | null = null;
  private yAxis: Axis | null = null;
  private box = false;

  /**
   * Fits `src` into a w x h RGBA buffer owned by this Fitter (reused: valid until the
   * next call with another size). `into` writes into the caller's buffer instead.
   */
  fit(src: FitSource, fit: InputFit, w: number, h: number, into?: Uint8Array): Uint8Array {
    const bytes = w * h * 4;
    let dst = into;
    if (!dst) {
      if (this.out.length !== bytes) this.out = new Uint8Array(bytes);
      dst = this.out;
    }
    if (dst.length < bytes) throw new Error(`fit: destination holds ${dst.length} bytes, ${w}x${h} RGBA needs ${bytes}`);
    if (src.width <= 0 || src.height <= 0 || src.stride < src.width * 4 || src.data.length < src.stride * (src.height - 1) + src.width * 4) {
      throw new Error(`fit: source ${src.width}x${src.height} with stride ${src.stride} does not match its ${src.data.length} bytes`);
    }
    this.prepare(src.width, src.height, fit, w, h);
    const p = this.place as Placement;
    if (p.dw !== w || p.dh !== h) this.fillBlack(dst, w, h, p);
    if (this.box) this.runBox(src, dst, w, p);
    else if (p.dw === src.width && p.dh === src.height && p.sx === 0 && p.sy === 0) this.runCopy(src, dst, w, p);
    else this.runBilinear(src, dst, w, p);
    return dst;
  }

  private prepare(srcW: number, srcH: number, fit: InputFit, w: number, h: number): void {
    const key = `${srcW}x${srcH}:${fit}:${w}x${h}`;
    if (key === this.key) return;
    const p = placement(fit, srcW, srcH, w, h);
    const shrinkX = p.sw / p.dw;
    const shrinkY = p.sh / p.dh;
    this.box = shrinkX >= BOX_FROM_SHRINK || shrinkY >= BOX_FROM_SHRINK;
    if (this.box) {
      const tx = Math.max(1, Math.min(MAX_BOX_TAPS, Math.ceil(shrinkX)));
      const ty = Math.max(1, Math.min(MAX_BOX_TAPS, Math.ceil(shrinkY)));
      this.xAxis = boxAxis(p.dw, p.sx, p.sw, srcW, tx);
      this.yAxis = boxAxis(p.dh, p.sy, p.sh, srcH, ty);
    } else {
      this.xAxis = bilinearAxis(p.dw, p.sx, p.sw, srcW);
      this.yAxis = bilinearAxis(p.dh, p.sy, p.sh, srcH);
    }
    this.place = p;
    this.key = key;
  }

  private fillBlack(dst: Uint8Array, w: number, h: number, p: Placement): void {
    for (let y = 0; y < h; y++) {
      const inside = y >= p.dy && y < p.dy + p.dh;
      const row = y * w * 4;
      for (let x = 0; x < w; x++) {
        if (inside && x >= p.dx && x < p.dx + p.dw) {
          x = p.dx + p.dw - 1;
          continue;
        }
        const i = row + x * 4;
        dst[i] = 0;
        dst[i + 1] = 0;
        dst[i + 2] = 0;
        dst[i + 3] = 255;
      }
    }
  }

  private runCopy(src: FitSource, dst: Uint8Array, w: number, p: Placement): void {
    const rowBytes = p.dw * 4;
    for (let y = 0; y < p.dh; y++) {
      const o = ((p.dy + y) * w + p.dx) * 4;
      dst.set(src.data.subarray(y * src.stride, y * src.stride + rowBytes), o);
      for (let i = o + 3; i < o + rowBytes; i += 4) dst[i] = 255;
    }
  }

  private runBilinear(src: FitSource, dst: Uint8Array, w: number, p: Placement): void {
    const xa = this.xAxis as Axis;
    const ya = this.yAxis as Axis;
    const data = src.data;
    const stride = src.stride;
    const xi = xa.index;
    const xw = xa.weight;
    for (let y = 0; y < p.dh; y++) {
      const r0 = (ya.index[y * 2] as number) * stride;
      const r1 = (ya.index[y * 2 + 1] as number) * stride;
      const fy = ya.weight[y] as number;
      const gy = 256 - fy;
      let o = ((p.dy + y) * w + p.dx) * 4;
      for (let x = 0; x < p.dw; x++) {
        const c0 = (xi[x * 2] as number) * 4;
        const c1 = (xi[x * 2 + 1] as number) * 4;
        const fx = xw[x] as number;
        const gx = 256 - fx;
        const a = r0 + c0;
        const b = r0 + c1;
        const c = r1 + c0;
        const d = r1 + c1;
        for (let ch = 0; ch < 3; ch++) {
          const top = (data[a + ch] as number) * gx + (data[b + ch] as number) * fx;
          const bottom = (data[c + ch] as number) * gx + (data[d + ch] as number) * fx;
          dst[o + ch] = (top * gy + bottom * fy + 32768) >> 16;
        }
        dst[o + 3] = 255;
        o += 4;
      }
    }
  }

  private runBox(src: FitSource, dst: Uint8Array, w: number, p: Placement): void {
    const xa = this.xAxis as Axis;
    const ya = this.yAxis as Axis;
    const tx = xa.taps;
    const ty = ya.taps;
    const n = tx * ty;
    const half = n >> 1;
    const data = src.data;
    const stride = src.stride;
    for (let y = 0; y < p.dh; y++) {
      let o = ((p.dy + y) * w + p.dx) * 4;
      for (let x = 0; x < p.dw; x++) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (let j = 0; j < ty; j++) {
          const row = (ya.index[y * ty + j] as number) * stride;
          for (let i = 0; i < tx; i++) {
            const k = row + (xa.index[x * tx + i] as number) * 4;
            r += data[k] as number;
            g += data[k + 1] as number;
            b += data[k + 2] as number;
          }
        }
        dst[o] = ((r + half) / n) | 0;
        dst[o + 1] = ((g + half) / n) | 0;
        dst[o + 2] = ((b + half) / n) | 0;
        dst[o + 3] = 255;
        o += 4;
      }
    }
  }
}
