/**
 * Outputs: every output the engine feeds (console monitor, NDI senders), with its
 * rate, measured fps, missed ticks and, for NDI, receivers connected and tally.
 * NDI outputs can be added (name, size, rate), renamed and removed here; the engine
 * validates (names unique, widths even) and failures show in the alerts.
 */
import { useState, type FormEvent } from 'react';
import { STANDARD_FRAME_RATES, type OutputStatus } from '../../../app/contract/index.js';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import './outputs.css';

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
  const isNdi = output.kind === 'ndi';

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
          <button type="button" className="link-button" disabled={disabled} onClick={() => void store.send({ type: 'removeNdiOutput', id: output.id })}>
            Remove
          </button>
        </div>
      ) : null}
      {output.kind === 'display' ? <DisplayActions output={output} disabled={disabled} /> : null}
    </li>
  );
}

/** A display output: open its page (headless: in a browser on the processor's machine; the app opens windows itself), or remove it. */
function DisplayActions({ output, disabled }: { output: OutputStatus; disabled: boolean }) {
  const { store } = useEngine();
  const token = new URLSearchParams(window.location.search).get('token');
  const href = `output.html?output=${encodeURIComponent(output.id)}${token ? `&token=${encodeURIComponent(token)}` : ''}`;
  return (
    <div className="output-actions">
      {window.location.protocol.startsWith('http') ? (
        <a className="link-button" href={href} target="_blank" rel="noopener" data-testid="display-open">
          Open page
        </a>
      ) : null}
      <span>{output.clients ?? 0} showing</span>
      <button type="button" className="link-button" disabled={disabled} onClick={() => void store.send({ type: 'removeDisplayOutput', id: output.id })}>
        Remove
      </button>
    </div>
  );
}

function AddNdiOutput({ disabled, existing }: { disabled: boolean; existing: number }) {
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
  };

  return (
    <form className="output-add" onSubmit={add} aria-label="Add NDI output">
      <input className="input input--compact" aria-label="NDI name" placeholder="NDI name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} disabled={disabled} />
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

export function OutputsPanel() {
  const { store } = useEngine();
  const { connection, state } = useConsoleSnapshot();
  const disabled = connection !== 'open';
  const outputs = state?.outputs ?? [];
  return (
    <section className="outputs-panel" aria-label="Outputs">
      <div className="panel-head">
        <h2>
          Outputs <span className="outputs-count">{outputs.length}</span>
        </h2>
        <button
          type="button"
          className="button button--small"
          disabled={disabled}
          data-testid="display-add"
          title="Add a display output (960×540 transport, scaled on the display's GPU)"
          onClick={() => void store.send({ type: 'addDisplayOutput', name: `Display ${outputs.filter((o) => o.kind === 'display').length + 1}` })}
        >
          + Display
        </button>
      </div>
      <ul className="output-list">
        {outputs.map((output) => (
          <OutputRow key={`${output.id}:${output.name}`} output={output} disabled={disabled} />
        ))}
      </ul>
      <AddNdiOutput disabled={disabled} existing={outputs.filter((o) => o.kind === 'ndi').length} />
    </section>
  );
}
