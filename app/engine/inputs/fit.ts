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
 * a box filter (the mean of every source pixel behind an output pixel), so a 4K source
 * meets a 512 model without the aliasing bilinear would give. Integer maths (8.8 fixed point). Output alpha
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

/** Per-axis sample tables: for bilinear, two indices and a weight; for box, the cell [start, end). */
interface Axis {
  taps: number;
  /** Bilinear: [i0, i1] per output; box: [start, end) per output (source pixel indices). */
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

/** Box cells: [start, end) source indices per output pixel, at least one pixel each. */
function boxAxis(count: number, start: number, span: number, srcSize: number): Axis {
  const index = new Int32Array(count * 2);
  const scale = span / count;
  for (let i = 0; i < count; i++) {
    let a = Math.floor(start + i * scale + 1e-9);
    let b = Math.floor(start + (i + 1) * scale + 1e-9);
    a = Math.max(0, Math.min(srcSize - 1, a));
    b = Math.max(a + 1, Math.min(srcSize, b));
    index[i * 2] = a;
    index[i * 2 + 1] = b;
  }
  return { taps: 2, index, weight: new Uint16Array(0) };
}

/** RGBA8 as a little-endian 32-bit word: R in bits 0-7, G 8-15, B 16-23, A 24-31. */
const RB = 0x00ff00ff;
const G = 0x0000ff00;
const OPAQUE = 0xff000000;
const ROUND_RB = 0x00800080;
const ROUND_G = 0x00008000;

/** A 32-bit view of the same bytes when they are 4-byte aligned (little-endian hosts: every platform Cyclorama ships on). */
function words(bytes: Uint8Array): Uint32Array | null {
  if (bytes.byteOffset % 4 !== 0 || bytes.length % 4 !== 0) return null;
  return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
}

function widestCell(axis: Axis): number {
  let widest = 0;
  for (let i = 0; i < axis.index.length; i += 2) widest = Math.max(widest, (axis.index[i + 1] as number) - (axis.index[i] as number));
  return widest;
}

export class Fitter {
  private out = new Uint8Array(0);
  private key = '';
  private place: Placement | null = null;
  private xAxis: Axis | null = null;
  private yAxis: Axis | null = null;
  private box = false;
  /** Largest box cell, in source pixels. */
  private cellArea = 0;
  private accR = new Float64Array(0);
  private accG = new Float64Array(0);
  private accB = new Float64Array(0);

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
    // The box's 16-bit lanes hold at most 257 pixels of a row (257 * 255 < 2^16): beyond that shrink, bilinear.
    this.box = (shrinkX >= BOX_FROM_SHRINK || shrinkY >= BOX_FROM_SHRINK) && shrinkX < 256;
    if (this.box) {
      this.xAxis = boxAxis(p.dw, p.sx, p.sw, srcW);
      this.yAxis = boxAxis(p.dh, p.sy, p.sh, srcH);
      this.cellArea = widestCell(this.xAxis) * widestCell(this.yAxis);
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
    const out = words(dst);
    for (let y = 0; y < p.dh; y++) {
      const o = ((p.dy + y) * w + p.dx) * 4;
      dst.set(src.data.subarray(y * src.stride, y * src.stride + rowBytes), o);
      if (out) {
        const start = o >> 2;
        for (let i = start; i < start + p.dw; i++) out[i] = ((out[i] as number) | OPAQUE) >>> 0;
      } else for (let i = o + 3; i < o + rowBytes; i += 4) dst[i] = 255;
    }
  }

  private runBilinear(src: FitSource, dst: Uint8Array, w: number, p: Placement): void {
    const xa = this.xAxis as Axis;
    const ya = this.yAxis as Axis;
    const xi = xa.index;
    const xw = xa.weight;
    const input = words(src.data);
    const out = words(dst);
    if (!input || !out || src.stride % 4 !== 0) {
      this.runBilinearBytes(src, dst, w, p);
      return;
    }
    // Two 8-bit lanes (R and B) in one 32-bit number, G in another: each product stays below
    // 2^16 per lane (255 * 256 + rounding), so lanes never carry into each other.
    const rowWords = src.stride >> 2;
    for (let y = 0; y < p.dh; y++) {
      const r0 = (ya.index[y * 2] as number) * rowWords;
      const r1 = (ya.index[y * 2 + 1] as number) * rowWords;
      const fy = ya.weight[y] as number;
      const gy = 256 - fy;
      let o = (p.dy + y) * w + p.dx;
      for (let x = 0; x < p.dw; x++) {
        const c0 = xi[x * 2] as number;
        const c1 = xi[x * 2 + 1] as number;
        const fx = xw[x] as number;
        const gx = 256 - fx;
        const a = input[r0 + c0] as number;
        const b = input[r0 + c1] as number;
        const c = input[r1 + c0] as number;
        const d = input[r1 + c1] as number;
        const topRB = ((((a & RB) * gx + (b & RB) * fx + ROUND_RB) >>> 8) & RB) >>> 0;
        const topG = (((a & G) * gx + (b & G) * fx + ROUND_G) >>> 8) & G;
        const botRB = ((((c & RB) * gx + (d & RB) * fx + ROUND_RB) >>> 8) & RB) >>> 0;
        const botG = (((c & G) * gx + (d & G) * fx + ROUND_G) >>> 8) & G;
        const rb = ((topRB * gy + botRB * fy + ROUND_RB) >>> 8) & RB;
        const g = ((topG * gy + botG * fy + ROUND_G) >>> 8) & G;
        out[o++] = (rb | g | OPAQUE) >>> 0;
      }
    }
  }

