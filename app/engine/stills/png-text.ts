/**
 * PNG text chunks. pngjs (our PNG encoder) writes IHDR, IDAT and IEND only and
 * has no API for text, so the chunks are written here and spliced in after IHDR:
 * readers that look for metadata find it before the image data. A chunk is
 *   u32 length (big-endian, of the data) | 4-byte type | data | u32 CRC-32 (of type + data)
 * and iTXt's data (PNG 1.2, section 11.3.4.5) is
 *   keyword (Latin-1, 1-79 bytes) NUL | compression flag 0 | method 0 | language tag NUL | translated keyword NUL | text (UTF-8)
 * Uncompressed iTXt carries any Unicode prompt unchanged; every reader that knows
 * text chunks reads it (exiftool, ImageMagick, Pillow, pngcheck).
 */
import { crc32 } from 'node:zlib';

/** The 8-byte PNG signature and the IHDR chunk that always follows it (4 + 4 + 13 + 4 bytes). */
const SIGNATURE_BYTES = 8;
const IHDR_CHUNK_BYTES = 25;

/** A PNG keyword: 1-79 printable Latin-1 characters, no leading, trailing or double space (PNG 1.2, 11.3.4.2). */
export function isPngKeyword(key: string): boolean {
  return key.length >= 1 && key.length <= 79 && /^[\x21-\x7e\xa1-\xff]+( [\x21-\x7e\xa1-\xff]+)*$/.test(key);
}

/** One chunk: length, type, data, CRC. */
export function pngChunk(type: string, data: Uint8Array): Buffer {
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(type, 4, 'latin1');
  chunk.set(data, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}

/** An uncompressed iTXt chunk with no language tag. */
export function iTxtChunk(key: string, text: string): Buffer {
  if (!isPngKeyword(key)) throw new Error(`"${key}" is not a PNG keyword (1-79 Latin-1 characters)`);
  return pngChunk('iTXt', Buffer.concat([Buffer.from(key, 'latin1'), Buffer.from([0, 0, 0, 0, 0]), Buffer.from(text, 'utf8')]));
}

/** `png` with an iTXt chunk per entry inserted after IHDR. Throws on a file that does not start with a PNG signature and IHDR. */
export function withTextChunks(png: Uint8Array, entries: ReadonlyArray<readonly [string, string]>): Buffer {
  const head = SIGNATURE_BYTES + IHDR_CHUNK_BYTES;
  if (png.length < head || Buffer.from(png.subarray(12, 16)).toString('latin1') !== 'IHDR') throw new Error('not a PNG with an IHDR chunk first');
  return Buffer.concat([png.subarray(0, head), ...entries.map(([key, text]) => iTxtChunk(key, text)), png.subarray(head)]);
}
