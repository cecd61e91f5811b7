/**
 * DisplayFrameSink: one display output (a full-screen page or Electron window fed
 * over the console transport). Each tick of its own output clock it scales the
 * program frame (or a crop of it) to the transport size and hands the binary
 * message ('output' stream, contract/frame-wire.ts) to the pages subscribed to this
 * output; the page scales it to the display on the GPU.
 *
 * Cost control: nothing is scaled while no page is subscribed; a repeated frame at
 * the same level is not scaled again (the last message goes out again, so the page
 * keeps the output's cadence). Messages come from a small ring (a transport may still
 * be writing the previous one); a page that falls behind skips frames (the hub).
 */
import type { Crop } from '../../contract/display.js';
import { FRAME_HEADER_BYTES, writeFrameHeader } from '../../contract/frame-wire.js';
import type { OutputStatus } from '../../contract/state.js';
import { Downscaler } from '../frames/downscale.js';
import type { FrameSink, OutputTick } from './frame-sink.js';
import type { FrameRate } from '../../contract/ndi.js';

const RING_SIZE = 3;

export interface DisplayOutputConfig {
  id: string;
  name: string;
  /** Transport size, px. */
  width: number;
  height: number;
  rate: FrameRate;
  crop?: Crop;
  /** Electron: which display to open on (label or "x,y"). */
  display?: string;
}

export class DisplayFrameSink implements FrameSink {
  readonly kind = 'display' as const;
  private scaler: Downscaler | null = null;
  private readonly ring: Uint8Array[];
  private next = 0;
  private last: Uint8Array | null = null;
  private lastSequence = -1;
  private lastLevel = -1;
  /** Pages showing this output now (set by the hub through DisplayOutputs). */
  clients = 0;
  /** Frames scaled vs. sent again as they were (repeats); ms spent scaling, for the figures. */
  scaled = 0;
  resent = 0;
  scaleMs = 0;

  constructor(
    readonly config: DisplayOutputConfig,
    private readonly deliver: (id: string, message: Uint8Array) => void,
    private readonly nowMs: () => number,
  ) {
    this.ring = Array.from({ length: RING_SIZE }, () => new Uint8Array(FRAME_HEADER_BYTES + config.width * config.height * 4));
  }

  get id(): string {
    return this.config.id;
  }

  get name(): string {
    return this.config.name;
  }

  send({ frame, level }: OutputTick): void {
    if (this.clients === 0) {
      this.last = null; // a page that subscribes later gets a freshly scaled frame
      return;
    }
    if (this.last && frame.sequence === this.lastSequence && level === this.lastLevel) {
      this.resent++;
      this.deliver(this.config.id, this.last);
      return;
    }
    if (!this.scaler || this.scaler.sourceWidth !== frame.width || this.scaler.sourceHeight !== frame.height) {
      this.scaler = new Downscaler(frame.width, frame.height, this.config.width, this.config.height, this.config.crop);
    }
    const started = this.nowMs();
    const message = this.ring[this.next] as Uint8Array;
    this.next = (this.next + 1) % RING_SIZE;
    writeFrameHeader(message, {
      sequence: frame.sequence,
      lookId: frame.lookId,
      width: this.config.width,
      height: this.config.height,
      showTimeMs: frame.showTimeMs,
      stream: 'output',
    });
    this.scaler.run(frame.pixels, message.subarray(FRAME_HEADER_BYTES), level);
    this.scaleMs += this.nowMs() - started;
    this.scaled++;
    this.last = message;
    this.lastSequence = frame.sequence;
    this.lastLevel = level;
    this.deliver(this.config.id, message);
  }

  status(): Partial<OutputStatus> {
    return {
      width: this.config.width,
      height: this.config.height,
      clients: this.clients,
      ...(this.config.crop ? { crop: this.config.crop } : {}),
      ...(this.config.display ? { display: this.config.display } : {}),
    };
  }

  close(): void {
    this.clients = 0;
    this.last = null;
  }
}
