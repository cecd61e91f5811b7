/**
 * Pictures and measures for the built-in model's input mode (unit and integration
 * tests): synthetic RGBA8 inputs with a known structure, and the correlation of
 * luminance edge maps that says whether an output follows an input's structure.
 */

/** RGBA8 picture: a dark warm-grey field with one bright vertical bar at [barX, barX + barWidth). */
export function barPicture(width: number, height: number, barX: number, barWidth = Math.round(width / 12)): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const inBar = x >= barX && x < barX + barWidth;
      // A soft vertical gradient in the field, so the picture is not flat, and a near-white bar.
      const field = 40 + Math.round((50 * y) / height);
      rgba[i] = inBar ? 235 : field + 10;
      rgba[i + 1] = inBar ? 230 : field;
      rgba[i + 2] = inBar ? 220 : field - 10;
      rgba[i + 3] = 255;
    }
  }
  return rgba;
}

/** Rec. 709 luma of each pixel, 0..255. */
export function lumaOf(rgba: Uint8Array): Float64Array {
  const out = new Float64Array(rgba.length / 4);
  for (let p = 0; p < out.length; p++) out[p] = 0.2126 * rgba[p * 4]! + 0.7152 * rgba[p * 4 + 1]! + 0.0722 * rgba[p * 4 + 2]!;
  return out;
}

/** Gradient magnitude (central differences) of the luma: where the edges are. Border pixels are 0. */
export function edgeMap(rgba: Uint8Array, width: number, height: number): Float64Array {
  const luma = lumaOf(rgba);
  const out = new Float64Array(width * height);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const gx = luma[i + 1]! - luma[i - 1]!;
      const gy = luma[i + width]! - luma[i - width]!;
      out[i] = Math.hypot(gx, gy);
    }
  }
  return out;
}

/** Pearson correlation of two equally long series. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa === 0 || sbb === 0 ? 0 : sab / Math.sqrt(saa * sbb);
}

/** How well `output`'s edges line up with `input`'s: the correlation of their edge maps. */
export function structureCorrelation(output: Uint8Array, input: Uint8Array, width: number, height: number): number {
  return correlation(edgeMap(output, width, height), edgeMap(input, width, height));
}

/** The output with uniform noise of +-amplitude added to every colour byte (alpha kept): a picture that must fail. */
export function withNoise(rgba: Uint8Array, amplitude: number, seed = 1): Uint8Array {
  let state = seed >>> 0;
  const out = new Uint8Array(rgba);
  for (let i = 0; i < out.length; i++) {
    if (i % 4 === 3) continue;
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const noise = (state / 2 ** 32 - 0.5) * 2 * amplitude;
    out[i] = Math.max(0, Math.min(255, Math.round(out[i]! + noise)));
  }
  return out;
}

/** Mean R, G, B, 0..255. */
export function meanRgb(rgba: Uint8Array): [number, number, number] {
  const sum = [0, 0, 0];
  for (let i = 0; i < rgba.length; i += 4) {
    sum[0]! += rgba[i]!;
    sum[1]! += rgba[i + 1]!;
    sum[2]! += rgba[i + 2]!;
  }
  const n = rgba.length / 4;
  return [sum[0]! / n, sum[1]! / n, sum[2]! / n];
}

/** Mean absolute difference of the colour bytes (alpha left out). */
export function meanColourDifference(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < a.length; i++) {
    if (i % 4 === 3) continue;
    sum += Math.abs(a[i]! - b[i]!);
    count++;
  }
  return sum / count;
}
