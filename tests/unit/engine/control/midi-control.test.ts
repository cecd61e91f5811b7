/**
 * MIDI control mappings: notes, CCs and program changes to commands, CC faders to
 * levels, learn, and the LED feedback bytes a controller gets (checked byte for byte
 * against MIDI 1.0 channel-voice messages: 9n kk vv note-on, Bn cc vv control change).
 */
import { describe, expect, it } from 'vitest';
import { commandSchema } from '../../../../app/contract/commands.js';
import type { MidiMapping } from '../../../../app/contract/control-sources.js';
import { MIDI_TRANSITION_MAX_MS, MidiControl, midiEvent, type MidiShowView } from '../../../../app/engine/control/midi-control.js';

const cues = [
  { id: 'c1', number: '1' },
  { id: 'c2', number: '2.5' },
  { id: 'c3', number: '3' },
];
const view = (standbyCueId: string | null, panic = false): MidiShowView => ({ standbyCueId, cues, panic });
const map = (kind: MidiMapping['kind'], channel: number, number: number, action: MidiMapping['action'], cue?: string): MidiMapping => ({
  kind,
  channel,
  number,
  action,
  ...(cue ? { cue } : {}),
});

describe('MIDI messages', () => {
  it('reads note-on, note-off (and note-on velocity 0), CC and program change on channels 1-16; nothing else', () => {
    expect(midiEvent([0x90, 60, 100])).toEqual({ kind: 'note', channel: 1, number: 60, value: 100 });
    expect(midiEvent([0x8f, 60, 64])).toEqual({ kind: 'note', channel: 16, number: 60, value: 0 });
    expect(midiEvent([0x93, 60, 0])).toEqual({ kind: 'note', channel: 4, number: 60, value: 0 });
    expect(midiEvent([0xb2, 7, 127])).toEqual({ kind: 'cc', channel: 3, number: 7, value: 127 });
    expect(midiEvent([0xc0, 5])).toEqual({ kind: 'program', channel: 1, number: 5, value: 127 });
    expect(midiEvent([0xf0, 0x7f, 1, 2, 1, 1, 0xf7])).toBeNull();
    expect(midiEvent([0xf8])).toBeNull();
    expect(midiEvent([0xa0, 60, 10])).toBeNull();
    expect(midiEvent([0x90, 200, 10])).toBeNull();
  });
});

