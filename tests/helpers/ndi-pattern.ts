/**
 * Test patterns for the NDI tests: blocky colour bars over a smooth ramp (what NDI's
 * codec carries within a level or two), never full-frame random noise (that made
 * libndi's send hang here). And helpers to compare received UYVY in YUV.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import type { GeneratedFrame } from '../../app/engine/generate/generator.js';

const BARS: [number, number, number][] = [
  [235, 235, 235],
  [235, 235, 16],
  [16, 235, 235],
  [16, 235, 16],
  [235, 16, 235],
  [235, 16, 16],
  [16, 16, 235],
  [40, 40, 40],
];

/** RGBA: 8 bars on the top 2/3 (tinted by `tint`), a horizontal grey ramp below. Bar edges on 16 px. */
export function barsAndRamp(width: number, height: number, tint = 0): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  const barWidth = Math.max(16, Math.floor(width / 8 / 16) * 16);
  const split = Math.floor((height * 2) / 3 / 16) * 16;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      if (y < split) {
        const bar = BARS[Math.min(7, Math.floor(x / barWidth))] as [number, number, number];
        rgba[i] = Math.max(0, bar[0] - tint);
        rgba[i + 1] = bar[1];
        rgba[i + 2] = Math.min(255, bar[2] + tint);
      } else {
        const v = Math.round(16 + (219 * x) / (width - 1));
        rgba[i] = rgba[i + 1] = rgba[i + 2] = v;
      }
      rgba[i + 3] = 255;
    }
  }
  return rgba;
}

/** A GeneratedFrame around synthetic pixels (faked: no model involved). */
export function syntheticFrame(pixels: Uint8Array, width: number, height: number, sequence: number): GeneratedFrame {
  return { pixels, width, height, lookId: 1, sequence, showTimeMs: 0, inferMs: 0, doneAtMs: 0, requestId: null };
}

/** Largest and mean absolute difference of two UYVY images (same size), row by row with strides. */
export function uyvyDiff(a: Uint8Array, aStride: number, b: Uint8Array, bStride: number, width: number, height: number): { max: number; mean: number } {
  let max = 0;
  let sum = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width * 2; x++) {
      const d = Math.abs((a[y * aStride + x] as number) - (b[y * bStride + x] as number));
      if (d > max) max = d;
      sum += d;
    }
  }
  return { max, mean: sum / (width * 2 * height) };
}

/** Removes the /tmp/NTK_* marker files libndi leaves for these names. */
export function removeNdiMarkers(names: string[]): void {
  if (!existsSync('/tmp')) return;
  for (const file of readdirSync('/tmp')) {
    if (!file.startsWith('NTK_')) continue;
    if (names.some((name) => file === `NTK_SEND_${name}` || file === `NTK_RECV_${name}`)) rmSync(`/tmp/${file}`, { force: true });
  }
}
