/**
 * SMPTE timecode math: labels (HH:MM:SS:FF) <-> frame counts <-> milliseconds.
 * Pure: no clock, no I/O.
 *
 * Rates are rational (frames = num / den per second) so 29.97 is exactly
 * 30000/1001 and frame <-> ms conversions do not drift over a day.
 *
 * Drop-frame (29.97 DF, SMPTE 12M): frame *labels* 00 and 01 are skipped at the
 * start of every minute except minutes 00, 10, 20, 30, 40, 50, so the label
 * tracks wall-clock time to within a few ms per day. No frames are dropped,
 * only numbers. 29.97 non-drop counts every label and so runs 3.6 s/hour slow
 * against the wall clock; its labels are still 30 per second.
 *
 * "Frame count" here is always the number of real frames since 00:00:00:00,
 * and "ms" is real elapsed time at the rate's true speed (frames * den / num s).
 */

import type { TimecodeRateId } from '../contract/timecode.js';
export type { TimecodeRateId };

export interface TimecodeRate {
  readonly id: TimecodeRateId;
  /** Frames per second = num / den. */
  readonly num: number;
  readonly den: number;
  /** Labels per second (the FF field counts 0 .. nominal-1). */
  readonly nominal: 24 | 25 | 30;
  readonly dropFrame: boolean;
}

export const TIMECODE_RATES: Readonly<Record<TimecodeRateId, TimecodeRate>> = {
  '24': { id: '24', num: 24, den: 1, nominal: 24, dropFrame: false },
  '25': { id: '25', num: 25, den: 1, nominal: 25, dropFrame: false },
  '29.97df': { id: '29.97df', num: 30000, den: 1001, nominal: 30, dropFrame: true },
  '29.97nd': { id: '29.97nd', num: 30000, den: 1001, nominal: 30, dropFrame: false },
  '30': { id: '30', num: 30, den: 1, nominal: 30, dropFrame: false },
};

export const TIMECODE_RATE_IDS = Object.keys(TIMECODE_RATES) as TimecodeRateId[];

/** A timecode label. Fields are plain integers (not BCD). */
export interface Timecode {
  hours: number;
  minutes: number;
  seconds: number;
  frames: number;
}

/** Thrown for a label or string that is not valid at the given rate; the message names the field. */
export class TimecodeError extends Error {
  override readonly name = 'TimecodeError';
}

/** Drop-frame constants at 30 nominal: labels dropped per minute, real frames per 10 minutes / per dropping minute. */
const DF_DROP = 2;
const DF_FRAMES_PER_10_MIN = 10 * 60 * 30 - 9 * DF_DROP; // 17982
const DF_FRAMES_PER_MIN = 60 * 30 - DF_DROP; // 1798

/** Real frames in 24 hours of labels (the count wraps there). */
export function framesPerDay(rate: TimecodeRate): number {
  return rate.dropFrame ? 144 * DF_FRAMES_PER_10_MIN : 24 * 3600 * rate.nominal;
}

/** True when the label is one drop-frame counting skips (frames 0 and 1 of a minute not divisible by 10). */
export function isDroppedLabel(tc: Timecode, rate: TimecodeRate): boolean {
  return rate.dropFrame && tc.seconds === 0 && tc.frames < DF_DROP && tc.minutes % 10 !== 0;
}

/** Throws a TimecodeError naming the first field out of range for `rate`. */
export function validateTimecode(tc: Timecode, rate: TimecodeRate): void {
  const check = (name: string, v: number, max: number) => {
    if (!Number.isInteger(v) || v < 0 || v > max) {
      throw new TimecodeError(`timecode ${name} ${v} is out of range 0-${max} at ${rate.id} fps`);
    }
  };
  check('hours', tc.hours, 23);
  check('minutes', tc.minutes, 59);
  check('seconds', tc.seconds, 59);
  check('frames', tc.frames, rate.nominal - 1);
  if (isDroppedLabel(tc, rate)) {
    throw new TimecodeError(`timecode ${formatTimecode(tc, rate)} does not exist in drop-frame: frames 00 and 01 are skipped at the start of minute ${tc.minutes}`);
  }
}

/** Label -> real frames since 00:00:00:00. Throws on a label that is invalid at `rate`. */
export function timecodeToFrames(tc: Timecode, rate: TimecodeRate): number {
  validateTimecode(tc, rate);
  const labels = ((tc.hours * 60 + tc.minutes) * 60 + tc.seconds) * rate.nominal + tc.frames;
  if (!rate.dropFrame) return labels;
  const totalMinutes = tc.hours * 60 + tc.minutes;
  return labels - DF_DROP * (totalMinutes - Math.floor(totalMinutes / 10));
}

