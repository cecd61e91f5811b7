/**
 * Undo/redo of show edits: a pure, bounded history of whole documents. Show
 * documents are immutable values (every edit returns a new object), so keeping
 * the old ones costs only what changed structurally.
 *
 * Every step carries a label made where the edit was applied ("delete cue 3"),
 * so Undo and Redo can say what they will do: `pastLabels[i]` names the edit
 * that went from `past[i]` to the next document, `futureLabels[i]` the edit
 * that `future[i]` redoes.
 */

/** Edits kept for undo; older ones fall off. */
export const HISTORY_LIMIT = 200;

export interface History<T> {
  past: readonly T[];
  present: T;
  future: readonly T[];
  pastLabels: readonly string[];
  futureLabels: readonly string[];
}

export function historyOf<T>(present: T): History<T> {
  return { past: [], present, future: [], pastLabels: [], futureLabels: [] };
}

/** Records a new present; the redo branch is dropped. */
export function record<T>(history: History<T>, next: T, limit = HISTORY_LIMIT): History<T> {
  return recordLabelled(history, next, 'edit', limit);
}

/** The same, naming the edit for the Undo button ("delete cue 3"). */
export function recordLabelled<T>(history: History<T>, next: T, label: string, limit = HISTORY_LIMIT): History<T> {
  if (next === history.present) return history;
  const past = [...history.past, history.present];
  const pastLabels = [...history.pastLabels, label];
  const drop = Math.max(0, past.length - limit);
  return { past: past.slice(drop), present: next, future: [], pastLabels: pastLabels.slice(drop), futureLabels: [] };
}

export function undo<T>(history: History<T>): History<T> {
  const previous = history.past.at(-1);
  if (history.past.length === 0) return history;
  return {
    past: history.past.slice(0, -1),
    present: previous as T,
    future: [history.present, ...history.future],
    pastLabels: history.pastLabels.slice(0, -1),
    futureLabels: [history.pastLabels.at(-1) ?? 'edit', ...history.futureLabels],
  };
}

export function redo<T>(history: History<T>): History<T> {
  if (history.future.length === 0) return history;
  const [next, ...rest] = history.future;
  const [label, ...restLabels] = history.futureLabels;
  return { past: [...history.past, history.present], present: next as T, future: rest, pastLabels: [...history.pastLabels, label ?? 'edit'], futureLabels: restLabels };
}

/** What Undo would undo, or null when there is nothing. */
export function undoLabel<T>(history: History<T>): string | null {
  return history.past.length > 0 ? (history.pastLabels.at(-1) ?? 'edit') : null;
}

/** What Redo would redo, or null when there is nothing. */
export function redoLabel<T>(history: History<T>): string | null {
  return history.future.length > 0 ? (history.futureLabels[0] ?? 'edit') : null;
}
