/**
 * The recording FrameSink: on each tick of the recording's clock it copies the frame
 * (at the tick's level, black while the source output is blanked) into the encoder's
 * bounded queue and returns; the encoder process does the rest (crop, scale, colour
 * conversion, compression). It never holds frame.pixels past send().
 */
import type { FrameSink, OutputTick } from '../outputs/frame-sink.js';
import type { FfmpegEncoder } from './ffmpeg-encoder.js';

/** Copies RGBA `from` into `to` at `level` (0..1): a plain copy at 1, black (opaque) at 0. */
export function copyAtLevel(from: Uint8Array, to: Uint8Array, level: number): void {
  const n = Math.min(from.length, to.length);
  if (level >= 1) {
    to.set(n === from.length ? from : from.subarray(0, n));
    return;
  }
  if (level <= 0) {
    to.fill(0, 0, n);
    for (let i = 3; i < n; i += 4) to[i] = 255;
    return;
  }
  for (let i = 0; i < n; i += 4) {
    to[i] = (from[i] as number) * level;
    to[i + 1] = (from[i + 1] as number) * level;
    to[i + 2] = (from[i + 2] as number) * level;
    to[i + 3] = 255;
  }
}

export class RecordingSink implements FrameSink {
  readonly kind = 'files' as const;
  /** Ticks whose frame was not the recording's size (a model switch mid-recording): recorded as black, counted. */
  mismatched = 0;
  /** The last tick sent: a jump means the clock missed ticks, and this picture covers them too (the file keeps the wall's time). */
  private lastTick: number | null = null;
  /** What was offered last (look, frame, level): a tick that repeats it extends the queued picture instead of copying 8 MB again. */
  private lastOffered: string | null = null;

  constructor(
    readonly id: string,
    readonly name: string,
    private readonly encoder: FfmpegEncoder,
    private readonly width: number,
    private readonly height: number,
    /** False while the recorded output is blanked: its frames are black, as on the wall. */
    private readonly live: () => boolean = () => true,
  ) {}

  send(tick: OutputTick): void {
    const { frame } = tick;
    const ticks = this.lastTick === null ? 1 : Math.max(1, tick.tick - this.lastTick);
    this.lastTick = tick.tick;
    if (frame.width !== this.width || frame.height !== this.height) {
      this.mismatched++;
      this.encoder.offer((into) => copyAtLevel(into, into, 0), ticks);
      return;
    }
    const level = this.live() ? tick.level : 0;
    const key = `${frame.lookId}:${frame.sequence}:${level}`;
    // The model is often slower than the output rate: most ticks repeat the last picture, and need no copy.
    if (key === this.lastOffered && this.encoder.extend(ticks)) return;
    this.lastOffered = key;
    this.encoder.offer((into) => copyAtLevel(frame.pixels, into, level), ticks);
  }

  close(): void {
    // The recorder stops the encoder (it waits for the file to be finished); nothing to free here.
  }
}
