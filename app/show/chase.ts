/**
 * Timecode chase: from a stream of decoded timecode frames (LTC or MTC), the
 * reading the show clock uses (clock-source.ts's TimecodeReading) and a lock state
 * the console shows. Pure reducer: every input carries its engine-clock instant,
 * nothing here reads a clock.
 *
 * Lock states:
 *  - unlocked: no usable timecode (never had any, or lost it before locking).
 *  - locking: frames arrive but fewer than `lockFrames` in a row agree; after a
 *    jump the reading keeps extrapolating the old lock until the new one is confirmed,
 *    so one corrupt frame never moves the wall.
 *  - locked: the reading follows the latest frame (running, or stopped when the same
 *    frame repeats `stopFrames` times, or after an MTC full-frame locate).
 *  - freewheeling: frames stopped arriving (dropout); the reading runs on from the
 *    last lock for up to `freewheelFrames` frames.
 *  - held: the freewheel ran out; the position holds where it ended.
 *
 * "Consistent" frames: a frame n at clock t after frame n0 at t0 is consistent when
 * n - n0 equals the elapsed (t - t0) in frames within `toleranceFrames` (so sources
 * that deliver every 2nd frame, like MTC quarter-frame sequences, lock too).
 * Frame counts wrap at 24 h.
 */
import type { ChaseSettings, TimecodeReading } from './clock-source.js';
import { framesPerDay, framesToMs, framesToTimecode, frameDurationMs, msToFrames, timecodeToFrames, type Timecode, type TimecodeRate } from './timecode.js';

export type ChaseLockState = 'unlocked' | 'locking' | 'locked' | 'freewheeling' | 'held';

export interface ChaseOptions {
  rate: TimecodeRate;
  /** Consecutive consistent frames (counting the first) that lock; default 3, so a jump locks on its 3rd frame. */
  lockFrames?: number;
  /** Frames of silence before a dropout is declared; default 3 (MTC delivers a full timecode every 2 frames). */
  dropoutFrames?: number;
  /** Frames to run on after the last good frame before holding; default 10 (counted from the last good frame). */
  freewheelFrames?: number;
  /** Identical frames in a row that mean "stopped"; default 2. */
  stopFrames?: number;
  /** How far (frames) arrival timing may disagree with the count; default 1 (audio blocks jitter arrival). */
  toleranceFrames?: number;
}

export interface ChaseFrame {
  timecode: Timecode;
  /** Engine-clock ms at which this label was current (the start of the frame). */
  atClockMs: number;
  /** 'locate': a deliberate jump-and-park (MTC full-frame message); locks at once, stopped. Default 'running'. */
  kind?: 'running' | 'locate';
}

export interface ChaseState {
  readonly options: Readonly<Required<ChaseOptions>>;
  readonly lock: ChaseLockState;
  /** The latest frame received (frame count, arrival). */
  readonly last: { readonly frames: number; readonly atClockMs: number } | null;
  /** Consecutive consistent frames ending at `last`, and whether that run is moving or parked. */
  readonly run: number;
  readonly runMoving: boolean;
  /** The reading the show uses (latest lock, or where freewheel ended when held); null before the first lock. */
  readonly reading: TimecodeReading | null;
  /** Counters for the state snapshot. */
  readonly jumps: number;
  readonly dropouts: number;
  readonly invalidFrames: number;
}

export function initialChase(options: ChaseOptions): ChaseState {
  const o: Required<ChaseOptions> = {
    rate: options.rate,
    lockFrames: options.lockFrames ?? 3,
    dropoutFrames: options.dropoutFrames ?? 3,
    freewheelFrames: options.freewheelFrames ?? 10,
    stopFrames: options.stopFrames ?? 2,
    toleranceFrames: options.toleranceFrames ?? 1,
  };
  for (const [name, v, min] of [
    ['lockFrames', o.lockFrames, 1],
    ['dropoutFrames', o.dropoutFrames, 1],
    ['freewheelFrames', o.freewheelFrames, 0],
    ['stopFrames', o.stopFrames, 1],
  ] as const) {
    if (!Number.isInteger(v) || v < min || v > 10_000) throw new RangeError(`chase ${name} ${v} must be a whole number of frames, ${min} or more`);
  }
  if (!(o.toleranceFrames > 0 && o.toleranceFrames < 10)) throw new RangeError(`chase toleranceFrames ${o.toleranceFrames} must be between 0 and 10`);
  return { options: o, lock: 'unlocked', last: null, run: 0, runMoving: true, reading: null, jumps: 0, dropouts: 0, invalidFrames: 0 };
}

/** Signed frame difference b - a, wrapped to the shortest way round the 24 h day. */
function wrappedDelta(a: number, b: number, perDay: number): number {
  let d = (b - a) % perDay;
  if (d >= perDay / 2) d -= perDay;
  if (d < -perDay / 2) d += perDay;
  return d;
}

function readingAt(frames: number, atClockMs: number, running: boolean, rate: TimecodeRate): TimecodeReading {
  return { timecodeMs: framesToMs(frames, rate), atClockMs, running };
}

