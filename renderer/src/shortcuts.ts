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
  | 'hotkeyMap'
  | 'leaveTextField'
  | 'timelineZoomIn'
  | 'timelineZoomOut'
  | 'keyframeNudge'
  | 'keyframeNudgeCoarse'
  | 'keyframeEdit'
  | 'keyframeDelete'
  | 'newCue'
  | 'fireByNumber'
  | 'cueSelect'
  | 'cueSelectExtend'
  | 'cueStandby'
  | 'cueMoveUp'
  | 'cueMoveDown'
  | 'still';

/**
 * Where a key works. 'console': anywhere outside a text field, bound by useShortcuts below.
 * The others are bound by their component while focus is inside it (the timeline's keys only
 * when the timeline has focus, so ← → never move a keyframe by surprise). 'cue list': keys the cue list
 * reads itself (digits, arrows on its rows, modified keys); the global handler leaves them to it (useKeyClaim).
 */
export type ShortcutScope = 'console' | 'text field' | 'timeline' | 'focused keyframe' | 'cue list';

export interface ShortcutDef {
  /** KeyboardEvent.code values that trigger it (layout-independent for letters). */
  codes: readonly string[];
  /** KeyboardEvent.key values that trigger it, checked before codes (for "?", whose code is Slash). */
  keys?: readonly string[];
  /** What the key cap on the button shows. */
  label: string;
  /** What it does, in the operator's words: the hotkey map ("?") lists it. */
  description: string;
  /** Where it works; 'console' when absent. */
  scope?: ShortcutScope;
}

export const SHORTCUTS: Record<ShortcutAction, ShortcutDef> = {
  go: { codes: ['Space'], label: 'Space', description: 'GO: fire the standby cue' },
  black: { codes: ['KeyB'], label: 'B', description: 'Panic: fade the wall to black' },
  freeze: { codes: ['KeyF'], label: 'F', description: 'Panic: freeze the picture on the wall' },
  restore: { codes: ['KeyR'], label: 'R', description: 'Restore the picture after a panic' },
  focusPrompt: { codes: ['KeyP', 'Slash'], label: 'P', description: 'Type a prompt (Enter takes it)' },
  focusSeed: { codes: ['KeyS'], label: 'S', description: 'Edit the seed' },
  // Show control: BACK fires the previous cue; the arrows move the standby without firing.
  back: { codes: ['Backspace'], label: '⌫', description: 'BACK: fire the previous cue' },
  safePlate: { codes: ['KeyX'], label: 'X', description: 'Panic: show the safe plate' },
  standbyPrevious: { codes: ['ArrowUp'], label: '↑', description: 'Standby the previous cue (does not fire)' },
  standbyNext: { codes: ['ArrowDown'], label: '↓', description: 'Standby the next cue (does not fire)' },
  // Show-ready preflight (K for "check").
  preflight: { codes: ['KeyK'], label: 'K', description: 'Run the show-ready preflight' },
  hotkeyMap: { codes: [], keys: ['?'], label: '?', description: 'Show this list of keys (Esc closes it)' },
  leaveTextField: { codes: ['Escape'], label: 'Esc', description: 'Leave a text field: the keys above work again', scope: 'text field' },
  timelineZoomIn: { codes: ['Equal', 'NumpadAdd'], label: '+', description: 'Zoom the timeline in (or Ctrl+wheel)', scope: 'timeline' },
  timelineZoomOut: { codes: ['Minus', 'NumpadSubtract'], label: '−', description: 'Zoom the timeline out (or Ctrl+wheel)', scope: 'timeline' },
  keyframeNudge: { codes: ['ArrowLeft', 'ArrowRight'], label: '← →', description: 'Move the keyframe 0.1 s earlier / later', scope: 'focused keyframe' },
  keyframeNudgeCoarse: { codes: ['ArrowLeft', 'ArrowRight'], label: 'Shift ← →', description: 'Move the keyframe 1 s earlier / later', scope: 'focused keyframe' },
  keyframeEdit: { codes: ['Enter'], label: 'Enter', description: 'Edit the keyframe (prompt, time, seed, input)', scope: 'focused keyframe' },
  keyframeDelete: { codes: ['Delete'], label: 'Del', description: 'Delete the keyframe (asks first)', scope: 'focused keyframe' },
  // Cue list (CueList.tsx). N: a new cue after the selected one, its prompt focused in the inspector.
  newCue: { codes: ['KeyN'], label: 'N', description: 'New cue after the selected one (Ctrl+Enter too)' },
  // Fire by number: type the number, Enter fires it; Esc clears it; ⌫ corrects it. Space stays GO.
  fireByNumber: { codes: [], label: '0-9 ⏎', scope: 'cue list', description: 'Type a cue number, Enter fires it (Esc clears)' },
  // With focus on a cue row (one Tab stop): ↑/↓ select, Shift+↑/↓ extend, Enter puts the cue on standby (GO fires it).
  cueSelect: { codes: [], label: '↑ ↓', scope: 'cue list', description: 'Select the previous / next cue (focus in the cue list)' },
  cueSelectExtend: { codes: [], label: 'Shift+↑ ↓', scope: 'cue list', description: 'Extend the selection (Shift/Ctrl-click too)' },
  cueStandby: { codes: [], label: '⏎', scope: 'cue list', description: 'Put the focused cue on standby' },
  cueMoveUp: { codes: [], label: 'Alt+↑', scope: 'cue list', description: 'Move the selected cue up (drag too)' },
  cueMoveDown: { codes: [], label: 'Alt+↓', scope: 'cue list', description: 'Move the selected cue down' },
  // Stills (ViewerPanel.tsx): a full-resolution PNG of the program into the stills folder (C for "capture").
  still: { codes: ['KeyC'], label: 'C', description: 'Save a still of the program (PNG, into the stills folder)' },
};

/** Whether a key event triggers the shortcut (for the component-scoped keys). */
export function matches(action: ShortcutAction, event: { code: string; key: string }): boolean {
  const def = SHORTCUTS[action];
  return (def.keys?.includes(event.key) ?? false) || def.codes.includes(event.code);
}

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

/** The console-wide action for a key: a KeyboardEvent.key match ("?") wins over a code match (Slash). */
function actionFor(event: { code: string; key: string }): ShortcutAction | undefined {
  const global = (Object.entries(SHORTCUTS) as [ShortcutAction, ShortcutDef][]).filter(([, def]) => (def.scope ?? 'console') === 'console');
  return global.find(([, def]) => def.keys?.includes(event.key))?.[0] ?? global.find(([, def]) => def.codes.includes(event.code))?.[0];
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
      const action = actionFor(event);
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
