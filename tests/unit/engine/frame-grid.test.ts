/**
 * The frame-lock grid's arithmetic (app/engine/frame-grid.ts): tick k at k x den/num s
 * since the Unix epoch, computed from integers so huge k at rational rates stay exact.
 * Pure inputs; BigInt reference values.
 */
import { describe, expect, it } from 'vitest';
import { firstTickAtOrAfter, periodMs, tickInstantMs, tickTimecode } from '../../../app/engine/frame-grid.js';

const R2997 = { num: 30000, den: 1001 };
const R5994 = { num: 60000, den: 1001 };
const R25 = { num: 25, den: 1 };

/** Exact reference: k x den x 1000 / num as a rational, printed to 6 decimals of a ms. */
function exactInstant(k: bigint, rate: { num: number; den: number }): string {
  const scaled = k * BigInt(rate.den) * 1000n * 1_000_000n;
  const micro = scaled / BigInt(rate.num);
  return `${micro / 1_000_000n}.${String(micro % 1_000_000n).padStart(6, '0')}`;
}

describe('frame grid', () => {
  it('places tick k of 60000/1001 near today (k ~ 1e11) to the microsecond, where a double product would not', () => {
    const now = 1_796_146_090_749.814; // ms since the epoch, December 2026
    const k = firstTickAtOrAfter(now, R5994);
    expect(k).toBeGreaterThan(1e11);
    // The naive double: k * 1001 * 1000 is beyond 2^53, so it is rounded; the grid's is exact.
    expect(k * 1001 * 1000).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
    const instant = tickInstantMs(k, R5994);
    expect(instant.toFixed(6).slice(0, -3)).toBe(exactInstant(BigInt(k), R5994).slice(0, -3));
    expect(instant).toBeGreaterThanOrEqual(now);
    expect(instant - now).toBeLessThan(periodMs(R5994));
    // The tick before is before `now`.
    expect(tickInstantMs(k - 1, R5994)).toBeLessThan(now);
  });

  it('every tick instant maps back to its own k, across a wide range of k and rates', () => {
    for (const rate of [R2997, R5994, R25, { num: 24000, den: 1001 }, { num: 120, den: 1 }]) {
      for (const k of [0, 1, 2, 1000, 1001, 30000, 53_846_153_846, 107_692_307_692, 123_456_789_012, 2 ** 40 + 7]) {
        const instant = tickInstantMs(k, rate);
        expect(firstTickAtOrAfter(instant, rate), `${rate.num}/${rate.den} k=${k}`).toBe(k);
        // 1 us after tick k is (nearly) at k; 10 us after belongs to k + 1 at these rates.
        expect(firstTickAtOrAfter(instant + 0.01, rate)).toBe(k + 1);
        expect(firstTickAtOrAfter(instant - 0.01, rate)).toBe(k);
      }
    }
  });

  it('has 30000 ticks in exactly 1001 s at 29.97 (rational: no drift over a day of ticks)', () => {
    const k = 53_846_153_846;
    expect(tickInstantMs(k + 30000, R2997) - tickInstantMs(k, R2997)).toBeCloseTo(1_001_000, 6);
    const day = 86_400_000;
    const ticksPerDay = firstTickAtOrAfter(tickInstantMs(k, R2997) + day, R2997) - k;
    // 86400 s x 30000/1001 = 2589410.589... ticks: the 2589411th is the first at or after a day.
    expect(ticksPerDay).toBe(2_589_411);
  });

  it('gives the NDI timecode of tick k in 100 ns units, exactly, from the same integers', () => {
    const k = 107_692_307_692n;
    expect(tickTimecode(Number(k), R5994)).toBe((k * 1001n * 10_000_000n) / 60000n);
    expect(tickTimecode(3, R25)).toBe(1_200_000n);
    // The same k gives the same timecode whatever process computes it: no wall clock in it.
    expect(tickTimecode(Number(k), R5994)).toBe(tickTimecode(Number(k), R5994));
  });
});
