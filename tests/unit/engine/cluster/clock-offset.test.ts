import { describe, expect, it } from 'vitest';
import { beyondHalfFrame, estimateClock, MIN_LEAD_PERIODS, scheduleLeadMs } from '../../../../app/engine/cluster/clock-offset.js';

describe('clock offset from clockProbe round trips', () => {
  it('uses the minimum-round-trip sample: offset = node realtime - (t0 + t1) / 2', () => {
    const estimate = estimateClock([
      { t0: 1000, t1: 1040, nodeRealtimeMs: 1530 }, // 40 ms round trip: queueing in it
      { t0: 2000, t1: 2004, nodeRealtimeMs: 2502 }, // 4 ms: the one used
      { t0: 3000, t1: 3010, nodeRealtimeMs: 3490 },
    ]);
    expect(estimate).toEqual({ offsetMs: 500, rttMs: 4, latencyMs: 2 });
  });

  it('has no estimate without samples', () => {
    expect(estimateClock([])).toBeNull();
  });

  it('flags a node beyond half a frame only past the estimate error', () => {
    const period = 1000 / 29.97; // half: 16.7 ms
    expect(beyondHalfFrame({ offsetMs: 20, rttMs: 2, latencyMs: 1 }, period)).toBe(true);
    expect(beyondHalfFrame({ offsetMs: -20, rttMs: 2, latencyMs: 1 }, period)).toBe(true);
    expect(beyondHalfFrame({ offsetMs: 10, rttMs: 2, latencyMs: 1 }, period)).toBe(false);
    // 20 ms off, but the sample could be 25 ms wrong: a loaded link's asymmetry alone flags nothing.
    expect(beyondHalfFrame({ offsetMs: 20, rttMs: 50, latencyMs: 25 }, period)).toBe(false);
  });

  it('schedules whole frame periods ahead, more than the slowest round trip', () => {
    const period = 1000 / 29.97;
    expect(scheduleLeadMs(period, [])).toBeCloseTo(MIN_LEAD_PERIODS * period);
    expect(scheduleLeadMs(period, [1, 3])).toBeCloseTo(MIN_LEAD_PERIODS * period);
    const lead = scheduleLeadMs(period, [5, 120]);
    expect(lead).toBeGreaterThan(120);
    expect(Number.isInteger(Math.round((lead / period) * 1e6) / 1e6)).toBe(true);
  });
});
