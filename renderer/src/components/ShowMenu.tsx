/**
 * Show file bar: the show's name and file, unsaved marker, open / save /
 * save-as by path on the engine's machine (the console may be remote, so there
 * is no local file dialog), recent shows, undo / redo (Ctrl+Z, Ctrl+Shift+Z),
 * wall log export, and the recovery offer after a crash.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import { isTextField } from '../shortcuts.js';
import './show.css';

export function ShowMenu({ disabled }: { disabled: boolean }) {
  const { store } = useEngine();
  const { state } = useConsoleSnapshot();
  const show = state?.show;
  const [filePath, setFilePath] = useState('');
  useEffect(() => {
    if (show?.path) setFilePath(show.path);
  }, [show?.path]);

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
    if (filePath.trim()) void store.send({ type: 'openShow', path: filePath.trim() });
  };

  return (
    <div className="show-menu" data-testid="show-menu">
      <span className="show-name" data-testid="show-name" title={show?.path ?? 'Untitled: Save As to give it a file'}>
        {show?.document.name ?? '—'}
        {show?.dirty ? <span className="show-dirty" data-testid="show-dirty" title="Unsaved changes (autosaved)"> ●</span> : null}
      </span>
      <form className="show-file" onSubmit={open}>
        <input className="input input--compact show-path" data-testid="show-path" placeholder="/path/to/show.json" value={filePath} onChange={(e) => setFilePath(e.target.value)} aria-label="show file" />
        <button type="submit" className="button button--small" data-testid="show-open" disabled={disabled || !filePath.trim()}>
          Open
        </button>
        <button type="button" className="button button--small" data-testid="show-save" disabled={disabled || !show?.path} onClick={() => void store.send({ type: 'saveShow' })}>
          Save
        </button>
        <button type="button" className="button button--small" data-testid="show-save-as" disabled={disabled || !filePath.trim()} onClick={() => void store.send({ type: 'saveShow', path: filePath.trim() })}>
          Save as
        </button>
      </form>
      <select className="input input--compact show-recent" aria-label="recent shows" data-testid="show-recent" value="" disabled={disabled || !show?.recent.length} onChange={(e) => e.target.value && void store.send({ type: 'openShow', path: e.target.value })}>
        <option value="">Recent…</option>
        {show?.recent.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
      <button type="button" className="button button--small" data-testid="show-undo" disabled={disabled || !show?.canUndo} onClick={() => void store.send({ type: 'undo' })} title="Undo (Ctrl+Z)">
        Undo
      </button>
      <button type="button" className="button button--small" data-testid="show-redo" disabled={disabled || !show?.canRedo} onClick={() => void store.send({ type: 'redo' })} title="Redo (Ctrl+Shift+Z)">
        Redo
      </button>
      <button type="button" className="button button--small" data-testid="wall-log-export" disabled={disabled} onClick={() => void store.send({ type: 'exportWallLog' })} title={`${show?.wallLogEntries ?? 0} entries; written next to the show file`}>
        Log CSV
      </button>
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
