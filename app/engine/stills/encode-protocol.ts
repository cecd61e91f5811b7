/** Messages between the image encoder (image-encoder.ts) and its thread (encode-worker.ts). */

/** A full-resolution PNG still, written to `path` (never over an existing file) with iTXt `text`. */
export interface PngJob {
  kind: 'png';
  id: number;
  width: number;
  height: number;
  /** RGBA8, width*height*4 bytes; transferred. */
  pixels: ArrayBuffer;
  /** Output level 0..1 multiplied in (what the wall shows during a black fade). */
  level: number;
  text: Array<[string, string]>;
  path: string;
}

/** A viewer frame: downscaled to outWidth x outHeight, JPEG at `quality`. */
export interface JpegJob {
  kind: 'jpeg';
  id: number;
  width: number;
  height: number;
  pixels: ArrayBuffer;
  level: number;
  outWidth: number;
  outHeight: number;
  quality: number;
}

export type EncodeJob = PngJob | JpegJob;

export interface EncodeAnswer {
  id: number;
  ok: boolean;
  /** Bytes written (PNG) or encoded (JPEG). */
  bytes?: number;
  /** The JPEG's bytes (transferred). */
  jpeg?: ArrayBuffer;
  /** Why it failed, and the errno code of a failed write (EEXIST, ENOSPC, EACCES). */
  message?: string;
  code?: string | undefined;
}
