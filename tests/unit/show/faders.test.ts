/**
 * The faders' parts of the show reducer at explicit instants: the manual crossfade
 * (T-bar) takes the standby cue once at the far end, never twice; the master multiplies
 * a black panic's fade; strength moves the live look in place; transition time is the
 * live edits' default (and the cues' with overrideCues); the inputs selectInput counts.
 */
import { describe, expect, it } from 'vitest';
import { commandSchema, type Command, type CommandInput } from '../../../app/contract/commands.js';
import { showSchema, type Show } from '../../../app/contract/show.js';
import { knownInputs, moveBar, INITIAL_FADERS } from '../../../app/show/faders.js';
import { initialProgram, outputLevel, resolveLook } from '../../../app/show/program.js';
import { emptyShow } from '../../../app/show/show-file.js';
import { fadersOf, initialShowState, reduceShow, tickShow, type ShowState } from '../../../app/show/show-state.js';

const cmd = (input: CommandInput): Command => commandSchema.parse(input);

function show(): Show {
  return showSchema.parse({
    ...emptyShow('Faders'),
    settings: { ...emptyShow().settings, goGuardMs: 0 },
    cues: [
      { id: 'c1', number: '1', look: { prompt: 'dawn', seed: 1, input: { source: { kind: 'ndi', name: 'CAM (A)' } } }, transition: { durationMs: 1000, curve: 'linear' } },
      { id: 'c2', number: '2', look: { prompt: 'noon', seed: 2 }, transition: { durationMs: 3000, curve: 'ease-in' } },
      { id: 'c3', number: '3', look: { prompt: 'dusk', seed: 3, input: { source: { kind: 'image', path: 'plate.png' }, fit: 'crop' } }, transition: { durationMs: 0 } },
    ],
  });
}

const bar = (s: Show, state: ShowState, position: number, t: number, baseline = false) =>
  reduceShow(s, state, cmd({ type: 'crossfade', position, ...(baseline ? { baseline } : {}) }), t);

describe('manual crossfade (T-bar)', () => {
  it('fades from the live look toward the standby cue by the bar, and takes it once at the top', () => {
    const s = show();
    let st = initialShowState(s, 0);
    const live = st.program.to.prompt;
    st = bar(s, st, 0, 10);
    st = bar(s, st, 0.3, 20);
    expect(st.program.from?.prompt).toBe(live);
    expect(st.program.to.prompt).toBe('dawn');
    expect(resolveLook(st.program, 25).mix).toBeCloseTo(0.3, 9);
    const fadeLook = st.program.lookId;
    st = bar(s, st, 0.7, 30);
    expect(st.program.lookId).toBe(fadeLook); // a move is in place: the same look, no frames thrown away
    expect(resolveLook(st.program, 35).mix).toBeCloseTo(0.7, 9);
    expect(st.currentCueId).toBeNull();
    st = bar(s, st, 1, 40);
    // Taken as GO takes it: on air at once (its transition is not run again), standby moves on once.
    expect(st.currentCueId).toBe('c1');
    expect(st.standbyCueId).toBe('c2');
    expect(resolveLook(st.program, 40)).toMatchObject({ mix: 1, from: null });
    expect(fadersOf(st).bar.restsAt).toBe(1);
    // Held at the top, or jittering there: never a second take.
    for (const [p, t] of [
      [1, 50],
      [0.995, 60],
      [1, 70],
      [0.98, 80],
      [1, 90],
    ] as const)
      st = bar(s, st, p, t);
    expect(st.currentCueId).toBe('c1');
    expect(st.standbyCueId).toBe('c2');
    expect(st.program.to.prompt).toBe('dawn');
    // Back down: the next fade runs the other way, to the new standby cue, taken at the bottom.
    st = bar(s, st, 0.5, 100);
    expect(st.program.to.prompt).toBe('noon');
    expect(resolveLook(st.program, 100).mix).toBeCloseTo(0.5, 9);
    st = bar(s, st, 0, 110);
    expect(st.currentCueId).toBe('c2');
    expect(st.standbyCueId).toBe('c3');
  });

  it('back to the resting end puts the look before the fade on air again, as a new look', () => {
    const s = show();
    let st = bar(s, initialShowState(s, 0), 0, 0);
    const before = st.program;
    st = bar(s, st, 0.4, 10);
    st = bar(s, st, 0, 20);
    expect(st.program.to).toEqual(before.to);
    expect(st.program.lookId).toBeGreaterThan(before.lookId + 1);
    expect(st.currentCueId).toBeNull();
    expect(st.standbyCueId).toBe('c1');
  });

  it('a level never takes: the first position heard, and a baseline, rest the bar at the nearest end', () => {
    const s = show();
    // First position ever at the top: the bar rests there; nothing fades, nothing is taken.
    let st = bar(s, initialShowState(s, 0), 1, 0);
    expect(st.currentCueId).toBeNull();
    expect(fadersOf(st).bar.restsAt).toBe(1);
    expect(st.program.from).toBeNull();
    // A fade in progress, then a desk's baseline at the far end (it moved during a loss): no take.
    st = bar(s, st, 0.6, 10);
    expect(resolveLook(st.program, 10).mix).toBeCloseTo(0.4, 9);
    st = bar(s, st, 0, 20, true);
    expect(st.currentCueId).toBeNull();
    // A fast throw from a known place does take (one packet from rest to the far end).
    st = bar(s, bar(s, initialShowState(s, 0), 0, 0), 1, 10);
    expect(st.currentCueId).toBe('c1');
  });

  it('during a panic the bar does nothing and is forgotten; another look ends a fade', () => {
    const s = show();
    let st = bar(s, initialShowState(s, 0), 0, 0);
    st = reduceShow(s, st, cmd({ type: 'panic', mode: 'black' }), 5);
    st = bar(s, st, 1, 10);
    expect(st.currentCueId).toBeNull();
    st = reduceShow(s, st, cmd({ type: 'restore' }), 20);
    st = bar(s, st, 1, 30); // heard from an unknown place after the panic: rests at the top
    expect(st.currentCueId).toBeNull();
    st = bar(s, st, 0.5, 40);
    expect(st.program.to.prompt).toBe('dawn');
    st = reduceShow(s, st, cmd({ type: 'setPrompt', prompt: 'typed live' }), 50);
    expect(st.program.to.prompt).toBe('typed live');
    st = bar(s, st, 0.55, 60); // the fade was cut short: the bar rests at its nearest end again
    expect(st.currentCueId).toBeNull();
    expect(resolveLook(st.program, 60).mix).toBeCloseTo(0.45, 9);
  });

  it('moveBar without a standby cue forgets the place', () => {
    const { bar: b, action } = moveBar({ ...INITIAL_FADERS, bar: { position: 0.2, restsAt: 0, fade: null } }, initialProgram(0), 0.9, false, false);
    expect(action).toEqual({ kind: 'none' });
    expect(b.position).toBeNull();
  });
});

