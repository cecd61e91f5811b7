/**
 * Undo history with labels (issue 16): each step says what Undo and Redo will do,
 * the labels move with their documents through undo/redo and fall off with them.
 */
import { describe, expect, it } from 'vitest';
import { historyOf, record, recordLabelled, redo, redoLabel, undo, undoLabel } from '../../../app/show/history.js';

describe('labelled undo history', () => {
  it('names the next undo and redo, through undo, redo and a new edit', () => {
    let h = historyOf('empty');
    expect(undoLabel(h)).toBeNull();
    h = recordLabelled(h, 'one cue', 'add cue 1');
    h = recordLabelled(h, 'no cue', 'delete cue 1');
    expect(undoLabel(h)).toBe('delete cue 1');
    expect(redoLabel(h)).toBeNull();
    h = undo(h);
    expect(h.present).toBe('one cue');
    expect(undoLabel(h)).toBe('add cue 1');
    expect(redoLabel(h)).toBe('delete cue 1');
    h = undo(h);
    expect(undoLabel(h)).toBeNull();
    expect(redoLabel(h)).toBe('add cue 1');
    h = redo(h);
    expect(undoLabel(h)).toBe('add cue 1');
    expect(redoLabel(h)).toBe('delete cue 1');
    h = recordLabelled(h, 'renamed', 'rename show to "Gig"');
    expect(redoLabel(h)).toBeNull();
    expect(undoLabel(h)).toBe('rename show to "Gig"');
  });

  it('drops the oldest labels with the oldest documents', () => {
    let h = historyOf(0);
    for (let i = 1; i <= 50; i++) h = recordLabelled(h, i, `edit ${i}`, 10);
    expect(h.past).toHaveLength(10);
    expect(h.pastLabels).toEqual(Array.from({ length: 10 }, (_, i) => `edit ${41 + i}`));
    for (let i = 0; i < 10; i++) h = undo(h);
    expect(h.present).toBe(40);
    expect(redoLabel(h)).toBe('edit 41');
  });

  it('an unlabelled record is named plainly "edit"', () => {
    expect(undoLabel(record(historyOf(1), 2))).toBe('edit');
  });
});
