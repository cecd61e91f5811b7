/**
 * The bounded latest-wins queue between an output tick and the encoder's stdin.
 * The tick copies its frame into a buffer from a fixed pool and returns at once;
 * the writer takes the oldest queued frame when the encoder has taken the last.
 * When every buffer is queued or being written, the oldest queued frame is dropped
 * (and counted) to make room: the newest picture always gets in, memory stays at
 * `capacity` frames, and the output clock never waits.
 */
export class LatestWinsQueue {
  private readonly free: Uint8Array[] = [];
  private readonly queued: Uint8Array[] = [];
  private dropped = 0;

  /** `capacity` buffers of `frameBytes` each (capacity >= 2: one being written, one or more waiting). */
  constructor(
    readonly frameBytes: number,
    readonly capacity: number,
  ) {
    if (capacity < 2) throw new Error('LatestWinsQueue needs room for at least 2 frames (one being written, one waiting)');
    for (let i = 0; i < capacity; i++) this.free.push(new Uint8Array(frameBytes));
  }

  /** A buffer to fill with the next frame, then hand to push(): a free one, else the oldest queued one (dropped). Null when all are being written. */
  claim(): Uint8Array | null {
    const buffer = this.free.pop();
    if (buffer) return buffer;
    const oldest = this.queued.shift();
    if (oldest) this.dropped++;
    return oldest ?? null;
  }

  /** Queues a filled buffer from claim(). */
  push(buffer: Uint8Array): void {
    this.queued.push(buffer);
  }

  /** The oldest queued frame for the writer; give it back with release() once written. */
  next(): Uint8Array | null {
    return this.queued.shift() ?? null;
  }

  release(buffer: Uint8Array): void {
    this.free.push(buffer);
  }

  /** Counts a frame that found no buffer at all (claim() returned null). */
  countDrop(): void {
    this.dropped++;
  }

  get droppedFrames(): number {
    return this.dropped;
  }

  get length(): number {
    return this.queued.length;
  }
}
