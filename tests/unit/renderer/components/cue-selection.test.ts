/**
 * The cue list's selection, drop index and typed cue number (renderer/src/components/cue-selection.ts):
 * pure functions, no DOM.
 */
import { describe, expect, it } from 'vitest';
import { dropIndex, NO_SELECTION, reconcileSelection, selectClick, selectOnly, selectStep, typeCueNumber } from '../../../../renderer/src/components/cue-selection.js';

const order = ['c1', 'c2', 'c3', 'c4', 'c5'];

describe('selection', () => {
  it('plain click selects one, Shift-click a range from the anchor, Ctrl-click toggles', () => {
    let s = selectClick(NO_SELECTION, order, 'c2', { shift: false, toggle: false });
    expect(s).toEqual({ ids: ['c2'], anchor: 'c2', focus: 'c2' });
    s = selectClick(s, order, 'c4', { shift: true, toggle: false });
    expect(s.ids).toEqual(['c2', 'c3', 'c4']);
    s = selectClick(s, order, 'c1', { shift: false, toggle: true });
    expect(s.ids).toEqual(['c1', 'c2', 'c3', 'c4']);
    s = selectClick(s, order, 'c3', { shift: false, toggle: true });
    expect(s.ids).toEqual(['c1', 'c2', 'c4']);
    // Shift-click upwards from the anchor.
    expect(selectClick(selectOnly('c4'), order, 'c2', { shift: true, toggle: false }).ids).toEqual(['c2', 'c3', 'c4']);
  });

  it('arrows move the focus within the list; Shift extends from the anchor and shrinks back', () => {
    expect(selectStep(NO_SELECTION, order, 1, false).focus).toBe('c1');
    expect(selectStep(NO_SELECTION, order, -1, false).focus).toBe('c5');
    expect(selectStep(selectOnly('c5'), order, 1, false).focus).toBe('c5');
    let s = selectStep(selectOnly('c2'), order, 1, true);
    expect(s).toEqual({ ids: ['c2', 'c3'], anchor: 'c2', focus: 'c3' });
    s = selectStep(s, order, 1, true);
    expect(s.ids).toEqual(['c2', 'c3', 'c4']);
    s = selectStep(s, order, -1, true);
    expect(s.ids).toEqual(['c2', 'c3']);
    expect(selectStep(s, order, 1, false)).toEqual(selectOnly('c4'));
  });

  it('drops cues that are gone (undo, another console) and keeps the rest', () => {
    const s = reconcileSelection({ ids: ['c2', 'c9'], anchor: 'c9', focus: 'c9' }, order);
    expect(s).toEqual({ ids: ['c2'], anchor: 'c2', focus: 'c2' });
    const same = selectOnly('c3');
    expect(reconcileSelection(same, order)).toBe(same);
  });
});

describe('dropIndex (moveCue takes the index in the list without the moved cue)', () => {
  it('dropping above or below a row', () => {
    expect(dropIndex(3, 0, false)).toBe(0); // 4th cue onto the top of the first: first
    expect(dropIndex(0, 2, false)).toBe(1); // first cue above the third: second
    expect(dropIndex(0, 2, true)).toBe(2); // first cue below the third: third
    expect(dropIndex(2, 2, true)).toBe(2); // onto itself: stays
  });
});

describe('typeCueNumber', () => {
  it('builds a number from digits and one point; Backspace corrects; other keys are not part of it', () => {
    let t = '';
    for (const key of ['1', '2', '.', '5']) t = typeCueNumber(t, key) ?? t;
    expect(t).toBe('12.5');
    expect(typeCueNumber(t, '.')).toBeNull();
    expect(typeCueNumber(t, 'Backspace')).toBe('12.');
    expect(typeCueNumber('', '.')).toBeNull();
    expect(typeCueNumber('', 'Backspace')).toBeNull();
    expect(typeCueNumber('3', 'Enter')).toBeNull();
    expect(typeCueNumber('123456789012', '3')).toBe('123456789012');
  });
});
