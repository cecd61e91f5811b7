/**
 * Still images for an image input: PNG (pngjs) and baseline/progressive JPEG (jpeg-js),
 * both pure JS. The header is read first, so a file that claims a huge size is refused
 * before a byte of pixels is allocated (a 20000x20000 PNG would need 1.6 GB decoded).
 * Runs in the input's worker thread (input-worker.ts): a large decode never holds the
 * inference thread.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** Largest width or height accepted (8K; a model works at 512..1024 anyway). */
export const MAX_IMAGE_SIDE = 8192;
/** Largest file read (an 8192x8192 PNG of real content fits well within it). */
export const MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024;
export const ACCEPTED_IMAGES = 'PNG or JPEG (.png, .jpg, .jpeg)';

export interface ImageHeader {
  format: 'png' | 'jpeg';
  width: number;
  height: number;
}

export interface DecodedImage {
  rgba: Uint8Array;
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** JPEG start-of-frame markers (the ones that carry the size): C0-CF except DHT C4, JPG C8, DAC CC. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegSize(bytes: Uint8Array): { width: number; height: number } | null {
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1] as number;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    const length = ((bytes[i + 2] as number) << 8) | (bytes[i + 3] as number);
    if (isStartOfFrame(marker)) {
      const height = ((bytes[i + 5] as number) << 8) | (bytes[i + 6] as number);
      const width = ((bytes[i + 7] as number) << 8) | (bytes[i + 8] as number);
      return { width, height };
    }
    if (marker === 0xd9 || marker === 0xda || length < 2) return null; // end of image / scan before any frame header
    i += 2 + length;
  }
  return null;
}

/** Format and size from the first bytes; an Error naming the file and what is accepted otherwise. */
export function readImageHeader(bytes: Uint8Array, file: string): ImageHeader | Error {
  if (bytes.length >= 24 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const chunk = String.fromCharCode(bytes[12] as number, bytes[13] as number, bytes[14] as number, bytes[15] as number);
    if (chunk !== 'IHDR') return new Error(`${file}: a broken PNG (no IHDR header). Use a ${ACCEPTED_IMAGES} file.`);
    return { format: 'png', width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    const size = jpegSize(bytes);
    if (!size) return new Error(`${file}: a broken JPEG (no frame header with its size). Use a ${ACCEPTED_IMAGES} file.`);
    return { format: 'jpeg', ...size };
  }
  return new Error(`${file} is not an image Cyclorama can read: the input takes ${ACCEPTED_IMAGES}.`);
}

/** Refuses sizes that are empty or beyond MAX_IMAGE_SIDE, naming both. */
export function checkImageSize(header: ImageHeader, file: string): Error | null {
  if (header.width <= 0 || header.height <= 0) return new Error(`${file}: the ${header.format.toUpperCase()} header says ${header.width}x${header.height}, an empty picture.`);
  if (header.width > MAX_IMAGE_SIDE || header.height > MAX_IMAGE_SIDE) {
    return new Error(
      `${file} is ${header.width}x${header.height}: larger than the ${MAX_IMAGE_SIDE}x${MAX_IMAGE_SIDE} an image input takes. ` +
        `Scale it down (the model works at its own size anyway).`,
    );
  }
  return null;
}

/** Header check, then decode to RGBA8. Never throws: a problem is an Error value naming the file. */
export function decodeImage(bytes: Uint8Array, file: string): DecodedImage | Error {
  const header = readImageHeader(bytes, file);
  if (header instanceof Error) return header;
  const tooBig = checkImageSize(header, file);
  if (tooBig) return tooBig;
  try {
    if (header.format === 'png') {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength), width: png.width, height: png.height };
    }
    const image = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: (MAX_IMAGE_SIDE * MAX_IMAGE_SIDE) / 1e6,
      maxMemoryUsageInMB: 1024,
    });
    return { rgba: image.data, width: image.width, height: image.height };
  } catch (error) {
    return new Error(`${file}: the ${header.format.toUpperCase()} data could not be decoded (${(error as Error).message}). Use a ${ACCEPTED_IMAGES} file.`);
  }
}
