/**
 * The bounded latest-wins queue between an output tick and the encoder's stdin.
 * The tick copies its frame into a buffer from a fixed pool and returns at once;
 * the writer takes the oldest queued frame when the encoder has taken the last.
 * When every buffer is queued or being written, the oldest queued picture is dropped
 * (and counted) to make room: the newest picture always gets in, memory stays at
 * `capacity` frames, and the output clock never waits.
 *
 * Each queued picture covers `ticks` output ticks (more than one when the clock missed
 * ticks); a dropped picture's ticks pass to the one that replaces it, so the file keeps
 * the wall's timing (the writer writes a picture once per tick it covers), up to
 * `maxTicks` per picture: beyond that, ticks are lost (counted) and the file runs short.
 */
export interface QueuedFrame {
  buffer: Uint8Array;
  /** Output ticks this picture stands for (written this many times). */
  ticks: number;
}

export class LatestWinsQueue {
  private readonly free: Uint8Array[] = [];
  private readonly queued: QueuedFrame[] = [];
  private dropped = 0;
  private lost = 0;

  /** `capacity` buffers of `frameBytes` each (capacity >= 2: one being written, one or more waiting). */
  constructor(
    readonly frameBytes: number,
    readonly capacity: number,
    readonly maxTicks = Number.POSITIVE_INFINITY,
  ) {
    if (capacity < 2) throw new Error('LatestWinsQueue needs room for at least 2 frames (one being written, one waiting)');
    for (let i = 0; i < capacity; i++) this.free.push(new Uint8Array(frameBytes));
  }

  /**
   * A buffer to fill with the next picture, then hand to push(): a free one, else the oldest
   * queued one (its picture dropped, its ticks carried). Null when all are being written.
   */
  claim(): { buffer: Uint8Array; carriedTicks: number } | null {
    const buffer = this.free.pop();
    if (buffer) return { buffer, carriedTicks: 0 };
    const oldest = this.queued.shift();
    if (!oldest) return null;
    this.dropped++;
    return { buffer: oldest.buffer, carriedTicks: oldest.ticks };
  }

  /** Queues a filled buffer from claim() for `ticks` ticks (its own plus any carried). */
  push(buffer: Uint8Array, ticks: number): void {
    const kept = Math.min(ticks, this.maxTicks);
    this.lost += ticks - kept;
    this.queued.push({ buffer, ticks: kept });
  }

  /** The oldest queued picture for the writer; give its buffer back with release() once written. */
  next(): QueuedFrame | null {
    return this.queued.shift() ?? null;
  }

  /** The newest queued picture (to extend by ticks when the source repeats it), or null. */
  newest(): QueuedFrame | null {
    return this.queued.at(-1) ?? null;
  }

  release(buffer: Uint8Array): void {
    this.free.push(buffer);
  }

  /** A picture that found no buffer at all (claim() returned null): dropped, and its ticks lost. */
  countDrop(ticks: number): void {
    this.dropped++;
    this.lost += ticks;
  }

  /** Pictures that never reached the encoder. */
  get droppedFrames(): number {
    return this.dropped;
  }

  /** Ticks no written frame stands for (the file is this many frames short of the wall's time). */
  get lostTicks(): number {
    return this.lost;
  }

  get length(): number {
    return this.queued.length;
  }
}
