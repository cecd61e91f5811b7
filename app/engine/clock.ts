/**
 * The engine clock: integer-ish milliseconds that every thread of the process
 * agrees on (performance.timeOrigin is per thread, the sum is not). Show logic
 * gets `nowMs` as an argument; the engine and its parts read time only through an
 * `EngineClock` (EngineOptions.clock), so a test can drive them with its own.
 */
import { performance } from 'node:perf_hooks';

export function engineNowMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Where the engine and its parts read the time. A test clock drives every reading
 * (show runner, stats, TTFF, output tick accounting, preview show time), but not
 * timers: the show runner, the stats period and output ticks are still scheduled
 * with setTimeout/setInterval (use fake timers for those), and the inference worker
 * is another thread with its own reading of engineNowMs (a clock object cannot
 * cross a thread; its timestamps share the epoch through performance.timeOrigin).
 */
export interface EngineClock {
  /** Engine ms (engineNowMs): show time, durations, deadlines, TTFF. */
  nowMs(): number;
  /** Wall-clock ms since the epoch (Date.now): times people read (error stamps, preflight runs). */
  wallMs(): number;
}

/** The real clock: engineNowMs and Date.now. */
export const systemClock: EngineClock = { nowMs: engineNowMs, wallMs: () => Date.now() };
