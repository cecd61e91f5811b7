/**
 * A picture handed from an input's worker thread to the inference thread without
 * either waiting for the other: a lock-free triple buffer in shared memory. The writer
 * always has a slot of its own to fill, the reader always holds one it may read, and
 * the third is the newest finished one; one atomic exchange on each side swaps them.
 * Latest wins by construction: a slow reader never builds a queue, it just gets the
 * newest picture when it next looks (and `frame` numbers say how many it skipped).
 *
 * The reader needs no event-loop turn to see a new picture (no postMessage), so a
 * 30 ms model step reads the frame that arrived during it.
 */
const FRESH = 4;
/** Per slot: frame number (1-based; 0 = never written), arrival (epoch ms), source width, source height. */
const META = 4;

export interface SharedPictureBuffers {
  width: number;
  height: number;
  control: SharedArrayBuffer;
  meta: SharedArrayBuffer;
  slots: SharedArrayBuffer[];
}

export function createSharedPicture(width: number, height: number): SharedPictureBuffers {
  const control = new SharedArrayBuffer(4 * 4);
  new Int32Array(control)[0] = 2; // slot 2 is "latest" (not fresh) at the start; reader holds 0, writer 1
  return {
    width,
    height,
    control,
    meta: new SharedArrayBuffer(3 * META * 8),
    slots: [0, 1, 2].map(() => new SharedArrayBuffer(width * height * 4)),
  };
}

export interface PictureFrame {
  rgba: Uint8Array;
  /** Frame number the writer gave it (increasing). */
  frame: number;
  /** Arrival of the source frame behind it, epoch ms (performance.timeOrigin + now). */
  arrivedAtEpochMs: number;
}

export class SharedPictureWriter {
  private back = 1;
  private readonly control: Int32Array;
  private readonly meta: Float64Array;
  private readonly slots: Uint8Array[];

  constructor(readonly buffers: SharedPictureBuffers) {
    this.control = new Int32Array(buffers.control);
    this.meta = new Float64Array(buffers.meta);
    this.slots = buffers.slots.map((s) => new Uint8Array(s));
  }

  /** The slot to fill now (width * height * 4 bytes); call publish() when done. */
  target(): Uint8Array {
    return this.slots[this.back] as Uint8Array;
  }

  publish(frame: number, arrivedAtEpochMs: number): void {
    const m = this.back * META;
    this.meta[m] = frame;
    this.meta[m + 1] = arrivedAtEpochMs;
    const previous = Atomics.exchange(this.control, 0, this.back | FRESH);
    this.back = previous & 3;
  }
}

export class SharedPictureReader {
  private front = 0;
  private readonly control: Int32Array;
  private readonly meta: Float64Array;
  private readonly slots: Uint8Array[];

  constructor(readonly buffers: SharedPictureBuffers) {
    this.control = new Int32Array(buffers.control);
    this.meta = new Float64Array(buffers.meta);
    this.slots = buffers.slots.map((s) => new Uint8Array(s));
  }

  /** The newest published picture (kept until the next call), or null before the first. */
  latest(): PictureFrame | null {
    if ((Atomics.load(this.control, 0) & FRESH) !== 0) {
      this.front = Atomics.exchange(this.control, 0, this.front) & 3;
    }
    const m = this.front * META;
    const frame = this.meta[m] as number;
    if (frame === 0) return null;
    return { rgba: this.slots[this.front] as Uint8Array, frame, arrivedAtEpochMs: this.meta[m + 1] as number };
  }
}