describe('master level, strength, transition time', () => {
  it('the master multiplies a black panic fade', () => {
    const s = show();
    let st = reduceShow(s, initialShowState(s, 0), cmd({ type: 'setMasterLevel', level: 0.5 }), 0);
    expect(outputLevel(st.program, 0)).toBe(0.5);
    st = reduceShow(s, st, cmd({ type: 'panic', mode: 'black', fadeMs: 1000 }), 1000);
    expect(outputLevel(st.program, 1250)).toBeCloseTo(0.5 * 0.75, 9);
    expect(outputLevel(st.program, 2000)).toBe(0);
    st = reduceShow(s, st, cmd({ type: 'restore' }), 3000);
    expect(outputLevel(st.program, 3000)).toBe(0.5);
    // The master stays through cues and live edits.
    st = reduceShow(s, st, cmd({ type: 'go' }), 4000);
    expect(st.program.master).toBe(0.5);
  });

  it('strength changes the live look in place; a cue fired later brings its own', () => {
    const s = show();
    let st = reduceShow(s, initialShowState(s, 0), cmd({ type: 'go' }), 0);
    const lookId = st.program.lookId;
    st = reduceShow(s, st, cmd({ type: 'setStrength', strength: 0.35 }), 10);
    expect(st.program.lookId).toBe(lookId);
    expect(st.program.to.params?.strength).toBe(0.35);
    expect(fadersOf(st).strength).toBe(0.35);
    st = reduceShow(s, st, cmd({ type: 'go' }), 20);
    expect(st.program.to.params?.strength).toBeUndefined();
  });

  it('transition time is the default of live edits; with overrideCues also the cue times', () => {
    const s = show();
    let st = reduceShow(s, initialShowState(s, 0), cmd({ type: 'setTransitionTime', durationMs: 2500 }), 0);
    st = reduceShow(s, st, cmd({ type: 'setPrompt', prompt: 'a' }), 10);
    expect(st.program.transition).toEqual({ durationMs: 2500, curve: 'ease-in-out' });
    st = reduceShow(s, st, cmd({ type: 'setPrompt', prompt: 'b', transition: { durationMs: 100, curve: 'linear' } }), 20);
    expect(st.program.transition.durationMs).toBe(100);
    st = reduceShow(s, st, cmd({ type: 'go' }), 30);
    expect(st.program.transition.durationMs).toBe(1000); // the cue's own
    st = reduceShow(s, st, cmd({ type: 'setTransitionTime', durationMs: 400, overrideCues: true }), 40);
    st = reduceShow(s, st, cmd({ type: 'go' }), 50);
    expect(st.program.transition).toEqual({ durationMs: 400, curve: 'ease-in' }); // the cue's curve over the faders' time
    st = tickShow(s, st, 60);
    expect(fadersOf(st)).toMatchObject({ transitionMs: 400, overrideCues: true });
  });

  it('transition time out of range and a master above 1 are refused by the contract with the reason', () => {
    const master = commandSchema.safeParse({ type: 'setMasterLevel', level: 1.5 });
    expect(master.success).toBe(false);
    expect(JSON.stringify(master.error?.issues)).toMatch(/the master level must be from 0 to 1/);
    const time = commandSchema.safeParse({ type: 'setTransitionTime', durationMs: -5 });
    expect(JSON.stringify(time.error?.issues)).toMatch(/cannot be negative/);
    const index = commandSchema.safeParse({ type: 'selectInput', index: 1.5 });
    expect(JSON.stringify(index.error?.issues)).toMatch(/whole number/);
  });
});

describe('known inputs (selectInput positions)', () => {
  it('the show inputs in cue order, then the NDI sources found that are not among them', () => {
    const inputs = knownInputs(show(), ['CAM (B)', 'CAM (A)']);
    expect(inputs.map((i) => i.source)).toEqual([
      { kind: 'ndi', name: 'CAM (A)' },
      { kind: 'image', path: 'plate.png' },
      { kind: 'ndi', name: 'CAM (B)' },
    ]);
    expect(inputs[1]?.fit).toBe('crop');
  });
});
