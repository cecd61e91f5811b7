/**
 * The inspector with several cues selected: transition, curve, continue mode and delay of
 * all of them at once, as one updateCues (one undo step). A field the cues disagree on
 * shows "mixed" and is left as each cue has it unless the operator sets it.
 */
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Cue, MultiCuePatch } from '../../../app/contract/index.js';
import { useEngine } from '../engine-context.js';
import { durationProblem } from './field-check.js';
import { FieldError } from './FieldError.js';
import './cue-list.css';

const CURVES = ['linear', 'ease-in-out', 'ease-in', 'ease-out'] as const;
type Curve = (typeof CURVES)[number];
const MODES = ['none', 'auto-continue', 'auto-follow'] as const;

/** The value every cue shares, or undefined when they differ. */
function shared<T>(cues: readonly Cue[], read: (cue: Cue) => T): T | undefined {
  const first = read(cues[0] as Cue);
  return cues.every((c) => read(c) === first) ? first : undefined;
}

export function MultiCueEditor({ cues, disabled, onEscape }: { cues: readonly Cue[]; disabled: boolean; onEscape?: () => void }) {
  const { store } = useEngine();
  const sharedDuration = shared(cues, (c) => c.transition.durationMs);
  const sharedCurve = shared(cues, (c) => c.transition.curve);
  const sharedMode = shared(cues, (c) => c.continueMode);
  const sharedDelay = shared(cues, (c) => c.delayMs);
  // '' = mixed / keep each cue's own.
  const [duration, setDuration] = useState(sharedDuration === undefined ? '' : String(sharedDuration));
  const [curve, setCurve] = useState<Curve | ''>(sharedCurve ?? '');
  const [mode, setMode] = useState<Cue['continueMode'] | ''>(sharedMode ?? '');
  const [delay, setDelay] = useState(sharedDelay === undefined ? '' : String(sharedDelay));
  const [done, setDone] = useState<string | null>(null);

  const durationBad = duration.trim() === '' ? null : durationProblem('The transition', duration);
  const delayBad = delay.trim() === '' ? null : durationProblem('The delay', delay);
  // A transition is a duration and a curve: with only one given, the other must be shared to keep it.
  const transitionBad =
    (duration.trim() !== '') !== (curve !== '') && (duration.trim() === '' ? sharedDuration === undefined : sharedCurve === undefined)
      ? 'These cues have different transitions: set both the ms and the curve to change either.'
      : null;

  const patch = (): MultiCuePatch => {
    const out: MultiCuePatch = {};
    const ms = duration.trim() === '' ? sharedDuration : Number(duration);
    const c = curve === '' ? sharedCurve : curve;
    if ((duration.trim() !== '' || curve !== '') && ms !== undefined && c !== undefined) out.transition = { durationMs: ms, curve: c };
    if (mode !== '') out.continueMode = mode;
    if (delay.trim() !== '') out.delayMs = Number(delay);
    return out;
  };
  const changes = patch();
  const valid = !durationBad && !delayBad && !transitionBad && Object.keys(changes).length > 0;

  const apply = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!valid) return;
    const result = await store.send({ type: 'updateCues', cueIds: cues.map((c) => c.id), patch: changes });
    if (result.ok) setDone(`Changed ${cues.length} cues (one undo step).`);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Escape') onEscape?.();
    if (event.key === 'Enter' && event.target instanceof HTMLSelectElement) {
      event.preventDefault();
      void apply();
    }
  };

  return (
    <form className="cue-editor" data-testid="multi-cue-editor" aria-label={`Edit ${cues.length} cues`} onSubmit={(e) => void apply(e)} onKeyDown={onKeyDown}>
      <p className="cue-editor-title">
        {cues.length} cues selected: Q{cues.map((c) => c.number).join(', Q')}
      </p>
      <div className="cue-editor-row">
        <label className="mini-field">
          ms
          <input
            className={`input input--compact input--number${durationBad ? ' is-invalid' : ''}`}
            data-testid="multi-transition"
            value={duration}
            placeholder="mixed"
            inputMode="numeric"
            aria-label="transition of all selected, ms"
            aria-invalid={durationBad !== null}
            onChange={(e) => setDuration(e.target.value)}
          />
        </label>
        <select
          className="input input--compact"
          data-testid="multi-curve"
          value={curve}
          aria-label="curve of all selected"
          onChange={(e) => setCurve(e.target.value as Curve | '')}
        >
          <option value="">mixed curves</option>
          {CURVES.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        <select
          className="input input--compact"
          data-testid="multi-continue"
          value={mode}
          aria-label="continue of all selected"
          onChange={(e) => setMode(e.target.value as Cue['continueMode'] | '')}
        >
          <option value="">mixed continue</option>
          {MODES.map((m) => (
            <option key={m} value={m}>
              {m === 'none' ? 'no continue' : m}
            </option>
          ))}
        </select>
        <label className="mini-field">
          delay
          <input
            className={`input input--compact input--number${delayBad ? ' is-invalid' : ''}`}
            data-testid="multi-delay"
            value={delay}
            placeholder="mixed"
            inputMode="numeric"
            aria-invalid={delayBad !== null}
            onChange={(e) => setDelay(e.target.value)}
          />
        </label>
      </div>
      <FieldError id="multi-transition-problem" problem={durationBad ?? transitionBad} />
      <FieldError id="multi-delay-problem" problem={delayBad} />
      {done && (
        <p className="cue-notice" role="status" data-testid="multi-cue-done">
          {done}
        </p>
      )}
      <div className="cue-editor-row">
        <button type="submit" className="button button--small" data-testid="multi-apply" disabled={disabled || !valid}>
          Apply to {cues.length} cues ⏎
        </button>
      </div>
    </form>
  );
}
