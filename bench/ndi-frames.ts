/** The NDI bench's source frames (bench/ndi.ts and its grandiose child use the same ones). */
export const W = 1920;
export const H = 1080;
export const RATE = { num: 60000, den: 1001 };

/** A smooth moving pattern (never random noise: that hangs libndi's send). */
export function pattern(t: number, into: Uint8Array): void {
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 4;
      into[i] = (x + t * 4) & 255;
      into[i + 1] = (y + t * 2) & 255;
      into[i + 2] = ((x + y) >> 2) & 255;
      into[i + 3] = 255;
    }
  }
}

/** The 8 distinct RGBA frames both senders cycle through: every send is a new (converted) frame. */
export function sourceFrames(): Uint8Array[] {
  return Array.from({ length: 8 }, (_, t) => {
    const pixels = new Uint8Array(W * H * 4);
    pattern(t, pixels);
    return pixels;
  });
}
