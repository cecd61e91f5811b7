/**
 * Outputs: every output the engine feeds (console monitor, NDI senders), with its
 * rate, measured fps, missed ticks and, for NDI, receivers connected and tally.
 * NDI outputs can be added (name, size, rate), renamed and removed here; the engine
 * validates (names unique, widths even) and failures show in the alerts.
 * Remove on an output that is sending (running, frames going out) asks first
 * (ConfirmAction): receivers would lose the picture. Outputs are the machine's
 * rig, not the show, so Undo does not bring a removed one back.
 */
import { useState, type FormEvent } from 'react';
import { displayPosition, STANDARD_FRAME_RATES, type AttachedDisplay, type OutputStatus } from '../../../app/contract/index.js';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import './outputs.css';
import { pageToken } from '../transport.js';
import { ConfirmAction } from './ConfirmAction.js';

/** Sending now: a removal would take the picture off whatever receives it. */
export function isSending(output: OutputStatus): boolean {
  return output.status === 'running' && output.fps > 0;
}

const SIZES = [
  { label: 'Frame size', value: '' },
  { label: '3840×2160', value: '3840x2160' },
  { label: '1920×1080', value: '1920x1080' },
  { label: '1280×720', value: '1280x720' },
] as const;

function rateLabel(rate: OutputStatus['rate']): string {
  const standard = STANDARD_FRAME_RATES.find((r) => r.num === rate.num && r.den === rate.den);
  return standard ? standard.label : (rate.num / rate.den).toFixed(3);
}

function OutputRow({ output, disabled }: { output: OutputStatus; disabled: boolean }) {
  const { store } = useEngine();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(output.name);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const isNdi = output.kind === 'ndi';
  const remove = () => {
    setConfirmRemove(false);
    void store.send({ type: 'removeNdiOutput', id: output.id });
  };

  const rename = (event: FormEvent) => {
    event.preventDefault();
    setEditing(false);
    if (name.trim() && name.trim() !== output.name) void store.send({ type: 'updateNdiOutput', id: output.id, name: name.trim() });
  };

  return (
    <li className={`output output--${output.status}`} data-testid="output" data-output-id={output.id}>
      <div className="output-head">
        <span className="output-kind">{output.kind === 'ndi' ? 'NDI' : output.kind}</span>
        {editing ? (
          <form onSubmit={rename} className="output-rename">
            <input className="input input--compact" aria-label="Output name" value={name} autoFocus onChange={(e) => setName(e.target.value)} onBlur={rename} maxLength={100} />
          </form>
        ) : (
          <span className="output-name" title={output.sourceName ?? output.name}>
            {output.name}
          </span>
        )}
        {output.live !== undefined ? <LiveToggle output={output} disabled={disabled} /> : null}
        <span className={`output-status output-status--${output.status}`}>{output.status}</span>
      </div>
      <div className="output-figures">
        {output.width && output.height ? (
          <span>
            {output.width}×{output.height}
          </span>
        ) : null}
        <span title={`${output.rate.num}/${output.rate.den}`}>@{rateLabel(output.rate)}</span>
        <span data-testid="output-fps">{output.fps} fps</span>
        {output.display ? <span data-testid="output-display">on {output.display}</span> : null}
        {output.missedTicks > 0 ? <span className="output-missed">{output.missedTicks} missed</span> : null}
        {isNdi ? <span data-testid="output-connections">{output.connections ?? 0} connected</span> : null}
        {output.tally?.program ? <span className="tally tally--program">PGM</span> : null}
        {output.tally?.preview ? <span className="tally tally--preview">PVW</span> : null}
      </div>
      {output.message ? <p className="output-message">{output.message}</p> : null}
      {isNdi ? (
        <div className="output-actions">
          <button type="button" className="link-button" disabled={disabled} onClick={() => setEditing(true)}>
            Rename
          </button>
          <button type="button" className="link-button" disabled={disabled} data-testid="output-remove" onClick={() => (isSending(output) ? setConfirmRemove(true) : remove())}>
            Remove
          </button>
        </div>
      ) : null}
      {confirmRemove ? (
        <ConfirmAction
          testId="output-remove-confirm"
          question={`Remove NDI output "${output.name}"?`}
          detail={`It is sending now (${output.fps} fps${output.connections ? `, ${output.connections} receiver${output.connections === 1 ? '' : 's'} connected` : ''}): receivers lose the picture. Undo does not bring an output back.`}
          confirmLabel="Remove"
          cancelLabel="Keep it"
          onConfirm={remove}
          onCancel={() => setConfirmRemove(false)}
        />
      ) : null}
      {output.kind === 'display' ? <DisplayActions output={output} disabled={disabled} /> : null}
    </li>
  );
}

