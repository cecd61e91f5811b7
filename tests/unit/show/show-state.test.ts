/**
 * The show engine at explicit instants: cue list (GO, BACK, fire, guard,
 * auto-continue/follow, loops), panic, the timeline (play/pause/seek/rate/loop,
 * chase), and properties over random action sequences (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandSchema, type Command, type CommandInput } from '../../../app/contract/commands.js';
import { showSchema, type Show, type ShowInput } from '../../../app/contract/show.js';
import { applyCurve } from '../../../app/show/curves.js';
import { resolveLook } from '../../../app/show/program.js';
import { applyEdit, isEditCommand } from '../../../app/show/show-edit.js';
import { emptyShow } from '../../../app/show/show-file.js';
import {
  initialShowState,
  onAirCueId,
  pendingFollow,
  reconcileShowState,
  reduceShow,
  resolveShow,
  tickShow,
  timelinePosition,
  type ShowState,
} from '../../../app/show/show-state.js';

const cmd = (input: CommandInput): Command => commandSchema.parse(input);

function threeCueShow(extra: Partial<ShowInput> = {}): Show {
  return showSchema.parse({
    ...emptyShow('Test'),
    cues: [
      { id: 'c1', number: '1', look: { prompt: 'dawn', seed: 1 }, transition: { durationMs: 1000, curve: 'linear' } },
      { id: 'c2', number: '2', look: { prompt: 'noon', seed: 2, params: { strength: 1 } }, transition: { durationMs: 0 } },
      { id: 'c3', number: '3', look: { prompt: 'dusk', seed: 3 }, transition: { durationMs: 2000, curve: 'ease-in-out' } },
    ],
    timeline: {
      durationMs: 10_000,
      keyframes: [
        { id: 'k1', timeMs: 0, look: { prompt: 'sea', seed: 5, params: { strength: 0 } }, curve: 'linear' },
        { id: 'k2', timeMs: 4000, look: { prompt: 'sky', seed: 6, params: { strength: 1 } }, curve: 'ease-in' },
        { id: 'k3', timeMs: 8000, look: { prompt: 'land', seed: 7 } },
      ],
    },
    ...extra,
  });
}

function run(show: Show, state: ShowState, steps: [number, CommandInput | 'tick'][]): ShowState {
  let s = state;
  for (const [t, c] of steps) s = c === 'tick' ? tickShow(show, s, t) : reduceShow(show, s, cmd(c), t);
  return s;
}

describe('cue list', () => {
  it('GO fires the standby cue and moves standby to the next; the look transitions with the cue', () => {
    const show = threeCueShow();
    let s = initialShowState(show, 0);
    expect(s.standbyCueId).toBe('c1');
    s = reduceShow(show, s, cmd({ type: 'go' }), 1000);
    expect(s.currentCueId).toBe('c1');
    expect(s.standbyCueId).toBe('c2');
    expect(resolveShow(show, s, 1500).mix).toBeCloseTo(0.5);
    expect(resolveShow(show, s, 1500).to.prompt).toBe('dawn');
    expect(resolveShow(show, s, 2000).from).toBeNull();
    s = reduceShow(show, s, cmd({ type: 'go' }), 3000);
    expect(resolveShow(show, s, 3000)).toMatchObject({ to: { prompt: 'noon', seed: 2 }, mix: 1, params: { strength: 1 }, cueId: 'c2' });
    s = reduceShow(show, s, cmd({ type: 'go' }), 5000);
    expect(s.standbyCueId).toBeNull();
    // Past the end: GO does nothing.
    expect(reduceShow(show, s, cmd({ type: 'go' }), 9000)).toBe(s);
  });

  it('ignores a GO inside the guard time, and accepts the next one after it', () => {
    const show = threeCueShow();
    let s = reduceShow(show, initialShowState(show, 0), cmd({ type: 'go' }), 1000);
    const again = reduceShow(show, s, cmd({ type: 'go' }), 1000 + show.settings.goGuardMs - 1);
    expect(again).toBe(s);
    s = reduceShow(show, s, cmd({ type: 'go' }), 1000 + show.settings.goGuardMs);
    expect(s.currentCueId).toBe('c2');
  });

  it('BACK fires the previous cue and puts the one after it on standby', () => {
    const show = threeCueShow();
    const s = run(show, initialShowState(show, 0), [
      [0, { type: 'go' }],
      [1000, { type: 'go' }],
      [2000, { type: 'back' }],
    ]);
    expect(s.currentCueId).toBe('c1');
    expect(s.standbyCueId).toBe('c2');
    expect(resolveShow(show, s, 5000).to.prompt).toBe('dawn');
  });

  it('fires any cue by number and standby follows it', () => {
    const show = threeCueShow();
    const s = reduceShow(show, initialShowState(show, 0), cmd({ type: 'fireCue', number: '2' }), 10);
    expect(s.currentCueId).toBe('c2');
    expect(s.standbyCueId).toBe('c3');
    expect(reduceShow(show, s, cmd({ type: 'fireCue', number: '99' }), 20)).toBe(s);
  });

  it('auto-continue fires the next cue after its delay, at the due time (no tick jitter)', () => {
    const show = threeCueShow();
    const edited = applyEdit(show, cmd({ type: 'updateCue', cueId: 'c1', patch: { continueMode: 'auto-continue', delayMs: 500 } }) as never, show.cues[0]!.look);
    if (!edited.ok) throw new Error(edited.message);
    let s = reduceShow(edited.show, initialShowState(edited.show, 0), cmd({ type: 'go' }), 1000);
    expect(tickShow(edited.show, s, 1499)).toBe(s);
    s = tickShow(edited.show, s, 1517);
    expect(s.currentCueId).toBe('c2');
    expect(s.program.startedAtMs).toBe(1500);
  });

  it('auto-follow fires the next cue when the transition ends; a goto loop repeats a sequence', () => {
    const base = threeCueShow();
    const cues = base.cues.map((c) =>
      c.id === 'c2'
        ? { ...c, continueMode: 'auto-follow' as const, transition: { durationMs: 100, curve: 'linear' as const } }
        : c.id === 'c3'
          ? { ...c, continueMode: 'auto-follow' as const, gotoCueId: 'c2' }
          : c,
    );
    const show = { ...base, cues };
    let s = reduceShow(show, initialShowState(show, 0), cmd({ type: 'fireCue', number: '2' }), 0);
    s = tickShow(show, s, 100); // c2's 100 ms transition ends -> c3
    expect(s.currentCueId).toBe('c3');
    expect(s.standbyCueId).toBe('c2');
    s = tickShow(show, s, 2100); // c3's 2 s transition ends -> back to c2
    expect(s.currentCueId).toBe('c2');
    s = tickShow(show, s, 2200);
    expect(s.currentCueId).toBe('c3');
  });

  it('a zero-time loop cannot hang a tick', () => {
    const base = threeCueShow();
    const cues = base.cues.map((c) => ({ ...c, continueMode: 'auto-continue' as const, delayMs: 0, transition: { durationMs: 0, curve: 'linear' as const } }));
    const show = { ...base, cues, settings: { ...base.settings, loopCueList: true } };
    const started = reduceShow(show, initialShowState(show, 0), cmd({ type: 'go' }), 0);
    const s = tickShow(show, started, 0);
    expect(s.program.lookId).toBeLessThan(40);
    // The loop did run (round the three cues more than once, in order), and was cut off
    // with the follow still due: the next tick goes on from there instead of dropping it.
    const fired = s.program.lookId - started.program.lookId;
    expect(fired).toBeGreaterThan(3);
    const order = show.cues.map((c) => c.id);
    expect(s.currentCueId).toBe(order[(order.indexOf(started.currentCueId!) + fired) % order.length]);
    expect(s.autoDueAtMs).toBe(0);
    const next = tickShow(show, s, 0);
    expect(next.program.lookId).toBeGreaterThan(s.program.lookId);
    expect(next.program.lookId - s.program.lookId).toBeLessThan(40);
  });

  it('panic stops automation; black fades; with panicGo restore-and-fire, GO clears the panic and fires the standby cue', () => {
    const base = threeCueShow();
    const show = {
      ...base,
      settings: { ...base.settings, panicGo: 'restore-and-fire' as const },
      cues: base.cues.map((c) => ({ ...c, continueMode: 'auto-continue' as const, delayMs: 1000 })),
    };
    let s = run(show, initialShowState(show, 0), [
      [0, { type: 'go' }],
      [500, { type: 'panic', mode: 'black', fadeMs: 1000 }],
    ]);
    expect(resolveShow(show, s, 1000).output).toEqual({ mode: 'black', level: 0.5 });
    s = tickShow(show, s, 5000);
    expect(s.currentCueId).toBe('c1'); // automation did not fire under the panic
    s = reduceShow(show, s, cmd({ type: 'go' }), 6000);
    expect(resolveShow(show, s, 6000).output).toEqual({ mode: 'none', level: 1 });
    expect(s.currentCueId).toBe('c2');
  });

  it('by default the first GO during a panic only restores: the picture comes back, nothing is fired', () => {
    const show = threeCueShow();
    expect(show.settings.panicGo).toBe('restore');
    let s = run(show, initialShowState(show, 0), [
      [0, { type: 'go' }],
      [1000, { type: 'panic', mode: 'black', fadeMs: 0 }],
    ]);
    const lookBefore = s.program.lookId;
    s = reduceShow(show, s, cmd({ type: 'go' }), 2000);
    expect(resolveShow(show, s, 2000).output).toEqual({ mode: 'none', level: 1 });
    expect(s.currentCueId).toBe('c1');
    expect(s.standbyCueId).toBe('c2');
    expect(s.program.lookId).toBe(lookBefore);
    // A reflex double-GO inside the guard does not fire either; the next GO after it does.
    expect(reduceShow(show, s, cmd({ type: 'go' }), 2100)).toBe(s);
    s = reduceShow(show, s, cmd({ type: 'go' }), 3000);
    expect(s.currentCueId).toBe('c2');
  });

  it('a panic remembers the look the wall held; a look taken during it is pending, and restore shows it', () => {
    const show = threeCueShow();
    let s = run(show, initialShowState(show, 0), [
      [0, { type: 'go' }],
      [1000, { type: 'panic', mode: 'freeze' }],
    ]);
    const held = { lookId: s.program.lookId, prompt: 'dawn' };
    expect(s.program.panic.held).toEqual(held);
    s = reduceShow(show, s, cmd({ type: 'setPrompt', prompt: 'storm', transition: { durationMs: 0 } }), 1500);
    expect(s.program.panic).toMatchObject({ mode: 'freeze', held });
    expect(s.program.lookId).not.toBe(held.lookId);
    // Freeze -> black keeps what the wall held at the start.
    s = reduceShow(show, s, cmd({ type: 'panic', mode: 'black', fadeMs: 0 }), 1600);
    expect(s.program.panic).toMatchObject({ mode: 'black', sinceMs: 1600, held });
    s = reduceShow(show, s, cmd({ type: 'restore' }), 2000);
    expect(s.program.panic.held).toBeUndefined();
    expect(resolveShow(show, s, 2000).to.prompt).toBe('storm');
  });

  it('names the cue on air until a live edit replaces its look, and the pending auto-follow with its due time', () => {
    const base = threeCueShow();
    const show = { ...base, cues: base.cues.map((c, i) => (i === 0 ? { ...c, continueMode: 'auto-follow' as const, delayMs: 500 } : c)) };
    let s = initialShowState(show, 0);
    expect(onAirCueId(s)).toBeNull();
    expect(pendingFollow(show, s)).toBeNull();
    s = reduceShow(show, s, cmd({ type: 'go' }), 1000);
    expect(onAirCueId(s)).toBe('c1');
    // Cue 1's transition is 1000 ms, then 500 ms delay: c2 follows at 2500.
    expect(pendingFollow(show, s)).toEqual({ cueId: 'c2', mode: 'auto-follow', dueAtMs: 2500 });
    // A panic disarms it (nothing fires behind the operator's back).
    expect(pendingFollow(show, reduceShow(show, s, cmd({ type: 'panic', mode: 'freeze' }), 1200))).toBeNull();
    s = tickShow(show, s, 2500);
    expect(onAirCueId(s)).toBe('c2');
    expect(pendingFollow(show, s)).toBeNull();
    s = reduceShow(show, s, cmd({ type: 'setPrompt', prompt: 'live edit' }), 3000);
    expect(onAirCueId(s)).toBeNull();
    expect(s.currentCueId).toBe('c2');
  });

  it('safe plate and freeze are output modes undone by restore', () => {
    const show = threeCueShow();
    let s = reduceShow(show, initialShowState(show, 0), cmd({ type: 'panic', mode: 'safe-plate' }), 0);
    expect(resolveShow(show, s, 10).output.mode).toBe('safe-plate');
    s = reduceShow(show, s, cmd({ type: 'restore' }), 20);
    expect(resolveShow(show, s, 30).output).toEqual({ mode: 'none', level: 1 });
  });

  it('keeps standby on a cue that exists after edits', () => {
    const show = threeCueShow();
    let s = reduceShow(show, initialShowState(show, 0), cmd({ type: 'go' }), 0); // standby c2
    const edited = applyEdit(show, cmd({ type: 'deleteCue', cueId: 'c2' }) as never, show.cues[0]!.look);
    if (!edited.ok) throw new Error(edited.message);
    s = reconcileShowState(edited.show, s);
    expect(s.standbyCueId).toBe('c3');
  });
});

describe('timeline', () => {
  it('plays keyframes against the clock with the keyframe curve, and pause holds the blend', () => {
    const show = threeCueShow();
    let s = reduceShow(show, initialShowState(show, 0), cmd({ type: 'timelinePlay' }), 1000);
    s = tickShow(show, s, 1000);
    // 2 s into a 4 s linear segment: halfway from sea to sky.
    const mid = resolveShow(show, s, 3000);
    expect(mid).toMatchObject({ from: { prompt: 'sea' }, to: { prompt: 'sky' }, driver: 'timeline' });
    expect(mid.mix).toBeCloseTo(0.5);
    expect(mid.params.strength).toBeCloseTo(0.5);
    // The generator's own resolution of the program agrees.
    expect(resolveLook(s.program, 3000).mix).toBeCloseTo(0.5);
    // Next segment (ease-in): a new look for the generator at the keyframe.
    const beforeId = s.program.lookId;
    s = tickShow(show, s, 5000 + 1);
    expect(s.program.lookId).toBe(beforeId + 1);
    expect(resolveLook(s.program, 7000).mix).toBeCloseTo(resolveShow(show, s, 7000).mix);
    s = reduceShow(show, s, cmd({ type: 'timelinePause' }), 7000);
    s = tickShow(show, s, 7000);
    const held = resolveShow(show, s, 20_000);
    expect(held.timelinePositionMs).toBe(6000);
    expect(held.mix).toBeCloseTo(0.125); // ease-in: 0.5^3
    expect(resolveLook(s.program, 50_000).mix).toBeCloseTo(0.125);
  });

  it('seek, rate and loop', () => {
    const base = threeCueShow();
    const show = { ...base, timeline: { ...base.timeline, loop: true } };
    let s = reduceShow(show, initialShowState(show, 0), cmd({ type: 'timelineSeek', positionMs: 9000 }), 0);
    s = reduceShow(show, s, cmd({ type: 'timelinePlay' }), 0);
    s = reduceShow(show, s, cmd({ type: 'timelineRate', rate: 2 }), 0);
    expect(timelinePosition(show.timeline, s, 250).positionMs).toBe(9500);
    expect(timelinePosition(show.timeline, s, 1000).positionMs).toBe(1000); // wrapped
    expect(timelinePosition(show.timeline, s, 1000).iteration).toBe(1);
  });

  it('stops at the end of a non-looping timeline, holding the last keyframe', () => {
    const show = threeCueShow();
    let s = reduceShow(show, initialShowState(show, 0), cmd({ type: 'timelinePlay' }), 0);
    s = tickShow(show, s, 12_000);
    expect(s.transport.playing).toBe(false);
    expect(resolveShow(show, s, 13_000)).toMatchObject({ to: { prompt: 'land' }, mix: 1, timelinePositionMs: 10_000 });
  });

  it('chases external timecode with an offset while engaged, and runs free when disengaged', () => {
    const show = threeCueShow();
    let s: ShowState = { ...reduceShow(show, initialShowState(show, 0), cmd({ type: 'timelinePlay' }), 0), chase: { source: 'ltc', offsetMs: -36_000_000, engaged: true } };
    const reading = { timecodeMs: 36_002_000, atClockMs: 500, running: true };
    expect(timelinePosition(show.timeline, s, 1500, reading).positionMs).toBe(3000);
    s = { ...s, chase: { ...s.chase, engaged: false } };
    expect(timelinePosition(show.timeline, s, 1500, reading).positionMs).toBe(1500);
  });

  it('a cue fired while the timeline plays takes the wall and pauses the timeline', () => {
    const show = threeCueShow();
    let s = reduceShow(show, initialShowState(show, 0), cmd({ type: 'timelinePlay' }), 0);
    s = reduceShow(show, s, cmd({ type: 'go' }), 2000);
    expect(s.driver).toBe('cues');
    expect(s.transport.playing).toBe(false);
    expect(timelinePosition(show.timeline, s, 9000).positionMs).toBe(2000);
  });
});

// ---- Properties -----------------------------------------------------------------------

const actionArb: fc.Arbitrary<CommandInput | 'tick'> = fc.oneof(
  fc.constant('tick' as const),
  fc.constant({ type: 'go' } as const),
  fc.constant({ type: 'back' } as const),
  fc.constantFrom('1', '2', '3', '4').map((number) => ({ type: 'fireCue', number }) as const),
  fc.constantFrom('c1', 'c2', 'c3', 'c9').map((cueId) => ({ type: 'standby', cueId }) as const),
  fc.record({ type: fc.constant('panic' as const), mode: fc.constantFrom('black' as const, 'freeze' as const, 'safe-plate' as const), fadeMs: fc.integer({ min: 0, max: 3000 }) }),
  fc.constant({ type: 'restore' } as const),
  fc.string({ maxLength: 20 }).map((prompt) => ({ type: 'setPrompt', prompt, transition: { durationMs: 500 } }) as const),
  fc.integer({ min: 0, max: 2 ** 31 - 1 }).map((seed) => ({ type: 'setSeed', seed }) as const),
  fc.constant({ type: 'timelinePlay' } as const),
  fc.constant({ type: 'timelinePause' } as const),
  fc.constant({ type: 'timelineStop' } as const),
  fc.integer({ min: 0, max: 12_000 }).map((positionMs) => ({ type: 'timelineSeek', positionMs }) as const),
  fc.double({ min: 0.05, max: 16, noNaN: true }).map((rate) => ({ type: 'timelineRate', rate }) as const),
  fc.constantFrom('c1', 'c2', 'c3').map((cueId) => ({ type: 'deleteCue', cueId }) as const),
  fc.constant({ type: 'addCue', patch: { continueMode: 'auto-follow', transition: { durationMs: 50 } } } as const),
  fc.integer({ min: 0, max: 10_000 }).map((timeMs) => ({ type: 'addKeyframe', timeMs }) as const),
);

describe('show engine properties', () => {
  it('any sequence of actions at any times yields a valid look, ids that never go back, and standby on a real cue', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3000 }), actionArb), { maxLength: 60 }), fc.boolean(), (steps, loop) => {
        let show = threeCueShow({ timeline: { ...threeCueShow().timeline, loop } });
        let s = initialShowState(show, 0);
        let t = 0;
        let lastId = s.program.lookId;
        for (const [dt, action] of steps) {
          t += dt;
          if (action !== 'tick' && isEditCommand(cmd(action))) {
            const edited = applyEdit(show, cmd(action) as never, resolveShow(show, s, t).to as never);
            if (edited.ok) {
              show = edited.show;
              s = reconcileShowState(show, s);
            }
          } else {
            s = action === 'tick' ? tickShow(show, s, t) : reduceShow(show, s, cmd(action), t);
          }
          s = tickShow(show, s, t);
          const look = resolveShow(show, s, t);
          expect(look.mix).toBeGreaterThanOrEqual(0);
          expect(look.mix).toBeLessThanOrEqual(1);
          expect(look.output.level).toBeGreaterThanOrEqual(0);
          expect(look.output.level).toBeLessThanOrEqual(1);
          expect(Number.isInteger(look.seed) && look.seed >= 0).toBe(true);
          expect(typeof look.to.prompt).toBe('string');
          for (const v of Object.values(look.params)) expect(Number.isFinite(v)).toBe(true);
          expect(s.program.lookId).toBeGreaterThanOrEqual(lastId);
          lastId = s.program.lookId;
          if (s.standbyCueId !== null) expect(show.cues.some((c) => c.id === s.standbyCueId)).toBe(true);
          if (s.currentCueId !== null) expect(show.cues.some((c) => c.id === s.currentCueId)).toBe(true);
          const position = timelinePosition(show.timeline, s, t).positionMs;
          expect(position).toBeGreaterThanOrEqual(0);
          expect(position).toBeLessThanOrEqual(show.timeline.durationMs);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('GO within the guard time after a GO is always ignored', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 1e6 }), (guard, gap, at) => {
        const base = threeCueShow();
        const show = { ...base, settings: { ...base.settings, goGuardMs: guard } };
        const s = reduceShow(show, initialShowState(show, 0), cmd({ type: 'go' }), at);
        const second = reduceShow(show, s, cmd({ type: 'go' }), at + gap);
        if (gap < guard) expect(second).toBe(s);
        else expect(second.currentCueId).toBe('c2');
      }),
    );
  });

  it('timeline interpolation is continuous: a small step in time is a small step in the blend, across keyframes too', () => {
    const keyArb = fc.record({
      timeMs: fc.integer({ min: 0, max: 20_000 }),
      curve: fc.constantFrom('linear' as const, 'ease-in' as const, 'ease-out' as const, 'ease-in-out' as const),
      strength: fc.double({ min: -10, max: 10, noNaN: true }),
    });
    // Measured from the curves themselves, not assumed: the cubic ease-in and ease-out reach slope 3.
    const steepestCurveSlope = Math.max(
      ...(['linear', 'ease-in', 'ease-out', 'ease-in-out'] as const).map((curve) => {
        let steepest = 0;
        for (let i = 0; i < 10_000; i++) steepest = Math.max(steepest, (applyCurve(curve, (i + 1) / 10_000) - applyCurve(curve, i / 10_000)) * 10_000);
        return steepest;
      }),
    );
    fc.assert(
      fc.property(fc.uniqueArray(keyArb, { minLength: 1, maxLength: 8, selector: (k) => k.timeMs }), fc.double({ min: 0.1, max: 4, noNaN: true }), (keys, rate) => {
        const show = showSchema.parse({
          ...emptyShow(),
          timeline: {
            durationMs: 20_000,
            keyframes: keys
              .sort((a, b) => a.timeMs - b.timeMs)
              .map((k, i) => ({ id: `k${i + 1}`, timeMs: k.timeMs, curve: k.curve, look: { prompt: `p${i}`, seed: i, params: { strength: k.strength } } })),
          },
        });
        let s = reduceShow(show, initialShowState(show, 0), cmd({ type: 'timelineRate', rate }), 0);
        s = reduceShow(show, s, cmd({ type: 'timelinePlay' }), 0);
        // Effective weight of each prompt: continuity of what the generator blends.
        const weights = (t: number) => {
          const look = resolveShow(show, s, t);
          const w = new Map<string, number>([[look.to.prompt, look.mix]]);
          if (look.from) w.set(look.from.prompt, (w.get(look.from.prompt) ?? 0) + 1 - look.mix);
          return { w, strength: look.params.strength ?? 0 };
        };
        const step = 2; // ms of clock
        const end = 20_000 / rate;
        for (let t = 0; t < end; t += end / 400) {
          const a = weights(t);
          const b = weights(t + step);
          let distance = 0;
          for (const key of new Set([...a.w.keys(), ...b.w.keys()])) distance += Math.abs((a.w.get(key) ?? 0) - (b.w.get(key) ?? 0));
          // Steepest curve over the shortest (1 ms) segment bounds how far one step can move the blend.
          const slope = (steepestCurveSlope * step * rate) / 1;
          expect(distance).toBeLessThanOrEqual(2 * Math.min(1, slope) + 1e-9);
          // Finer: away from a 1 ms segment, steps are tiny.
          const minGap = Math.min(...keys.slice(1).map((k, i) => k.timeMs - keys[i]!.timeMs), Infinity);
          if (minGap >= 500) expect(distance).toBeLessThan(0.05 * rate + 1e-9);
          if (minGap >= 500) expect(Math.abs(a.strength - b.strength)).toBeLessThan(20 * 0.025 * rate + 1e-9);
        }
      }),
      {
        numRuns: 100,
        // Found by CI: a cubic ease-out over a 1 ms segment at rate 0.1 moves the blend faster than the old bound allowed.
        examples: [
          [
            [
              { timeMs: 0, curve: 'ease-out', strength: 10 },
              { timeMs: 1, curve: 'ease-in-out', strength: 0 },
            ],
            0.1,
          ],
        ],
      },
    );
  });
});

describe('live inputs in looks', () => {
  const cam = { source: { kind: 'ndi' as const, name: 'CAM-1 (Stage)' }, fit: 'fill' as const };

  it('setInput is a live edit: a new look that names the input (and its strength), crossfading from the one before; null goes back to text only', () => {
    const show = threeCueShow();
    let s = run(show, initialShowState(show, 0), [[0, { type: 'go' }]]);
    const before = s.program.lookId;
    s = reduceShow(show, s, cmd({ type: 'setInput', input: cam, strength: 0.4, transition: { durationMs: 1000, curve: 'linear' } }), 2000);
    expect(s.program.lookId).toBe(before + 1);
    const mid = resolveShow(show, s, 2500);
    expect(mid).toMatchObject({ mix: 0.5, from: { prompt: 'dawn' }, to: { prompt: 'dawn', input: cam } });
    expect(mid.from?.input).toBeUndefined();
    expect(resolveShow(show, s, 3000).params.strength).toBeCloseTo(0.4);
    s = reduceShow(show, s, cmd({ type: 'setInput', input: null }), 4000);
    expect(resolveShow(show, s, 4000).to.input).toBeUndefined();
    expect(resolveShow(show, s, 4000).params.strength).toBeCloseTo(0.4); // strength stays with the look
  });

  it('a cue whose look names an input puts it on air with GO; its transition crossfades from the previous input', () => {
    const show = threeCueShow();
    const withInput = applyEdit(show, cmd({ type: 'updateCue', cueId: 'c2', patch: { input: { source: { kind: 'program' } } } }) as never, show.cues[0]!.look);
    expect(withInput.ok).toBe(true);
    if (!withInput.ok) return;
    expect(withInput.show.cues[1]!.look.input).toEqual({ source: { kind: 'program' }, fit: 'fill' });
    let s = run(withInput.show, initialShowState(withInput.show, 0), [
      [0, { type: 'go' }],
      [2000, { type: 'go' }],
    ]);
    expect(resolveShow(withInput.show, s, 2000).to.input).toEqual({ source: { kind: 'program' }, fit: 'fill' });
    s = reduceShow(withInput.show, s, cmd({ type: 'go' }), 3000);
    expect(resolveShow(withInput.show, s, 4000)).toMatchObject({ from: { input: { source: { kind: 'program' } } }, to: { prompt: 'dusk' } });
    const cleared = applyEdit(withInput.show, cmd({ type: 'updateCue', cueId: 'c2', patch: { input: null } }) as never, show.cues[0]!.look);
    expect(cleared.ok && cleared.show.cues[1]!.look.input).toBeUndefined();
  });

  it('a keyframe patch sets its input, and a cue recorded from the wall keeps the input on air', () => {
    const show = threeCueShow();
    const edited = applyEdit(show, cmd({ type: 'updateKeyframe', keyframeId: 'k2', patch: { input: cam } }) as never, show.cues[0]!.look);
    expect(edited.ok && edited.show.timeline.keyframes[1]!.look.input).toEqual(cam);
    const recorded = applyEdit(show, cmd({ type: 'addCue' }) as never, { prompt: 'live', seed: 9, params: {}, input: cam });
    expect(recorded.ok && recorded.show.cues.at(-1)!.look.input).toEqual(cam);
  });
});
