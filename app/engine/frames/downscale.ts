/**
 * RGBA downscale for previews and thumbnails: each output pixel averages a 2x2
 * grid of samples spread over its source block (cheap, and smooth enough for a
 * monitor; the wall gets full-size frames). Writes into a caller's buffer:
 * nothing is allocated per frame. `level` scales the picture (black panic fades).
 */
export class Downscaler {
  private readonly columns: Int32Array; // two source x offsets (in bytes) per output column
  private readonly rows: Int32Array; // two source rows per output row

  constructor(
    readonly sourceWidth: number,
    readonly sourceHeight: number,
    readonly width: number,
    readonly height: number,
  ) {
    this.columns = new Int32Array(width * 2);
    for (let x = 0; x < width; x++) {
      const x0 = (x * sourceWidth) / width;
      const step = sourceWidth / width;
      this.columns[x * 2] = Math.min(sourceWidth - 1, Math.floor(x0 + step * 0.25)) * 4;
      this.columns[x * 2 + 1] = Math.min(sourceWidth - 1, Math.floor(x0 + step * 0.75)) * 4;
    }
    this.rows = new Int32Array(height * 2);
    for (let y = 0; y < height; y++) {
      const y0 = (y * sourceHeight) / height;
      const step = sourceHeight / height;
      this.rows[y * 2] = Math.min(sourceHeight - 1, Math.floor(y0 + step * 0.25));
      this.rows[y * 2 + 1] = Math.min(sourceHeight - 1, Math.floor(y0 + step * 0.75));
    }
  }

  /** Downscales `source` (RGBA, sourceWidth x sourceHeight) into `target` (RGBA, width x height). */
  run(source: Uint8Array, target: Uint8Array, level = 1): void {
    const stride = this.sourceWidth * 4;
    // level as 8.8 fixed point; the /4 of the average folds into the shift
    const gain = Math.round(Math.max(0, Math.min(1, level)) * 256);
    let out = 0;
    for (let y = 0; y < this.height; y++) {
      const rowA = (this.rows[y * 2] as number) * stride;
      const rowB = (this.rows[y * 2 + 1] as number) * stride;
      for (let x = 0; x < this.width; x++) {
        const cA = this.columns[x * 2] as number;
        const cB = this.columns[x * 2 + 1] as number;
        for (let c = 0; c < 3; c++) {
          const sum =
            (source[rowA + cA + c] as number) +
            (source[rowA + cB + c] as number) +
            (source[rowB + cA + c] as number) +
            (source[rowB + cB + c] as number);
          target[out + c] = (sum * gain) >> 10;
        }
        target[out + 3] = 255;
        out += 4;
      }
    }
  }
}
