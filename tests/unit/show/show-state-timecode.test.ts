/**
 * The show on external timecode, pure: the chase state machine (show/chase.ts) fed
 * frames at chosen instants, its reading driving the show (show-state.ts). The
 * timeline position follows a timecode that runs, jumps, stops and drops out
 * (freewheel, then hold); rehearsal shows the timecode and ignores it; cues fire on
 * their trigger frame once per pass, re-armed by a jump back, never in rehearsal or
 * during a panic.
 */
import { describe, expect, it } from 'vitest';
import { commandSchema, type CommandInput } from '../../../app/contract/commands.js';
import { showSchema, type Show, type ShowInput } from '../../../app/contract/show.js';
import { chaseFrame, chaseReading, chaseTick, initialChase, type ChaseState } from '../../../app/show/chase.js';
import type { ChaseSettings } from '../../../app/show/clock-source.js';
import { applyEdit, isEditCommand } from '../../../app/show/show-edit.js';
import { emptyShow } from '../../../app/show/show-file.js';
import { initialShowState, reconcileShowState, reduceShow, tickShow, timelinePosition, type ShowState } from '../../../app/show/show-state.js';
import { TIMECODE_RATES, framesToMs, framesToTimecode, parseTimecode, timecodeToFrames, type TimecodeRate } from '../../../app/show/timecode.js';

const R25 = TIMECODE_RATES['25'];
const cmd = (input: CommandInput) => commandSchema.parse(input);
const engaged: ChaseSettings = { source: 'ltc', offsetMs: -36_000_000, engaged: true };

function chaseShow(chase: ChaseSettings, extra: Partial<ShowInput> = {}): Show {
  return showSchema.parse({
    ...emptyShow('Chase'),
    settings: { ...emptyShow().settings, timecode: chase },
    cues: [
      { id: 'c1', number: '1', look: { prompt: 'dawn', seed: 1 }, transition: { durationMs: 0 }, triggerTimecode: '10:00:02:00' },
      { id: 'c2', number: '2', look: { prompt: 'noon', seed: 2 }, transition: { durationMs: 0 }, triggerTimecode: '10:00:04:10' },
      { id: 'c3', number: '3', look: { prompt: 'dusk', seed: 3 }, transition: { durationMs: 0 } },
    ],
    timeline: { durationMs: 60_000, keyframes: [{ id: 'k1', timeMs: 0, look: { prompt: 'sea', seed: 5 } }] },
    ...extra,
  });
}

/** A timecode generator: label `start` at clock `t0`, one frame per frame period, at `rate`. */
function framesFrom(start: string, t0: number, count: number, rate: TimecodeRate = R25) {
  const n0 = timecodeToFrames(parseTimecode(start).timecode, rate);
  return Array.from({ length: count }, (_, i) => ({ timecode: framesToTimecode(n0 + i, rate), atClockMs: t0 + framesToMs(i, rate) }));
}

/** Drives a chase and a show together: frames at their instants, show ticks every 10 ms between. */
class Rig {
  chase: ChaseState;
  state: ShowState;
  now = 0;
  fired: { cue: string; atMs: number }[] = [];
  constructor(
    readonly show: Show,
    freewheelFrames = 10,
  ) {
    this.chase = initialChase({ rate: R25, freewheelFrames });
    this.state = initialShowState(show, 0);
  }
  /** Runs to `until`, feeding `frames` as their instants pass. */
  run(until: number, frames: { timecode: ReturnType<typeof framesToTimecode>; atClockMs: number }[] = []) {
    const queue = [...frames];
    for (; this.now <= until; this.now += 10) {
      while (queue[0] && queue[0].atClockMs <= this.now) this.chase = chaseFrame(this.chase, queue.shift()!);
      this.chase = chaseTick(this.chase, this.now);
      const lookBefore = this.state.program.lookId;
      this.state = tickShow(this.show, this.state, this.now, chaseReading(this.chase), R25);
      if (this.state.program.lookId !== lookBefore && this.state.driver === 'cues' && this.state.currentCueId !== null) {
        this.fired.push({ cue: this.state.currentCueId, atMs: this.state.program.startedAtMs });
      }
    }
  }
  /** Position at `at` (default: the last tick run). */
  position(at = this.now - 10) {
    return timelinePosition(this.show.timeline, this.state, at, chaseReading(this.chase)).positionMs;
  }
}

