import { describe, expect, it } from 'vitest';
import { DmxInterpreter } from '../../../../app/engine/control/dmx-interpreter.js';
import { commandSchema, type CommandInput } from '../../../../app/contract/commands.js';

const START = 10;
const CUES = ['1', '2', '2.5', '3'];
const make = () => new DmxInterpreter({ patch: { universe: 1, startAddress: START }, cueNumberAt: (p) => CUES[p - 1] ?? null, sourceTimeoutMs: 2500 });
/** A universe with the personality's channels (1-based within the footprint) set. */
const u = (levels: Record<number, number> = {}) => {
  const s = new Uint8Array(512);
  for (const [ch, v] of Object.entries(levels)) s[START - 1 + Number(ch) - 1] = v;
  return s;
};
const GO = 5;
const PANIC = 6;
/** The commands besides the master's (which the first universe always sends: the wall follows its intensity channel). */
const notMaster = (commands: CommandInput[]) => commands.filter((c) => c.type !== 'setMasterLevel');

describe('DmxInterpreter: GO on a rising edge, never on a level', () => {
  it('the first universe only sets the baseline, even with GO high', () => {
    const d = make();
    const first = d.receive({ sourceId: 'A', universe: 1, slots: u({ [GO]: 255 }) }, 0);
    expect(first.commands).toEqual([{ type: 'setMasterLevel', level: 0 }]);
    expect(d.receive({ sourceId: 'A', universe: 1, slots: u({ [GO]: 255 }) }, 25).commands).toEqual([]);
  });

  it('rising through 128 fires once; held high never again; a wobble above 64 does not re-arm', () => {
    const d = make();
    const send = (go: number, t: number) => notMaster(d.receive({ sourceId: 'A', universe: 1, slots: u({ [GO]: go }) }, t).commands);
    expect(send(0, 0)).toEqual([]);
    expect(send(127, 25)).toEqual([]);
    expect(send(128, 50)).toEqual([{ type: 'go' }]);
    expect(send(255, 75)).toEqual([]);
    expect(send(100, 100)).toEqual([]);
    expect(send(200, 125)).toEqual([]);
    expect(send(63, 150)).toEqual([]);
    expect(send(200, 175)).toEqual([{ type: 'go' }]);
    expect(d.stats.fires).toBe(2);
  });

  it('GO with a cue selected fires that cue by position (8-bit and 16-bit); past the end is a named problem', () => {
    const d = make();
    d.receive({ sourceId: 'A', universe: 1, slots: u({ 2: 3 }) }, 0);
    expect(d.receive({ sourceId: 'A', universe: 1, slots: u({ 2: 3, [GO]: 255 }) }, 25).commands).toEqual([{ type: 'fireCue', number: '2.5' }]);
    d.receive({ sourceId: 'A', universe: 1, slots: u({ 3: 0, 4: 4 }) }, 50);
    expect(d.receive({ sourceId: 'A', universe: 1, slots: u({ 3: 0, 4: 4, [GO]: 255 }) }, 75).commands).toEqual([{ type: 'fireCue', number: '3' }]);
    d.receive({ sourceId: 'A', universe: 1, slots: u({ 3: 1, 4: 0 }) }, 100);
    const past = d.receive({ sourceId: 'A', universe: 1, slots: u({ 3: 1, 4: 0, [GO]: 255 }) }, 125);
    expect(past.commands).toEqual([]);
    expect(past.problems).toEqual(['DMX GO with cue select 256: the cue list has no cue at that position']);
  });

  it('signal loss: holds, sends nothing; GO still high when the signal returns does not fire; a new rise does', () => {
    const d = make();
    d.receive({ sourceId: 'A', universe: 1, slots: u({ [GO]: 0, 1: 200 }) }, 0);
    expect(d.receive({ sourceId: 'A', universe: 1, slots: u({ [GO]: 255, 1: 200 }) }, 25).commands).toEqual([{ type: 'go' }]);
    const lost = d.tick(3000);
    expect(lost).toEqual({ commands: [], controls: {}, problems: [], signal: 'lost' });
    expect(d.values?.master).toBeCloseTo(200 / 255, 9);
    expect(d.stats.losses).toBe(1);
    // Back with GO high (the desk never let go): baseline only.
    expect(d.receive({ sourceId: 'A', universe: 1, slots: u({ [GO]: 255, 1: 200 }) }, 5000)).toMatchObject({ commands: [], signal: 'live' });
    expect(d.receive({ sourceId: 'A', universe: 1, slots: u({ [GO]: 0, 1: 200 }) }, 5025).commands).toEqual([]);
    expect(d.receive({ sourceId: 'A', universe: 1, slots: u({ [GO]: 255, 1: 200 }) }, 5050).commands).toEqual([{ type: 'go' }]);
  });

  it('back after a loss with GO low and then high on the very first packet: still only a baseline', () => {
    const d = make();
    d.receive({ sourceId: 'A', universe: 1, slots: u({ [GO]: 0 }) }, 0);
    d.tick(3000);
    expect(d.receive({ sourceId: 'A', universe: 1, slots: u({ [GO]: 255 }) }, 4000).commands).toEqual([]);
  });
});

