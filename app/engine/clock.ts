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
  /** Resolution of wallMs in ms (Date.now: 1, integer ms); absent = exact (a test clock). SyncedClock reads it. */
  readonly wallResolutionMs?: number;
}

/** The real clock: engineNowMs and Date.now. */
export const systemClock: EngineClock = { nowMs: engineNowMs, wallMs: () => Date.now(), wallResolutionMs: 1 };

/**
 * TEST INJECTION: `clock` with its realtime (wallMs) off by `offsetMs`, a node whose
 * system clock is wrong by a known amount (CYCLORAMA_TEST_CLOCK_OFFSET_MS). Its engine
 * ms are untouched; everything that reads realtime (frame lock, clockProbe, stamps) sees
 * the wrong clock, as on a machine whose PTP/NTP failed.
 */
export function withInjectedRealtimeOffset(clock: EngineClock, offsetMs: number): EngineClock {
  return {
    nowMs: () => clock.nowMs(),
    wallMs: () => clock.wallMs() + offsetMs,
    ...(clock.wallResolutionMs !== undefined ? { wallResolutionMs: clock.wallResolutionMs } : {}),
  };
}

/**
 * The synchronised clock: the system realtime clock (Date.now, CLOCK_REALTIME, what
 * PTP or NTP discipline) read against the engine's monotonic clock, as
 *   realtime = engine ms + correction
 * so frame lock (frame-grid.ts) can place ticks on realtime instants while every
 * wait and duration stays on the monotonic clock.
 *
 * How it follows the system clock without jumps in tick spacing:
 *  - Each reading of Date.now (integer ms) bracketed by two engine readings says the
 *    correction lies in [wall - after, wall + 1 - before). Samples taken at random
 *    phases of the ms (every SAMPLE_PERIOD_MS, when a tick reads the clock) narrow
 *    the intersection over the last WINDOW_MS to tens of microseconds, with no busy
 *    wait on the ms edge.
 *  - The correction in use moves only when the samples rule it out, to the nearest
 *    bound: two processes on one machine then agree to microseconds (both start from
 *    performance.timeOrigin, which is realtime at process start).
 *  - It moves by slewing, at most SLEW_MS_PER_S (0.5 %: a 29.97 period stretches by at
 *    most 0.17 ms), so a slewing NTP (macOS, Windows: their monotonic clocks are not
 *    slewed with realtime) is followed tick by tick. On Linux CLOCK_MONOTONIC is slewed
 *    with CLOCK_REALTIME, so only steps change the correction.
 *  - A step (chrony's makestep, an operator setting the date) larger than STEP_MS is
 *    taken at once, and samples that disagree with the window (its bounds cross) start
 *    a new window: the output clocks then re-phase onto the new grid.
 *
 * A node with a wrong clock on purpose (tests): withInjectedRealtimeOffset below.
 */
const SAMPLE_PERIOD_MS = 200;
const WINDOW_MS = 8000;
const SLEW_MS_PER_S = 5;
const STEP_MS = 50;

export interface SyncedClockOptions {
  /** The engine clock: nowMs is the monotonic base, wallMs the realtime clock read against it. */
  clock?: EngineClock;
  /** Resolution of clock.wallMs in ms; default the clock's wallResolutionMs (Date.now: 1), else 0 (exact). */
  resolutionMs?: number;
}

interface Sample {
  engineMs: number;
  /** The correction lies in [low, high]. */
  low: number;
  high: number;
}

/** Where the correction in use is going: from `fromCorrection` at `fromEngineMs` towards `target`, at the slew rate. */
interface Slew {
  fromEngineMs: number;
  fromCorrection: number;
  target: number;
}

/** Picks the correction the samples allow: the one in use if they allow it, else the nearest bound. */
export function allowedCorrection(current: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, current));
}

/** The correction `dtMs` after a slew began: towards the target at `ratePerMs`, then there. */
export function slewedCorrection(slew: Slew, atEngineMs: number, ratePerMs = SLEW_MS_PER_S / 1000): number {
  const diff = slew.target - slew.fromCorrection;
  const reach = Math.max(0, atEngineMs - slew.fromEngineMs) * ratePerMs;
  return Math.abs(diff) <= reach ? slew.target : slew.fromCorrection + Math.sign(diff) * reach;
}

