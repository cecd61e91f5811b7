/**
 * Cue-list edits of the show document (app/show/show-edit.ts): where an inserted cue's
 * number lands, renumbering (selected or all, start and step, clashes refused), one edit
 * of several cues, and the timecode trigger in a cue patch.
 */
import { describe, expect, it } from 'vitest';
import { commandSchema, type CommandInput } from '../../../app/contract/commands.js';
import { showSchema, type Show } from '../../../app/contract/show.js';
import { applyEdit, formatCueNumber, insertedCueNumber, isEditCommand, type EditCommand } from '../../../app/show/show-edit.js';
import { emptyShow } from '../../../app/show/show-file.js';

const onAir = { prompt: 'on the wall', seed: 9, params: {} };

function edit(input: CommandInput): EditCommand {
  const command = commandSchema.parse(input);
  if (!isEditCommand(command)) throw new Error(`${command.type} is not an edit`);
  return command;
}

function showWith(numbers: string[]): Show {
  return showSchema.parse({
    ...emptyShow('Test'),
    cues: numbers.map((number, i) => ({ id: `c${i + 1}`, number, look: { prompt: `look ${number}`, seed: i }, transition: { durationMs: 1000 } })),
  });
}

const numbersOf = (show: Show) => show.cues.map((c) => c.number);

function applied(show: Show, input: CommandInput): Show {
  const result = applyEdit(show, edit(input), onAir);
  if (!result.ok) throw new Error(`${result.field}: ${result.message}`);
  return result.show;
}

describe('numbers of inserted cues', () => {
  it('inserting after cue 2 of 1, 2, 3 makes 2.5, never a 4 or 5 between 2 and 3', () => {
    const show = applied(showWith(['1', '2', '3']), { type: 'addCue', afterCueId: 'c2' });
    expect(numbersOf(show)).toEqual(['1', '2', '2.5', '3']);
  });

  it('takes the next free decimal when the middle is taken, and the next whole number when it fits', () => {
    expect(insertedCueNumber(showWith(['2', '2.5', '3']).cues, 1)).toBe('2.3');
    expect(insertedCueNumber(showWith(['2', '2.5', '3']).cues, 2)).toBe('2.8');
    expect(insertedCueNumber(showWith(['1', '5']).cues, 1)).toBe('2');
    expect(insertedCueNumber(showWith(['1', '2']).cues, 2)).toBe('3');
    expect(insertedCueNumber(showWith([]).cues, 0)).toBe('1');
    expect(insertedCueNumber(showWith(['1', '1.001']).cues, 1)).toBe('2');
  });

  it('appends at the end with the next whole number, as before', () => {
    const show = applied(showWith(['1', '2']), { type: 'addCue' });
    expect(numbersOf(show)).toEqual(['1', '2', '3']);
  });

  it('formats numbers without float noise', () => {
    expect(formatCueNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatCueNumber(10)).toBe('10');
  });
});

describe('renumberCues', () => {
  it('renumbers all cues from start by step in list order, as one edit', () => {
    const show = applied(showWith(['1', '2', '2.5', '3']), { type: 'renumberCues', start: 10, step: 10 });
    expect(numbersOf(show)).toEqual(['10', '20', '30', '40']);
    expect(show.cues.map((c) => c.id)).toEqual(['c1', 'c2', 'c3', 'c4']);
  });

  it('renumbers only the selected cues, in list order whatever order they were named in', () => {
    const show = applied(showWith(['1', '2', '2.5', '3', '7']), { type: 'renumberCues', cueIds: ['c4', 'c3'], start: 3, step: 1 });
    expect(numbersOf(show)).toEqual(['1', '2', '3', '4', '7']);
  });

  it('allows decimal steps', () => {
    const show = applied(showWith(['1', '2', '3']), { type: 'renumberCues', start: 1, step: 0.1 });
    expect(numbersOf(show)).toEqual(['1', '1.1', '1.2']);
  });

  it('refuses a number another cue keeps, naming the clash, and changes nothing', () => {
    const show = showWith(['1', '2', '3']);
    const result = applyEdit(show, edit({ type: 'renumberCues', cueIds: ['c1'], start: 3, step: 1 }), onAir);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.field).toBe('start');
    expect(result.message).toMatch(/two cues the number "3"/);
    expect(numbersOf(show)).toEqual(['1', '2', '3']);
  });

  it('refuses an unknown cue and a step of 0 (the schema)', () => {
    expect(applyEdit(showWith(['1']), edit({ type: 'renumberCues', cueIds: ['c9'], start: 1, step: 1 }), onAir)).toMatchObject({ ok: false, field: 'cueId' });
    expect(commandSchema.safeParse({ type: 'renumberCues', start: 1, step: 0 }).success).toBe(false);
  });
});

describe('updateCues', () => {
  it('changes transition and continue mode of every named cue in one edit, and no other cue', () => {
    const show = applied(showWith(['1', '2', '3']), {
      type: 'updateCues',
      cueIds: ['c1', 'c3'],
      patch: { transition: { durationMs: 500, curve: 'linear' }, continueMode: 'auto-follow' },
    });
    expect(show.cues.map((c) => [c.transition.durationMs, c.continueMode])).toEqual([
      [500, 'auto-follow'],
      [1000, 'none'],
      [500, 'auto-follow'],
    ]);
    // Looks stay as they were.
    expect(show.cues.map((c) => c.look.prompt)).toEqual(['look 1', 'look 2', 'look 3']);
  });

  it('cannot set a number (numbers are unique) and refuses an unknown cue', () => {
    expect(commandSchema.parse({ type: 'updateCues', cueIds: ['c1', 'c2'], patch: { number: '5' } })).toMatchObject({ patch: {} });
    expect(applyEdit(showWith(['1']), edit({ type: 'updateCues', cueIds: ['c1', 'c7'], patch: { notes: 'x' } }), onAir)).toMatchObject({ ok: false, field: 'cueId' });
  });
});

describe('updateCue', () => {
  it('sets and removes the timecode trigger and the notes', () => {
    let show = applied(showWith(['1']), { type: 'updateCue', cueId: 'c1', patch: { triggerTimecode: '00:01:00:00', notes: 'wait for the actor' } });
    expect(show.cues[0]).toMatchObject({ triggerTimecode: '00:01:00:00', notes: 'wait for the actor' });
    show = applied(show, { type: 'updateCue', cueId: 'c1', patch: { triggerTimecode: null } });
    expect(show.cues[0]?.triggerTimecode).toBeUndefined();
  });

  it('turns "record while this cue is on" on and off (off removes the field: absent = off, as v4 files)', () => {
    let show = applied(showWith(['1', '2']), { type: 'updateCue', cueId: 'c2', patch: { recordWhileOn: true } });
    expect(show.cues.map((c) => c.recordWhileOn)).toEqual([undefined, true]);
    show = applied(show, { type: 'updateCue', cueId: 'c2', patch: { recordWhileOn: false } });
    expect('recordWhileOn' in (show.cues[1] ?? {})).toBe(false);
  });

  it('refuses a number another cue has', () => {
    const result = applyEdit(showWith(['1', '2']), edit({ type: 'updateCue', cueId: 'c2', patch: { number: '1' } }), onAir);
    expect(result).toMatchObject({ ok: false, field: 'cues.1.number' });
  });
});
