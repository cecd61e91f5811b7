/**
 * Binary preview frames: a fixed 24-byte little-endian header, then RGBA8 pixels,
 * row-major, width*height*4 bytes. Used on the WebSocket and the Electron port.
 *
 *   0  u32 magic 'CYF1'   4 u32 sequence   8 u32 lookId
 *  12  u16 width         14 u16 height    16 f64 showTimeMs (frame's show time)
 */
export const FRAME_MAGIC = 0x31465943; // 'CYF1' read little-endian
export const FRAME_HEADER_BYTES = 24;

export interface FrameHeader {
  sequence: number;
  lookId: number;
  width: number;
  height: number;
  showTimeMs: number;
}

export function writeFrameHeader(target: Uint8Array, header: FrameHeader): void {
  const view = new DataView(target.buffer, target.byteOffset, FRAME_HEADER_BYTES);
  view.setUint32(0, FRAME_MAGIC, true);
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
  if (view.getUint32(0, true) !== FRAME_MAGIC) return null;
  const header: FrameHeader = {
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