export class SyncedClock {
  private readonly clock: EngineClock;
  private readonly resolutionMs: number;
  private samples: Sample[] = [];
  private slew: Slew;
  private lastSampleMs = -Infinity;
  /** Steps taken at once (the realtime clock jumped by more than STEP_MS). */
  steps = 0;

  constructor(options: SyncedClockOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.resolutionMs = options.resolutionMs ?? this.clock.wallResolutionMs ?? 0;
    const first = this.takeSample();
    // The real engine clock is realtime at process start (performance.timeOrigin): start from 0 where allowed.
    const start = allowedCorrection(0, first.low, first.high);
    this.slew = { fromEngineMs: first.engineMs, fromCorrection: start, target: start };
  }

  /** Engine ms now (the monotonic clock). */
  engineNowMs(): number {
    return this.clock.nowMs();
  }

  /** The synchronised realtime at an engine instant (now by default): ms since the Unix epoch. */
  realtimeMs(engineMs = this.clock.nowMs()): number {
    this.resample(this.clock.nowMs());
    return engineMs + slewedCorrection(this.slew, engineMs);
  }

  /** The engine instant of a realtime instant, at the correction in use now (what a timer waits for). */
  engineMsAt(realtimeMs: number): number {
    const now = this.clock.nowMs();
    this.resample(now);
    return realtimeMs - slewedCorrection(this.slew, now);
  }

  /** Both clocks at one instant (clockProbe). */
  reading(): { realtimeMs: number; engineMs: number } {
    const engineMs = this.clock.nowMs();
    return { realtimeMs: this.realtimeMs(engineMs), engineMs };
  }

  /** realtime - engine ms in use now, and the bounds the samples give it. */
  correction(): { correctionMs: number; lowMs: number; highMs: number } {
    const now = this.clock.nowMs();
    this.resample(now);
    const { low, high } = this.bounds();
    return { correctionMs: slewedCorrection(this.slew, now), lowMs: low, highMs: high };
  }

  private takeSample(): Sample {
    const before = this.clock.nowMs();
    const wall = this.clock.wallMs();
    const after = this.clock.nowMs();
    return { engineMs: after, low: wall - after, high: wall + this.resolutionMs - before };
  }

  private bounds(): { low: number; high: number } {
    let low = -Infinity;
    let high = Infinity;
    for (const sample of this.samples) {
      low = Math.max(low, sample.low);
      high = Math.min(high, sample.high);
    }
    return { low, high };
  }

  /** A new sample at most every SAMPLE_PERIOD_MS; the correction follows what the window allows. */
  private resample(now: number): void {
    if (now - this.lastSampleMs < SAMPLE_PERIOD_MS && now >= this.lastSampleMs) return;
    this.lastSampleMs = now;
    const sample = this.takeSample();
    this.samples = this.samples.filter((s) => sample.engineMs - s.engineMs <= WINDOW_MS && s.engineMs <= sample.engineMs);
    this.samples.push(sample);
    let { low, high } = this.bounds();
    if (low > high) {
      // The realtime clock moved against the window (a step, or drift beyond it): start a new window.
      this.samples = [sample];
      ({ low, high } = sample);
    }
    const current = slewedCorrection(this.slew, sample.engineMs);
    const target = allowedCorrection(current, low, high);
    if (target === current) {
      this.slew = { fromEngineMs: sample.engineMs, fromCorrection: current, target };
      return;
    }
    if (Math.abs(target - current) > STEP_MS) {
      this.steps++;
      this.slew = { fromEngineMs: sample.engineMs, fromCorrection: target, target };
    } else this.slew = { fromEngineMs: sample.engineMs, fromCorrection: current, target };
  }
}

/**
 * The TEST INJECTION read from a process's environment: CYCLORAMA_TEST_CLOCK_OFFSET_MS,
 * ms added to this node's realtime clock. Undefined when unset; an error message when
 * it is not a finite number of ms.
 */
export function injectedClockOffsetFromEnv(env: NodeJS.ProcessEnv = process.env): number | { error: string } | undefined {
  const raw = env.CYCLORAMA_TEST_CLOCK_OFFSET_MS;
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) return { error: `CYCLORAMA_TEST_CLOCK_OFFSET_MS="${raw}" is not a number of ms; the clock is not offset. Unset it (it is a test injection).` };
  return value;
}