/**
 * Selects the output (it carries the program) or blanks it (black at its rate; the
 * receiver or processor keeps its lock). Blanked is loud on purpose: a dark wall
 * must never be a mystery in the room.
 */
function LiveToggle({ output, disabled }: { output: OutputStatus; disabled: boolean }) {
  const { store } = useEngine();
  const live = output.live !== false;
  return (
    <button
      type="button"
      className={`output-live ${live ? 'output-live--on' : 'output-live--blanked'}`}
      aria-pressed={live}
      data-testid="output-live"
      title={live ? 'Carrying the program. Click to blank this output to black (it keeps sending).' : 'Blanked: sending black. Click to put the program back on this output.'}
      disabled={disabled}
      onClick={() => void store.send({ type: 'selectOutput', output: output.id, live: !live })}
    >
      {live ? 'LIVE' : 'BLANKED'}
    </button>
  );
}

/** A display output: open its page (headless: in a browser on the processor's machine; the app opens windows itself), or remove it. */
function DisplayActions({ output, disabled }: { output: OutputStatus; disabled: boolean }) {
  const { store } = useEngine();
  // As for a sending NDI output: a display that a screen is showing asks first, an unwatched one goes at once.
  const [confirmRemove, setConfirmRemove] = useState(false);
  const showing = output.clients ?? 0;
  const remove = () => {
    setConfirmRemove(false);
    void store.send({ type: 'removeDisplayOutput', id: output.id });
  };
  // The page opens in a tab of its own (no shared session storage): it takes the token from its URL once, then drops it from there.
  const token = pageToken();
  const href = `output.html?output=${encodeURIComponent(output.id)}${token ? `&token=${encodeURIComponent(token)}` : ''}`;
  return (
    <div className="output-actions">
      {window.location.protocol.startsWith('http') ? (
        <a className="link-button" href={href} target="_blank" rel="noopener" data-testid="display-open">
          Open page
        </a>
      ) : null}
      <span>{output.clients ?? 0} showing</span>
      <button type="button" className="link-button" disabled={disabled} data-testid="display-remove" onClick={() => (showing > 0 ? setConfirmRemove(true) : remove())}>
        Remove
      </button>
      {confirmRemove ? (
        <ConfirmAction
          testId="display-remove-confirm"
          question={`Remove display output "${output.name}"?`}
          detail={`It is showing on ${showing} screen${showing === 1 ? '' : 's'}${output.display ? ` (${output.display})` : ''}: that picture goes dark. Undo does not bring an output back.`}
          confirmLabel="Remove"
          cancelLabel="Keep it"
          onConfirm={remove}
          onCancel={() => setConfirmRemove(false)}
        />
      ) : null}
    </div>
  );
}

function AddNdiOutput({ disabled, existing, onDone }: { disabled: boolean; existing: number; onDone: () => void }) {
  const { store } = useEngine();
  const [name, setName] = useState('');
  const [size, setSize] = useState('');
  const [rate, setRate] = useState('59.94');

  const add = (event: FormEvent) => {
    event.preventDefault();
    const chosen = STANDARD_FRAME_RATES.find((r) => r.label === rate);
    const [width, height] = size ? size.split('x').map(Number) : [];
    void store.send({
      type: 'addNdiOutput',
      name: name.trim() || `Cyclorama ${existing + 1}`,
      ...(width && height ? { width, height } : {}),
      ...(chosen ? { rate: { num: chosen.num, den: chosen.den } } : {}),
    });
    setName('');
    onDone();
  };

  return (
    <form className="output-add" onSubmit={add} aria-label="Add NDI output" onKeyDown={(e) => e.key === 'Escape' && onDone()}>
      <input
        className="input input--compact"
        aria-label="NDI name"
        placeholder="NDI name"
        autoFocus
        value={name}
        onChange={(e) => setName(e.target.value)}
        maxLength={100}
        disabled={disabled}
      />
      <select className="input input--compact" aria-label="Size" value={size} onChange={(e) => setSize(e.target.value)} disabled={disabled}>
        {SIZES.map((s) => (
          <option key={s.value} value={s.value}>
            {s.label}
          </option>
        ))}
      </select>
      <select className="input input--compact" aria-label="Frame rate" value={rate} onChange={(e) => setRate(e.target.value)} disabled={disabled}>
        {STANDARD_FRAME_RATES.map((r) => (
          <option key={r.label} value={r.label}>
            {r.label}
          </option>
        ))}
      </select>
      <button type="submit" className="button button--small" disabled={disabled}>
        + NDI
      </button>
    </form>
  );
}