describe('the show clock on external timecode', () => {
  it('takes its chase settings from the show, and follows an edit of settings.timecode', () => {
    const show = chaseShow(engaged);
    const s = initialShowState(show, 0);
    expect(s.chase).toEqual(engaged);
    const edit = cmd({ type: 'updateShow', settings: { timecode: { ...engaged, engaged: false } } });
    if (!isEditCommand(edit)) throw new Error('updateShow is an edit');
    const edited = applyEdit(show, edit, { prompt: '', seed: 0, params: {} });
    if (!edited.ok) throw new Error(edited.message);
    expect(reconcileShowState(edited.show, s).chase.engaged).toBe(false);
  });

  it('follows a timecode that runs, jumps, stops and drops out (freewheel 10 frames, then hold)', () => {
    const rig = new Rig(chaseShow(engaged, { cues: [] }));
    // Runs from 10:00:01:00 at clock 0: position = timecode - 10 h.
    rig.run(2000, framesFrom('10:00:01:00', 0, 50));
    expect(rig.position()).toBeCloseTo(1000 + 2000, 0);
    // Jumps to 10:00:30:00 at 2000 ms: after 3 frames (locked) the position is there.
    rig.run(2200, framesFrom('10:00:30:00', 2000, 5));
    expect(rig.position()).toBeCloseTo(30_000 + 200, 0);
    // Stops (parked on 10:00:30:10, repeated): the position holds.
    const park = framesFrom('10:00:30:10', 2400, 1)[0]!;
    rig.run(2600, [park, { ...park, atClockMs: 2440 }, { ...park, atClockMs: 2480 }, { ...park, atClockMs: 2520 }]);
    const parked = rig.position();
    expect(parked).toBeCloseTo(30_400, 0);
    rig.run(2700, [
      { ...park, atClockMs: 2560 },
      { ...park, atClockMs: 2600 },
      { ...park, atClockMs: 2640 },
    ]);
    expect(rig.position()).toBe(parked);
    // Runs again, then drops out at 10:00:31:00: freewheels 10 frames (400 ms), then holds there.
    rig.run(4000, framesFrom('10:00:31:00', 3000, 25));
    const last = 3000 + framesToMs(24, R25);
    expect(rig.position(last + 200)).toBeCloseTo(31_000 + 960 + 200, 0);
    rig.run(last + 300);
    expect(rig.chase.lock).toBe('freewheeling');
    rig.run(last + 2000);
    expect(rig.chase.lock).toBe('held');
    expect(rig.position()).toBeCloseTo(31_000 + framesToMs(24 + 10, R25), 0);
    expect(rig.position(last + 5000)).toBe(rig.position());
  });

  it('in rehearsal (disengaged) the chase still reads the timecode, but the transport runs the timeline', () => {
    const rig = new Rig(chaseShow({ ...engaged, engaged: false }, { cues: [] }));
    rig.state = reduceShow(rig.show, rig.state, cmd({ type: 'timelinePlay' }), 0);
    rig.run(1000, framesFrom('10:00:20:00', 0, 25));
    expect(rig.chase.lock).toBe('locked');
    expect(rig.position(1000)).toBe(1000);
  });
});

