import { describe, expect, it } from 'vitest';
import { chaseFrame, chaseReading, chaseStatus, chaseTick, chasedPositionMs, initialChase, type ChaseState } from '../../../app/show/chase.js';
import { TIMECODE_RATES, framesToMs, framesToTimecode, timecodeToFrames } from '../../../app/show/timecode.js';

const R25 = TIMECODE_RATES['25'];
const DF = TIMECODE_RATES['29.97df'];

/** Feed frames first..first+count-1 (as frame counts) arriving every frame from clock `t0`, ticking before each. */
function run(state: ChaseState, first: number, count: number, t0: number, rate = R25): ChaseState {
  const frameMs = 1000 / (rate.num / rate.den);
  let s = state;
  for (let k = 0; k < count; k++) {
    const at = t0 + k * frameMs;
    s = chaseTick(s, at);
    s = chaseFrame(s, { timecode: framesToTimecode(first + k, rate), atClockMs: at });
  }
  return s;
}

const TEN_HOURS = 10 * 3600 * 25;

describe('chase: lock', () => {
  it('is unlocked with no reading until the lock frames agree, then locks on the 3rd consistent frame', () => {
    let s = initialChase({ rate: R25 });
    expect(s.lock).toBe('unlocked');
    expect(chaseReading(s)).toBeNull();
    s = run(s, TEN_HOURS, 2, 1000);
    expect(s.lock).toBe('locking');
    expect(chaseReading(s)).toBeNull();
    s = run(s, TEN_HOURS + 2, 1, 1080);
    expect(s.lock).toBe('locked');
    expect(chaseReading(s)).toEqual({ timecodeMs: 36_000_080, atClockMs: 1080, running: true });
    // Follows the latest frame while running.
    s = run(s, TEN_HOURS + 3, 50, 1120);
    expect(chaseReading(s)).toEqual({ timecodeMs: 36_000_000 + 52 * 40, atClockMs: 1120 + 49 * 40, running: true });
    expect(chaseStatus(s, 1120 + 49 * 40 + 20)).toMatchObject({ lock: 'locked', rate: '25', running: true, timecode: { hours: 10, minutes: 0, seconds: 2, frames: 2 } });
  });

  it('a single corrupt frame never moves the reading, and is not a lock', () => {
    let s = run(initialChase({ rate: R25 }), 1000, 10, 0);
    const before = chaseReading(s);
    s = chaseFrame(s, { timecode: framesToTimecode(5000, R25), atClockMs: 400 });
    expect(s.lock).toBe('locking');
    expect(chaseReading(s)).toEqual(before);
    expect(s.jumps).toBe(1);
  });

  it('accepts a source that delivers every 2nd frame (MTC sequences) and arrival jitter under a frame', () => {
    let s = initialChase({ rate: R25 });
    for (let k = 0; k < 4; k++) s = chaseFrame(s, { timecode: framesToTimecode(100 + 2 * k, R25), atClockMs: 80 * k + (k % 2 ? 15 : -10) });
    expect(s.lock).toBe('locked');
  });

  it('ignores labels that do not exist at the rate (drop-frame), counting them', () => {
    let s = initialChase({ rate: DF });
    s = chaseFrame(s, { timecode: { hours: 0, minutes: 1, seconds: 0, frames: 0 }, atClockMs: 0 });
    expect(s.invalidFrames).toBe(1);
    expect(s.lock).toBe('unlocked');
  });

  it('locks across a drop-frame minute boundary at 29.97 (00:00:59;28 -> 00:01:00;02 is one frame)', () => {
    const first = timecodeToFrames({ hours: 0, minutes: 0, seconds: 59, frames: 28 }, DF);
    const s = run(initialChase({ rate: DF }), first, 4, 0, DF);
    expect(s.lock).toBe('locked');
    expect(s.jumps).toBe(0);
    expect(chaseReading(s)?.timecodeMs).toBeCloseTo(framesToMs(first + 3, DF), 9);
    expect(chaseStatus(s, 3 * (1001 / 30)).timecode).toEqual({ hours: 0, minutes: 1, seconds: 0, frames: 3 });
  });

  it('rejects bad options by name', () => {
    expect(() => initialChase({ rate: R25, lockFrames: 0 })).toThrow(/lockFrames 0/);
    expect(() => initialChase({ rate: R25, toleranceFrames: 0 })).toThrow(/toleranceFrames/);
  });
});

