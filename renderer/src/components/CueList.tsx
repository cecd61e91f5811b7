/**
 * The cue list: standby highlighted (GO fires it), the live cue marked, BACK,
 * add/delete, and an editor for the selected cue (prompt, seed, transition, live input,
 * continue). Keyboard: Space GO (App), Backspace BACK, ↑/↓ move the standby.
 * Every change is a command; the engine's state is the only truth shown.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Cue, ShowStatus } from '../../../app/contract/index.js';
import { MAX_TRANSITION_MS } from '../../../app/contract/index.js';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import { SHORTCUTS } from '../shortcuts.js';
import { CueThumbnail } from './CueThumbnail.js';
import { Kbd } from './Kbd.js';
import { draftOf, InputPicker, inputOf, type InputDraft } from './InputPicker.js';
import './show.css';

const CURVES = ['linear', 'ease-in-out', 'ease-in', 'ease-out'] as const;
const MAX_SEED = 2 ** 31 - 1;

export function CueList({ onBack, disabled }: { onBack: () => void; disabled: boolean }) {
  const { store } = useEngine();
  const { state } = useConsoleSnapshot();
  const show: ShowStatus | undefined = state?.show;
  const cues = show?.document.cues ?? [];
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = cues.find((c) => c.id === selectedId) ?? null;
  const listRef = useRef<HTMLOListElement>(null);

  // Keep the standby cue in view, as a cue-list operator expects.
  useEffect(() => {
    const row = listRef.current?.querySelector('.is-standby');
    if (row && 'scrollIntoView' in row) (row as HTMLElement).scrollIntoView({ block: 'nearest' });
  }, [show?.standbyCueId]);

  const add = async () => {
    const result = await store.send({ type: 'addCue', ...(selected ? { afterCueId: selected.id } : {}) });
    if (!result.ok) return;
    // Select the new cue: it is the one after the selection, or the last.
    const next = store.getSnapshot().state?.show?.document.cues ?? [];
    const index = selected ? next.findIndex((c) => c.id === selected.id) + 1 : next.length - 1;
    setSelectedId(next[index]?.id ?? null);
  };

  return (
    <section className="cues" aria-label="Cue list">
      <div className="panel-head">
        <h2>
          Cues <span className="cues-count">{cues.length}</span>
        </h2>
        <div className="cues-actions">
          <button type="button" className="button button--small" data-testid="back-button" disabled={disabled || !show?.currentCueId} onClick={onBack}>
            Back <Kbd>{SHORTCUTS.back.label}</Kbd>
          </button>
          <button type="button" className="button button--small" data-testid="cue-add" disabled={disabled} onClick={() => void add()} title="New cue with the look on the wall now">
            + Cue
          </button>
        </div>
      </div>
      {cues.length === 0 ? (
        <p className="cues-empty">No cues. Build a look live, then “+ Cue” records it.</p>
      ) : (
        <ol className="cue-list" data-testid="cue-list" ref={listRef}>
          {cues.map((cue) => {
            const standby = cue.id === show?.standbyCueId;
            const live = cue.id === show?.currentCueId && show?.driver === 'cues';
            return (
              <li
                key={cue.id}
                className={`cue-row${standby ? ' is-standby' : ''}${live ? ' is-live' : ''}${cue.id === selectedId ? ' is-selected' : ''}`}
                data-testid={`cue-row-${cue.number}`}
                data-standby={standby || undefined}
                style={cue.colour ? { borderLeftColor: cue.colour } : undefined}
                onClick={() => setSelectedId(cue.id)}
                onDoubleClick={() => void store.send({ type: 'standby', cueId: cue.id })}
                title="Click to edit, double-click to put on standby"
              >
                <span className="cue-state" aria-label={standby ? 'standby' : live ? 'live' : undefined}>
                  {standby ? '▶' : live ? '●' : ''}
                </span>
                <span className="cue-number">{cue.number}</span>
                <CueThumbnail look={cue.look} modelId={state?.model.id} />
                <span className="cue-text">{cue.name || cue.look.prompt}</span>
                <span className="cue-meta">
                  {(cue.transition.durationMs / 1000).toFixed(1)}s{cue.continueMode === 'auto-continue' ? ' ⤵' : cue.continueMode === 'auto-follow' ? ' ↧' : ''}
                </span>
              </li>
            );
          })}
        </ol>
      )}
      {selected && <CueEditor key={`${selected.id}`} cue={selected} disabled={disabled} onDeleted={() => setSelectedId(null)} />}
    </section>
  );
}

function CueEditor({ cue, disabled, onDeleted }: { cue: Cue; disabled: boolean; onDeleted: () => void }) {
  const { store } = useEngine();
  const [prompt, setPrompt] = useState(cue.look.prompt);
  const [seed, setSeed] = useState(String(cue.look.seed));
  const [duration, setDuration] = useState(String(cue.transition.durationMs));
  const [curve, setCurve] = useState<(typeof CURVES)[number]>(cue.transition.curve);
  const [mode, setMode] = useState(cue.continueMode);
  const [delay, setDelay] = useState(String(cue.delayMs));
  const [name, setName] = useState(cue.name);
  const [input, setInput] = useState<InputDraft>(draftOf(cue.look.input));
  const ndiNames = useConsoleSnapshot().state?.ndiSources?.names ?? [];

  // Another console (or undo) changed the cue: show what the engine has. Keyed by
  // content, not identity: every state snapshot is a fresh object.
  const cueKey = JSON.stringify(cue);
  useEffect(() => {
    setPrompt(cue.look.prompt);
    setSeed(String(cue.look.seed));
    setDuration(String(cue.transition.durationMs));
    setCurve(cue.transition.curve);
    setMode(cue.continueMode);
    setDelay(String(cue.delayMs));
    setName(cue.name);
    setInput(draftOf(cue.look.input));
    // Deliberately keyed on cueKey only: the form resets when the cue itself changes, not on every render.
  }, [cueKey]);

  const seedOk = /^\d+$/.test(seed.trim()) && Number(seed) <= MAX_SEED;
  const durationOk = /^\d+$/.test(duration.trim()) && Number(duration) <= MAX_TRANSITION_MS;
  const delayOk = /^\d+$/.test(delay.trim()) && Number(delay) <= MAX_TRANSITION_MS;
  const lookInput = inputOf(input);
  const valid = seedOk && durationOk && delayOk && prompt.trim() !== '' && lookInput !== undefined;

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    void store.send({
      type: 'updateCue',
      cueId: cue.id,
      patch: {
        name: name.trim(),
        prompt: prompt.trim(),
        seed: Number(seed),
        transition: { durationMs: Number(duration), curve },
        continueMode: mode,
        delayMs: Number(delay),
        input: lookInput ?? null,
      },
    });
  };

  return (
    <form className="cue-editor" onSubmit={apply} data-testid="cue-editor" aria-label={`Edit cue ${cue.number}`}>
      <div className="cue-editor-row">
        <span className="cue-editor-number">Q{cue.number}</span>
        <input className="input input--compact cue-name" data-testid="cue-name" value={name} placeholder="name" aria-label="cue name" onChange={(e) => setName(e.target.value)} />
        <input
          className="input input--compact cue-prompt"
          data-testid="cue-prompt"
          value={prompt}
          placeholder="prompt"
          aria-label="cue prompt"
          onChange={(e) => setPrompt(e.target.value)}
        />
      </div>
      <div className="cue-editor-row">
        <label className="mini-field">
          seed
          <input
            className={`input input--compact input--number${seedOk ? '' : ' is-invalid'}`}
            data-testid="cue-seed"
            value={seed}
            inputMode="numeric"
            onChange={(e) => setSeed(e.target.value)}
          />
        </label>
        <label className="mini-field">
          ms
          <input
            className={`input input--compact input--number${durationOk ? '' : ' is-invalid'}`}
            data-testid="cue-transition"
            value={duration}
            inputMode="numeric"
            onChange={(e) => setDuration(e.target.value)}
          />
        </label>
        <select className="input input--compact" data-testid="cue-curve" value={curve} onChange={(e) => setCurve(e.target.value as (typeof CURVES)[number])} aria-label="curve">
          {CURVES.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </div>
      <div className="cue-editor-row">
        <InputPicker draft={input} onChange={setInput} ndiNames={ndiNames} disabled={disabled} testId="cue-input" />
      </div>
      <div className="cue-editor-row">
        <select className="input input--compact" data-testid="cue-continue" value={mode} onChange={(e) => setMode(e.target.value as Cue['continueMode'])} aria-label="continue">
          <option value="none">no continue</option>
          <option value="auto-continue">auto-continue</option>
          <option value="auto-follow">auto-follow</option>
        </select>
        <label className="mini-field">
          delay
          <input
            className={`input input--compact input--number${delayOk ? '' : ' is-invalid'}`}
            data-testid="cue-delay"
            value={delay}
            inputMode="numeric"
            onChange={(e) => setDelay(e.target.value)}
          />
        </label>
        <button type="submit" className="button button--small" data-testid="cue-apply" disabled={disabled || !valid}>
          Apply
        </button>
        <button type="button" className="button button--small" data-testid="cue-fire" disabled={disabled} onClick={() => void store.send({ type: 'fireCue', number: cue.number })}>
          Fire
        </button>
        <button
          type="button"
          className="button button--small button--danger"
          data-testid="cue-delete"
          disabled={disabled}
          onClick={() => {
            void store.send({ type: 'deleteCue', cueId: cue.id });
            onDeleted();
          }}
        >
          Del
        </button>
      </div>
    </form>
  );
}
