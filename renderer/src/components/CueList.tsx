/**
 * The cue list: standby highlighted (GO fires it), the live cue marked, and the inspector
 * for the selected cue(s) under it (CueEditor.tsx edits one cue, MultiCueEditor.tsx several),
 * which edits without taking anything live.
 *
 * Keyboard (QLab-like; shortcuts.ts lists them for the hotkey map): the list is one Tab stop
 * (roving tabindex); with focus on a row ↑/↓ select, Shift+↑/↓ extend the selection,
 * Alt+↑/↓ move the cue, Enter puts the focused cue on standby (it does not fire: Space is GO,
 * everywhere). N or Ctrl+Enter makes a new cue after the selection and focuses its prompt;
 * Esc in the inspector comes back to the row. Fire by number: type "3" then Enter (anywhere
 * outside a text field); the typed number shows in the header until Enter or Esc.
 * Every change is a command; the engine's state is the only truth shown.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type MouseEvent } from 'react';
import type { Cue, CuePatch, ShowStatus } from '../../../app/contract/index.js';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import { SHORTCUTS, useKeyClaim } from '../shortcuts.js';
import { CueEditor } from './CueEditor.js';
import { CueThumbnail } from './CueThumbnail.js';
import { Kbd } from './Kbd.js';
import { MultiCueEditor } from './MultiCueEditor.js';
import { RenumberForm } from './RenumberForm.js';
import { dropIndex, NO_SELECTION, reconcileSelection, selectClick, selectOnly, selectStep, typeCueNumber, type CueSelection } from './cue-selection.js';
import './show.css';
import './cue-list.css';

/** The cue a typed number names: the same text, else the same value ("03" is cue 3). */
function cueByNumber(cues: readonly Cue[], typed: string): Cue | undefined {
  const text = typed.replace(/\.$/, '');
  return cues.find((c) => c.number === text) ?? cues.find((c) => /^\d+(\.\d+)?$/.test(c.number) && Number(c.number) === Number(text));
}

/** A new cue starts from the selected cue's look (and transition), else from an empty prompt typed in the inspector. */
function newCuePatch(from: Cue | undefined): CuePatch {
  if (!from) return { prompt: '' };
  return {
    prompt: from.look.prompt,
    seed: from.look.seed,
    params: { ...from.look.params },
    ...(from.look.negativePrompt ? { negativePrompt: from.look.negativePrompt } : {}),
    ...(from.look.input ? { input: from.look.input } : {}),
    transition: { ...from.transition },
  };
}

function continueWords(cue: Cue): string {
  if (cue.continueMode === 'auto-follow') return '↧ follow';
  if (cue.continueMode === 'auto-continue') return '⤵ cont.';
  return '';
}

