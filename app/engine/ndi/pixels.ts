/**
 * RGBA8 -> UYVY 4:2:2 conversion for NDI outputs, with scaling and the output level
 * in the same pass. BT.709, limited range ("studio swing", what NDI receivers assume
 * for UYVY at HD sizes), integer maths:
 *   Y  = 16  + 219/255 * (0.2126 R + 0.7152 G + 0.0722 B)
 *   Cb = 128 + 224/255 * (B - Y') / 1.8556,   Cr = 128 + 224/255 * (R - Y') / 1.5748
 * as 16.16 fixed point (coefficients below); U and V of a pixel pair are the average
 * of the pair's two pixels (a 2-tap chroma filter, no aliasing stripes on detail).
 *
 * Fast path: the N-API addon in native/pixels (C, ~1.5 ms a 1080p frame here); the
 * pure-JS path below is the fallback (~7 ms), chosen once and logged (never silent).
 * Both give the same bytes (tests/unit/engine/ndi/pixels.test.ts).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { shippedNativeFile } from '../resources.js';

export const KY = [11966, 40254, 4064] as const;
export const KU = [-6596, -22189, 28785] as const;
export const KV = [28785, -26145, -2640] as const;

/** How to scale when the frame and the output sizes differ. */
export type ScaleFilter = 'nearest' | 'bilinear';

export interface ConvertArgs {
  src: Uint8Array;
  srcWidth: number;
  srcHeight: number;
  /** A typed array, or the address of native memory of `stride * height` bytes. */
  dst: Uint8Array | bigint;
  width: number;
  height: number;
  /** Bytes per output row; at least width * 2. */
  stride: number;
  /** 0..1: multiplies the picture (black panic fade). */
  level: number;
  filter: ScaleFilter;
}

export interface UyvyConverter {
  /** 'native' (addon) or 'js' (fallback). */
  readonly kind: 'native' | 'js';
  /** Whether `dst` may be a native address (bigint); the JS path needs a typed array. */
  readonly acceptsAddress: boolean;
  convert(args: ConvertArgs): void;
}

interface PixelsAddon {
  convert(src: Uint8Array, sw: number, sh: number, dst: Uint8Array | bigint, dw: number, dh: number, stride: number, gain: number, filter: number): void;
}

const gainOf = (level: number) => Math.round(Math.max(0, Math.min(1, level)) * 256);

/** Same maths as native/pixels/uyvy.c, in JS. */
export function convertRgbaToUyvyJs(args: ConvertArgs): void {
  const { src, srcWidth: sw, srcHeight: sh, width: dw, height: dh, stride, filter } = args;
  if (typeof args.dst === 'bigint') throw new Error('the JS converter needs a typed array destination');
  const dst = args.dst;
  if ((dw & 1) !== 0 || stride < dw * 2 || src.length < sw * sh * 4 || dst.length < stride * dh) {
    throw new RangeError('convertRgbaToUyvyJs: sizes do not match the buffers (width must be even)');
  }
  const gain = gainOf(args.level);
  if (sw === dw && sh === dh && gain === 256) {
    sameSizeJs(src, dst, dw, dh, stride);
    return;
  }
  // Source byte offset of each output column (and the bilinear neighbours and weights).
  const same = sw === dw && sh === dh;
  const bilinear = !same && filter === 'bilinear';
  const x0 = new Int32Array(dw);
  const x1 = new Int32Array(dw);
  const fx = new Int32Array(dw);
  for (let x = 0; x < dw; x++) {
    if (same) x0[x] = x * 4;
    else if (bilinear) {
      const [a, b, f] = bilinearWeights(dw, sw, x);
      x0[x] = a * 4;
      x1[x] = b * 4;
      fx[x] = f;
    } else x0[x] = Math.min(sw - 1, Math.floor(((2 * x + 1) * sw) / (2 * dw))) * 4;
  }
  const c = new Int32Array(6);
  for (let y = 0; y < dh; y++) {
    let r0: number;
    let r1 = 0;
    let fy = 0;
    if (same) r0 = y * sw * 4;
    else if (bilinear) {
      const [a, b, f] = bilinearWeights(dh, sh, y);
      r0 = a * sw * 4;
      r1 = b * sw * 4;
      fy = f;
    } else r0 = Math.min(sh - 1, Math.floor(((2 * y + 1) * sh) / (2 * dh))) * sw * 4;
    let d = y * stride;
    for (let x = 0; x < dw; x += 2, d += 4) {
      for (let k = 0; k < 2; k++) {
        const o0 = x0[x + k] as number;
        for (let ch = 0; ch < 3; ch++) {
          let v: number;
          if (bilinear) {
            const o1 = x1[x + k] as number;
            const f = fx[x + k] as number;
            const top = (src[r0 + o0 + ch] as number) * (256 - f) + (src[r0 + o1 + ch] as number) * f;
            const bot = (src[r1 + o0 + ch] as number) * (256 - f) + (src[r1 + o1 + ch] as number) * f;
            v = (top * (256 - fy) + bot * fy + 32768) >> 16;
          } else v = src[r0 + o0 + ch] as number;
          c[k * 3 + ch] = (v * gain) >> 8;
        }
      }
      putPair(dst, d, c);
    }
  }
}

