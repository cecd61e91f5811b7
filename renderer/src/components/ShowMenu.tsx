/**
 * Show file bar: the show's name and file, unsaved marker, open / save /
 * save-as by path on the engine's machine (the console may be remote, so there
 * is no local file dialog), recent shows, undo / redo (Ctrl+Z, Ctrl+Shift+Z),
 * wall log export, and the recovery offer after a crash.
 *
 * File policy (issue 13): the engine replaces an existing file that is not this
 * show's own only when the command says `overwrite: true`. When a Save As or a
 * log export is refused for that reason (details.overwritable), this bar asks,
 * and Replace sends the same command again with the flag. A show whose file
 * failed to load is read-only: the bar says why and Save stays off.
 *
 * Issue 16: the show's title is a field (Enter renames it: updateShow, undoable);
 * the file state is in words ("Edited, not saved", "Saved 14:02:11 to /path"),
 * with the autosave window (a crash may lose edits younger than it); Undo/Redo
 * name what they will do; Save As over another show asks "Replace X (N cues)?"
 * (ConfirmAction); a delete is offered for undo at once (UndoBar). The path field
 * always shows the file Save writes: it follows the engine's show, also to an
 * untitled one after a restart or New.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { CommandInput, CommandResult } from '../../../app/contract/index.js';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import { formatClock } from '../format.js';
import { isTextField } from '../shortcuts.js';
import { ConfirmAction } from './ConfirmAction.js';
import { UndoBar } from './UndoBar.js';
import './show.css';
import './show-menu.css';

type WriteCommand = Extract<CommandInput, { type: 'saveShow' | 'exportWallLog' }>;

/** "Replace /shows/gig.json (12 cues)?" from the engine's refusal (details.path, details.existingCues). */
function replaceQuestion(command: WriteCommand, details: Record<string, unknown> | undefined): string {
  const target = typeof details?.path === 'string' ? details.path : (command.path ?? 'the file');
  const cues = details?.existingCues;
  if (typeof cues === 'number') return `Replace ${target} (${cues} cue${cues === 1 ? '' : 's'})?`;
  return `Replace ${target}?`;
}

/** The autosave window in words: "0.2 s". */
function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