describe('MIDI control mappings', () => {
  it('buttons: note-on fires, note-off does not; a CC fires rising through 64 once; program change fires', () => {
    const c = new MidiControl([map('note', 1, 36, 'go'), map('cc', 2, 20, 'back'), map('program', 1, 9, 'panic'), map('note', 1, 37, 'restore')]);
    expect(c.receive([0x90, 36, 100], view('c1')).commands).toEqual([{ type: 'go' }]);
    expect(c.receive([0x80, 36, 0], view('c1')).commands).toEqual([]);
    expect(c.receive([0xb1, 20, 100], view('c1')).commands).toEqual([{ type: 'back' }]);
    expect(c.receive([0xb1, 20, 120], view('c1')).commands).toEqual([]); // still high
    expect(c.receive([0xb1, 20, 10], view('c1')).commands).toEqual([]); // released: re-armed
    expect(c.receive([0xb1, 20, 64], view('c1')).commands).toEqual([{ type: 'back' }]);
    expect(c.receive([0xc0, 9], view('c1')).commands).toEqual([{ type: 'panic', mode: 'black' }]);
    expect(c.receive([0x90, 37, 1], view('c1')).commands).toEqual([{ type: 'restore' }]);
    expect(c.receive([0x91, 36, 100], view('c1')).commands).toEqual([]); // another channel
  });

  it('fire cue N, standby up and down (clamped at the ends)', () => {
    const c = new MidiControl([map('note', 1, 40, 'fireCue', '2.5'), map('note', 1, 41, 'standbyUp'), map('note', 1, 42, 'standbyDown')]);
    expect(c.receive([0x90, 40, 127], view('c1')).commands).toEqual([{ type: 'fireCue', number: '2.5' }]);
    expect(c.receive([0x90, 42, 127], view('c1')).commands).toEqual([{ type: 'standby', cueId: 'c2' }]);
    expect(c.receive([0x90, 42, 127], view('c3')).commands).toEqual([]);
    expect(c.receive([0x90, 41, 127], view('c3')).commands).toEqual([{ type: 'standby', cueId: 'c2' }]);
    expect(c.receive([0x90, 41, 127], view('c1')).commands).toEqual([]);
    expect(c.receive([0x90, 42, 127], view(null)).commands).toEqual([{ type: 'standby', cueId: 'c1' }]);
  });

  it('faders: CC level to transition time, strength and master (0..1); the seed fader sets the seed', () => {
    const c = new MidiControl([map('cc', 1, 1, 'transitionTime'), map('cc', 1, 2, 'strength'), map('cc', 1, 3, 'master'), map('cc', 1, 4, 'seed')]);
    expect(c.receive([0xb0, 1, 127], view(null)).levels).toEqual({ transitionTime: 1 });
    expect(c.receive([0xb0, 2, 0], view(null)).levels).toEqual({ strength: 0 });
    expect(c.receive([0xb0, 3, 64], view(null)).levels).toEqual({ master: 64 / 127 });
    expect(c.receive([0xb0, 4, 42], view(null)).commands).toEqual([{ type: 'setSeed', seed: 42 }]);
  });

  it('faders send the faders commands: master, strength, transition time over 0 to 10 s; all valid under the contract', () => {
    const c = new MidiControl([map('cc', 1, 1, 'transitionTime'), map('cc', 1, 2, 'strength'), map('cc', 1, 3, 'master')]);
    const sent = [
      ...c.receive([0xb0, 1, 127], view(null)).commands,
      ...c.receive([0xb0, 1, 0], view(null)).commands,
      ...c.receive([0xb0, 2, 127], view(null)).commands,
      ...c.receive([0xb0, 3, 64], view(null)).commands,
      ...c.receive([0x90, 3, 64], view(null)).commands, // a note on the fader's number: not the fader
    ];
    expect(sent).toEqual([
      { type: 'setTransitionTime', durationMs: MIDI_TRANSITION_MAX_MS },
      { type: 'setTransitionTime', durationMs: 0 },
      { type: 'setStrength', strength: 1 },
      { type: 'setMasterLevel', level: 64 / 127 },
    ]);
    expect(MIDI_TRANSITION_MAX_MS).toBe(10_000);
    for (const command of sent) expect(commandSchema.safeParse(command).success).toBe(true);
  });

  it('learn: the next control moved binds to the action (a release does not), replacing its old binding', () => {
    const c = new MidiControl([map('note', 1, 36, 'back')]);
    c.learn('go');
    expect(c.learningAction).toBe('go');
    expect(c.receive([0x80, 36, 0], view('c1'))).toEqual({ commands: [], levels: {} });
    const step = c.receive([0x90, 36, 90], view('c1'));
    expect(step.learned).toEqual(map('note', 1, 36, 'go'));
    expect(step.commands).toEqual([]); // the learning press does not also fire
    expect(c.bindings).toEqual([map('note', 1, 36, 'go')]);
    expect(c.receive([0x90, 36, 90], view('c1')).commands).toEqual([{ type: 'go' }]);
    c.learn('fireCue', '3');
    expect(c.receive([0xb4, 70, 127], view('c1')).learned).toEqual(map('cc', 5, 70, 'fireCue', '3'));
    expect(c.receive([0xb4, 70, 127], view('c1')).commands).toEqual([]); // learned high: needs a fresh rise
    c.receive([0xb4, 70, 0], view('c1'));
    expect(c.receive([0xb4, 70, 127], view('c1')).commands).toEqual([{ type: 'fireCue', number: '3' }]);
  });

  it('learn says what it waits for (fireCue: its cue), cancel binds nothing; remove drops one control and re-arms its LED', () => {
    const c = new MidiControl([map('note', 1, 36, 'go'), map('cc', 2, 7, 'master')]);
    c.learn('fireCue', '2.5');
    expect([c.learningAction, c.learningCue]).toEqual(['fireCue', '2.5']);
    c.cancelLearn();
    expect([c.learningAction, c.learningCue]).toEqual([null, null]);
    expect(c.receive([0x90, 50, 100], view('c1'))).toEqual({ commands: [], levels: {} });
    expect(c.bindings).toHaveLength(2);
    expect(c.feedback(view('c1'), true)).toEqual([[0x90, 36, 127]]);
    expect(c.remove({ kind: 'note', channel: 1, number: 36 })).toBe(true);
    expect(c.remove({ kind: 'note', channel: 1, number: 36 })).toBe(false);
    expect(c.remove({ kind: 'cc', channel: 1, number: 7 })).toBe(false); // another channel
    expect(c.bindings).toEqual([map('cc', 2, 7, 'master')]);
    expect(c.receive([0x90, 36, 100], view('c1')).commands).toEqual([]);
    // Bound again later: its LED value is sent again, though it was 127 when removed.
    c.learn('go');
    c.receive([0x90, 36, 100], view('c1'));
    expect(c.feedback(view('c1'))).toEqual([[0x90, 36, 127]]);
  });

  it('every command it sends is valid under the contract', () => {
    const c = new MidiControl([
      map('note', 1, 1, 'go'),
      map('note', 1, 2, 'back'),
      map('note', 1, 3, 'panic'),
      map('note', 1, 4, 'restore'),
      map('note', 1, 5, 'fireCue', '2.5'),
      map('note', 1, 6, 'standbyDown'),
      map('cc', 1, 7, 'seed'),
    ]);
    const commands = [1, 2, 3, 4, 5, 6].flatMap((n) => c.receive([0x90, n, 127], view('c1')).commands).concat(c.receive([0xb0, 7, 99], view('c1')).commands);
    expect(commands).toHaveLength(7);
    for (const command of commands) expect(commandSchema.safeParse(command).success).toBe(true);
  });
});

describe('LED feedback, byte for byte', () => {
  const c = () =>
    new MidiControl([
      map('note', 1, 40, 'fireCue', '1'),
      map('note', 1, 41, 'fireCue', '2.5'),
      map('cc', 10, 64, 'panic'),
      map('note', 2, 36, 'go'),
      map('cc', 1, 7, 'master'),
      map('program', 1, 3, 'restore'),
    ]);

  it('all at once for a controller that connects: the standby cue lit, panic and GO as they are; faders and program changes get none', () => {
    expect(c().feedback(view('c2'), true)).toEqual([
      [0x90, 40, 0],
      [0x90, 41, 127],
      [0xb9, 64, 0],
      [0x91, 36, 127],
    ]);
  });

  it('then only changes: standby moves, panic on and off, no standby left', () => {
    const control = c();
    control.feedback(view('c1'), true);
    expect(control.feedback(view('c1'))).toEqual([]);
    expect(control.feedback(view('c2'))).toEqual([
      [0x90, 40, 0],
      [0x90, 41, 127],
    ]);
    expect(control.feedback(view('c2', true))).toEqual([[0xb9, 64, 127]]);
    expect(control.feedback(view('c2', false))).toEqual([[0xb9, 64, 0]]);
    expect(control.feedback(view(null))).toEqual([
      [0x90, 41, 0],
      [0x91, 36, 0],
    ]);
  });
});
