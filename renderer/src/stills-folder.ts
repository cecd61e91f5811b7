/**
 * Where this console saves stills (an absolute folder on the engine's machine, kept
 * in this browser's storage) and the last still's outcome, shared by the key (C,
 * App.tsx) and the panel (ViewerPanel.tsx).
 */
import type { EngineStore } from './engine-store.js';

const FOLDER_KEY = 'cyclorama.stillsFolder';

export type StillOutcome = { ok: true; path: string; width: number; height: number } | { ok: false; message: string } | { ok: null; message: string };

let outcome: StillOutcome | null = null;
const listeners = new Set<() => void>();

export function stillsFolder(): string {
  try {
    return localStorage.getItem(FOLDER_KEY) ?? '';
  } catch {
    return '';
  }
}

export function setStillsFolder(folder: string): void {
  try {
    localStorage.setItem(FOLDER_KEY, folder);
  } catch {
    // Storage off (a private window): the folder lasts until reload.
  }
}

export function lastStill(): StillOutcome | null {
  return outcome;
}

export function subscribeStill(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

function report(next: StillOutcome): void {
  outcome = next;
  for (const listener of listeners) listener();
}

/** Saves a still of the program into the chosen folder; the outcome goes to the panel. */
export async function saveStill(store: EngineStore): Promise<void> {
  const folder = stillsFolder().trim();
  if (!folder) return report({ ok: false, message: 'Choose a stills folder first (Stills & preview link panel).' });
  report({ ok: null, message: 'Saving a still…' });
  const result = await store.send({ type: 'saveStill', folder });
  const still = result.ok ? result.data?.still : undefined;
  if (still) report({ ok: true, path: still.path, width: still.width, height: still.height });
  else report({ ok: false, message: result.ok ? 'The engine saved no still.' : result.error.message });
}
