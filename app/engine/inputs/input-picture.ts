/**
 * The contract between the live inputs (inputs/) and the pipelines that restyle them
 * (generate/pipelines/): a picture already fitted to the model's working size, so a
 * pipeline never resizes and the conversion happens once per received frame.
 */
import type { InputStatus, LookInput } from '../../contract/inputs.js';

export interface InputPicture {
  /** RGBA8 at the model's working size (width*height*4 bytes). Owned by the input; valid until the next `pictureFor`. */
  rgba: Uint8Array;
  width: number;
  height: number;
  /**
   * Changes when the pixels change (a new frame arrived, a crossfade moved); the same
   * number means the same pixels, so a pipeline may skip work for an input that did not change.
   */
  version: number;
  /** performance.now() ms in this process when the newest frame behind it arrived. */
  receivedAtMs: number;
}

/** The inputs one inference loop uses: opened as looks name them, closed when no look does. */
export interface InputFeed {
  /**
   * The picture for a look at this instant: `to`'s input, crossfaded from `from`'s by
   * `mix` during a transition; null when the look names no input or none has a frame yet
   * (the pipeline then works from text, with the previous frame as its source).
   */
  pictureFor(from: LookInput | null | undefined, to: LookInput | null | undefined, mix: number, width: number, height: number): InputPicture | null;
  /** The program frame just made (RGBA8 at the working size), for looks whose input is the program itself. */
  noteProgramFrame(rgba: Uint8Array, width: number, height: number): void;
  /** One row per open input. */
  status(): InputStatus[];
  close(): void;
}
