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
import type { FrameSink, OutputTick } from './frame-sink.js';
import type { FrameRate } from './output-clock.js';

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

/**
 * RGBA scale of a crop region: each output pixel averages a 2x2 grid of samples
 * over its source block (the same filter as the console preview), with the level
 * applied. Tables are built once per source size; nothing is allocated per frame.
 */
export class CropScaler {
  private readonly columns: Int32Array;
  private readonly rows: Int32Array;

  constructor(
    readonly sourceWidth: number,
    readonly sourceHeight: number,
    readonly width: number,
    readonly height: number,
    crop: Crop = { x: 0, y: 0, width: 1, height: 1 },
  ) {
    const axis = (count: number, sourceSize: number, start: number, span: number, scale: number) => {
      const table = new Int32Array(count * 2);
      const x0 = start * sourceSize;
      const step = (span * sourceSize) / count;
      const last = Math.min(sourceSize - 1, Math.ceil((start + span) * sourceSize) - 1);
      for (let i = 0; i < count; i++) {
        table[i * 2] = Math.min(last, Math.floor(x0 + step * (i + 0.25))) * scale;
        table[i * 2 + 1] = Math.min(last, Math.floor(x0 + step * (i + 0.75))) * scale;
      }
      return table;
    };
    this.columns = axis(width, sourceWidth, crop.x, crop.width, 4);
    this.rows = axis(height, sourceHeight, crop.y, crop.height, 1);
  }

  run(source: Uint8Array, target: Uint8Array, level = 1): void {
    const stride = this.sourceWidth * 4;
    const gain = Math.round(Math.max(0, Math.min(1, level)) * 256);
    let out = 0;
    for (let y = 0; y < this.height; y++) {
      const rowA = (this.rows[y * 2] as number) * stride;
      const rowB = (this.rows[y * 2 + 1] as number) * stride;
      for (let x = 0; x < this.width; x++) {
        const cA = this.columns[x * 2] as number;
        const cB = this.columns[x * 2 + 1] as number;
        for (let c = 0; c < 3; c++) {
          const sum = (source[rowA + cA + c] as number) + (source[rowA + cB + c] as number) + (source[rowB + cA + c] as number) + (source[rowB + cB + c] as number);
          target[out + c] = (sum * gain) >> 10;
        }
        target[out + 3] = 255;
        out += 4;
      }
    }
  }
}

export class DisplayFrameSink implements FrameSink {
  readonly kind = 'display' as const;
  private scaler: CropScaler | null = null;
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
      this.scaler = new CropScaler(frame.width, frame.height, this.config.width, this.config.height, this.config.crop);
    }
    const started = this.nowMs();
    const message = this.ring[this.next] as Uint8Array;
    this.next = (this.next + 1) % RING_SIZE;
    writeFrameHeader(message, { sequence: frame.sequence, lookId: frame.lookId, width: this.config.width, height: this.config.height, showTimeMs: frame.showTimeMs, stream: 'output' });
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
