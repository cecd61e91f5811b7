/**
 * Binary preview frames: a fixed 24-byte little-endian header, then RGBA8 pixels,
 * row-major, width*height*4 bytes. Used on the WebSocket and the Electron port.
 *
 *   0  u32 magic 'CYF1'   4 u32 sequence   8 u32 lookId
 *  12  u16 width         14 u16 height    16 f64 showTimeMs (frame's show time)
 */
export const FRAME_MAGIC = 0x31465943; // 'CYF1' read little-endian
/**
 * Same layout, another stream: the standby cue's pre-rendered still (the console's
 * Preview monitor). A separate magic so older consoles simply ignore these frames.
 */
export const STANDBY_FRAME_MAGIC = 0x31535943; // 'CYS1' read little-endian
/** Same layout: a display output's frames, sent only to the pages subscribed to that output. */
export const OUTPUT_FRAME_MAGIC = 0x314f5943; // 'CYO1' read little-endian
export const FRAME_HEADER_BYTES = 24;

/** Which picture a binary frame carries: the program (on the wall) or the standby preview (what GO will put there). */
export type FrameStream = 'program' | 'standby' | 'output';

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
  const view = new DataView(target.buffer, target.byteOffset, FRAME_HEADER_BYTES);
  view.setUint32(0, header.stream === 'standby' ? STANDBY_FRAME_MAGIC : header.stream === 'output' ? OUTPUT_FRAME_MAGIC : FRAME_MAGIC, true);
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
  if (magic !== FRAME_MAGIC && magic !== STANDBY_FRAME_MAGIC && magic !== OUTPUT_FRAME_MAGIC) return null;
  const header: FrameHeader = {
    // Program frames keep the original header shape (stream absent = 'program').
    ...(magic === STANDBY_FRAME_MAGIC ? { stream: 'standby' as const } : magic === OUTPUT_FRAME_MAGIC ? { stream: 'output' as const } : {}),
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
