/**
 * The LTC and MTC chase sources end to end without ports: LTC audio from libltc
 * (the independent oracle, see tests/helpers/ltc-oracle.ts) pushed in 10 ms audio
 * blocks, MTC as spec quarter-frame messages; the show's reading is compared with
 * the true timecode at output-tick instants.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LtcChaseSource, MtcChaseSource } from '../../../../app/engine/timecode/chase-sources.js';
import { quarterFrameBytes } from '../../../../app/engine/timecode/mtc.js';
import { TIMECODE_RATES, framesToMs, framesToTimecode, parseTimecode, timecodeToFrames, type TimecodeRate } from '../../../../app/show/timecode.js';
import type { TimecodeReading } from '../../../../app/show/clock-source.js';
import { buildLtcOracle, type LtcOracle } from '../../../helpers/ltc-oracle.js';

let oracle: LtcOracle;
beforeAll(() => {
  oracle = buildLtcOracle();
});
afterAll(() => oracle.dispose());

const positionAt = (r: TimecodeReading, now: number) => (r.running ? r.timecodeMs + (now - r.atClockMs) : r.timecodeMs);

/** Push audio in 10 ms blocks from clock `t0`; at each block a 60 Hz-ish output tick checks the error vs `truthMs(t)`. */
function run(source: LtcChaseSource, samples: Float32Array, sampleRate: number, t0: number, truthMs: (t: number) => number | null, rate: TimecodeRate) {
  const block = sampleRate / 100;
  let maxErrorFrames = 0;
  let firstLockAt: number | null = null;
  for (let at = 0; at < samples.length; at += block) {
    const clock = t0 + (at * 1000) / sampleRate;
    source.pushAudio(samples.subarray(at, at + block), clock);
    // A tick just before the next block arrives (off the frame grid on purpose).
    const tick = clock + 10 - 1.234;
    source.tick(tick);
    const r = source.read();
    const truth = truthMs(tick);
    if (r && source.status(tick)?.lock === 'locked' && truth !== null) {
      firstLockAt ??= tick;
      maxErrorFrames = Math.max(maxErrorFrames, Math.abs(positionAt(r, tick) - truth) / (1000 / (rate.num / rate.den)));
    }
  }
  return { maxErrorFrames, firstLockAt };
}

describe('LtcChaseSource (libltc audio as the oracle)', () => {
  for (const [fps, rateId, start] of [
    ['25', '25', '10:00:00:00'],
    ['29.97', '29.97df', '00:00:58:00'],
  ] as const) {
    it(`${fps} fps: locks within 4 frames and then follows to within half a frame at every tick`, () => {
      const rate = TIMECODE_RATES[rateId];
      const frames = 150;
      const enc = oracle.encode(fps, 48000, start, frames, 'f32', 0);
      const source = new LtcChaseSource({ sampleRate: 48000 });
      const startMs = framesToMs(timecodeToFrames(parseTimecode(start).timecode, rate), rate);
      const t0 = 5000;
      const { maxErrorFrames, firstLockAt } = run(source, enc.samples, 48000, t0, (t) => startMs + (t - t0), rate);
      expect(source.status(firstLockAt ?? 0)?.rate).toBe(rateId);
      expect(firstLockAt).not.toBeNull();
      // Frame k is complete at the start of frame k+1; 3 frames lock: by the end of frame 3 plus one audio block.
      expect((firstLockAt as number) - t0).toBeLessThanOrEqual(4 * framesToMs(1, rate) + 10);
      expect(maxErrorFrames).toBeLessThan(0.5);
    });
  }

  it('a jump in the timecode is followed within 4 frames; a dropout freewheels then holds', () => {
    const rate = TIMECODE_RATES['25'];
    const a = oracle.encode('25', 48000, '01:00:00:00', 50, 'f32', 0);
    const b = oracle.encode('25', 48000, '02:00:00:00', 50, 'f32', 0);
    const silence = new Float32Array(48000); // 1 s cable pulled
    const all = new Float32Array(a.samples.length + b.samples.length + silence.length);
    all.set(a.samples, 0);
    all.set(b.samples, a.samples.length);
    const source = new LtcChaseSource({ sampleRate: 48000, settings: { freewheelFrames: 5 } });
    const jumpAt = (a.samples.length * 1000) / 48000;
    const end = ((a.samples.length + b.samples.length) * 1000) / 48000;
    const truth = (t: number) => (t < jumpAt ? 3_600_000 + t : t < end ? 7_200_000 + (t - jumpAt) : null);
    let lockedAfterJump: number | null = null;
    const block = 480;
    for (let at = 0; at < all.length; at += block) {
      const clock = (at * 1000) / 48000;
      source.pushAudio(all.subarray(at, at + block), clock);
      const tick = clock + 10 - 1.234;
      source.tick(tick);
      const r = source.read();
      const tr = truth(tick);
      if (tick > jumpAt && tr !== null && lockedAfterJump === null && r && Math.abs(positionAt(r, tick) - tr) < 20) lockedAfterJump = tick;
    }
    expect(lockedAfterJump).not.toBeNull();
    expect((lockedAfterJump as number) - jumpAt).toBeLessThanOrEqual(4 * 40 + 10);
    // After the audio ends: freewheeled 5 frames past the last label, then held there.
    const status = source.status(end + 1000);
    expect(status?.lock).toBe('held');
    const last = timecodeToFrames(parseTimecode(b.labels[b.labels.length - 2] as string).timecode, rate);
    expect(status?.timecode).toEqual(framesToTimecode(last + 5, rate));
  });
});

describe('MtcChaseSource', () => {
  it('locks on quarter frames, with 29.97 non-drop set by the operator (arrives as 30)', () => {
    const rate = TIMECODE_RATES['29.97nd'];
    const source = new MtcChaseSource({ settings: { rate: '29.97nd' } });
    const quarterMs = 1000 / (30000 / 1001) / 4;
    const startFrames = timecodeToFrames({ hours: 1, minutes: 0, seconds: 0, frames: 0 }, rate);
    for (let seq = 0; seq < 4; seq++) {
      quarterFrameBytes(framesToTimecode(startFrames + 2 * seq, rate), 3).forEach((d, k) => source.message([0xf1, d], (seq * 8 + k) * quarterMs));
    }
    const now = 32 * quarterMs;
    expect(source.status(now)).toMatchObject({ lock: 'locked', rate: '29.97nd', running: true });
    // At the instant of the 5th sequence's piece 0 the label is the coded + 8 frames.
    expect(positionAt(source.read() as TimecodeReading, now)).toBeCloseTo(framesToMs(startFrames + 8, rate), 6);
  });

  it('a full-frame locate parks the reading at once', () => {
    const source = new MtcChaseSource();
    source.message([0xf0, 0x7f, 0x7f, 0x01, 0x01, 0x20 | 1, 2, 3, 4, 0xf7], 100);
    expect(source.read()).toEqual({
      timecodeMs: framesToMs(timecodeToFrames({ hours: 1, minutes: 2, seconds: 3, frames: 4 }, TIMECODE_RATES['25']), TIMECODE_RATES['25']),
      atClockMs: 100,
      running: false,
    });
    expect(source.status(200)?.lock).toBe('locked');
  });
});
