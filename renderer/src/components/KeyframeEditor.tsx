/**
 * The editor for the selected timeline keyframe: prompt, time, seed, curve, live input
 * and its strength (how far from the source picture); Apply (or Enter) sends one
 * updateKeyframe. The form resets to the engine's keyframe whenever that keyframe changes.
 * Del asks the timeline to confirm first (onDelete); nothing is deleted from here directly.
 */
import { useEffect, useState, type FormEvent, type RefObject } from 'react';
import type { Keyframe } from '../../../app/contract/index.js';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import { draftOf, InputPicker, inputOf, type InputDraft } from './InputPicker.js';
import { paramsWithStrength, strengthDraftOf, StrengthField } from './StrengthField.js';
import { formatTime } from './timeline-scale.js';
import './show.css';

const CURVES = ['linear', 'ease-in-out', 'ease-in', 'ease-out'] as const;

export function KeyframeEditor({
  keyframe,
  disabled,
  onDelete,
  promptRef,
}: {
  keyframe: Keyframe;
  disabled: boolean;
  /** Asks to delete (the timeline confirms first). */
  onDelete: () => void;
  /** The prompt field, so Enter on a keyframe can put the cursor in it. */
  promptRef?: RefObject<HTMLInputElement | null>;
}) {
  const { store } = useEngine();
  const [prompt, setPrompt] = useState(keyframe.look.prompt);
  const [seed, setSeed] = useState(String(keyframe.look.seed));
  const [time, setTime] = useState(String(keyframe.timeMs));
  const [curve, setCurve] = useState<(typeof CURVES)[number]>(keyframe.curve);
  const [input, setInput] = useState<InputDraft>(draftOf(keyframe.look.input));
  const [strength, setStrength] = useState(strengthDraftOf(keyframe.look.params));
  const ndiNames = useConsoleSnapshot().state?.ndiSources?.names ?? [];
  const keyKey = JSON.stringify(keyframe);
  useEffect(() => {
    setPrompt(keyframe.look.prompt);
    setSeed(String(keyframe.look.seed));
    setTime(String(keyframe.timeMs));
    setCurve(keyframe.curve);
    setInput(draftOf(keyframe.look.input));
    setStrength(strengthDraftOf(keyframe.look.params));
    // Deliberately keyed on keyKey only: the form resets when the keyframe itself changes, not on every render.
  }, [keyKey]);
  const lookInput = inputOf(input);
  const params = paramsWithStrength(keyframe.look.params, strength);
  const valid = prompt.trim() !== '' && /^\d+$/.test(seed.trim()) && /^\d+$/.test(time.trim()) && lookInput !== undefined && params !== undefined;
  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (!valid || params === undefined) return;
    void store.send({
      type: 'updateKeyframe',
      keyframeId: keyframe.id,
      patch: { prompt: prompt.trim(), seed: Number(seed), timeMs: Number(time), curve, input: lookInput ?? null, params },
    });
  };
  return (
    <form className="keyframe-editor" onSubmit={apply} data-testid="keyframe-editor" aria-label={`Edit keyframe at ${formatTime(keyframe.timeMs, true)}`}>
      <input
        className="input input--compact keyframe-prompt"
        data-testid="keyframe-prompt"
        ref={promptRef}
        value={prompt}
        onChange={(e) => setPrompt(e.target.value)}
        aria-label="keyframe prompt"
      />
      <label className="mini-field">
        ms
        <input className="input input--compact input--number" data-testid="keyframe-time" value={time} onChange={(e) => setTime(e.target.value)} />
      </label>
      <label className="mini-field">
        seed
        <input className="input input--compact input--number" data-testid="keyframe-seed" value={seed} onChange={(e) => setSeed(e.target.value)} />
      </label>
      <select className="input input--compact" aria-label="curve" value={curve} onChange={(e) => setCurve(e.target.value as (typeof CURVES)[number])}>
        {CURVES.map((c) => (
          <option key={c}>{c}</option>
        ))}
      </select>
      <InputPicker draft={input} onChange={setInput} ndiNames={ndiNames} disabled={disabled} testId="keyframe-input" />
      <StrengthField draft={strength} onChange={setStrength} disabled={disabled} testId="keyframe-strength" />
      <button type="submit" className="button button--small" data-testid="keyframe-apply" disabled={disabled || !valid}>
        Apply
      </button>
      <button type="button" className="button button--small button--danger" disabled={disabled} data-testid="keyframe-delete" onClick={onDelete}>
        Delete…
      </button>
    </form>
  );
}
