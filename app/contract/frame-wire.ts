/**
 * Binary preview frames: a fixed 24-byte little-endian header, then RGBA8 pixels,
 * row-major, width*height*4 bytes. Used on the WebSocket and the Electron port.
 *
 *   0  u32 magic 'CYF1'   4 u32 sequence   8 u32 lookId
 *  12  u16 width         14 u16 height    16 f64 showTimeMs (frame's show time)
 */
import { thumbnailKeySchema } from './thumbnails.js';

export const FRAME_MAGIC = 0x31465943; // 'CYF1' read little-endian
/**
 * Same layout, another stream: the standby cue's pre-rendered still (the console's
 * Preview monitor). A separate magic so older consoles simply ignore these frames.
 */
export const STANDBY_FRAME_MAGIC = 0x31535943; // 'CYS1' read little-endian
/** Same layout: a display output's frames, sent only to the pages subscribed to that output. */
export const OUTPUT_FRAME_MAGIC = 0x314f5943; // 'CYO1' read little-endian
/** Same layout: a small picture of the live look's input (what the model restyles), beside Preview/Program; lookId 0. */
export const INPUT_FRAME_MAGIC = 0x31495943; // 'CYI1' read little-endian
/**
 * A cue thumbnail (contract/thumbnails.ts): the same header (sequence: the engine's
 * thumbnail count, lookId 0, showTimeMs: the time it was rendered at), then the
 * 16-character ASCII look key, then the RGBA8 pixels. Read with `readThumbnail`.
 *
 * Binary with its own magic rather than a JSON event: a console of an older build
 * drops an unknown magic silently, while an unknown event kind fails its message
 * schema and raises an alert; and raw pixels cost the engine thread no PNG encoding.
 */
export const THUMBNAIL_FRAME_MAGIC = 0x31545943; // 'CYT1' read little-endian
export const FRAME_HEADER_BYTES = 24;
/** Bytes of the look key after a thumbnail's header. */
export const THUMBNAIL_KEY_BYTES = 16;

/** Which picture a binary frame carries: the program (on the wall) or the standby preview (what GO will put there). */
export type FrameStream = 'program' | 'standby' | 'output' | 'input';

export interface FrameHeader {
  sequence: number;
  lookId: number;
  width: number;
  height: number;
  showTimeMs: number;
  /** Absent = 'program' (the original stream). */
  stream?: FrameStream;
}

export function writeFrameHeader(target: Uint8Array, header: FrameHeader): void {
  writeHeader(target, header.stream ? STREAM_MAGIC[header.stream] : FRAME_MAGIC, header);
}

const STREAM_MAGIC: Record<FrameStream, number> = { program: FRAME_MAGIC, standby: STANDBY_FRAME_MAGIC, output: OUTPUT_FRAME_MAGIC, input: INPUT_FRAME_MAGIC };

function writeHeader(target: Uint8Array, magic: number, header: Omit<FrameHeader, 'stream'>): void {
  const view = new DataView(target.buffer, target.byteOffset, FRAME_HEADER_BYTES);
  view.setUint32(0, magic, true);
  view.setUint32(4, header.sequence >>> 0, true);
  view.setUint32(8, header.lookId >>> 0, true);
  view.setUint16(12, header.width, true);
  view.setUint16(14, header.height, true);
  view.setFloat64(16, header.showTimeMs, true);
}

/** Reads a binary frame message; returns null (never throws) for anything malformed. */
export function readFrame(message: ArrayBuffer | Uint8Array): { header: FrameHeader; pixels: Uint8Array } | null {
  const bytes = message instanceof Uint8Array ? message : new Uint8Array(message);
  if (bytes.byteLength < FRAME_HEADER_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, FRAME_HEADER_BYTES);
  const magic = view.getUint32(0, true);
  if (magic !== FRAME_MAGIC && magic !== STANDBY_FRAME_MAGIC && magic !== OUTPUT_FRAME_MAGIC && magic !== INPUT_FRAME_MAGIC) return null;
  const header: FrameHeader = {
    // Program frames keep the original header shape (stream absent = 'program').
    ...(magic === STANDBY_FRAME_MAGIC
      ? { stream: 'standby' as const }
      : magic === OUTPUT_FRAME_MAGIC
        ? { stream: 'output' as const }
        : magic === INPUT_FRAME_MAGIC
          ? { stream: 'input' as const }
          : {}),
    sequence: view.getUint32(4, true),
    lookId: view.getUint32(8, true),
    width: view.getUint16(12, true),
    height: view.getUint16(14, true),
    showTimeMs: view.getFloat64(16, true),
  };
  const pixelBytes = header.width * header.height * 4;
  if (bytes.byteLength !== FRAME_HEADER_BYTES + pixelBytes) return null;
  return { header, pixels: bytes.subarray(FRAME_HEADER_BYTES) };
}

/** A cue thumbnail as read from the wire: its look key and RGBA8 pixels (a view into the message). */
export interface ThumbnailMessage {
  key: string;
  width: number;
  height: number;
  showTimeMs: number;
  sequence: number;
  pixels: Uint8Array;
}

/** A thumbnail message: header, key, pixels (width*height*4 bytes, copied in). */
export function writeThumbnailMessage(thumbnail: Omit<ThumbnailMessage, 'pixels'>, pixels: Uint8Array): Uint8Array {
  const pixelBytes = thumbnail.width * thumbnail.height * 4;
  if (pixels.byteLength !== pixelBytes || !thumbnailKeySchema.safeParse(thumbnail.key).success) throw new Error('writeThumbnailMessage: bad key or pixel count');
  const message = new Uint8Array(FRAME_HEADER_BYTES + THUMBNAIL_KEY_BYTES + pixelBytes);
  writeHeader(message, THUMBNAIL_FRAME_MAGIC, { sequence: thumbnail.sequence, lookId: 0, width: thumbnail.width, height: thumbnail.height, showTimeMs: thumbnail.showTimeMs });
  for (let i = 0; i < THUMBNAIL_KEY_BYTES; i++) message[FRAME_HEADER_BYTES + i] = thumbnail.key.charCodeAt(i);
  message.set(pixels, FRAME_HEADER_BYTES + THUMBNAIL_KEY_BYTES);
  return message;
}

/** Reads a thumbnail message; null (never throws) for anything else or anything malformed. */
export function readThumbnail(message: ArrayBuffer | Uint8Array): ThumbnailMessage | null {
  const bytes = message instanceof Uint8Array ? message : new Uint8Array(message);
  const start = FRAME_HEADER_BYTES + THUMBNAIL_KEY_BYTES;
  if (bytes.byteLength < start) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, FRAME_HEADER_BYTES);
  if (view.getUint32(0, true) !== THUMBNAIL_FRAME_MAGIC) return null;
  const key = thumbnailKeySchema.safeParse(String.fromCharCode(...bytes.subarray(FRAME_HEADER_BYTES, start)));
  const width = view.getUint16(12, true);
  const height = view.getUint16(14, true);
  if (!key.success || bytes.byteLength !== start + width * height * 4) return null;
  return { key: key.data, width, height, showTimeMs: view.getFloat64(16, true), sequence: view.getUint32(4, true), pixels: bytes.subarray(start) };
}
