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
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { CommandInput, CommandResult } from '../../../app/contract/index.js';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import { isTextField } from '../shortcuts.js';
import './show.css';

export function ShowMenu({ disabled }: { disabled: boolean }) {
  const { store } = useEngine();
  const { state } = useConsoleSnapshot();
  const show = state?.show;
  const [filePath, setFilePath] = useState('');
  /** A save or export the engine refused because a file is there: asked before it is sent with overwrite. */
  const [confirm, setConfirm] = useState<{ command: Extract<CommandInput, { type: 'saveShow' | 'exportWallLog' }>; message: string } | null>(null);
  useEffect(() => {
    if (show?.path) setFilePath(show.path);
  }, [show?.path]);
  const readOnly = show?.readOnly ?? null;

  /** Sends a save or export; a refusal over an existing file turns into the confirm bar. */
  const sendWrite = async (command: Extract<CommandInput, { type: 'saveShow' | 'exportWallLog' }>) => {
    setConfirm(null);
    const result: CommandResult = await store.send(command);
    if (!result.ok && result.error.details?.overwritable === true) setConfirm({ command, message: result.error.message });
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
      <span className="show-name" data-testid="show-name" title={show?.path ?? 'Untitled: Save As to give it a file'}>
        {show?.document.name ?? '—'}
        {show?.dirty ? (
          <span className="show-dirty" data-testid="show-dirty" title="Unsaved changes (autosaved)">
            {' '}
            ●
          </span>
        ) : null}
      </span>
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
        title="Undo (Ctrl+Z)"
      >
        Undo
      </button>
      <button
        type="button"
        className="button button--small"
        data-testid="show-redo"
        disabled={disabled || !show?.canRedo}
        onClick={() => void store.send({ type: 'redo' })}
        title="Redo (Ctrl+Shift+Z)"
      >
        Redo
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
      {readOnly ? (
        <div className="show-recovery" role="alert" data-testid="show-readonly">
          Read-only: {readOnly.reason} Save is off so the file is not replaced; use Save as to keep this show in another file.
        </div>
      ) : null}
      {confirm ? (
        <div className="show-recovery" role="alertdialog" aria-label="replace existing file" data-testid="show-overwrite-confirm">
          {confirm.message}
          <button type="button" className="button button--small" data-testid="show-overwrite-replace" onClick={() => void sendWrite({ ...confirm.command, overwrite: true })}>
            Replace
          </button>
          <button type="button" className="button button--small" data-testid="show-overwrite-cancel" onClick={() => setConfirm(null)}>
            Cancel
          </button>
        </div>
      ) : null}
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