/** The common case (frame size = output size, full level), unrolled: ~4x the generic loop. */
function sameSizeJs(src: Uint8Array, dst: Uint8Array, w: number, h: number, stride: number): void {
  for (let y = 0; y < h; y++) {
    let s = y * w * 4;
    let d = y * stride;
    const end = d + w * 2;
    for (; d < end; d += 4, s += 8) {
      const r0 = src[s] as number,
        g0 = src[s + 1] as number,
        b0 = src[s + 2] as number;
      const r1 = src[s + 4] as number,
        g1 = src[s + 5] as number,
        b1 = src[s + 6] as number;
      const rs = r0 + r1,
        gs = g0 + g1,
        bs = b0 + b1;
      dst[d] = (-6596 * rs - 22189 * gs + 28785 * bs + 16842752) >> 17;
      dst[d + 1] = (11966 * r0 + 40254 * g0 + 4064 * b0 + 1081344) >> 16;
      dst[d + 2] = (28785 * rs - 26145 * gs - 2640 * bs + 16842752) >> 17;
      dst[d + 3] = (11966 * r1 + 40254 * g1 + 4064 * b1 + 1081344) >> 16;
    }
  }
}

function putPair(out: Uint8Array, at: number, c: Int32Array): void {
  const r0 = c[0] as number,
    g0 = c[1] as number,
    b0 = c[2] as number;
  const r1 = c[3] as number,
    g1 = c[4] as number,
    b1 = c[5] as number;
  const rs = r0 + r1,
    gs = g0 + g1,
    bs = b0 + b1;
  out[at] = (KU[0] * rs + KU[1] * gs + KU[2] * bs + (128 << 17) + 65536) >> 17;
  out[at + 1] = (KY[0] * r0 + KY[1] * g0 + KY[2] * b0 + (16 << 16) + 32768) >> 16;
  out[at + 2] = (KV[0] * rs + KV[1] * gs + KV[2] * bs + (128 << 17) + 65536) >> 17;
  out[at + 3] = (KY[0] * r1 + KY[1] * g1 + KY[2] * b1 + (16 << 16) + 32768) >> 16;
}

/** Centre-aligned source position of output index i, as [i0, i1, weight of i1 in 1/256]. */
function bilinearWeights(d: number, s: number, i: number): [number, number, number] {
  let pos = Math.floor(((2 * i + 1) * s * 256) / (2 * d)) - 128;
  if (pos < 0) pos = 0;
  const p0 = pos >> 8;
  if (p0 >= s - 1) return [s - 1, s - 1, 0];
  return [p0, p0 + 1, pos & 255];
}

/** One RGB pixel's Y, U, V by the same formula (tests and references). */
export function rgbToYuv709(r: number, g: number, b: number): [number, number, number] {
  return [
    (KY[0] * r + KY[1] * g + KY[2] * b + (16 << 16) + 32768) >> 16,
    (KU[0] * 2 * r + KU[1] * 2 * g + KU[2] * 2 * b + (128 << 17) + 65536) >> 17,
    (KV[0] * 2 * r + KV[1] * 2 * g + KV[2] * 2 * b + (128 << 17) + 65536) >> 17,
  ];
}

export const jsConverter: UyvyConverter = { kind: 'js', acceptsAddress: false, convert: convertRgbaToUyvyJs };

export function addonPath(): string {
  return shippedNativeFile('native', 'pixels', 'build', 'Release', 'cyclorama_pixels.node');
}

let chosen: { converter: UyvyConverter; note: string } | null = null;

/**
 * The converter to use: the addon when it is built and loads, else the JS fallback.
 * `note` is the one line to log saying which and why. CYCLORAMA_PIXELS=js forces JS.
 */
export function uyvyConverter(): { converter: UyvyConverter; note: string } {
  if (chosen) return chosen;
  const file = addonPath();
  if (process.env.CYCLORAMA_PIXELS === 'js') {
    chosen = { converter: jsConverter, note: 'NDI pixel conversion: pure JS (CYCLORAMA_PIXELS=js), ~5x slower than the native addon' };
  } else if (!existsSync(file)) {
    chosen = {
      converter: jsConverter,
      note: `NDI pixel conversion: pure JS fallback, ~5x slower (native addon not built: ${file}; run "npm run build:native", needs a C compiler)`,
    };
  } else {
    try {
      const addon = createRequire(import.meta.url)(file) as PixelsAddon;
      const filters = { nearest: 0, bilinear: 1 } as const;
      chosen = {
        converter: {
          kind: 'native',
          acceptsAddress: true,
          convert: (a) => addon.convert(a.src, a.srcWidth, a.srcHeight, a.dst, a.width, a.height, a.stride, gainOf(a.level), filters[a.filter]),
        },
        note: 'NDI pixel conversion: native addon (native/pixels)',
      };
    } catch (error) {
      chosen = { converter: jsConverter, note: `NDI pixel conversion: pure JS fallback, ~5x slower (native addon failed to load: ${(error as Error).message.split('\n')[0]})` };
    }
  }
  return chosen;
}
