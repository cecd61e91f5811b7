/**
 * Show edits named in words for Undo/Redo (issue 16: "Undo: delete cue 3"), made
 * where the edit is applied: applyEdit returns the label, from the show before it.
 */
import { describe, expect, it } from 'vitest';
import { commandSchema, type CommandInput } from '../../../app/contract/commands.js';
import type { Show, ShowLook } from '../../../app/contract/show.js';
import { applyEdit, type EditCommand } from '../../../app/show/show-edit.js';
import { emptyShow } from '../../../app/show/show-file.js';

const onAir: ShowLook = { prompt: 'on air', seed: 1, params: {} };
const edit = (input: CommandInput) => commandSchema.parse(input) as EditCommand;

function apply(show: Show, input: CommandInput): { show: Show; label: string | undefined } {
  const result = applyEdit(show, edit(input), onAir);
  if (!result.ok) throw new Error(result.message);
  return { show: result.show, label: result.label };
}

function threeCues(): Show {
  let show = emptyShow('Gig');
  for (const name of ['harbour', 'storm', 'night city']) show = apply(show, { type: 'addCue', patch: { name } }).show;
  return show;
}

describe('edit labels', () => {
  it('names the cue by the number and name it had, for every cue edit', () => {
    const show = threeCues();
    const [c1, c2, c3] = show.cues;
    expect(apply(emptyShow(), { type: 'addCue' }).label).toBe('add cue 1');
    expect(apply(show, { type: 'addCue', patch: { name: 'dawn' } }).label).toBe('add cue 4 "dawn"');
    expect(apply(show, { type: 'deleteCue', cueId: c3!.id }).label).toBe('delete cue 3 "night city"');
    expect(apply(show, { type: 'updateCue', cueId: c2!.id, patch: { prompt: 'thunder', transition: { durationMs: 0, curve: 'linear' } } }).label).toBe(
      'edit cue 2 "storm" (prompt, transition)',
    );
    expect(apply(show, { type: 'updateCue', cueId: c1!.id, patch: { number: '0.5' } }).label).toBe('renumber cue 1 to 0.5');
    expect(apply(show, { type: 'moveCue', cueId: c1!.id, toIndex: 2 }).label).toBe('move cue 1 "harbour"');
  });

  it('names keyframe, timeline and show edits', () => {
    let show = emptyShow('Gig');
    const added = apply(show, { type: 'addKeyframe', timeMs: 2000 });
    expect(added.label).toBe('add keyframe at 2.0 s');
    show = added.show;
    const id = show.timeline.keyframes[0]!.id;
    expect(apply(show, { type: 'updateKeyframe', keyframeId: id, patch: { prompt: 'x' } }).label).toBe('edit keyframe at 2.0 s (prompt)');
    expect(apply(show, { type: 'deleteKeyframe', keyframeId: id }).label).toBe('delete keyframe at 2.0 s');
    expect(apply(show, { type: 'updateTimeline', loop: true }).label).toBe('timeline loop on');
    expect(apply(show, { type: 'updateShow', name: 'Opening night' }).label).toBe('rename show to "Opening night"');
    expect(apply(show, { type: 'updateShow', settings: { panicGo: 'restore-and-fire' } }).label).toBe('show settings (panic GO)');
  });

  it('shortens a long cue name so the label fits on a button', () => {
    const show = apply(emptyShow(), { type: 'addCue', patch: { name: 'a very long cue name that goes on and on' } }).show;
    const label = apply(show, { type: 'deleteCue', cueId: show.cues[0]!.id }).label!;
    expect(label).toMatch(/^delete cue 1 "a very long cue name th…"$/);
  });
});

describe('updateShow settings', () => {
  it('changes only the settings given (zod must not fill the others in with defaults)', () => {
    let show = emptyShow('Gig');
    show = apply(show, { type: 'updateShow', settings: { safePlate: 'plate.png', goGuardMs: 800 } }).show;
    show = apply(show, { type: 'updateShow', settings: { panicGo: 'restore-and-fire' } }).show;
    expect(show.settings).toMatchObject({ safePlate: 'plate.png', goGuardMs: 800, panicGo: 'restore-and-fire' });
  });

  it('the settings patch knows every setting of the show file', async () => {
    const { showSettingsPatchSchema, showSettingsSchema } = await import('../../../app/contract/show.js');
    expect(Object.keys(showSettingsPatchSchema.shape).sort()).toEqual(Object.keys(showSettingsSchema.shape).sort());
  });
});
