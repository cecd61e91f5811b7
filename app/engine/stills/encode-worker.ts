/**
 * The image encoder's thread (image-encoder.ts starts it): PNG stills at full
 * resolution and the viewer stream's small JPEGs, off the engine thread, so an
 * encode (a 1080p PNG takes most of a second in pure JS) never delays an output tick.
 * Each job's pixels are transferred in (not copied) and its answer posted back.
 */
import { writeFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { Downscaler } from '../frames/downscale.js';
import type { EncodeAnswer, EncodeJob } from './encode-protocol.js';
import { withTextChunks } from './png-text.js';

/** Multiplies the picture by the output level (a black panic's fade), in place; alpha made opaque. */
function applyLevel(pixels: Uint8Array, level: number): void {
  const gain = Math.max(0, Math.min(1, level));
  for (let i = 0; i < pixels.length; i += 4) {
    if (gain < 1) {
      pixels[i] = Math.round((pixels[i] as number) * gain);
      pixels[i + 1] = Math.round((pixels[i + 1] as number) * gain);
      pixels[i + 2] = Math.round((pixels[i + 2] as number) * gain);
    }
    pixels[i + 3] = 255;
  }
}

async function run(job: EncodeJob): Promise<EncodeAnswer> {
  const pixels = new Uint8Array(job.pixels);
  if (job.kind === 'png') {
    applyLevel(pixels, job.level);
    // RGB out (the wall has no alpha): a quarter smaller than RGBA. One filter (Paeth, the best for
    // pictures) and zlib level 6 instead of pngjs's try-all-five at level 9: about 3x faster, a few % larger.
    const options = { colorType: 2, inputColorType: 6, filterType: 4, deflateLevel: 6 } as const;
    const encoded = PNG.sync.write({ width: job.width, height: job.height, data: Buffer.from(pixels.buffer) } as PNG, options);
    const file = withTextChunks(encoded, job.text);
    // 'wx': never replace a file that is there (the name carries the time to the ms; a clash is a retry).
    await writeFile(job.path, file, { flag: 'wx' });
    return { id: job.id, ok: true, bytes: file.length };
  }
  const scaler = new Downscaler(job.width, job.height, job.outWidth, job.outHeight);
  const small = new Uint8Array(job.outWidth * job.outHeight * 4);
  scaler.run(pixels, small, job.level);
  const encoded = jpeg.encode({ data: small, width: job.outWidth, height: job.outHeight }, job.quality).data;
  const out = new Uint8Array(encoded.byteLength);
  out.set(encoded);
  return { id: job.id, ok: true, bytes: out.byteLength, jpeg: out.buffer };
}

parentPort?.on('message', (job: EncodeJob) => {
  run(job).then(
    (answer) => parentPort?.postMessage(answer, answer.jpeg ? [answer.jpeg] : []),
    (error: unknown) => parentPort?.postMessage({ id: job.id, ok: false, message: (error as Error).message, code: (error as NodeJS.ErrnoException).code } satisfies EncodeAnswer),
  );
});
