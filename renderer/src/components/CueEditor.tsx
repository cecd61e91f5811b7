/**
 * The editor for the selected cue: name, prompt, seed, transition, live input and its
 * strength (how far from the source picture), continue; Apply sends one updateCue.
 * The form resets to the engine's cue whenever that cue changes.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { Cue } from '../../../app/contract/index.js';
import { MAX_TRANSITION_MS } from '../../../app/contract/index.js';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import { draftOf, InputPicker, inputOf, type InputDraft } from './InputPicker.js';
import { paramsWithStrength, strengthDraftOf, StrengthField } from './StrengthField.js';
import './show.css';

const CURVES = ['linear', 'ease-in-out', 'ease-in', 'ease-out'] as const;
const MAX_SEED = 2 ** 31 - 1;

export function CueEditor({ cue, disabled, onDeleted }: { cue: Cue; disabled: boolean; onDeleted: () => void }) {
  const { store } = useEngine();
  const [prompt, setPrompt] = useState(cue.look.prompt);
  const [seed, setSeed] = useState(String(cue.look.seed));
  const [duration, setDuration] = useState(String(cue.transition.durationMs));
  const [curve, setCurve] = useState<(typeof CURVES)[number]>(cue.transition.curve);
  const [mode, setMode] = useState(cue.continueMode);
  const [delay, setDelay] = useState(String(cue.delayMs));
  const [name, setName] = useState(cue.name);
  const [input, setInput] = useState<InputDraft>(draftOf(cue.look.input));
  const [strength, setStrength] = useState(strengthDraftOf(cue.look.params));
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
    setStrength(strengthDraftOf(cue.look.params));
    // Deliberately keyed on cueKey only: the form resets when the cue itself changes, not on every render.
  }, [cueKey]);

  const seedOk = /^\d+$/.test(seed.trim()) && Number(seed) <= MAX_SEED;
  const durationOk = /^\d+$/.test(duration.trim()) && Number(duration) <= MAX_TRANSITION_MS;
  const delayOk = /^\d+$/.test(delay.trim()) && Number(delay) <= MAX_TRANSITION_MS;
  const lookInput = inputOf(input);
  const params = paramsWithStrength(cue.look.params, strength);
  const valid = seedOk && durationOk && delayOk && prompt.trim() !== '' && lookInput !== undefined && params !== undefined;

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (!valid || params === undefined) return;
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
        params,
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
        <StrengthField draft={strength} onChange={setStrength} disabled={disabled} testId="cue-strength" />
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
