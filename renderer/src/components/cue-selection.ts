/**
 * The cue list's selection and typed cue number, as pure functions of the list order
 * (CueList.tsx holds the state). Selection is the console's own (not the engine's):
 * the inspector edits what is selected; standby is the engine's and moves only on Enter
 * or GO. `focus` is the row with the one Tab stop (roving tabindex).
 */

export interface CueSelection {
  /** Selected cue ids, in list order. */
  ids: readonly string[];
  /** Where a Shift range starts. */
  anchor: string | null;
  /** The row that has the Tab stop and keyboard focus. */
  focus: string | null;
}

export const NO_SELECTION: CueSelection = { ids: [], anchor: null, focus: null };

const inOrder = (order: readonly string[], ids: Iterable<string>): string[] => {
  const set = new Set(ids);
  return order.filter((id) => set.has(id));
};

/** Only this cue. */
export function selectOnly(id: string): CueSelection {
  return { ids: [id], anchor: id, focus: id };
}

/** The cues from the anchor to `id` (Shift-click, Shift+arrow). */
export function selectRange(selection: CueSelection, order: readonly string[], id: string): CueSelection {
  const anchor = selection.anchor !== null && order.includes(selection.anchor) ? selection.anchor : id;
  const a = order.indexOf(anchor);
  const b = order.indexOf(id);
  if (b < 0) return selection;
  const [from, to] = a <= b ? [a, b] : [b, a];
  return { ids: order.slice(from, to + 1), anchor, focus: id };
}

/** Adds or removes one cue (Ctrl/Cmd-click). */
export function selectToggle(selection: CueSelection, order: readonly string[], id: string): CueSelection {
  const has = selection.ids.includes(id);
  const ids = has ? selection.ids.filter((x) => x !== id) : inOrder(order, [...selection.ids, id]);
  return { ids, anchor: id, focus: id };
}

/** A click with the modifiers held. */
export function selectClick(selection: CueSelection, order: readonly string[], id: string, mods: { shift: boolean; toggle: boolean }): CueSelection {
  if (mods.shift) return selectRange(selection, order, id);
  if (mods.toggle) return selectToggle(selection, order, id);
  return selectOnly(id);
}

/** ↑/↓ (step -1/+1) from the focused row; `extend` (Shift) grows the range from the anchor. */
export function selectStep(selection: CueSelection, order: readonly string[], step: number, extend: boolean): CueSelection {
  if (order.length === 0) return NO_SELECTION;
  const at = selection.focus === null ? -1 : order.indexOf(selection.focus);
  const index = at < 0 ? (step > 0 ? 0 : order.length - 1) : Math.min(Math.max(at + step, 0), order.length - 1);
  const id = order[index] as string;
  return extend ? selectRange(selection, order, id) : selectOnly(id);
}

/** The selection after the list changed (undo, another console): gone cues drop out. */
export function reconcileSelection(selection: CueSelection, order: readonly string[]): CueSelection {
  const ids = inOrder(order, selection.ids);
  const focus = selection.focus !== null && order.includes(selection.focus) ? selection.focus : (ids[0] ?? null);
  const anchor = selection.anchor !== null && order.includes(selection.anchor) ? selection.anchor : focus;
  if (ids.length === selection.ids.length && focus === selection.focus && anchor === selection.anchor) return selection;
  return { ids, anchor, focus };
}

/**
 * moveCue's target index for a drop: the cue at `from` dropped before (or, `after`, behind)
 * the row at `over`. moveCue takes the index in the list without the moved cue.
 */
export function dropIndex(from: number, over: number, after: boolean): number {
  const before = after ? over + 1 : over;
  return before > from ? before - 1 : before;
}

/** Longest typed cue number (cue numbers are at most 12 characters). */
const MAX_TYPED = 12;

/**
 * One key of fire-by-number: digits and one decimal point build the number; Backspace
 * takes the last character off. Returns the new text, or null when the key is not part
 * of a number.
 */
export function typeCueNumber(typed: string, key: string): string | null {
  if (/^[0-9]$/.test(key)) return typed.length < MAX_TYPED ? typed + key : typed;
  if (key === '.' && typed !== '' && !typed.includes('.')) return typed + key;
  if (key === 'Backspace' && typed !== '') return typed.slice(0, -1);
  return null;
}