  /** The same maths on bytes, for sources whose memory is not 4-byte aligned. */
  private runBilinearBytes(src: FitSource, dst: Uint8Array, w: number, p: Placement): void {
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
        for (let ch = 0; ch < 3; ch++) {
          const top = ((data[r0 + c0 + ch] as number) * gx + (data[r0 + c1 + ch] as number) * fx + 128) >> 8;
          const bottom = ((data[r1 + c0 + ch] as number) * gx + (data[r1 + c1 + ch] as number) * fx + 128) >> 8;
          dst[o + ch] = (top * gy + bottom * fy + 128) >> 8;
        }
        dst[o + 3] = 255;
        o += 4;
      }
    }
  }

  /** Cells of at most 256 pixels (every shrink below 16x): each cell summed straight into locals, R and B in 16-bit lanes. */
  private runBoxSmallCells(input: Uint32Array, rowWords: number, out: Uint32Array, w: number, p: Placement): void {
    const xi = (this.xAxis as Axis).index;
    const yi = (this.yAxis as Axis).index;
    for (let y = 0; y < p.dh; y++) {
      const y0 = (yi[y * 2] as number) * rowWords;
      const y1 = (yi[y * 2 + 1] as number) * rowWords;
      const rows = (yi[y * 2 + 1] as number) - (yi[y * 2] as number);
      let o = (p.dy + y) * w + p.dx;
      for (let x = 0; x < p.dw; x++) {
        const x0 = xi[x * 2] as number;
        const x1 = xi[x * 2 + 1] as number;
        let rb = 0;
        let g = 0;
        for (let row = y0; row < y1; row += rowWords) {
          for (let i = row + x0; i < row + x1; i++) {
            const v = input[i] as number;
            rb += v & RB;
            g += v & G;
          }
        }
        const n = (x1 - x0) * rows;
        const half = n / 2;
        const r = Math.floor(((rb % 65536) + half) / n);
        const b = Math.floor((Math.floor(rb / 65536) + half) / n);
        const gg = Math.floor((g / 256 + half) / n);
        out[o++] = (r | (gg << 8) | (b << 16) | OPAQUE) >>> 0;
      }
    }
  }

  /**
   * Area average: every source pixel behind an output pixel counts once (integer cell
   * edges). Rows are summed into per-column accumulators, so each source pixel is read
   * once per frame whatever the shrink.
   */
  private runBox(src: FitSource, dst: Uint8Array, w: number, p: Placement): void {
    let input = words(src.data);
    let rowWords = src.stride >> 2;
    if (!input || src.stride % 4 !== 0) {
      // Unaligned memory (never from libndi or our buffers): an aligned copy first.
      const copy = new Uint8Array(src.width * src.height * 4);
      for (let y = 0; y < src.height; y++) copy.set(src.data.subarray(y * src.stride, y * src.stride + src.width * 4), y * src.width * 4);
      input = words(copy) as Uint32Array;
      rowWords = src.width;
    }
    const out = words(dst);
    const xs = this.xAxis as Axis;
    const ys = this.yAxis as Axis;
    const dw = p.dw;
    if (out && this.cellArea <= 256) {
      this.runBoxSmallCells(input, rowWords, out, w, p);
      return;
    }
    if (this.accR.length < dw) {
      this.accR = new Float64Array(dw);
      this.accG = new Float64Array(dw);
      this.accB = new Float64Array(dw);
    }
    const accR = this.accR;
    const accG = this.accG;
    const accB = this.accB;
    for (let y = 0; y < p.dh; y++) {
      const y0 = ys.index[y * 2] as number;
      const y1 = ys.index[y * 2 + 1] as number;
      accR.fill(0, 0, dw);
      accG.fill(0, 0, dw);
      accB.fill(0, 0, dw);
      for (let sy = y0; sy < y1; sy++) {
        const row = sy * rowWords;
        for (let x = 0; x < dw; x++) {
          const x0 = row + (xs.index[x * 2] as number);
          const x1 = row + (xs.index[x * 2 + 1] as number);
          // R and B in two 16-bit lanes of one number: a cell row is at most 257 pixels wide here (see prepare).
          let rb = 0;
          let g = 0;
          for (let i = x0; i < x1; i++) {
            const v = input[i] as number;
            rb += v & RB;
            g += v & G;
          }
          accR[x] = (accR[x] as number) + (rb % 65536);
          accB[x] = (accB[x] as number) + Math.floor(rb / 65536);
          accG[x] = (accG[x] as number) + g / 256;
        }
      }
      let o = (p.dy + y) * w + p.dx;
      for (let x = 0; x < dw; x++) {
        const n = ((xs.index[x * 2 + 1] as number) - (xs.index[x * 2] as number)) * (y1 - y0);
        const half = n / 2;
        const r = Math.floor(((accR[x] as number) + half) / n);
        const g = Math.floor(((accG[x] as number) + half) / n);
        const b = Math.floor(((accB[x] as number) + half) / n);
        if (out) out[o] = (r | (g << 8) | (b << 16) | OPAQUE) >>> 0;
        else {
          const k = o * 4;
          dst[k] = r;
          dst[k + 1] = g;
          dst[k + 2] = b;
          dst[k + 3] = 255;
        }
        o += 1;
      }
    }
  }
}