export function ShowMenu({ disabled }: { disabled: boolean }) {
  const { store } = useEngine();
  const { state } = useConsoleSnapshot();
  const show = state?.show;
  const [filePath, setFilePath] = useState('');
  /** A save or export the engine refused because a file is there: asked before it is sent with overwrite. */
  const [confirm, setConfirm] = useState<{ command: WriteCommand; message: string; question: string } | null>(null);
  const [title, setTitle] = useState('');
  const engineTitle = show?.document.name ?? '';
  const showPath = show?.path;
  // The field shows the file Save writes, also when that is none (an untitled show after New or a restart).
  useEffect(() => {
    if (showPath !== undefined) setFilePath(showPath ?? '');
  }, [showPath]);
  useEffect(() => setTitle(engineTitle), [engineTitle]);
  const readOnly = show?.readOnly ?? null;

  /** Sends a save or export; a refusal over an existing file turns into the confirm bar. */
  const sendWrite = async (command: WriteCommand) => {
    setConfirm(null);
    const result: CommandResult = await store.send(command);
    if (!result.ok && result.error.details?.overwritable === true) setConfirm({ command, message: result.error.message, question: replaceQuestion(command, result.error.details) });
  };

  const rename = (event?: FormEvent) => {
    event?.preventDefault();
    const next = title.trim();
    if (!show || next === show.document.name) return;
    void store.send({ type: 'updateShow', name: next }).then((result) => {
      if (!result.ok) setTitle(show.document.name);
    });
  };

  // Undo/redo keys; a text field keeps its own undo.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.code !== 'KeyZ' || isTextField(event.target)) return;
      event.preventDefault();
      void store.send({ type: event.shiftKey ? 'redo' : 'undo' });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  const open = (event: FormEvent) => {
    event.preventDefault();
    if (!filePath.trim()) return;
    void store.send({ type: 'openShow', path: filePath.trim() }).then((result) => {
      // A failed Open leaves the show where it was: the field goes back to the file Save writes.
      if (!result.ok) setFilePath(show?.path ?? '');
    });
  };

  return (
    <div className="show-menu" data-testid="show-menu">
      <div className="show-title-block" data-testid="show-name" title={show?.path ?? 'Untitled: Save As to give it a file'}>
        <form className="show-title-form" onSubmit={rename}>
          <input
            className="input input--compact show-title"
            data-testid="show-title"
            aria-label="show title"
            placeholder="Untitled show"
            value={title}
            maxLength={200}
            disabled={disabled || !show}
            onChange={(e) => setTitle(e.target.value)}
            onBlur={() => rename()}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setTitle(show?.document.name ?? '');
            }}
          />
        </form>
      </div>
      <form className="show-file" onSubmit={open}>
        <input
          className="input input--compact show-path"
          data-testid="show-path"
          placeholder="/path/to/show.json"
          value={filePath}
          onChange={(e) => setFilePath(e.target.value)}
          aria-label="show file"
        />
        <button type="submit" className="button button--small" data-testid="show-open" disabled={disabled || !filePath.trim()}>
          Open
        </button>
        <button
          type="button"
          className="button button--small"
          data-testid="show-save"
          disabled={disabled || !show?.path || readOnly !== null}
          title={readOnly ? 'The file failed to load: Save will not replace it. Use Save as.' : undefined}
          onClick={() => void sendWrite({ type: 'saveShow' })}
        >
          Save
        </button>
        <button
          type="button"
          className="button button--small"
          data-testid="show-save-as"
          disabled={disabled || !filePath.trim()}
          onClick={() => void sendWrite({ type: 'saveShow', path: filePath.trim() })}
        >
          Save as
        </button>
      </form>
      <select
        className="input input--compact show-recent"
        aria-label="recent shows"
        data-testid="show-recent"
        value=""
        disabled={disabled || !show?.recent.length}
        onChange={(e) => e.target.value && void store.send({ type: 'openShow', path: e.target.value })}
      >
        <option value="">Recent…</option>
        {show?.recent.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button button--small"
        data-testid="show-undo"
        disabled={disabled || !show?.canUndo}
        onClick={() => void store.send({ type: 'undo' })}
        title={show?.undoLabel ? `Undo ${show.undoLabel} (Ctrl+Z)` : 'Nothing to undo (Ctrl+Z)'}
      >
        {show?.undoLabel ? `Undo: ${show.undoLabel}` : 'Undo'}
      </button>
      <button
        type="button"
        className="button button--small"
        data-testid="show-redo"
        disabled={disabled || !show?.canRedo}
        onClick={() => void store.send({ type: 'redo' })}
        title={show?.redoLabel ? `Redo ${show.redoLabel} (Ctrl+Shift+Z)` : 'Nothing to redo (Ctrl+Shift+Z)'}
      >
        {show?.redoLabel ? `Redo: ${show.redoLabel}` : 'Redo'}
      </button>
      <button
        type="button"
        className="button button--small"
        data-testid="wall-log-export"
        disabled={disabled || !show?.path}
        onClick={() => void sendWrite({ type: 'exportWallLog' })}
        title={show?.path ? `${show.wallLogEntries} entries; written next to the show file` : 'Save the show first: the wall log is written next to its file'}
      >
        Log CSV
      </button>
      <FileState show={show ?? null} />
      {readOnly ? (
        <div className="show-recovery" role="alert" data-testid="show-readonly">
          Read-only: {readOnly.reason} Save is off so the file is not replaced; use Save as to keep this show in another file.
        </div>
      ) : null}
      {confirm ? (
        <ConfirmAction
          testId="show-overwrite-confirm"
          confirmTestId="show-overwrite-replace"
          cancelTestId="show-overwrite-cancel"
          question={confirm.question}
          detail={confirm.message}
          confirmLabel="Replace"
          onConfirm={() => void sendWrite({ ...confirm.command, overwrite: true })}
          onCancel={() => setConfirm(null)}
        />
      ) : null}
      <UndoBar disabled={disabled} />
      {show?.recovery ? (
        <div className="show-recovery" role="alert" data-testid="show-recovery">
          Unsaved work from {new Date(show.recovery.savedAtMs).toLocaleTimeString()} was found.
          <button type="button" className="button button--small" data-testid="show-recover" onClick={() => void store.send({ type: 'recoverShow' })}>
            Recover
          </button>
          <button type="button" className="button button--small" onClick={() => void store.send({ type: 'discardRecovery' })}>
            Discard
          </button>
        </div>
      ) : null}
    </div>
  );
}

/**
 * The file state in words: edited or saved (when, where), and the autosave window:
 * what a crash may lose. Never a colour-only dot.
 */
function FileState({ show }: { show: NonNullable<ReturnType<typeof useConsoleSnapshot>['state']>['show'] | null }) {
  if (!show) return null;
  const saved = show.lastSave ? `Saved ${formatClock(show.lastSave.atMs)} to ${show.lastSave.path}` : null;
  const window = show.autosaveDelayMs;
  return (
    <p className="show-file-state" data-testid="show-file-state">
      {show.dirty ? (
        <span className="show-edited" data-testid="show-dirty">
          Edited, not saved
        </span>
      ) : saved ? (
        <span className="show-saved" data-testid="show-saved">
          {saved}
        </span>
      ) : show.path ? (
        <span className="show-saved">Saved</span>
      ) : null}
      <span className="show-autosave" data-testid="show-autosave">
        {show.path === null
          ? typeof window === 'number'
            ? `Untitled: autosaved within ${seconds(window)} to this machine's settings folder; Save as gives it a file.`
            : 'Untitled: not autosaved until Save as gives it a file.'
          : typeof window === 'number'
            ? `Autosaved within ${seconds(window)}: a crash may lose edits younger than ${seconds(window)}.`
            : 'Autosaved.'}
      </span>
    </p>
  );
}
