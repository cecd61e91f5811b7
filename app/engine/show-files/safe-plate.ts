/**
 * The safe plate: a still PNG chosen in the show, shown in place of program
 * frames on a safe-plate panic. Decoded once into a frame-sized RGBA buffer
 * (nearest-neighbour scale, letterboxing not attempted: a plate is made for the wall).
 */
import { PNG } from 'pngjs';
import { engineError } from '../../contract/errors.js';
import { fail, ok, type Result } from '../result.js';
import { SAFE_PLATE_MAX_BYTES, readRegularFileSync } from './safe-files.js';

export function loadSafePlate(file: string, width: number, height: number): Result<Uint8Array> {
  // A regular file of sensible size: a FIFO named as the plate must not hold the engine.
  const bytes = readRegularFileSync(file, SAFE_PLATE_MAX_BYTES);
  if (!bytes.ok) return fail(engineError('show-file', `Safe plate ${file} is ${bytes.failure.message}. Safe plate shows black.`, { path: file }));
  let png: PNG;
  try {
    png = PNG.sync.read(bytes.value);
  } catch (error) {
    return fail(engineError('show-file', `Safe plate ${file} could not be read as PNG: ${(error as Error).message}. Safe plate shows black.`, { path: file }));
  }
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(png.height - 1, Math.floor(((y + 0.5) * png.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(png.width - 1, Math.floor(((x + 0.5) * png.width) / width));
      const s = (sy * png.width + sx) * 4;
      const d = (y * width + x) * 4;
      out[d] = png.data[s] as number;
      out[d + 1] = png.data[s + 1] as number;
      out[d + 2] = png.data[s + 2] as number;
      out[d + 3] = 255;
    }
  }
  return ok(out);
}
