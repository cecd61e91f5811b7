/**
 * Writes docs/stills/input-test-card.png: the input picture of the input-mode stills
 * (models/builtin/README.md). A stage drawn from plain shapes (sky gradient, floor with
 * perspective lines, a moon disc, two pillars, a figure) so the stills show which
 * structure the model keeps. Deterministic: the same bytes every run.
 *   npx tsc -p tsconfig.json && node dist/models/builtin/make-still-input.js [width height]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { builtinModelFolder } from './build.js';

/** RGBA8 test card at width x height; every shape is laid out in fractions of the frame. */
export function stillInputPicture(width: number, height: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  const horizon = 0.62;
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const u = (col + 0.5) / width;
      const v = (row + 0.5) / height;
      let r: number;
      let g: number;
      let b: number;
      if (v < horizon) {
        // Sky: darker at the top.
        const t = v / horizon;
        r = 30 + 90 * t;
        g = 40 + 95 * t;
        b = 70 + 100 * t;
      } else {
        // Floor: perspective lines converging on the centre of the horizon.
        const depth = (v - horizon) / (1 - horizon);
        const lane = (u - 0.5) / Math.max(depth, 0.02);
        const line = Math.abs(lane * 4 - Math.round(lane * 4)) < 0.06 ? 1 : 0;
        r = g = b = 70 + 40 * depth + 90 * line;
      }
      // Moon disc, upper right.
      const dx = (u - 0.74) * (width / height);
      const dy = v - 0.24;
      if (dx * dx + dy * dy < 0.11 * 0.11) r = g = b = 235;
      // Two pillars.
      if (v > 0.18 && v < horizon + 0.08 && (Math.abs(u - 0.14) < 0.035 || Math.abs(u - 0.38) < 0.035)) {
        r = 180;
        g = 170;
        b = 160;
      }
      // A figure: head and body, standing on the floor.
      const hx = (u - 0.58) * (width / height);
      if (hx * hx + (v - 0.47) ** 2 < 0.035 ** 2 || (Math.abs(u - 0.58) < 0.028 && v > 0.5 && v < 0.78)) r = g = b = 15;
      const i = (row * width + col) * 4;
      rgba[i] = Math.round(r);
      rgba[i + 1] = Math.round(g);
      rgba[i + 2] = Math.round(b);
      rgba[i + 3] = 255;
    }
  }
  return rgba;
}

function main(): void {
  const width = Number(process.argv[2] ?? 960);
  const height = Number(process.argv[3] ?? 540);
  const outDir = join(builtinModelFolder(), '..', '..', 'docs', 'stills');
  mkdirSync(outDir, { recursive: true });
  const png = new PNG({ width, height });
  png.data = Buffer.from(stillInputPicture(width, height));
  const file = join(outDir, 'input-test-card.png');
  writeFileSync(file, PNG.sync.write(png));
  console.log(`wrote ${file} (${width}x${height})`);
}

main();
