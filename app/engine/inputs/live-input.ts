/**
 * What InputSet holds per open input (NDI, still image, program): a picture fitted to a
 * size on demand, and a status row. Every implementation answers at once (no I/O, no
 * waiting): the slow parts (finding, receiving, decoding, fitting) happen on their own
 * threads or before.
 */
import type { InputFit, InputSource, InputStatus } from '../../contract/inputs.js';

export interface FittedPicture {
  rgba: Uint8Array;
  width: number;
  height: number;
  /** Same number = same pixels (see InputPicture.version). */
  version: number;
  /** performance.now() ms in this process when the source frame arrived. */
  receivedAtMs: number;
}

export interface LiveInput {
  readonly key: string;
  readonly source: InputSource;
  /** The newest frame fitted to width x height, or null while there is none (yet). */
  picture(fit: InputFit, width: number, height: number): FittedPicture | null;
  status(): InputStatus;
  close(): void;
}

let lastVersion = 0;
/** Picture versions are unique across all inputs of the process, so two inputs never share one by chance. */
export function nextPictureVersion(): number {
  lastVersion += 1;
  return lastVersion;
}

/** Epoch ms now, on the same scale the worker threads stamp frames with. */
export function epochNowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** A status row with nothing received yet. */
export function emptyStatus(key: string, source: InputSource, state: InputStatus['state'], error: string | null): InputStatus {
  return { key, source, state, width: null, height: null, rate: null, fpsReceived: 0, framesReceived: 0, framesDropped: 0, lastFrameAgeMs: null, error };
}
