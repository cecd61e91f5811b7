/**
 * The client preview link's picture: the program at VIEWER_WIDTH x VIEWER_HEIGHT,
 * VIEWER_FPS frames a second, JPEG (contract/viewer.ts), for phones on venue Wi-Fi.
 * A tap on the console preview's clock (engine.addTap) while anyone watches: a tick
 * that is due copies the frame (one memcpy) and hands it to the encoder thread;
 * the downscale and the JPEG encode are the thread's. Latest wins: while one frame
 * is being encoded, due ticks are skipped, never queued, so a slow encoder lowers
 * the viewers' rate and never the outputs'.
 */
import { VIEWER_FPS, VIEWER_HEIGHT, VIEWER_JPEG_QUALITY, VIEWER_WIDTH } from '../../contract/viewer.js';
import type { FrameSink, OutputTick } from '../outputs/frame-sink.js';
import { ImageEncoder } from './image-encoder.js';

export const VIEWER_TAP_ID = 'viewer-link';

export class ViewerFrames implements FrameSink {
  readonly id = VIEWER_TAP_ID;
  readonly kind = 'null' as const;
  readonly name = 'Client preview link';
  private readonly encoder = new ImageEncoder('cyclorama-viewer');
  private lastAtMs = -Infinity;
  /** (time, bytes) of the frames sent in the last second, for bytes/s. */
  private readonly sent: Array<{ atMs: number; bytes: number }> = [];
  /** JPEGs encoded (a test and the bench read it). */
  encoded = 0;

  constructor(
    /** Gets each JPEG; returns the bytes it sent (one frame times the viewers that took it). */
    private readonly deliver: (jpeg: Uint8Array) => number,
    private readonly nowMs: () => number,
    private readonly fps = VIEWER_FPS,
  ) {}

  send({ frame, level }: OutputTick): void {
    const now = this.nowMs();
    // A tick's worth of slack (the clock's ticks jitter): 5 fps from 29.97 is every 6th tick.
    if (now - this.lastAtMs < 1000 / this.fps - 12 || this.encoder.inFlight > 0) return;
    this.lastAtMs = now;
    const pixels = frame.pixels.slice().buffer;
    void this.encoder
      .encode({ kind: 'jpeg', width: frame.width, height: frame.height, pixels, level, outWidth: VIEWER_WIDTH, outHeight: VIEWER_HEIGHT, quality: VIEWER_JPEG_QUALITY })
      .then((answer) => {
        if (!answer.ok || !answer.jpeg) return;
        this.encoded++;
        const bytes = this.deliver(new Uint8Array(answer.jpeg));
        this.sent.push({ atMs: this.nowMs(), bytes });
      });
  }

  /** Bytes sent to all viewers over the last second. */
  bytesPerSecond(): number {
    const now = this.nowMs();
    while (this.sent.length > 0 && (this.sent[0]?.atMs ?? 0) < now - 1000) this.sent.shift();
    return this.sent.reduce((sum, s) => sum + s.bytes, 0);
  }

  close(): void {
    void this.encoder.close();
  }
}