/** Real frames since 00:00:00:00 -> label. Counts wrap at 24 h (negative counts wrap backwards). */
export function framesToTimecode(frameCount: number, rate: TimecodeRate): Timecode {
  if (!Number.isInteger(frameCount)) throw new TimecodeError(`frame count ${frameCount} is not an integer`);
  const perDay = framesPerDay(rate);
  let n = ((frameCount % perDay) + perDay) % perDay;
  if (rate.dropFrame) {
    const tens = Math.floor(n / DF_FRAMES_PER_10_MIN);
    const rem = n % DF_FRAMES_PER_10_MIN;
    // Minute 0 of each ten keeps all 1800 labels; minutes 1-9 have 1798 frames each.
    const droppingMinutes = rem < DF_DROP ? 0 : Math.floor((rem - DF_DROP) / DF_FRAMES_PER_MIN);
    n += 9 * DF_DROP * tens + DF_DROP * droppingMinutes;
  }
  const fps = rate.nominal;
  return {
    hours: Math.floor(n / (fps * 3600)),
    minutes: Math.floor(n / (fps * 60)) % 60,
    seconds: Math.floor(n / fps) % 60,
    frames: n % fps,
  };
}

/** Real elapsed ms of `frameCount` frames at the rate's true speed (29.97: 1001/30 ms per frame). */
export function framesToMs(frameCount: number, rate: TimecodeRate): number {
  return (frameCount * 1000 * rate.den) / rate.num;
}

/** The frame current at `ms` (floor), tolerant of float error in ms that came from framesToMs. */
export function msToFrames(ms: number, rate: TimecodeRate): number {
  return Math.floor((ms * rate.num) / (1000 * rate.den) + 1e-9);
}

export function timecodeToMs(tc: Timecode, rate: TimecodeRate): number {
  return framesToMs(timecodeToFrames(tc, rate), rate);
}

export function msToTimecode(ms: number, rate: TimecodeRate): Timecode {
  return framesToTimecode(msToFrames(ms, rate), rate);
}

/** Duration of one frame, ms. */
export function frameDurationMs(rate: TimecodeRate): number {
  return (1000 * rate.den) / rate.num;
}

const two = (v: number) => String(v).padStart(2, '0');

/** "HH:MM:SS:FF", or "HH:MM:SS;FF" for drop-frame (the SMPTE convention). */
export function formatTimecode(tc: Timecode, rate: TimecodeRate): string {
  return `${two(tc.hours)}:${two(tc.minutes)}:${two(tc.seconds)}${rate.dropFrame ? ';' : ':'}${two(tc.frames)}`;
}

export interface ParsedTimecode {
  timecode: Timecode;
  /** True when the string used the drop-frame separator (';' or '.' before the frames). */
  dropFrameSeparator: boolean;
}

const TIMECODE_PATTERN = /^(\d{2}):(\d{2}):(\d{2})([:;.,])(\d{2})$/;

/**
 * Parse "HH:MM:SS:FF" or "HH:MM:SS;FF" (also '.'/',' as the last separator, as some
 * desks write drop-frame). With `rate` the label is validated against it; a ';'
 * string at a non-drop rate is refused so a drop-frame label is not silently read
 * as non-drop.
 */
export function parseTimecode(text: string, rate?: TimecodeRate): ParsedTimecode {
  const m = TIMECODE_PATTERN.exec(text.trim());
  if (!m) throw new TimecodeError(`"${text}" is not a timecode: write HH:MM:SS:FF (or HH:MM:SS;FF for drop-frame)`);
  const timecode = { hours: Number(m[1]), minutes: Number(m[2]), seconds: Number(m[3]), frames: Number(m[5]) };
  const dropFrameSeparator = m[4] !== ':';
  if (rate) {
    if (dropFrameSeparator && !rate.dropFrame) {
      throw new TimecodeError(`"${text}" is written as drop-frame (';') but the rate is ${rate.id}: use ':' or a drop-frame rate`);
    }
    validateTimecode(timecode, rate);
  }
  return { timecode, dropFrameSeparator };
}

/** Next label after `tc` (wrapping at 24 h). */
export function nextTimecode(tc: Timecode, rate: TimecodeRate): Timecode {
  return framesToTimecode(timecodeToFrames(tc, rate) + 1, rate);
}

export function timecodesEqual(a: Timecode, b: Timecode): boolean {
  return a.hours === b.hours && a.minutes === b.minutes && a.seconds === b.seconds && a.frames === b.frames;
}
