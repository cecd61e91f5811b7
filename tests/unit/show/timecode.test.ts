import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  TIMECODE_RATES,
  TIMECODE_RATE_IDS,
  TimecodeError,
  formatTimecode,
  framesPerDay,
  framesToMs,
  framesToTimecode,
  isDroppedLabel,
  msToFrames,
  msToTimecode,
  nextTimecode,
  parseTimecode,
  timecodeToFrames,
  timecodeToMs,
  type Timecode,
} from '../../../app/show/timecode.js';

const DF = TIMECODE_RATES['29.97df'];
const ND = TIMECODE_RATES['29.97nd'];
const tc = (hours: number, minutes: number, seconds: number, frames: number): Timecode => ({ hours, minutes, seconds, frames });

describe('timecode: known values', () => {
  it('drop-frame labels at minute boundaries (SMPTE 12M counting)', () => {
    expect(timecodeToFrames(tc(0, 0, 59, 29), DF)).toBe(1799);
    // Minute 1: labels ;00 and ;01 are skipped, the frame after 00:00:59;29 is 00:01:00;02.
    expect(framesToTimecode(1800, DF)).toEqual(tc(0, 1, 0, 2));
    expect(timecodeToFrames(tc(0, 1, 0, 2), DF)).toBe(1800);
    // Minute 10 keeps ;00 and ;01.
    expect(timecodeToFrames(tc(0, 10, 0, 0), DF)).toBe(17982);
    expect(framesToTimecode(17981, DF)).toEqual(tc(0, 9, 59, 29));
    expect(framesToTimecode(17982, DF)).toEqual(tc(0, 10, 0, 0));
    expect(framesToTimecode(17983, DF)).toEqual(tc(0, 10, 0, 1));
    expect(timecodeToFrames(tc(1, 0, 0, 0), DF)).toBe(107892);
    expect(framesPerDay(DF)).toBe(2589408);
    expect(framesToTimecode(2589407, DF)).toEqual(tc(23, 59, 59, 29));
    expect(framesToTimecode(2589408, DF)).toEqual(tc(0, 0, 0, 0));
  });

  it('drop-frame stays within a frame of the wall clock at each hour; non-drop 29.97 runs 3.6 s/hour slow', () => {
    expect(Math.abs(timecodeToMs(tc(1, 0, 0, 0), DF) - 3_600_000)).toBeLessThan(4);
    expect(timecodeToMs(tc(1, 0, 0, 0), ND)).toBeCloseTo(3_603_600, 6);
    expect(timecodeToMs(tc(1, 0, 0, 0), TIMECODE_RATES['25'])).toBe(3_600_000);
    expect(timecodeToMs(tc(0, 0, 1, 0), TIMECODE_RATES['24'])).toBe(1000);
  });

  it('refuses labels drop-frame skips, naming the minute', () => {
    expect(isDroppedLabel(tc(0, 1, 0, 0), DF)).toBe(true);
    expect(isDroppedLabel(tc(0, 10, 0, 0), DF)).toBe(false);
    expect(isDroppedLabel(tc(0, 1, 0, 0), ND)).toBe(false);
    expect(() => timecodeToFrames(tc(0, 1, 0, 1), DF)).toThrow(/skipped at the start of minute 1/);
    expect(timecodeToFrames(tc(0, 1, 0, 1), ND)).toBe(1801);
  });

  it('refuses fields out of range, naming the field and the rate', () => {
    expect(() => timecodeToFrames(tc(0, 0, 0, 25), TIMECODE_RATES['25'])).toThrow(/frames 25 is out of range 0-24 at 25 fps/);
    expect(() => timecodeToFrames(tc(24, 0, 0, 0), TIMECODE_RATES['30'])).toThrow(/hours 24/);
    expect(() => timecodeToFrames(tc(0, 60, 0, 0), TIMECODE_RATES['30'])).toThrow(/minutes 60/);
    expect(() => timecodeToFrames(tc(0, 0, 1.5, 0), TIMECODE_RATES['30'])).toThrow(TimecodeError);
  });

  it('parses and formats both separators', () => {
    expect(parseTimecode('10:00:00:00')).toEqual({ timecode: tc(10, 0, 0, 0), dropFrameSeparator: false });
    expect(parseTimecode('01:02:03;04', DF)).toEqual({ timecode: tc(1, 2, 3, 4), dropFrameSeparator: true });
    expect(parseTimecode('01:02:03.04').dropFrameSeparator).toBe(true);
    expect(formatTimecode(tc(1, 2, 3, 4), DF)).toBe('01:02:03;04');
    expect(formatTimecode(tc(1, 2, 3, 4), ND)).toBe('01:02:03:04');
    expect(() => parseTimecode('1:2:3:4')).toThrow(/not a timecode: write HH:MM:SS:FF/);
    expect(() => parseTimecode('00:00:00;00', TIMECODE_RATES['25'])).toThrow(/written as drop-frame/);
    expect(() => parseTimecode('00:05:00;00', DF)).toThrow(/skipped/);
    expect(() => parseTimecode('00:00:00:24', TIMECODE_RATES['24'])).toThrow(/frames 24/);
  });

  it('ms <-> frames floors to the current frame', () => {
    expect(msToFrames(0, TIMECODE_RATES['25'])).toBe(0);
    expect(msToFrames(39.9, TIMECODE_RATES['25'])).toBe(0);
    expect(msToFrames(40, TIMECODE_RATES['25'])).toBe(1);
    expect(msToTimecode(3_600_000, TIMECODE_RATES['24'])).toEqual(tc(1, 0, 0, 0));
    expect(framesToMs(1, DF)).toBeCloseTo(1001 / 30, 12);
  });

  it('frames wrap at 24 h both ways', () => {
    expect(framesToTimecode(-1, TIMECODE_RATES['25'])).toEqual(tc(23, 59, 59, 24));
    expect(framesToTimecode(-1, DF)).toEqual(tc(23, 59, 59, 29));
    expect(nextTimecode(tc(23, 59, 59, 23), TIMECODE_RATES['24'])).toEqual(tc(0, 0, 0, 0));
  });
});

