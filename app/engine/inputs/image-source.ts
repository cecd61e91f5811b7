/**
 * In an image input's worker thread: read the file (size-capped), check its header,
 * decode, and serve fitted copies of it to the targets the inference thread asks for.
 * A failure is a 'failed' state with the reason; the worker then idles until closed.
 */
import { openSync, closeSync, fstatSync, readSync } from 'node:fs';
import type { FitSource } from './fit.js';
import { Fitter } from './fit.js';
import { decodeImage, MAX_IMAGE_FILE_BYTES, type DecodedImage } from './image-decode.js';
import { epochNowMs } from './live-input.js';
import { STAT_FRAMES_RECEIVED, STAT_HEIGHT, STAT_LAST_FRAME_EPOCH_MS, STAT_WIDTH, type WorkerContext } from './worker-protocol.js';

function readCapped(file: string): Uint8Array | Error {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'not readable (permissions)' : (error as Error).message;
    return new Error(`image input ${file}: ${why}. Give the path of a PNG or JPEG (absolute, or relative to the show file).`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return new Error(`image input ${file}: not a file. Give the path of a PNG or JPEG.`);
    if (stat.size > MAX_IMAGE_FILE_BYTES) {
      return new Error(`image input ${file}: ${Math.round(stat.size / 1048576)} MiB, more than the ${MAX_IMAGE_FILE_BYTES / 1048576} MiB an image input reads.`);
    }
    const bytes = new Uint8Array(stat.size);
    let at = 0;
    while (at < bytes.length) {
      const n = readSync(fd, bytes, at, bytes.length - at, at);
      if (n <= 0) break;
      at += n;
    }
    return bytes.subarray(0, at);
  } finally {
    closeSync(fd);
  }
}

/**
 * The decoded image is kept while the input is open (a new fit or size is made from it);
 * above this side it is first box-reduced to it (keeping its aspect), so an 8192x8192
 * still holds 16 MiB, not 256 MiB, and a model (512..1024) still gets 2x headroom.
 */
export const MAX_HELD_SIDE = 2048;

export function heldCopy(image: DecodedImage): FitSource {
  const full: FitSource = { data: image.rgba, width: image.width, height: image.height, stride: image.width * 4 };
  const scale = MAX_HELD_SIDE / Math.max(image.width, image.height);
  if (scale >= 1) return full;
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  return { data: new Fitter().fit(full, 'fill', width, height), width, height, stride: width * 4 };
}

export function runImageSource(file: string, context: WorkerContext): void {
  context.onClose(() => context.end());
  const bytes = readCapped(file);
  const image = bytes instanceof Error ? bytes : decodeImage(bytes, file);
  if (image instanceof Error) {
    context.send({ type: 'state', state: 'failed', error: image.message });
    return;
  }
  const arrived = epochNowMs();
  context.stats[STAT_WIDTH] = image.width;
  context.stats[STAT_HEIGHT] = image.height;
  context.stats[STAT_FRAMES_RECEIVED] = 1;
  context.stats[STAT_LAST_FRAME_EPOCH_MS] = arrived;
  context.targets.publish(heldCopy(image), 1, arrived);
  context.send({ type: 'state', state: 'connected', error: null });
}