describe('DmxInterpreter: panic, seed, controls, sources', () => {
  it('panic bands send the panic on entry and restore on leaving; a held band sends nothing', () => {
    const d = make();
    const send = (p: number, t: number) => notMaster(d.receive({ sourceId: 'A', universe: 1, slots: u({ [PANIC]: p }) }, t).commands);
    expect(send(0, 0)).toEqual([]);
    expect(send(100, 25)).toEqual([{ type: 'panic', mode: 'black' }]);
    expect(send(120, 50)).toEqual([]);
    expect(send(150, 75)).toEqual([{ type: 'panic', mode: 'freeze' }]);
    expect(send(255, 100)).toEqual([{ type: 'panic', mode: 'safe-plate' }]);
    expect(send(10, 125)).toEqual([{ type: 'restore' }]);
  });

  it('a desk that connects in panic puts the wall in panic', () => {
    const d = make();
    expect(d.receive({ sourceId: 'A', universe: 1, slots: u({ [PANIC]: 70 }) }, 0).commands).toEqual([
      { type: 'setMasterLevel', level: 0 },
      { type: 'panic', mode: 'black' },
    ]);
  });

  it('controls come on the first universe, then only when they change; the seed pair sends setSeed on change', () => {
    const d = make();
    const first = d.receive({ sourceId: 'A', universe: 1, slots: u({ 1: 255, 7: 20, 12: 15 }) }, 0);
    expect(first.controls).toEqual({ master: 1, crossfadeMs: 2000, promptBlend: 0, strength: 0, input: 1 });
    // Only the master on the first universe: the other faders wait for a change, so a desk connecting does not reset the show's.
    expect(first.commands).toEqual([{ type: 'setMasterLevel', level: 1 }]);
    const next = d.receive({ sourceId: 'A', universe: 1, slots: u({ 1: 0, 7: 20, 12: 15, 10: 1, 11: 1 }) }, 25);
    expect(next.controls).toEqual({ master: 0 });
    expect(next.commands).toEqual([
      { type: 'setMasterLevel', level: 0 },
      { type: 'setSeed', seed: 257 },
    ]);
  });

  it('the fader channels send their commands on a change, before the GO of the same universe', () => {
    const d = make();
    d.receive({ sourceId: 'A', universe: 1, slots: u({ 1: 255 }) }, 0);
    const moved = d.receive({ sourceId: 'A', universe: 1, slots: u({ 1: 255, 7: 15, 8: 51, 9: 102, 12: 25, [GO]: 255 }) }, 25).commands;
    expect(moved).toEqual([
      { type: 'setTransitionTime', durationMs: 1500 },
      { type: 'setStrength', strength: 0.4 },
      { type: 'selectInput', index: 2 },
      { type: 'crossfade', position: 0.2 },
      { type: 'go' },
    ]);
    for (const c of moved) expect(commandSchema.safeParse(c).success).toBe(true);
    // Unchanged levels send nothing.
    expect(d.receive({ sourceId: 'A', universe: 1, slots: u({ 1: 255, 7: 15, 8: 51, 9: 102, 12: 25, [GO]: 255 }) }, 50).commands).toEqual([]);
  });

  it('a prompt blend moved during a loss of signal comes back as a baseline (it rests the bar, never takes)', () => {
    const d = make();
    d.receive({ sourceId: 'A', universe: 1, slots: u({ 8: 0 }) }, 0);
    d.tick(3000);
    expect(d.receive({ sourceId: 'A', universe: 1, slots: u({ 8: 255 }) }, 4000).commands).toEqual([{ type: 'crossfade', position: 1, baseline: true }]);
    expect(d.receive({ sourceId: 'A', universe: 1, slots: u({ 8: 200 }) }, 4025).commands).toEqual([{ type: 'crossfade', position: 200 / 255 }]);
  });

  it('two sources: master merges HTP, GO LTP; a higher sACN priority takes over', () => {
    const d = make();
    d.receive({ sourceId: 'desk', universe: 1, slots: u({ 1: 100 }) }, 0);
    d.receive({ sourceId: 'wing', universe: 1, slots: u({ 1: 180 }) }, 0);
    expect(d.values?.master).toBeCloseTo(180 / 255, 9);
    expect(d.receive({ sourceId: 'desk', universe: 1, slots: u({ 1: 100, [GO]: 255 }) }, 25).commands).toEqual([{ type: 'go' }]);
    const takeover = d.receive({ sourceId: 'backup', universe: 1, slots: u({ 1: 20 }), priority: 200 }, 50);
    expect(takeover.controls).toEqual({ master: 20 / 255 });
  });

  it('wrong universe and malformed packets change nothing and are counted', () => {
    const d = make();
    d.receive({ sourceId: 'A', universe: 1, slots: u({ [GO]: 0 }) }, 0);
    expect(d.receive({ sourceId: 'A', universe: 2, slots: u({ [GO]: 255 }) }, 25)).toEqual({
      commands: [],
      controls: {},
      problems: ['DMX packet ignored: universe 2, listening on 1'],
      signal: 'live',
    });
    expect(d.receive({ sourceId: 'A', universe: 1, slots: new Uint8Array(600) }, 50).problems[0]).toMatch(/600 slots/);
    expect(d.stats.rejected).toBe(2);
  });

  it('every command it sends is valid under the contract', () => {
    const d = make();
    const all = [
      ...d.receive({ sourceId: 'A', universe: 1, slots: u({}) }, 0).commands,
      ...d.receive({ sourceId: 'A', universe: 1, slots: u({ [GO]: 255, 2: 1, [PANIC]: 200, 10: 255, 11: 255 }) }, 25).commands,
      ...d.receive({ sourceId: 'A', universe: 1, slots: u({}) }, 50).commands,
      ...d.receive({ sourceId: 'A', universe: 1, slots: u({ [GO]: 255 }) }, 75).commands,
    ];
    expect(all.map((c) => c.type)).toEqual(['setMasterLevel', 'setSeed', 'fireCue', 'panic', 'setSeed', 'restore', 'go']);
    for (const c of all) expect(commandSchema.safeParse(c).success).toBe(true);
  });

  it('refuses a patch that does not fit', () => {
    expect(() => new DmxInterpreter({ patch: { universe: 1, startAddress: 510 }, cueNumberAt: () => null })).toThrow(/start address 510/);
  });
});