/** Feed one decoded frame. Invalid labels (e.g. a drop-frame label that does not exist) are counted and ignored. */
export function chaseFrame(state: ChaseState, frame: ChaseFrame): ChaseState {
  const { rate } = state.options;
  let n: number;
  try {
    n = timecodeToFrames(frame.timecode, rate);
  } catch {
    return { ...state, invalidFrames: state.invalidFrames + 1 };
  }
  const at = frame.atClockMs;
  const last = { frames: n, atClockMs: at };
  if (frame.kind === 'locate') {
    const jumped = state.reading !== null && !sameFrame(state, n);
    return { ...state, lock: 'locked', last, run: 1, runMoving: false, reading: readingAt(n, at, false, rate), jumps: state.jumps + (jumped ? 1 : 0) };
  }
  const o = state.options;
  if (state.last === null) return { ...state, lock: 'locking', last, run: 1, runMoving: true };

  const delta = wrappedDelta(state.last.frames, n, framesPerDay(rate));
  const elapsedFrames = (at - state.last.atClockMs) / frameDurationMs(rate);
  const moving = delta !== 0;
  const consistent = moving ? Math.abs(delta - elapsedFrames) <= o.toleranceFrames && elapsedFrames > 0 : true;
  // A run is frames that agree in the same mode; a stop or a start begins a new run of two
  // (the frame before it belongs to the new mode too).
  const run = !consistent ? 1 : moving === state.runMoving ? state.run + 1 : 2;

  // Coming back from a dropout on the same running timecode: no relock needed.
  const resuming = (state.lock === 'freewheeling' || state.lock === 'held') && moving && consistent;
  const needed = moving ? o.lockFrames : o.stopFrames + 1;
  if (resuming || (consistent && run >= needed)) {
    return { ...state, lock: 'locked', last, run, runMoving: moving, reading: readingAt(n, at, moving, rate) };
  }
  if (state.lock === 'locked' && consistent) {
    // Locked and consistent but not yet a stop: follow the frame (a repeat keeps the running anchor).
    const reading = moving ? readingAt(n, at, true, rate) : state.reading;
    return { ...state, last, run, runMoving: moving, reading };
  }
  // A jump: moving timecode that does not follow on (a stop or a start is not one).
  const jumped = moving && !consistent && state.reading !== null;
  return { ...state, lock: 'locking', last, run, runMoving: moving, jumps: state.jumps + (jumped ? 1 : 0) };
}

function sameFrame(state: ChaseState, n: number): boolean {
  return state.reading !== null && msToFrames(state.reading.timecodeMs, state.options.rate) === n;
}

/** Advance to `nowMs` with no new frame: dropout -> freewheel -> hold. Call it every output tick. */
export function chaseTick(state: ChaseState, nowMs: number): ChaseState {
  const o = state.options;
  const frameMs = frameDurationMs(o.rate);
  if (state.last === null || nowMs - state.last.atClockMs <= o.dropoutFrames * frameMs) return state;
  const reading = state.reading;
  if (reading === null) {
    return state.lock === 'unlocked' ? state : { ...state, lock: 'unlocked', last: null, run: 0 };
  }
  if (state.lock === 'held') return state;
  if (!reading.running) {
    // Stopped (or located): nothing to freewheel.
    return { ...state, lock: 'held', run: 0, dropouts: state.dropouts + (state.lock === 'locked' ? 1 : 0) };
  }
  const freewheelMs = o.freewheelFrames * frameMs;
  const dropouts = state.dropouts + (state.lock === 'freewheeling' ? 0 : 1);
  if (nowMs - reading.atClockMs < freewheelMs) return { ...state, lock: 'freewheeling', dropouts, run: 0 };
  // Hold where the freewheel ended, on a whole frame.
  const heldFrames = msToFrames(reading.timecodeMs, o.rate) + o.freewheelFrames;
  return { ...state, lock: 'held', dropouts, run: 0, reading: readingAt(heldFrames, reading.atClockMs + freewheelMs, false, o.rate) };
}

/** The reading the clock mapping takes (clock-source.ts effectiveMapping); null before the first lock. */
export function chaseReading(state: ChaseState): TimecodeReading | null {
  return state.reading;
}

export interface ChaseStatus {
  lock: ChaseLockState;
  rate: TimecodeRate['id'];
  /** The chased timecode at `nowMs` (label), or null before the first lock. */
  timecode: Timecode | null;
  running: boolean;
  jumps: number;
  dropouts: number;
}

/** What the console and the state snapshot show. */
export function chaseStatus(state: ChaseState, nowMs: number): ChaseStatus {
  const r = state.reading;
  const rate = state.options.rate;
  let timecode: Timecode | null = null;
  if (r) {
    const ms = r.running ? r.timecodeMs + (nowMs - r.atClockMs) : r.timecodeMs;
    timecode = framesToTimecode(msToFrames(ms, rate), rate);
  }
  return { lock: state.lock, rate: rate.id, timecode, running: r?.running ?? false, jumps: state.jumps, dropouts: state.dropouts };
}

/** The timeline position (ms) at `nowMs` under `settings`, or null when not chasing (internal, disengaged, no lock yet). */
export function chasedPositionMs(state: ChaseState, settings: ChaseSettings, nowMs: number): number | null {
  const r = state.reading;
  if (settings.source === 'internal' || !settings.engaged || r === null) return null;
  return (r.running ? r.timecodeMs + (nowMs - r.atClockMs) : r.timecodeMs) + settings.offsetMs;
}
