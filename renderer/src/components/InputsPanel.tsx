/**
 * Inputs: the live look's input (an NDI source found or typed, a still, the program)
 * with its fit and strength, and the status of every input the model has open
 * (connected, size, rate, fps received, dropped, last frame age). The NDI list is
 * filled by a short find on the engine (listNdiSources), asked when the panel opens
 * and by "Find".
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { InputStatus } from '../../../app/contract/index.js';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import { draftOf, InputPicker, inputOf, type InputDraft } from './InputPicker.js';
import './inputs.css';

function rateText(rate: InputStatus['rate']): string | null {
  if (!rate || rate.den === 0) return null;
  return (rate.num / rate.den).toFixed(rate.den === 1 ? 0 : 2);
}

function InputRow({ row }: { row: InputStatus }) {
  const label = row.source.kind === 'ndi' ? row.source.name : row.source.kind === 'image' ? row.source.path : 'program';
  const rate = rateText(row.rate);
  return (
    <li className={`input-row input-row--${row.state}`} data-testid="input-row" data-input-key={row.key}>
      <div className="input-row-head">
        <span className="output-kind">{row.source.kind === 'ndi' ? 'NDI' : row.source.kind}</span>
        <span className="input-row-name" title={label}>
          {label}
        </span>
        <span className={`input-state input-state--${row.state}`} data-testid="input-state">
          {row.state}
        </span>
      </div>
      <div className="output-figures">
        {row.width && row.height ? (
          <span data-testid="input-size">
            {row.width}×{row.height}
          </span>
        ) : null}
        {rate ? <span>@{rate}</span> : null}
        <span data-testid="input-fps">{row.fpsReceived.toFixed(1)} fps in</span>
        <span data-testid="input-received">{row.framesReceived} frames</span>
        {row.framesDropped > 0 ? <span className="output-missed">{row.framesDropped} dropped</span> : null}
        {row.lastFrameAgeMs !== null ? <span data-testid="input-age">{Math.round(row.lastFrameAgeMs)} ms old</span> : null}
      </div>
      {row.error ? <p className="output-message">{row.error}</p> : null}
    </li>
  );
}

export function InputsPanel() {
  const { store } = useEngine();
  const { state, connection } = useConsoleSnapshot();
  const disabled = connection !== 'open';
  const live = state?.program;
  const rows = state?.inputs ?? [];
  const ndi = state?.ndiSources;
  const [draft, setDraft] = useState<InputDraft>(draftOf(null));
  const [strength, setStrength] = useState(0.5);

  // The live look's input changed (here, another console, OSC, a cue): the form shows it.
  const onAirKey = JSON.stringify(live?.input ?? null);
  useEffect(() => {
    setDraft(draftOf(live?.input ?? null));
    // Keyed on the input's content only: every snapshot is a fresh object.
  }, [onAirKey]);

  // One find when the panel first has a connection: the picker lists what is out there.
  useEffect(() => {
    if (!disabled) void store.send({ type: 'listNdiSources' });
  }, [disabled, store]);

  const input = inputOf(draft);
  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (input === undefined) return;
    void store.send({ type: 'setInput', input, strength });
  };

  return (
    <section className="outputs-panel inputs-panel" aria-label="Inputs" data-testid="inputs-panel">
      <div className="panel-head">
        <h2>Inputs</h2>
        <button
          type="button"
          className="link-button"
          data-testid="input-find"
          disabled={disabled || ndi?.searching === true}
          onClick={() => void store.send({ type: 'listNdiSources' })}
        >
          {ndi?.searching ? 'Finding…' : `Find NDI (${ndi?.names.length ?? 0})`}
        </button>
      </div>
      <form className="inputs-live" onSubmit={apply} aria-label="Live look input">
        <InputPicker draft={draft} onChange={setDraft} ndiNames={ndi?.names ?? []} disabled={disabled} testId="live-input" />
        <label className="mini-field inputs-strength">
          strength
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={strength}
            aria-label="input strength"
            data-testid="live-input-strength"
            disabled={disabled}
            onChange={(e) => setStrength(Number(e.target.value))}
            onPointerUp={() => live && void store.send({ type: 'setInput', strength })}
            onKeyUp={() => live && void store.send({ type: 'setInput', strength })}
          />
          <span data-testid="live-input-strength-value">{strength.toFixed(2)}</span>
        </label>
        <button type="submit" className="button button--small" data-testid="live-input-apply" disabled={disabled || input === undefined}>
          Take
        </button>
      </form>
      {ndi?.error ? <p className="output-message">{ndi.error}</p> : null}
      {rows.length > 0 ? (
        <ul className="input-rows">
          {rows.map((row) => (
            <InputRow key={row.key} row={row} />
          ))}
        </ul>
      ) : (
        <p className="inputs-empty">No input open: the look runs from its text.</p>
      )}
    </section>
  );
}
