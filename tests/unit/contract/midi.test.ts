/** The MIDI learn commands at the receiving edge (contract/midi.ts): what is taken, what is refused and why. */
import { describe, expect, it } from 'vitest';
import { commandSchema } from '../../../app/contract/commands.js';
import { isMidiCommand } from '../../../app/contract/midi.js';

const parse = (raw: unknown) => commandSchema.safeParse(raw);

describe('MIDI learn commands', () => {
  it('takes learn for every action, fireCue with its cue; ports with the output optional (none)', () => {
    for (const action of ['go', 'back', 'panic', 'restore', 'standbyUp', 'standbyDown', 'transitionTime', 'strength', 'seed', 'master']) {
      expect(parse({ type: 'midiLearn', action }).success).toBe(true);
    }
    expect(parse({ type: 'midiLearn', action: 'fireCue', cue: '2.5' }).data).toEqual({ type: 'midiLearn', action: 'fireCue', cue: '2.5' });
    expect(parse({ type: 'setMidiPorts', input: 'Launchpad' }).data).toEqual({ type: 'setMidiPorts', input: 'Launchpad', output: '' });
    expect(parse({ type: 'midiRemoveMapping', kind: 'cc', channel: 16, number: 127 }).success).toBe(true);
    for (const type of ['listMidiPorts', 'midiCancelLearn']) expect(parse({ type }).success).toBe(true);
  });

  it('refuses fireCue without a cue, an unknown action, a channel outside 1-16, naming the field', () => {
    const noCue = parse({ type: 'midiLearn', action: 'fireCue' });
    expect(noCue.success).toBe(false);
    expect(noCue.error?.issues[0]).toMatchObject({ path: ['cue'], message: 'fireCue needs the cue number to fire (cue)' });
    expect(parse({ type: 'midiLearn', action: 'crossfade' }).error?.issues[0]?.path).toEqual(['action']);
    expect(parse({ type: 'midiRemoveMapping', kind: 'note', channel: 0, number: 60 }).error?.issues[0]?.path).toEqual(['channel']);
  });

  it('tells the control plane its commands from the rest', () => {
    expect(isMidiCommand({ type: 'midiLearn', action: 'go' })).toBe(true);
    expect(isMidiCommand({ type: 'go' })).toBe(false);
    expect(isMidiCommand({ type: 'rotateToken' })).toBe(false);
  });
});
