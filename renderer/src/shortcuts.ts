/**
 * Keyboard-first control. One table says which key does what; buttons read
 * their key caps from it, so what is printed is what works.
 *
 * Shortcuts fire only when focus is not in a text field (typing "b" in a prompt
 * must never black the wall). Esc in a text field hands the keys back.
 * Restore is R, not Esc: Esc is the reflex "get me out of here" key and must
 * never put a picture back on the wall after a panic.
 */
import { useEffect, useRef } from 'react';

export type ShortcutAction =
  | 'go'
  | 'black'
  | 'freeze'
  | 'restore'
  | 'focusPrompt'
  | 'focusSeed'
  | 'back'
  | 'safePlate'
  | 'standbyPrevious'
  | 'standbyNext'
  | 'preflight'
  | 'newCue'
  | 'fireByNumber'
  | 'cueSelect'
  | 'cueSelectExtend'
  | 'cueStandby'
  | 'cueMoveUp'
  | 'cueMoveDown';

export interface ShortcutDef {
  /** KeyboardEvent.code values that trigger it (layout-independent for letters). */
  codes: readonly string[];
  /** What the key cap on the button shows. */
  label: string;
  /**
   * Keys that act only with focus on a cue row ('cue list'), or that the cue list reads itself
   * (digits, modified keys): the global handler leaves them to it (useKeyClaim below).
   */
  scope?: 'cue list';
  /** What it does, in words, for the hotkey map. */
  help?: string;
}

export const SHORTCUTS: Record<ShortcutAction, ShortcutDef> = {
  go: { codes: ['Space'], label: 'Space' },
  black: { codes: ['KeyB'], label: 'B' },
  freeze: { codes: ['KeyF'], label: 'F' },
  restore: { codes: ['KeyR'], label: 'R' },
  focusPrompt: { codes: ['KeyP', 'Slash'], label: 'P' },
  focusSeed: { codes: ['KeyS'], label: 'S' },
  // Show control: BACK fires the previous cue; the arrows move the standby without firing.
  back: { codes: ['Backspace'], label: '⌫' },
  safePlate: { codes: ['KeyX'], label: 'X' },
  standbyPrevious: { codes: ['ArrowUp'], label: '↑' },
  standbyNext: { codes: ['ArrowDown'], label: '↓' },
  // Show-ready preflight (K for "check").
  preflight: { codes: ['KeyK'], label: 'K' },
  // Cue list (CueList.tsx). N: a new cue after the selected one, its prompt focused in the inspector.
  newCue: { codes: ['KeyN'], label: 'N', help: 'new cue after the selected one (Ctrl+Enter too)' },
  // Fire by number: type the number, Enter fires it; Esc clears it; ⌫ corrects it. Space stays GO.
  fireByNumber: { codes: [], label: '0-9 ⏎', scope: 'cue list', help: 'type a cue number, Enter fires it (Esc clears)' },
  // With focus on a cue row (one Tab stop): ↑/↓ select, Shift+↑/↓ extend, Enter puts the cue on standby (GO fires it).
  cueSelect: { codes: [], label: '↑ ↓', scope: 'cue list', help: 'select the previous / next cue (focus in the cue list)' },
  cueSelectExtend: { codes: [], label: 'Shift+↑ ↓', scope: 'cue list', help: 'extend the selection (Shift/Ctrl-click too)' },
  cueStandby: { codes: [], label: '⏎', scope: 'cue list', help: 'put the focused cue on standby' },
  cueMoveUp: { codes: [], label: 'Alt+↑', scope: 'cue list', help: 'move the selected cue up (drag too)' },
  cueMoveDown: { codes: [], label: 'Alt+↓', scope: 'cue list', help: 'move the selected cue down' },
};

/**
 * A component that reads some keys itself (the cue list: digits, arrows on its rows) claims them:
 * the global handler asks every claim first, and a claim that returns true has handled the key
 * (nothing else runs). Claims are asked only outside text fields.
 */
type KeyClaim = (event: KeyboardEvent) => boolean;
const claims = new Set<{ current: KeyClaim }>();

export function useKeyClaim(claim: KeyClaim): void {
  const latest = useRef(claim);
  latest.current = claim;
  useEffect(() => {
    const entry = latest;
    claims.add(entry);
    return () => void claims.delete(entry);
  }, []);
}

function claimed(event: KeyboardEvent): boolean {
  for (const claim of claims) {
    if (claim.current(event)) return true;
  }
  return false;
}

export function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'color'].includes(target.type);
  }
  return false;
}

function actionFor(code: string): ShortcutAction | undefined {
  for (const [action, def] of Object.entries(SHORTCUTS) as [ShortcutAction, ShortcutDef][]) {
    if (def.codes.includes(code)) return action;
  }
  return undefined;
}

/**
 * Installs the global key handler. `handlers` may change every render; the
 * listener reads the latest through a ref so it is installed once.
 */
export function useShortcuts(handlers: Partial<Record<ShortcutAction, () => void>>): void {
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (isTextField(event.target)) {
        if (event.key === 'Escape' && !event.ctrlKey && !event.metaKey && !event.altKey && event.target instanceof HTMLElement) event.target.blur();
        return;
      }
      if (claimed(event)) {
        event.preventDefault();
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const action = actionFor(event.code);
      if (!action) return;
      // Stop Space scrolling or "clicking" a focused button, and "/" opening find.
      event.preventDefault();
      // Holding a key must not fire GO or a panic fifty times.
      if (event.repeat) return;
      latest.current[action]?.();
    };
    // A focused <button> activates on Space *keyup*; swallow it so Space only ever means GO.
    const onKeyUp = (event: KeyboardEvent) => {
      if (event.code === 'Space' && !isTextField(event.target)) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    window.addEventListener('keyup', onKeyUp, { capture: true });
    return () => {
      window.removeEventListener('keydown', onKeyDown, { capture: true });
      window.removeEventListener('keyup', onKeyUp, { capture: true });
    };
  }, []);
}
