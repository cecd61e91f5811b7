/**
 * Stills & preview link: the stills folder and Save still (key C), the contact sheet
 * of the show's cues (contact-sheet.ts, drawn here and downloaded as a PNG), and the
 * client preview link (contract/viewer.ts): create it (optionally showing the cue
 * name), copy its URL, see who is watching (address, since when, bytes/s) and revoke
 * it (everyone watching is disconnected at once). It also says what the operator
 * must open for a phone to reach it: a viewer link never opens control by itself.
 */
import { useState, useSyncExternalStore } from 'react';
import { thumbnailKey } from '../../../app/contract/index.js';
import { drawContactSheet } from '../contact-sheet.js';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import { formatClock } from '../format.js';
import { SHORTCUTS } from '../shortcuts.js';
import { lastStill, saveStill, setStillsFolder, stillsFolder, subscribeStill } from '../stills-folder.js';
import { Kbd } from './Kbd.js';
import './viewer.css';

const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB/s`;

export function ViewerPanel() {
  const { store } = useEngine();
  const { state, connection } = useConsoleSnapshot();
  const disabled = connection !== 'open';
  const [folder, setFolder] = useState(stillsFolder);
  const [showCueName, setShowCueName] = useState(false);
  const [sheetNote, setSheetNote] = useState<string | null>(null);
  const still = useSyncExternalStore(subscribeStill, lastStill);
  const viewers = state?.viewers;
  const control = state?.control;
  const link = viewers?.link ?? null;

  const downloadSheet = () => {
    const show = state?.show;
    if (!show || !state) return;
    const modelId = state.model.id;
    const cues = show.document.cues.map((cue) => ({ number: cue.number, name: cue.name, prompt: cue.look.prompt, picture: store.thumbnails.get(thumbnailKey(cue.look, modelId)) }));
    const canvas = document.createElement('canvas');
    drawContactSheet(canvas, { title: show.document.name || 'Untitled show', subtitle: `${cues.length} cues · ${state.model.name} · ${new Date().toLocaleString()}`, cues });
    const missing = cues.filter((c) => !c.picture).length;
    canvas.toBlob((blob) => {
      if (!blob) return setSheetNote('The contact sheet could not be made.');
      const anchor = document.createElement('a');
      anchor.href = URL.createObjectURL(blob);
      anchor.download = `${(show.document.name || 'Cyclorama').replace(/[\\/:*?"<>|]+/g, ' ')} contact sheet.png`;
      anchor.click();
      setTimeout(() => URL.revokeObjectURL(anchor.href), 10_000);
      setSheetNote(`${cues.length} cues${missing ? `, ${missing} without a picture yet (still rendering)` : ''}.`);
    }, 'image/png');
  };

  const reach = !control
    ? null
    : control.network
      ? `Phones on the venue network open this URL. Control (console, API) on ${control.host}:${control.port} still needs the access token; the viewer token can only watch.`
      : `Only this machine can open it: the engine listens on ${control.host}. For a client's phone, start the engine with --host 0.0.0.0 (or this machine's address): that opens the console and API to the network too, behind the access token. The viewer token never controls.`;

  return (
    <section className="stack-panel viewer-panel" aria-label="Stills and preview link" data-testid="viewer-panel">
      <h2 className="stack-panel-title">Stills &amp; preview link</h2>
      <label className="viewer-row">
        <span className="viewer-label">Stills folder</span>
        <input
          className="input input--compact"
          value={folder}
          placeholder="/path/on/the/engine/machine"
          spellCheck={false}
          aria-label="Stills folder"
          data-testid="stills-folder"
          onChange={(e) => {
            setFolder(e.target.value);
            setStillsFolder(e.target.value);
          }}
        />
      </label>
      <div className="viewer-actions">
        <button type="button" className="button button--small" disabled={disabled} data-testid="save-still" onClick={() => void saveStill(store)}>
          Save still <Kbd>{SHORTCUTS.still.label}</Kbd>
        </button>
        <button type="button" className="button button--small" disabled={disabled || !state?.show?.document.cues.length} data-testid="contact-sheet" onClick={downloadSheet}>
          Contact sheet
        </button>
      </div>
      {still ? (
        <p className={`viewer-note${still.ok === false ? ' is-bad' : ''}`} data-testid="still-outcome" aria-live="polite">
          {still.ok ? `Saved ${still.path} (${still.width}×${still.height})` : still.message}
        </p>
      ) : null}
      {sheetNote ? <p className="viewer-note">Contact sheet: {sheetNote}</p> : null}

      <h3 className="stack-panel-title viewer-subtitle">Client preview link</h3>
      {!viewers ? (
        <p className="viewer-note" data-testid="viewer-unavailable">
          Needs the engine&apos;s console server: start it with --host (network control) to share the program with a client.
        </p>
      ) : link ? (
        <>
          <input
            className="input input--compact"
            readOnly
            value={link.url ?? `${location.origin}${link.path}`}
            aria-label="Preview link URL"
            data-testid="viewer-link-url"
            onFocus={(e) => e.target.select()}
          />
          <p className="viewer-note">
            Since {formatClock(link.createdAtMs)} · {link.showCueName ? 'shows the cue name' : 'picture only'} · {viewers.width}×{viewers.height} at {viewers.fps} fps
          </p>
          <div className="viewer-actions">
            <button type="button" className="button button--small" disabled={disabled} data-testid="viewer-revoke" onClick={() => void store.send({ type: 'revokeViewerLink' })}>
              Revoke link
            </button>
            <button
              type="button"
              className="button button--small"
              disabled={disabled}
              title="A new link; the old one stops working and its viewers are disconnected"
              onClick={() => void store.send({ type: 'createViewerLink', showCueName: link.showCueName })}
            >
              New link
            </button>
          </div>
        </>
      ) : (
        <div className="viewer-actions">
          <label className="viewer-check">
            <input type="checkbox" checked={showCueName} onChange={(e) => setShowCueName(e.target.checked)} data-testid="viewer-show-cue" /> Show the cue name
          </label>
          <button
            type="button"
            className="button button--small"
            disabled={disabled}
            data-testid="viewer-create"
            onClick={() => void store.send({ type: 'createViewerLink', showCueName })}
          >
            Create link
          </button>
        </div>
      )}
      {viewers && reach ? (
        <p className={`viewer-note${control?.network ? '' : ' is-warn'}`} data-testid="viewer-reach">
          {reach}
        </p>
      ) : null}
      {viewers ? (
        <div className="viewer-watching" data-testid="viewer-watching">
          <span className="viewer-label">{viewers.watching.length === 0 ? 'Nobody watching' : `${viewers.watching.length} watching · ${kib(viewers.bytesPerSecond)}`}</span>
          {viewers.watching.length > 0 ? (
            <ul className="viewer-list">
              {viewers.watching.map((w) => (
                <li key={w.id} data-testid="viewer-watcher">
                  {w.address.replace(/^::ffff:/, '')} <span className="viewer-since">since {formatClock(w.sinceMs)}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
