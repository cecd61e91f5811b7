/**
 * The program output fed back in as an input (rehearsal with no camera). InputSet hands
 * it the frames only while a look names the program, so nothing is copied otherwise; the
 * copy is needed because the caller reuses its buffer for the next frame. Frames are at
 * the working size already, so fitting is usually a plain copy (cheap on this thread).
 */
import type { InputFit, InputStatus } from '../../contract/inputs.js';
import { inputKey } from '../../contract/inputs.js';
import { Fitter } from './fit.js';
import { emptyStatus, epochNowMs, nextPictureVersion, type FittedPicture, type LiveInput } from './live-input.js';

export class ProgramInput implements LiveInput {
  readonly source = { kind: 'program' } as const;
  readonly key = inputKey(this.source);
  private frame = new Uint8Array(0);
  private width = 0;
  private height = 0;
  private frames = 0;
  private arrivedAtMs = 0;
  private readonly arrivals: number[] = [];
  private readonly fitted = new Map<string, { fitter: Fitter; frame: number; picture: FittedPicture }>();

  note(rgba: Uint8Array, width: number, height: number): void {
    const bytes = width * height * 4;
    if (width <= 0 || height <= 0 || rgba.length < bytes) return;
    if (this.frame.length !== bytes) this.frame = new Uint8Array(bytes);
    this.frame.set(rgba.subarray(0, bytes));
    this.width = width;
    this.height = height;
    this.frames += 1;
    this.arrivedAtMs = performance.now();
    this.arrivals.push(this.arrivedAtMs);
  }

  picture(fit: InputFit, width: number, height: number): FittedPicture | null {
    if (this.frames === 0) return null;
    const key = `${fit}:${width}x${height}`;
    let entry = this.fitted.get(key);
    if (entry && entry.frame === this.frames) return entry.picture;
    entry ??= { fitter: new Fitter(), frame: 0, picture: { rgba: new Uint8Array(0), width, height, version: 0, receivedAtMs: 0 } };
    const rgba = entry.fitter.fit({ data: this.frame, width: this.width, height: this.height, stride: this.width * 4 }, fit, width, height);
    entry.frame = this.frames;
    entry.picture = { rgba, width, height, version: nextPictureVersion(), receivedAtMs: this.arrivedAtMs };
    this.fitted.set(key, entry);
    return entry.picture;
  }

  status(): InputStatus {
    const now = performance.now();
    while (this.arrivals.length > 0 && (this.arrivals[0] as number) <= now - 1000) this.arrivals.shift();
    if (this.frames === 0) return emptyStatus(this.key, this.source, 'waiting', null);
    return {
      ...emptyStatus(this.key, this.source, 'connected', null),
      width: this.width,
      height: this.height,
      fpsReceived: this.arrivals.length,
      framesReceived: this.frames,
      lastFrameAgeMs: Math.max(0, epochNowMs() - (performance.timeOrigin + this.arrivedAtMs)),
    };
  }

  close(): void {
    this.frame = new Uint8Array(0);
    this.fitted.clear();
  }
}