/** "Display N", or the display's own label, made unique among the display outputs. */
function displayOutputName(outputs: readonly OutputStatus[], base?: string): string {
  const taken = new Set(outputs.filter((o) => o.kind === 'display').map((o) => o.name));
  const first = base?.trim() || `Display ${taken.size + 1}`;
  if (!taken.has(first)) return first;
  for (let n = 2; ; n++) if (!taken.has(`${first} ${n}`)) return `${first} ${n}`;
}

/**
 * "+ Display". In the app (the engine knows the attached displays) it opens a list
 * of them, the non-primary ones first (the console is on the primary): one click
 * puts an output on that display, found again by its position after a replug.
 * On a headless node there is no list: the output is a page to open anywhere.
 */
function AddDisplayOutput({ disabled, outputs, displays }: { disabled: boolean; outputs: readonly OutputStatus[]; displays: readonly AttachedDisplay[] | undefined }) {
  const { store } = useEngine();
  const [open, setOpen] = useState(false);
  const add = (display?: AttachedDisplay) => {
    setOpen(false);
    void store.send({ type: 'addDisplayOutput', name: displayOutputName(outputs, display?.label), ...(display ? { display: displayPosition(display) } : {}) });
  };
  const ordered = [...(displays ?? [])].sort((a, b) => Number(a.primary) - Number(b.primary));
  return (
    <div className="display-add" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <button
        type="button"
        className="button button--small"
        disabled={disabled}
        data-testid="display-add"
        aria-expanded={displays ? open : undefined}
        title={displays ? 'Put a display output on one of the attached displays' : "Add a display output (960×540 transport, scaled on the display's GPU)"}
        onClick={() => (displays ? setOpen(!open) : add())}
      >
        + Display
      </button>
      {open && displays ? (
        <ul className="display-picker" role="menu" aria-label="Attached displays" data-testid="display-picker">
          {ordered.length === 0 ? <li className="display-picker-empty">No displays reported</li> : null}
          {ordered.map((d) => (
            <li key={displayPosition(d)} role="none">
              <button type="button" role="menuitem" className="display-picker-item" onClick={() => add(d)} autoFocus={d === ordered[0]}>
                <span className="display-picker-label">{d.label}</span>
                <span className="display-picker-detail">
                  {d.width}×{d.height} at {displayPosition(d)}
                  {d.primary ? ' · primary (console)' : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function OutputsPanel() {
  const { store } = useEngine();
  const { connection, state } = useConsoleSnapshot();
  const disabled = connection !== 'open';
  const outputs = state?.outputs ?? [];
  // The add-NDI form opens on demand: folded away, the panel's height goes to the outputs themselves.
  const [addingNdi, setAddingNdi] = useState(false);
  return (
    <section className="outputs-panel" aria-label="Outputs">
      <div className="panel-head">
        <h2>
          Outputs <span className="outputs-count">{outputs.length}</span>
        </h2>
        <div className="panel-actions">
          <button type="button" className="button button--small" disabled={disabled} aria-expanded={addingNdi} data-testid="ndi-add-open" onClick={() => setAddingNdi(!addingNdi)}>
            + NDI
          </button>
          <AddDisplayOutput disabled={disabled} outputs={outputs} displays={state?.displays} />
        </div>
      </div>
      <ul className="output-list">
        {outputs.map((output) => (
          <OutputRow key={`${output.id}:${output.name}`} output={output} disabled={disabled} />
        ))}
      </ul>
      {addingNdi ? <AddNdiOutput disabled={disabled} existing={outputs.filter((o) => o.kind === 'ndi').length} onDone={() => setAddingNdi(false)} /> : null}
    </section>
  );
}
