/**
 * The frame grid: tick k of a rate num/den is the instant k x den/num seconds after
 * the Unix epoch on the synchronised realtime clock (clock.ts). Every node of one
 * machine, and every machine whose clock PTP or NTP disciplines, has the same tick k
 * at the same instant, so "frame k" names one moment across a cluster.
 *
 * The arithmetic is integer (BigInt) where a double would round: at 60000/1001 a
 * present-day instant is k ~ 1.1e11, exact in a double, but k x den x 1000 (~1.1e17)
 * is beyond 2^53, so the tick instant and the NDI timecode are computed from the
 * integers k, num and den and only the final ms value is a double (its ulp at
 * 1.8e12 ms is 0.24 us).
 */
import type { FrameRate } from '../contract/ndi.js';

/** NDI timecode unit: 100 ns, i.e. 10^7 per second. */
const NDI_TICKS_PER_SECOND = 10_000_000n;

/** Fraction of a period within which an instant counts as on a tick (about 3 us at 29.97). */
const ON_TICK_TOLERANCE = 1e-4;

/** The instant of tick k: realtime ms since the Unix epoch (k x den x 1000 / num, the division done exactly). */
export function tickInstantMs(k: number, rate: FrameRate): number {
  const scaled = BigInt(k) * BigInt(rate.den) * 1000n;
  const num = BigInt(rate.num);
  return Number(scaled / num) + Number(scaled % num) / rate.num;
}

/**
 * The first tick at or after `realtimeMs` (ms since the Unix epoch, with a fraction):
 * ceil(t x num / (den x 1000)), with the integer ms part multiplied as BigInt so the
 * product (~1e17 at 60000/1001) stays exact, and the sub-ms fraction added after.
 */
export function firstTickAtOrAfter(realtimeMs: number, rate: FrameRate): number {
  const wholeMs = Math.floor(realtimeMs);
  const fractionMs = realtimeMs - wholeMs;
  const divisor = BigInt(rate.den) * 1000n;
  const scaled = BigInt(wholeMs) * BigInt(rate.num);
  const quotient = scaled / divisor;
  // remainder < den x 1000 and fraction x num < num: both small, exact enough as doubles.
  const rest = Number(scaled % divisor) + fractionMs * rate.num;
  // An instant within 1e-4 period of a tick is that tick: the double rounding of
  // tickInstantMs (ulp 0.24 us) must not push "at tick k" to k + 1.
  return Number(quotient) + Math.ceil(rest / Number(divisor) - ON_TICK_TOLERANCE);
}

/** NDI timecode of tick k: its instant in 100 ns units since the Unix epoch (k x den x 10^7 / num, floored, exact). */
export function tickTimecode(k: number, rate: FrameRate): bigint {
  return (BigInt(k) * BigInt(rate.den) * NDI_TICKS_PER_SECOND) / BigInt(rate.num);
}

/** One period in ms (den x 1000 / num): for waits and lateness, never to place a tick. */
export function periodMs(rate: FrameRate): number {
  return (rate.den * 1000) / rate.num;
}
