import { describe, expect, it } from 'vitest';
import { Fitter, placement, type FitSource } from '../../../../app/engine/inputs/fit.js';

/** RGBA source where R = x, G = y (mod 256), B = 7, A = 0 (output alpha must still be 255). */
function coords(width: number, height: number, stride = width * 4): FitSource {
  const data = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * stride + x * 4;
      data[i] = x % 256;
      data[i + 1] = y % 256;
      data[i + 2] = 7;
      data[i + 3] = 0;
    }
  }
  return { data, width, height, stride };
}

function solid(width: number, height: number, rgb: [number, number, number]): FitSource {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([...rgb, 255], i * 4);
  return { data, width, height, stride: width * 4 };
}

const px = (buf: Uint8Array, w: number, x: number, y: number) => Array.from(buf.subarray((y * w + x) * 4, (y * w + x) * 4 + 4));

describe('fit: fill / fit / crop into a reused RGBA buffer', () => {
  it('fill at the same size is an exact copy (alpha forced to 255), stride honoured', () => {
    const src = coords(10, 6, 10 * 4 + 12); // padded rows, as NDI strides can be
    const out = new Fitter().fit(src, 'fill', 10, 6);
    expect(px(out, 10, 0, 0)).toEqual([0, 0, 7, 255]);
    expect(px(out, 10, 9, 5)).toEqual([9, 5, 7, 255]);
    expect(px(out, 10, 3, 2)).toEqual([3, 2, 7, 255]);
  });

  it('fill 2x upscale maps pixel centres to pixel centres (bilinear)', () => {
    const out = new Fitter().fit(coords(4, 4), 'fill', 8, 8);
    // dst x -> src (x + 0.5) / 2 - 0.5: 0 -> clamp 0, 1 -> 0.25, 2 -> 0.75, 7 -> clamp 3.
    expect(px(out, 8, 0, 0)[0]).toBe(0);
    expect(px(out, 8, 2, 0)[0]).toBe(1); // 0.75 rounds to 1
    expect(px(out, 8, 3, 0)[0]).toBe(1); // 1.25 -> 1
    expect(px(out, 8, 7, 7).slice(0, 2)).toEqual([3, 3]);
  });

  it('fill stretches: a 20x10 source into 10x10 halves x only', () => {
    const out = new Fitter().fit(coords(20, 10), 'fill', 10, 10);
    // 2x shrink on x -> box of 2 taps: mean of 2x and 2x+1 = 2x + 0.5 -> rounds up.
    expect(px(out, 10, 3, 4).slice(0, 2)).toEqual([7, 4]);
    expect(px(out, 10, 9, 9).slice(0, 2)).toEqual([19, 9]);
  });

  it('fit: contain with black bars, the picture centred', () => {
    // 20x10 into 10x10: scaled to 10x5, rows [2, 7) hold it, the rest black.
    const src = solid(20, 10, [200, 100, 50]);
    const out = new Fitter().fit(src, 'fit', 10, 10);
    expect(placement('fit', 20, 10, 10, 10)).toMatchObject({ dx: 0, dy: 2, dw: 10, dh: 5 });
    expect(px(out, 10, 5, 0)).toEqual([0, 0, 0, 255]);
    expect(px(out, 10, 5, 1)).toEqual([0, 0, 0, 255]);
    expect(px(out, 10, 5, 2)).toEqual([200, 100, 50, 255]);
    expect(px(out, 10, 0, 6)).toEqual([200, 100, 50, 255]);
    expect(px(out, 10, 5, 7)).toEqual([0, 0, 0, 255]);
    expect(px(out, 10, 9, 9)).toEqual([0, 0, 0, 255]);
    // A tall source: bars left and right.
    const tall = new Fitter().fit(solid(10, 20, [9, 9, 9]), 'fit', 10, 10);
    expect(px(tall, 10, 1, 5)).toEqual([0, 0, 0, 255]);
    expect(px(tall, 10, 2, 5)).toEqual([9, 9, 9, 255]);
    expect(px(tall, 10, 6, 5)).toEqual([9, 9, 9, 255]);
    expect(px(tall, 10, 7, 5)).toEqual([0, 0, 0, 255]);
  });

  it('crop: cover, the overflow cut at the centre', () => {
    // 20x10 into 10x10: scale 1, source columns [5, 15) shown.
    const out = new Fitter().fit(coords(20, 10), 'crop', 10, 10);
    expect(px(out, 10, 0, 0).slice(0, 2)).toEqual([5, 0]);
    expect(px(out, 10, 9, 9).slice(0, 2)).toEqual([14, 9]);
    // 10x20 into 10x10: rows [5, 15).
    const tall = new Fitter().fit(coords(10, 20), 'crop', 10, 10);
    expect(px(tall, 10, 0, 0).slice(0, 2)).toEqual([0, 5]);
    expect(px(tall, 10, 9, 9).slice(0, 2)).toEqual([9, 14]);
  });

  it('odd sizes: 1921x1079 into 512x288 for each fit, no NaN, no out-of-range reads, corners right', () => {
    const src = coords(1921, 1079);
    for (const fit of ['fill', 'fit', 'crop'] as const) {
      const out = new Fitter().fit(src, fit, 512, 288);
      expect(out.length).toBe(512 * 288 * 4);
      const p = placement(fit, 1921, 1079, 512, 288);
      // The picture's first and last pixels come from the source's first and last columns.
      const first = px(out, 512, p.dx, p.dy + 10);
      const last = px(out, 512, p.dx + p.dw - 1, p.dy + 10);
      expect(first[2], `${fit}: blue channel is the source's`).toBe(7);
      expect(last[2]).toBe(7);
      expect(first[0]).toBeLessThan(8); // x near 0
      expect(last[0]).toBeGreaterThan(120); // 1920 mod 256 = 128, box-averaged near the edge
    }
    // 1921x1079 is wider than 16:9 by a hair: 'fit' leaves a thin bar (rows), never columns.
    expect(placement('fit', 1921, 1079, 512, 288).dw).toBe(512);
  });

  it('the buffer is reused across frames of the same size, and `into` writes the caller buffer', () => {
    const fitter = new Fitter();
    const a = fitter.fit(solid(4, 4, [1, 2, 3]), 'fill', 2, 2);
    const b = fitter.fit(solid(4, 4, [4, 5, 6]), 'fill', 2, 2);
    expect(b).toBe(a);
    expect(px(b, 2, 1, 1)).toEqual([4, 5, 6, 255]);
    const mine = new Uint8Array(2 * 2 * 4);
    expect(fitter.fit(solid(4, 4, [7, 8, 9]), 'fill', 2, 2, mine)).toBe(mine);
    expect(px(mine, 2, 0, 0)).toEqual([7, 8, 9, 255]);
  });

  it('a big shrink box-filters (no aliasing): fine stripes average to grey', () => {
    // 1-pixel black/white columns, shrunk 8x: bilinear would pick near-random stripes.
    const width = 512;
    const data = new Uint8Array(width * 8 * 4);
    for (let y = 0; y < 8; y++) for (let x = 0; x < width; x++) data.set([x % 2 ? 255 : 0, x % 2 ? 255 : 0, x % 2 ? 255 : 0, 255], (y * width + x) * 4);
    const out = new Fitter().fit({ data, width, height: 8, stride: width * 4 }, 'fill', 64, 1);
    for (let x = 0; x < 64; x++) expect(Math.abs((out[x * 4] as number) - 128)).toBeLessThanOrEqual(1);
  });

  it('refuses a source whose bytes do not match its size', () => {
    expect(() => new Fitter().fit({ data: new Uint8Array(10), width: 4, height: 4, stride: 16 }, 'fill', 2, 2)).toThrow(/4x4/);
  });
});
