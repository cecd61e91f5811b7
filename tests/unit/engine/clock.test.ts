/**
 * The synchronised clock (app/engine/clock.ts SyncedClock): realtime read against the
 * engine's monotonic clock. Test clocks drive both (a stand-in for the system's
 * CLOCK_REALTIME and CLOCK_MONOTONIC), with Date.now's 1 ms resolution where it matters.
 */
import { describe, expect, it } from 'vitest';
import { allowedCorrection, injectedClockOffsetFromEnv, slewedCorrection, SyncedClock, withInjectedRealtimeOffset, type EngineClock } from '../../../app/engine/clock.js';

/** Monotonic ms `mono`; realtime = mono + offset, read as integer ms like Date.now when `resolution` is 1. */
class StandInClocks implements EngineClock {
  mono = 5_000;
  offset = 1_796_000_000_000.3217;
  constructor(readonly wallResolutionMs = 1) {}
  nowMs = () => this.mono;
  wallMs = () => (this.wallResolutionMs ? Math.floor(this.mono + this.offset) : this.mono + this.offset);
  /** Moves on by `ms` in steps that land at varied sub-ms phases (the samples need them). */
  run(ms: number, synced: SyncedClock, stepMs = 201.37): void {
    const until = this.mono + ms;
    while (this.mono < until) {
      this.mono = Math.min(until, this.mono + stepMs);
      synced.realtimeMs();
    }
  }
}

describe('synchronised clock', () => {
  it('narrows an integer-ms realtime clock to well under a millisecond from samples at varied phases', () => {
    const clocks = new StandInClocks();
    const synced = new SyncedClock({ clock: clocks });
    clocks.run(6000, synced);
    expect(Math.abs(synced.realtimeMs() - (clocks.mono + clocks.offset))).toBeLessThan(0.05);
    const { lowMs, highMs } = synced.correction();
    expect(highMs - lowMs).toBeLessThan(0.05);
    expect(synced.steps).toBe(0); // the first reading sets the correction; no step after it
  });

  it('follows a slewing realtime clock without a jump larger than the slew rate allows', () => {
    const clocks = new StandInClocks(0);
    const synced = new SyncedClock({ clock: clocks });
    clocks.run(1000, synced);
    // Realtime now runs 500 ppm fast for 20 s (an NTP slew seen against an unslewed monotonic clock).
    let worstJump = 0;
    let last = synced.correction().correctionMs;
    for (let i = 0; i < 100; i++) {
      clocks.mono += 200;
      clocks.offset += 0.1; // 0.1 ms per 200 ms = 500 ppm
      const now = synced.correction().correctionMs;
      worstJump = Math.max(worstJump, Math.abs(now - last));
      last = now;
    }
    // It trails by what the realtime clock drifted since the last sample (0.1 ms per 200 ms sample).
    expect(Math.abs(synced.correction().correctionMs - clocks.offset)).toBeLessThanOrEqual(0.1001);
    // Between two readings 200 ms apart the correction moved at most 5 ms/s x 0.2 s.
    expect(worstJump).toBeLessThanOrEqual(1.0000001);
  });

  it('takes a realtime step at once (a new window), and a small one by slewing', () => {
    const clocks = new StandInClocks(0);
    const synced = new SyncedClock({ clock: clocks });
    clocks.run(1000, synced);
    const steps = synced.steps;
    clocks.offset += 3_600_000; // an operator set the clock an hour ahead
    clocks.run(250, synced);
    expect(synced.steps).toBe(steps + 1);
    expect(synced.realtimeMs()).toBeCloseTo(clocks.mono + clocks.offset, 3);
    clocks.offset += 10; // 10 ms: slewed at 5 ms/s, there in 2 s
    clocks.run(1000, synced);
    expect(synced.steps).toBe(steps + 1);
    const midway = synced.realtimeMs() - (clocks.mono + clocks.offset);
    expect(midway).toBeLessThan(-3);
    clocks.run(2000, synced);
    expect(synced.realtimeMs()).toBeCloseTo(clocks.mono + clocks.offset, 3);
  });

  it('converts a realtime instant to the engine instant a timer waits for', () => {
    const clocks = new StandInClocks(0);
    const synced = new SyncedClock({ clock: clocks });
    const real = synced.realtimeMs() + 33.366;
    // 3 decimals: a double near 1.8e12 ms holds a quarter of a microsecond.
    expect(synced.engineMsAt(real)).toBeCloseTo(clocks.mono + 33.366, 3);
  });

  it('keeps a correction the samples allow, else moves to the nearest bound; slews at the given rate', () => {
    expect(allowedCorrection(0, -0.4, 0.3)).toBe(0);
    expect(allowedCorrection(0, 0.2, 0.9)).toBe(0.2);
    expect(allowedCorrection(5, 0.2, 0.9)).toBe(0.9);
    const slew = { fromEngineMs: 100, fromCorrection: 0, target: 10 };
    expect(slewedCorrection(slew, 100)).toBe(0);
    expect(slewedCorrection(slew, 1100)).toBeCloseTo(5, 9);
    expect(slewedCorrection(slew, 5000)).toBe(10);
  });

  it('TEST INJECTION: an offset clock shifts realtime only, and the environment variable is read and checked', () => {
    const clocks = new StandInClocks(0);
    const skewed = withInjectedRealtimeOffset(clocks, 250);
    expect(skewed.nowMs()).toBe(clocks.nowMs());
    expect(skewed.wallMs() - clocks.wallMs()).toBe(250);
    expect(new SyncedClock({ clock: skewed }).realtimeMs() - new SyncedClock({ clock: clocks }).realtimeMs()).toBeCloseTo(250, 3);
    expect(injectedClockOffsetFromEnv({ CYCLORAMA_TEST_CLOCK_OFFSET_MS: '-40' })).toBe(-40);
    expect(injectedClockOffsetFromEnv({})).toBeUndefined();
    expect(injectedClockOffsetFromEnv({ CYCLORAMA_TEST_CLOCK_OFFSET_MS: 'soon' })).toEqual({ error: expect.stringContaining('is not a number of ms') });
  });
});