export function CueList({ onBack, disabled }: { onBack: () => void; disabled: boolean }) {
  const { store } = useEngine();
  const { state } = useConsoleSnapshot();
  const show: ShowStatus | undefined = state?.show;
  const cues = useMemo(() => show?.document.cues ?? [], [show?.document.cues]);
  const order = useMemo(() => cues.map((c) => c.id), [cues]);
  const [rawSelection, setSelection] = useState<CueSelection>(NO_SELECTION);
  const selection = reconcileSelection(rawSelection, order);
  const selectedCues = cues.filter((c) => selection.ids.includes(c.id));
  const single = selectedCues.length === 1 ? selectedCues[0] : undefined;
  /** The row with the Tab stop: the focused one, else the standby, else the first. */
  const tabStop = selection.focus ?? show?.standbyCueId ?? order[0] ?? null;
  const [typed, setTyped] = useState('');
  const [typedProblem, setTypedProblem] = useState<string | null>(null);
  const [renumberOpen, setRenumberOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  /** Set by a new cue: its inspector focuses the prompt once. */
  const [focusPromptOf, setFocusPromptOf] = useState<string | null>(null);
  const [drag, setDrag] = useState<{ id: string; over: string | null; after: boolean } | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  /** Keyboard moved the focus: move DOM focus to the row after the render. */
  const moveFocus = useRef(false);

  // Keep the standby cue in view, as a cue-list operator expects.
  useEffect(() => {
    const row = listRef.current?.querySelector('.is-standby');
    if (row && 'scrollIntoView' in row) (row as HTMLElement).scrollIntoView({ block: 'nearest' });
  }, [show?.standbyCueId, cues.length]);

  useEffect(() => {
    if (!moveFocus.current || selection.focus === null) return;
    moveFocus.current = false;
    const row = listRef.current?.querySelector<HTMLElement>(`[data-cue-id="${selection.focus}"]`);
    row?.focus();
    row?.scrollIntoView({ block: 'nearest' });
  });

  const focusRow = useCallback((next: CueSelection) => {
    moveFocus.current = true;
    setSelection(next);
  }, []);

  const add = useCallback(async () => {
    const snapshotShow = store.getSnapshot().state?.show;
    if (!snapshotShow) return;
    const list = snapshotShow.document.cues;
    const current = reconcileSelection(
      rawSelection,
      list.map((c) => c.id),
    );
    // After the last selected cue (or at the end).
    const after = [...list].reverse().find((c) => current.ids.includes(c.id));
    const before = new Set(list.map((c) => c.id));
    const result = await store.send({ type: 'addCue', ...(after ? { afterCueId: after.id } : {}), patch: newCuePatch(after) });
    if (!result.ok) return;
    const created = store.getSnapshot().state?.show?.document.cues.find((c) => !before.has(c.id));
    if (!created) return;
    setSelection(selectOnly(created.id));
    setFocusPromptOf(created.id);
  }, [rawSelection, store]);

  const move = useCallback(
    (step: number) => {
      const id = selection.focus;
      if (id === null) return;
      const from = order.indexOf(id);
      const to = from + step;
      if (from < 0 || to < 0 || to >= order.length) return;
      moveFocus.current = true;
      void store.send({ type: 'moveCue', cueId: id, toIndex: to });
    },
    [order, selection.focus, store],
  );

  const fireTyped = useCallback(() => {
    const cue = cueByNumber(cues, typed);
    setTyped('');
    if (!cue) {
      setTypedProblem(`No cue numbered ${typed}.`);
      return;
    }
    setTypedProblem(null);
    void store.send({ type: 'fireCue', number: cue.number });
  }, [cues, store, typed]);

  useKeyClaim((event) => {
    if (disabled) return false;
    const plain = !event.ctrlKey && !event.metaKey && !event.altKey;
    // Fire by number: digits anywhere outside a text field.
    const key = event.key;
    if (plain && (typed !== '' || /^[0-9]$/.test(key))) {
      const next = typeCueNumber(typed, key);
      if (next !== null) {
        setTyped(next);
        setTypedProblem(null);
        return true;
      }
      if (typed !== '' && (event.key === 'Enter' || event.code === 'NumpadEnter')) {
        if (!event.repeat) fireTyped();
        return true;
      }
      if (typed !== '' && event.key === 'Escape') {
        setTyped('');
        return true;
      }
    }
    if (plain && event.key === 'Escape' && typedProblem) {
      setTypedProblem(null);
      return true;
    }
    // A new cue: N, or Ctrl+Enter.
    if ((plain && event.code === 'KeyN' && !event.shiftKey) || ((event.ctrlKey || event.metaKey) && event.key === 'Enter')) {
      if (!event.repeat) void add();
      return true;
    }
    const inList = event.target instanceof Node && listRef.current?.contains(event.target);
    if (!inList) return false;
    if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      const step = event.key === 'ArrowUp' ? -1 : 1;
      if (event.altKey) move(step);
      else focusRow(selectStep(selection, order, step, event.shiftKey));
      return true;
    }
    if (plain && (event.key === 'Home' || event.key === 'End')) {
      focusRow(selectStep({ ...selection, focus: null }, order, event.key === 'Home' ? 1 : -1, event.shiftKey));
      return true;
    }
    if (plain && event.key === 'Enter') {
      if (selection.focus !== null && !event.repeat) void store.send({ type: 'standby', cueId: selection.focus });
      return true;
    }
    if ((event.ctrlKey || event.metaKey) && event.code === 'KeyA') {
      setSelection({ ids: order, anchor: order[0] ?? null, focus: selection.focus });
      return true;
    }
    return false;
  });

  const onRowClick = (event: MouseEvent, id: string) => {
    setSelection(selectClick(selection, order, id, { shift: event.shiftKey, toggle: event.ctrlKey || event.metaKey }));
  };

  /** Esc in the inspector: focus back on the selected row (no re-render needed). */
  const backToList = useCallback(() => {
    const id = selection.focus ?? tabStop;
    listRef.current?.querySelector<HTMLElement>(`[data-cue-id="${id}"]`)?.focus();
  }, [selection.focus, tabStop]);

  // Drag to reorder (through moveCue, like Alt+↑/↓).
  const onDragOver = (event: DragEvent<HTMLLIElement>, id: string) => {
    if (!drag) return;
    event.preventDefault();
    const box = event.currentTarget.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    if (drag.over !== id || drag.after !== after) setDrag({ ...drag, over: id, after });
  };
  const onDrop = (event: DragEvent<HTMLLIElement>, id: string) => {
    event.preventDefault();
    if (!drag) return;
    const from = order.indexOf(drag.id);
    const over = order.indexOf(id);
    const box = event.currentTarget.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    setDrag(null);
    if (from < 0 || over < 0) return;
    const toIndex = dropIndex(from, over, after);
    if (toIndex !== from) void store.send({ type: 'moveCue', cueId: drag.id, toIndex });
  };

  const typedCue = typed ? cueByNumber(cues, typed) : undefined;

  return (
    <section className="cues" aria-label="Cue list" data-testid="cue-list-panel">
      <div className="panel-head">
        <h2>
          Cues <span className="cues-count">{cues.length}</span>
        </h2>
        {(typed || typedProblem) && (
          <span className={`cue-typed${typedProblem ? ' is-problem' : ''}`} data-testid="cue-number-entry" role="status">
            {typed ? (
              <>
                Q {typed}
                <span className="cue-typed-hint">{typedCue ? ` ${typedCue.name || typedCue.look.prompt || ''} · ⏎ fires · Esc clears` : ' · no such cue · Esc clears'}</span>
              </>
            ) : (
              typedProblem
            )}
          </span>
        )}
        <div className="cues-actions">
          <button type="button" className="button button--small" data-testid="back-button" disabled={disabled || !show?.currentCueId} onClick={onBack}>
            Back <Kbd>{SHORTCUTS.back.label}</Kbd>
          </button>
          <button
            type="button"
            className="button button--small"
            data-testid="cue-renumber"
            disabled={disabled || cues.length === 0}
            aria-expanded={renumberOpen}
            onClick={() => setRenumberOpen((o) => !o)}
          >
            Renumber
          </button>
          <button
            type="button"
            className="button button--small"
            data-testid="cue-add"
            disabled={disabled}
            onClick={() => void add()}
            title="New cue after the selected one, from its look (or an empty prompt): nothing goes live"
          >
            + Cue <Kbd>{SHORTCUTS.newCue.label}</Kbd>
          </button>
        </div>
      </div>
      {renumberOpen && (
        <RenumberForm
          cues={cues}
          selectedIds={selection.ids}
          disabled={disabled}
          onClose={() => setRenumberOpen(false)}
          onDone={(message) => {
            setNotice(message);
            setRenumberOpen(false);
          }}
        />
      )}
      {notice && (
        <p className="cue-notice" data-testid="cue-notice" role="status">
          {notice}
          <button type="button" className="button button--small" onClick={() => setNotice(null)}>
            OK
          </button>
        </p>
      )}
      {cues.length === 0 ? (
        <p className="cues-empty">
          No cues. <Kbd>{SHORTCUTS.newCue.label}</Kbd> or “+ Cue” makes one: type its prompt in the inspector, nothing goes live.
        </p>
      ) : (
        <ol
          className="cue-list"
          data-testid="cue-list"
          ref={listRef}
          role="listbox"
          aria-label="Cues: arrows select, Enter stands by, Space is GO"
          aria-multiselectable="true"
          aria-activedescendant={undefined}
        >
          {cues.map((cue) => {
            const standby = cue.id === show?.standbyCueId;
            const live = cue.id === show?.currentCueId && show?.driver === 'cues';
            const selected = selection.ids.includes(cue.id);
            const dropping = drag?.over === cue.id && drag.id !== cue.id ? (drag.after ? ' is-drop-after' : ' is-drop-before') : '';
            return (
              <li
                key={cue.id}
                role="option"
                aria-selected={selected}
                tabIndex={cue.id === tabStop ? 0 : -1}
                data-cue-id={cue.id}
                className={`cue-row${standby ? ' is-standby' : ''}${live ? ' is-live' : ''}${selected ? ' is-selected' : ''}${dropping}`}
                data-testid={`cue-row-${cue.number}`}
                data-standby={standby || undefined}
                style={cue.colour ? { borderLeftColor: cue.colour } : undefined}
                draggable={!disabled}
                onDragStart={(event) => {
                  event.dataTransfer.effectAllowed = 'move';
                  event.dataTransfer.setData('text/plain', cue.number);
                  setDrag({ id: cue.id, over: null, after: false });
                }}
                onDragOver={(event) => onDragOver(event, cue.id)}
                onDrop={(event) => onDrop(event, cue.id)}
                onDragEnd={() => setDrag(null)}
                onFocus={() => {
                  if (selection.focus !== cue.id) setSelection(selectOnly(cue.id));
                }}
                onMouseDown={(event) => {
                  // Shift/Ctrl-click must not let focus select the row alone first.
                  if (event.shiftKey || event.ctrlKey || event.metaKey) event.preventDefault();
                }}
                onClick={(event) => onRowClick(event, cue.id)}
                onDoubleClick={() => void store.send({ type: 'standby', cueId: cue.id })}
                title="Click to edit (Shift/Ctrl-click to select more), double-click or Enter to put on standby, drag to move"
              >
                <span className="cue-state" aria-label={standby ? 'standby' : live ? 'live' : undefined}>
                  {standby ? '▶' : live ? '●' : ''}
                </span>
                <span className="cue-number">{cue.number}</span>
                <CueThumbnail look={cue.look} modelId={state?.model.id} />
                <span className="cue-text">
                  <span className="cue-title">{cue.name || cue.look.prompt || <em className="cue-untitled">no prompt yet</em>}</span>
                  {cue.notes && (
                    <span className="cue-notes" data-testid="cue-row-notes">
                      {cue.notes}
                    </span>
                  )}
                </span>
                <span className="cue-meta">
                  {(cue.transition.durationMs / 1000).toFixed(1)}s {continueWords(cue)}
                  {cue.triggerTimecode ? ` TC ${cue.triggerTimecode}` : ''}
                </span>
              </li>
            );
          })}
        </ol>
      )}
      {single && (
        <CueEditor
          key={single.id}
          cue={single}
          otherNumbers={cues.filter((c) => c.id !== single.id).map((c) => c.number)}
          disabled={disabled}
          focusPrompt={focusPromptOf === single.id}
          onPromptFocused={() => setFocusPromptOf(null)}
          onEscape={backToList}
          onDeleted={() => setSelection(NO_SELECTION)}
        />
      )}
      {selectedCues.length > 1 && <MultiCueEditor key={selection.ids.join(',')} cues={selectedCues} disabled={disabled} onEscape={backToList} />}
    </section>
  );
}