describe('chase: runs, jumps, stops, drops out, comes back (explicit instants)', () => {
  it('jump: the old position runs on until the new timecode is confirmed, then locks within 4 frames', () => {
    let s = run(initialChase({ rate: R25 }), TEN_HOURS, 25, 0); // 10:00:00:00 .. 10:00:00:24 at t=0..960
    // The operator locates the deck to 10:05:00:00; frames continue at t=1000.
    const target = TEN_HOURS + 5 * 60 * 25;
    s = run(s, target, 1, 1000);
    expect(s.lock).toBe('locking');
    expect(s.jumps).toBe(1);
    expect(chasedPositionMs(s, { source: 'ltc', offsetMs: -36_000_000, engaged: true }, 1000)).toBe(1000);
    s = run(s, target + 1, 1, 1040);
    expect(s.lock).toBe('locking');
    s = run(s, target + 2, 1, 1080);
    expect(s.lock).toBe('locked');
    expect(chasedPositionMs(s, { source: 'ltc', offsetMs: -36_000_000, engaged: true }, 1100)).toBe(300_000 + 80 + 20);
  });

  it('stop: repeated frames park the reading at that frame; start again relocks', () => {
    let s = run(initialChase({ rate: R25 }), 500, 10, 0); // last frame 509 at t=360
    s = chaseFrame(s, { timecode: framesToTimecode(509, R25), atClockMs: 400 });
    expect(chaseReading(s)?.running).toBe(true);
    s = chaseFrame(s, { timecode: framesToTimecode(509, R25), atClockMs: 440 });
    expect(s.lock).toBe('locked');
    expect(chaseReading(s)).toEqual({ timecodeMs: 509 * 40, atClockMs: 440, running: false });
    expect(s.jumps).toBe(0);
    expect(chaseStatus(s, 10_000).timecode).toEqual(framesToTimecode(509, R25));
    // Rolls again from 509.
    s = run(s, 510, 3, 480);
    expect(s.lock).toBe('locked');
    expect(chaseReading(s)).toEqual({ timecodeMs: 512 * 40, atClockMs: 560, running: true });
    expect(s.jumps).toBe(0);
  });

  it('dropout: freewheels N frames from the last good one, then holds where the freewheel ended', () => {
    let s = run(initialChase({ rate: R25, freewheelFrames: 10 }), 1000, 10, 0); // last 1009 at t=360
    s = chaseTick(s, 360 + 3 * 40); // 3 frames of silence: not yet a dropout
    expect(s.lock).toBe('locked');
    s = chaseTick(s, 360 + 3 * 40 + 1);
    expect(s.lock).toBe('freewheeling');
    expect(s.dropouts).toBe(1);
    // The reading still runs: position at t=600 is frame 1009 + 6 frames.
    expect(chasedPositionMs(s, { source: 'ltc', offsetMs: 0, engaged: true }, 600)).toBe(1015 * 40);
    s = chaseTick(s, 360 + 9 * 40);
    expect(s.lock).toBe('freewheeling');
    s = chaseTick(s, 360 + 10 * 40);
    expect(s.lock).toBe('held');
    expect(chaseReading(s)).toEqual({ timecodeMs: 1019 * 40, atClockMs: 760, running: false });
    expect(chasedPositionMs(s, { source: 'ltc', offsetMs: 0, engaged: true }, 60_000)).toBe(1019 * 40);
    expect(chaseStatus(s, 60_000)).toMatchObject({ lock: 'held', running: false, dropouts: 1 });
  });

  it('comes back on the same running timecode during freewheel: locked again at once, no jump', () => {
    let s = run(initialChase({ rate: R25 }), 1000, 10, 0);
    s = chaseTick(s, 560);
    expect(s.lock).toBe('freewheeling');
    s = chaseFrame(s, { timecode: framesToTimecode(1015, R25), atClockMs: 600 });
    expect(s.lock).toBe('locked');
    expect(s.jumps).toBe(0);
    expect(chaseReading(s)).toEqual({ timecodeMs: 1015 * 40, atClockMs: 600, running: true });
  });

  it('comes back elsewhere after a hold: relocks on the new timecode within 3 frames', () => {
    let s = run(initialChase({ rate: R25, freewheelFrames: 5 }), 1000, 10, 0);
    s = chaseTick(s, 5000);
    expect(s.lock).toBe('held');
    s = run(s, 90_000, 2, 10_000);
    expect(s.lock).toBe('locking');
    expect(chaseReading(s)?.running).toBe(false);
    s = run(s, 90_002, 1, 10_080);
    expect(s.lock).toBe('locked');
    expect(chaseReading(s)).toEqual({ timecodeMs: 90_002 * 40, atClockMs: 10_080, running: true });
  });

  it('never locked and the frames stop: back to unlocked', () => {
    let s = run(initialChase({ rate: R25 }), 1000, 2, 0);
    s = chaseTick(s, 500);
    expect(s.lock).toBe('unlocked');
    expect(chaseReading(s)).toBeNull();
  });

  it('an MTC full-frame locate parks at once; a stopped lock that goes quiet is held, not freewheeled', () => {
    let s = initialChase({ rate: R25 });
    s = chaseFrame(s, { timecode: { hours: 1, minutes: 0, seconds: 0, frames: 0 }, atClockMs: 50, kind: 'locate' });
    expect(s.lock).toBe('locked');
    expect(chaseReading(s)).toEqual({ timecodeMs: 3_600_000, atClockMs: 50, running: false });
    s = chaseTick(s, 1000);
    expect(s.lock).toBe('held');
    expect(chaseReading(s)?.timecodeMs).toBe(3_600_000);
  });

  it('wraps at midnight without a jump', () => {
    const s = run(initialChase({ rate: R25 }), 24 * 3600 * 25 - 2, 4, 0);
    expect(s.lock).toBe('locked');
    expect(s.jumps).toBe(0);
    expect(chaseStatus(s, 120).timecode).toEqual({ hours: 0, minutes: 0, seconds: 0, frames: 1 });
  });

  it('disengaged (rehearsal) or internal: no chased position', () => {
    const s = run(initialChase({ rate: R25 }), 1000, 5, 0);
    expect(chasedPositionMs(s, { source: 'ltc', offsetMs: 0, engaged: false }, 200)).toBeNull();
    expect(chasedPositionMs(s, { source: 'internal', offsetMs: 0, engaged: true }, 200)).toBeNull();
    expect(chasedPositionMs(s, { source: 'mtc', offsetMs: -1000, engaged: true }, 200)).toBe(1004 * 40 + 40 - 1000);
  });
});
