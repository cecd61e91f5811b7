import { describe, expect, it } from 'vitest';
import { Downscaler } from '../../../../app/engine/frames/downscale.js';

describe('preview downscale', () => {
  it('keeps a left/right split where it was and averages within blocks', () => {
    const width = 40;
    const height = 20;
    const source = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        source.set(x < width / 2 ? [200, 10, 10, 255] : [10, 10, 200, 255], i);
      }
    }
    const target = new Uint8Array(8 * 4 * 4);
    new Downscaler(width, height, 8, 4).run(source, target);
    expect([...target.subarray(0, 4)]).toEqual([200, 10, 10, 255]); // top-left stays red
    const lastPixel = (4 * 8 - 1) * 4;
    expect([...target.subarray(lastPixel, lastPixel + 4)]).toEqual([10, 10, 200, 255]); // bottom-right stays blue
  });

  it('scales by the output level (black panic) and keeps alpha opaque', () => {
    const source = new Uint8Array(4 * 4 * 4).fill(200);
    const target = new Uint8Array(2 * 2 * 4);
    const scaler = new Downscaler(4, 4, 2, 2);
    scaler.run(source, target, 0);
    expect([...target]).toEqual([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255]);
    scaler.run(source, target, 0.5);
    expect(target[0]).toBe(100);
  });
});