describe('cues that fire at a timecode', () => {
  it('updateCue sets a trigger timecode and null removes it (show-edit.ts)', () => {
    const show = chaseShow(engaged);
    const look = { prompt: '', seed: 0, params: {} };
    const set = cmd({ type: 'updateCue', cueId: 'c3', patch: { triggerTimecode: '10:00:09:00' } });
    if (!isEditCommand(set)) throw new Error('updateCue is an edit');
    const withTrigger = applyEdit(show, set, look);
    if (!withTrigger.ok) throw new Error(withTrigger.message);
    expect(withTrigger.show.cues[2]?.triggerTimecode).toBe('10:00:09:00');
    const clear = cmd({ type: 'updateCue', cueId: 'c3', patch: { triggerTimecode: null } });
    if (!isEditCommand(clear)) throw new Error('updateCue is an edit');
    const cleared = applyEdit(withTrigger.show, clear, look);
    if (!cleared.ok) throw new Error(cleared.message);
    expect('triggerTimecode' in (cleared.show.cues[2] ?? {})).toBe(false);
  });

  it('fire on their frame (the transition starts when the frame began), once per pass', () => {
    const rig = new Rig(chaseShow(engaged));
    rig.run(6000, framesFrom('10:00:00:00', 0, 150));
    expect(rig.fired).toEqual([
      { cue: 'c1', atMs: 2000 },
      { cue: 'c2', atMs: 4400 },
    ]);
    // The frame 10:00:04:10 began at 4400 ms; the tick that saw it was within 10 ms of it.
    expect(rig.state.currentCueId).toBe('c2');
  });

  it('a jump back before a trigger re-arms it; a jump forward past one does not fire it', () => {
    const rig = new Rig(chaseShow(engaged));
    rig.run(2500, framesFrom('10:00:01:10', 0, 62));
    expect(rig.fired.map((f) => f.cue)).toEqual(['c1']);
    // Back to 10:00:01:00: c1 fires again when 10:00:02:00 comes round.
    rig.run(4000, framesFrom('10:00:01:00', 2520, 37));
    expect(rig.fired.map((f) => f.cue)).toEqual(['c1', 'c1']);
    // Forward to 10:00:05:00: c2 (10:00:04:10) was skipped, not played through.
    rig.run(5000, framesFrom('10:00:05:00', 4040, 24));
    expect(rig.fired.map((f) => f.cue)).toEqual(['c1', 'c1']);
  });

  it('do not fire in rehearsal, nor during a panic', () => {
    const rehearsal = new Rig(chaseShow({ ...engaged, engaged: false }));
    rehearsal.run(6000, framesFrom('10:00:00:00', 0, 150));
    expect(rehearsal.fired).toEqual([]);

    const panicked = new Rig(chaseShow(engaged));
    panicked.state = reduceShow(panicked.show, panicked.state, cmd({ type: 'panic', mode: 'black' }), 0);
    panicked.run(6000, framesFrom('10:00:00:00', 0, 150));
    expect(panicked.state.currentCueId).toBeNull();
    expect(panicked.state.program.panic.mode).toBe('black');
  });

  it('a drop-frame trigger fires at 29.97 DF on the frame after the skipped labels', () => {
    const rate = TIMECODE_RATES['29.97df'];
    const show = chaseShow(engaged, { cues: [{ id: 'd1', number: '1', look: { prompt: 'x', seed: 1 }, transition: { durationMs: 0 }, triggerTimecode: '10:01:00;02' }] });
    let chase = initialChase({ rate });
    let state = initialShowState(show, 0);
    const frames = framesFrom('10:00:59:20', 0, 20, rate);
    for (let now = 0, i = 0; now < 700; now += 5) {
      while (frames[i] && frames[i]!.atClockMs <= now) chase = chaseFrame(chase, frames[i++]!);
      state = tickShow(show, state, now, chaseReading(chase), rate);
    }
    expect(state.currentCueId).toBe('d1');
    // 10:00:59:20 -> 10:01:00;02 is 10 real frames (labels 00 and 01 skipped).
    expect(state.program.startedAtMs).toBeCloseTo(framesToMs(10, rate), 6);
  });
});
