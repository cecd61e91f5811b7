/**
 * The console's program monitor: a small copy of each new program frame, sent
 * as a binary frame message (contract/frame-wire.ts) to every connected console.
 * Buffers come from a small ring, because a transport may still hold the last
 * one or two while it writes them; consoles that fall behind skip frames
 * (the hub decides), they never queue them.
 */
import { FRAME_HEADER_BYTES, writeFrameHeader } from '../../contract/frame-wire.js';
import { Downscaler } from '../frames/downscale.js';
import type { FrameSink, OutputTick } from './frame-sink.js';

/** Preview size: a fifth of 1080p, ~330 KB a frame, enough for a monitor tile. */
export const PREVIEW_WIDTH = 384;
export const PREVIEW_HEIGHT = 216;
const RING_SIZE = 4;
/**
 * A held picture (Freeze, a black panic after its fade, a safe plate, a model slower than
 * the clock) is sent again after this many output ticks without a send (~533 ms at 30 fps,
 * 667 ms at 23.976), so the console can tell "the engine sends the same picture" from "no
 * preview signal" (it calls a second without frames lost). Long enough that a model making
 * 2 fps or more adds almost no extra frames to the consoles' load.
 */
export const PREVIEW_KEEPALIVE_TICKS = 16;

export class PreviewSink implements FrameSink {
  readonly id = 'preview';
  readonly kind = 'preview' as const;
  readonly name = 'Console program monitor';
  private readonly downscaler: Downscaler;
  private readonly ring: Uint8Array[];
  private next = 0;
  private lastLevel = -1;
  private lastSentTick = -Infinity;

  constructor(
    sourceWidth: number,
    sourceHeight: number,
    private readonly broadcast: (message: Uint8Array) => void,
    width = PREVIEW_WIDTH,
    height = PREVIEW_HEIGHT,
  ) {
    this.downscaler = new Downscaler(sourceWidth, sourceHeight, width, height);
    this.ring = Array.from({ length: RING_SIZE }, () => new Uint8Array(FRAME_HEADER_BYTES + width * height * 4));
  }

  send({ frame, fresh, level, tick }: OutputTick): void {
    // Repeats carry nothing new for a monitor, unless a fade is changing the level or the keepalive is due.
    if (!fresh && level === this.lastLevel && tick - this.lastSentTick < PREVIEW_KEEPALIVE_TICKS) return;
    this.lastLevel = level;
    this.lastSentTick = tick;
    const message = this.ring[this.next] as Uint8Array;
    this.next = (this.next + 1) % RING_SIZE;
    writeFrameHeader(message, {
      sequence: frame.sequence,
      lookId: frame.lookId,
      width: this.downscaler.width,
      height: this.downscaler.height,
      showTimeMs: frame.showTimeMs,
    });
    this.downscaler.run(frame.pixels, message.subarray(FRAME_HEADER_BYTES), level);
    this.broadcast(message);
  }

  close(): void {}
}
