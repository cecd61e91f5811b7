/** RGBA -> UYVY (BT.709 limited range): reference values, native addon = JS fallback byte for byte, scaling and level. */
import { describe, expect, it } from 'vitest';
import { convertRgbaToUyvyJs, rgbToYuv709, uyvyConverter, type ConvertArgs } from '../../../../app/engine/ndi/pixels.js';
import { barsAndRamp } from '../../../helpers/ndi-pattern.js';

function solid(width: number, height: number, r: number, g: number, b: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < rgba.length; i += 4) rgba.set([r, g, b, 255], i);
  return rgba;
}

function convert(src: Uint8Array, sw: number, sh: number, dw: number, dh: number, extra: Partial<ConvertArgs> = {}) {
  const dst = new Uint8Array(dw * dh * 2);
  convertRgbaToUyvyJs({ src, srcWidth: sw, srcHeight: sh, dst, width: dw, height: dh, stride: dw * 2, level: 1, filter: 'bilinear', ...extra });
  return dst;
}

describe('RGBA -> UYVY conversion', () => {
  it('gives the BT.709 limited-range values for white, black and the primaries', () => {
    expect(rgbToYuv709(255, 255, 255)).toEqual([235, 128, 128]);
    expect(rgbToYuv709(0, 0, 0)).toEqual([16, 128, 128]);
    // BT.709 8-bit studio-range red/green/blue (ITU-R BT.709 table values, rounded).
    expect(rgbToYuv709(255, 0, 0)).toEqual([63, 102, 240]);
    expect(rgbToYuv709(0, 255, 0)).toEqual([173, 42, 26]);
    expect(rgbToYuv709(0, 0, 255)).toEqual([32, 240, 118]);
    expect([...convert(solid(4, 2, 255, 0, 0), 4, 2, 4, 2).subarray(0, 4)]).toEqual([102, 63, 240, 63]);
  });

  it('applies the level (black panic fade) before conversion', () => {
    expect([...convert(solid(2, 1, 255, 255, 255), 2, 1, 2, 1, { level: 0 })]).toEqual([128, 16, 128, 16]);
    const half = convert(solid(2, 1, 255, 255, 255), 2, 1, 2, 1, { level: 0.5 });
    expect(half[1]).toBe(rgbToYuv709(127, 127, 127)[0]); // 255 * 128/256, truncated
  });

  it('scales: nearest picks source pixels, bilinear blends across a bar edge', () => {
    const src = barsAndRamp(64, 32);
    const nearest = convert(src, 64, 32, 32, 16, { filter: 'nearest' });
    // Output pixel 0 of row 0 comes from source pixel (1,1): the first bar (white-ish 235).
    expect(nearest[1]).toBe(rgbToYuv709(235, 235, 235)[0]);
    const up = convert(solid(2, 2, 100, 150, 200), 2, 2, 8, 8);
    expect(new Set(up.filter((_, i) => i % 2 === 1))).toEqual(new Set([rgbToYuv709(100, 150, 200)[0]]));
  });

  it('the native addon is built and gives exactly the JS bytes (same size, scaled, faded)', () => {
    const { converter, note } = uyvyConverter();
    expect(converter.kind, note).toBe('native');
    const src = barsAndRamp(1920, 1080, 30);
    for (const [dw, dh, filter, level] of [
      [1920, 1080, 'bilinear', 1],
      [1920, 1080, 'nearest', 0.37],
      [1280, 720, 'bilinear', 1],
      [1280, 720, 'nearest', 1],
      [3840, 2160, 'bilinear', 0.8],
      [720, 576, 'bilinear', 1],
    ] as const) {
      const js = convert(src, 1920, 1080, dw, dh, { filter, level });
      const native = new Uint8Array(dw * dh * 2);
      converter.convert({ src, srcWidth: 1920, srcHeight: 1080, dst: native, width: dw, height: dh, stride: dw * 2, level, filter });
      expect(Buffer.compare(Buffer.from(native), Buffer.from(js)), `${dw}x${dh} ${filter} ${level}`).toBe(0);
    }
  });

  it('refuses odd widths and short buffers instead of writing out of bounds', () => {
    const { converter } = uyvyConverter();
    const src = solid(4, 4, 1, 2, 3);
    const args = { src, srcWidth: 4, srcHeight: 4, width: 3, height: 4, stride: 6, level: 1, filter: 'nearest' as const };
    expect(() => converter.convert({ ...args, dst: new Uint8Array(24) })).toThrow(RangeError);
    expect(() => converter.convert({ ...args, width: 4, stride: 8, dst: new Uint8Array(8) })).toThrow(RangeError);
    expect(() => convertRgbaToUyvyJs({ ...args, dst: new Uint8Array(24) })).toThrow(RangeError);
  });
});
