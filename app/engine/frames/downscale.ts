/**
 * RGBA downscale for previews, thumbnails and display outputs: each output pixel
 * averages a 2x2 grid of samples spread over its source block (cheap, and smooth
 * enough for a monitor), optionally of a crop region (a wall made of several
 * processors). Tables are built once per size; `run` writes into the caller's
 * buffer, so nothing is allocated per frame. `level` scales the picture (black panic).
 */
import type { Crop } from '../../contract/display.js';

export class Downscaler {
  private readonly columns: Int32Array;
  private readonly rows: Int32Array;

  constructor(
    readonly sourceWidth: number,
    readonly sourceHeight: number,
    readonly width: number,
    readonly height: number,
    crop: Crop = { x: 0, y: 0, width: 1, height: 1 },
  ) {
    const axis = (count: number, sourceSize: number, start: number, span: number, scale: number) => {
      const table = new Int32Array(count * 2);
      const x0 = start * sourceSize;
      const step = (span * sourceSize) / count;
      const last = Math.min(sourceSize - 1, Math.ceil((start + span) * sourceSize) - 1);
      for (let i = 0; i < count; i++) {
        table[i * 2] = Math.min(last, Math.floor(x0 + step * (i + 0.25))) * scale;
        table[i * 2 + 1] = Math.min(last, Math.floor(x0 + step * (i + 0.75))) * scale;
      }
      return table;
    };
    this.columns = axis(width, sourceWidth, crop.x, crop.width, 4);
    this.rows = axis(height, sourceHeight, crop.y, crop.height, 1);
  }

  run(source: Uint8Array, target: Uint8Array, level = 1): void {
    const stride = this.sourceWidth * 4;
    const gain = Math.round(Math.max(0, Math.min(1, level)) * 256);
    let out = 0;
    for (let y = 0; y < this.height; y++) {
      const rowA = (this.rows[y * 2] as number) * stride;
      const rowB = (this.rows[y * 2 + 1] as number) * stride;
      for (let x = 0; x < this.width; x++) {
        const cA = this.columns[x * 2] as number;
        const cB = this.columns[x * 2 + 1] as number;
        for (let c = 0; c < 3; c++) {
          const sum = (source[rowA + cA + c] as number) + (source[rowA + cB + c] as number) + (source[rowB + cA + c] as number) + (source[rowB + cB + c] as number);
          target[out + c] = (sum * gain) >> 10;
        }
        target[out + 3] = 255;
        out += 4;
      }
    }
  }
}