describe('timecode: properties (fast-check)', () => {
  const rateArb = fc.constantFrom(...TIMECODE_RATE_IDS).map((id) => TIMECODE_RATES[id]);

  it('frames -> timecode -> frames is the identity over a whole day, every rate', () => {
    fc.assert(
      fc.property(rateArb, fc.integer({ min: 0, max: 2_591_999 }), (rate, n0) => {
        const n = n0 % framesPerDay(rate);
        const label = framesToTimecode(n, rate);
        expect(timecodeToFrames(label, rate)).toBe(n);
        expect(isDroppedLabel(label, rate)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('format -> parse -> frames round-trips', () => {
    fc.assert(
      fc.property(rateArb, fc.integer({ min: 0, max: 2_591_999 }), (rate, n0) => {
        const n = n0 % framesPerDay(rate);
        const text = formatTimecode(framesToTimecode(n, rate), rate);
        const parsed = parseTimecode(text, rate);
        expect(parsed.dropFrameSeparator).toBe(rate.dropFrame);
        expect(timecodeToFrames(parsed.timecode, rate)).toBe(n);
      }),
      { numRuns: 1000 },
    );
  });

  it('frames -> ms -> frames round-trips (no float drift over a day)', () => {
    fc.assert(
      fc.property(rateArb, fc.integer({ min: 0, max: 2_591_999 }), (rate, n0) => {
        const n = n0 % framesPerDay(rate);
        expect(msToFrames(framesToMs(n, rate), rate)).toBe(n);
        // Half a frame later is still the same frame.
        expect(msToFrames(framesToMs(n + 0.5, rate), rate)).toBe(n);
      }),
      { numRuns: 2000 },
    );
  });

  it('every valid label maps to a frame, and consecutive frames are consecutive labels', () => {
    fc.assert(
      fc.property(
        rateArb,
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 29 }),
        (rate, h, m, s, f0) => {
          const label = tc(h, m, s, f0 % rate.nominal);
          if (isDroppedLabel(label, rate)) {
            expect(() => timecodeToFrames(label, rate)).toThrow(TimecodeError);
            return;
          }
          const n = timecodeToFrames(label, rate);
          expect(framesToTimecode(n, rate)).toEqual(label);
          const next = framesToTimecode(n + 1, rate);
          const labelIndex = (t: Timecode) => ((t.hours * 60 + t.minutes) * 60 + t.seconds) * rate.nominal + t.frames;
          const step = (labelIndex(next) - labelIndex(label) + 24 * 3600 * rate.nominal) % (24 * 3600 * rate.nominal);
          // A step skips exactly the two dropped labels at a dropping minute, else it is 1.
          expect(step).toBe(isDroppedLabel({ ...next, frames: 0 }, rate) && next.seconds === 0 && next.frames === 2 ? 3 : 1);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
