/**
 * When did this audio sample happen, on the engine clock? Audio arrives in blocks
 * whose arrival is late by a varying amount (network, the poll period, a busy
 * event loop), but the samples inside a stream are evenly spaced. So the stream
 * is anchored once and then counted: sample k of the stream was at
 * anchor + k / sampleRate. Arrival is never early, so the anchor follows the
 * earliest arrival seen (the least delayed block), creeping later by a small
 * allowance per second so a sender clock a little slower than ours is followed.
 *
 * A block that arrives far later than its count says (more than maxLateMs) is
 * either a gap (the source stopped, then went on: the stream must be anchored
 * again) or a stall (the sender or this process was held up and the samples come
 * in a rush: the count is right). Which one shows only in the audio after it: a
 * rush catches up (a block comes that is on time for its count), a gap stays late
 * while real time passes. So such a block and those after it are held back until
 * one of the two shows (confirmMs of real time at most) and then stamped one way or
 * the other; a chase fed from here sees that much delay after a gap (it freewheels
 * over it), never a false anchor.
 */
export interface SampleClockOptions {
  /** Arrival later than the counted time by more than this may be a gap, ms; default 250. */
  maxLateMs?: number;
  /** Real time a suspected gap is held back before it is taken as one, ms; default 100. */
  confirmMs?: number;
  /** How far the anchor may creep later per second of audio (sender clock slower than ours), ms; default 0.5. */
  creepMsPerSecond?: number;
}

export interface StampedBlock<T extends ArrayLike<number>> {
  samples: T;
  /** Engine ms of samples[0]. */
  firstMs: number;
}

interface Held<T> {
  samples: T;
  measured: number;
}

export class SampleClock<T extends ArrayLike<number> = Float32Array> {
  private sampleRate = 0;
  /** Engine ms of the stream's first counted sample, and samples counted since. */
  private anchorMs = 0;
  private counted = 0;
  private anchored = false;
  private held: Held<T>[] = [];
  /** Real engine ms the first held block came. */
  private heldSinceMs = 0;
  private readonly maxLateMs: number;
  private readonly confirmMs: number;
  private readonly creep: number;
  /** Gaps confirmed (the stream anchored again). */
  reanchors = 0;
  /** Late rushes confirmed as such (the count kept). */
  rushes = 0;

  constructor(options: SampleClockOptions = {}) {
    this.maxLateMs = options.maxLateMs ?? 250;
    this.confirmMs = options.confirmMs ?? 100;
    this.creep = (options.creepMsPerSecond ?? 0.5) / 1000;
  }

  /**
   * A block at `sampleRate` finished arriving at `arrivedMs` (or could not have finished later: see the LTC
   * reader's batches); `nowMs` is the real engine time it was taken (default arrivedMs). Returns the blocks now
   * stamped, in order (none while a suspected gap is held).
   */
  push(samples: T, sampleRate: number, arrivedMs: number, nowMs: number = arrivedMs): StampedBlock<T>[] {
    const measured = arrivedMs - (samples.length * 1000) / sampleRate;
    const out: StampedBlock<T>[] = [];
    if (this.anchored && sampleRate !== this.sampleRate) {
      // A new stream: what was held is decided as a gap (it is the old rate's), then start over.
      if (this.held.length > 0) out.push(...this.decide(true));
      this.anchored = false;
    }
    if (!this.anchored) {
      this.anchored = true;
      this.sampleRate = sampleRate;
      this.anchorMs = measured;
      this.counted = samples.length;
      out.push({ samples, firstMs: measured });
      return out;
    }
    if (this.held.length > 0) {
      const heldSamples = this.held.reduce((n, h) => n + h.samples.length, 0);
      this.held.push({ samples, measured });
      // Caught up: a rush. Still late after confirmMs of real time: a gap.
      if (measured - this.countedMs(heldSamples) <= this.maxLateMs) out.push(...this.decide(false));
      else if (nowMs - this.heldSinceMs >= this.confirmMs) out.push(...this.decide(true));
      return out;
    }
    if (measured - this.countedMs(0) > this.maxLateMs) {
      this.held.push({ samples, measured });
      this.heldSinceMs = nowMs;
      return out;
    }
    out.push({ samples, firstMs: this.count(samples, measured) });
    return out;
  }

  private countedMs(extraSamples: number): number {
    return this.anchorMs + ((this.counted + extraSamples) * 1000) / this.sampleRate;
  }

  /** Counts one block onto the anchored stream (pulling the anchor earlier, or creeping it later); its first sample's instant. */
  private count(samples: T, measured: number): number {
    const counted = this.countedMs(0);
    let first = counted;
    if (measured < counted) {
      // Earlier than counted: the anchor was late (an earlier block had more delay than this one).
      this.anchorMs -= counted - measured;
      first = measured;
    } else {
      const creep = Math.min(measured - counted, ((samples.length * 1000) / this.sampleRate) * this.creep);
      this.anchorMs += creep;
      first += creep;
    }
    this.counted += samples.length;
    return first;
  }

  /** The held blocks stamped: for a gap anchored again at the earliest of them, for a rush counted on. */
  private decide(gap: boolean): StampedBlock<T>[] {
    const held = this.held;
    this.held = [];
    let offset = 0;
    let earliest = Number.POSITIVE_INFINITY;
    if (!gap) {
      this.rushes++;
      return held.map((h) => ({ samples: h.samples, firstMs: this.count(h.samples, h.measured) }));
    }
    this.reanchors++;
    offset = 0;
    for (const h of held) {
      earliest = Math.min(earliest, h.measured - (offset * 1000) / this.sampleRate);
      offset += h.samples.length;
    }
    this.anchorMs = earliest;
    this.counted = 0;
    return held.map((h) => {
      const firstMs = this.countedMs(0);
      this.counted += h.samples.length;
      return { samples: h.samples, firstMs };
    });
  }
}
