/**
 * When did this audio sample happen, on the engine clock? Audio arrives in blocks
 * whose arrival is late by a varying amount (network, the poll period, a busy
 * event loop), but the samples inside a stream are evenly spaced. So the stream
 * is anchored once and then counted: sample k of the stream was at
 * anchor + k / sampleRate. Arrival is never early, so the anchor follows the
 * earliest arrival seen (the least delayed block), creeping later by a small
 * allowance per second so a sender clock a little slower than ours is followed
 * too. A gap (dropout, the sender restarted) or a sample-rate change re-anchors.
 */
export interface SampleClockOptions {
  /** Arrival later than the counted time by more than this re-anchors (a gap), ms; default 250. */
  maxLateMs?: number;
  /** How far the anchor may creep later per second of audio (sender clock slower than ours), ms; default 0.5. */
  creepMsPerSecond?: number;
}

export class SampleClock {
  private sampleRate = 0;
  /** Engine ms of the stream's first counted sample, and samples counted since. */
  private anchorMs = 0;
  private counted = 0;
  private anchored = false;
  private readonly maxLateMs: number;
  private readonly creep: number;
  reanchors = 0;

  constructor(options: SampleClockOptions = {}) {
    this.maxLateMs = options.maxLateMs ?? 250;
    this.creep = (options.creepMsPerSecond ?? 0.5) / 1000;
  }

  /** A block of `samples` at `sampleRate` finished arriving at `arrivedMs`: the engine-clock instant of its first sample. */
  block(samples: number, sampleRate: number, arrivedMs: number): number {
    const durationMs = (samples * 1000) / sampleRate;
    const measured = arrivedMs - durationMs;
    if (!this.anchored || sampleRate !== this.sampleRate) return this.reanchor(measured, samples, sampleRate);
    const counted = this.anchorMs + (this.counted * 1000) / sampleRate;
    if (measured - counted > this.maxLateMs) return this.reanchor(measured, samples, sampleRate);
    // Earlier than counted: the anchor was late (an early block had more delay than this one).
    let first = counted;
    if (measured < counted) {
      this.anchorMs -= counted - measured;
      first = measured;
    } else {
      const creep = Math.min(measured - counted, durationMs * this.creep);
      this.anchorMs += creep;
      first += creep;
    }
    this.counted += samples;
    return first;
  }

  private reanchor(measured: number, samples: number, sampleRate: number): number {
    if (this.anchored) this.reanchors++;
    this.anchored = true;
    this.sampleRate = sampleRate;
    this.anchorMs = measured;
    this.counted = samples;
    return measured;
  }
}
