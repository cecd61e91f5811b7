/**
 * A look's strength (`params.strength`, 0..1): how far the output may move from its
 * source picture (the look's input, or the previous frame when it names none). A number
 * field and a slider on one draft; empty = the model's own default (no `params.strength`).
 * Used by the cue editor and the keyframe editor, which write it with their edit command.
 */
import type { ShowLook } from '../../../app/contract/index.js';
import './inputs.css';

/** Slider granularity; the number field takes any value in 0..1. */
const STEP = 0.05;
/** Where the slider rests while the field is empty (the built-in and turbo models' default). */
const SLIDER_REST = 0.5;

type LookParams = ShowLook['params'];

/** The draft for a look's params: its strength as text, '' when the model default applies. */
export function strengthDraftOf(params: LookParams): string {
  const strength = params['strength'];
  return strength === undefined ? '' : String(strength);
}

/** The params a draft stands for (the other params kept); undefined while the draft is not a number in 0..1. */
export function paramsWithStrength(params: LookParams, draft: string): LookParams | undefined {
  const text = draft.trim();
  const rest = Object.fromEntries(Object.entries(params).filter(([name]) => name !== 'strength'));
  if (text === '') return rest;
  const strength = Number(text);
  if (!Number.isFinite(strength) || strength < 0 || strength > 1) return undefined;
  return { ...rest, strength };
}

export function StrengthField({ draft, onChange, disabled, testId }: { draft: string; onChange: (draft: string) => void; disabled: boolean; testId: string }) {
  const text = draft.trim();
  const value = Number(text);
  const valid = text === '' || (Number.isFinite(value) && value >= 0 && value <= 1);
  const slider = text !== '' && valid ? value : SLIDER_REST;
  return (
    <label className="mini-field strength-field" title="0 keeps the source picture, 1 may leave it entirely; empty uses the model's default">
      strength
      <input
        type="range"
        min={0}
        max={1}
        step={STEP}
        value={slider}
        aria-label="strength slider"
        data-testid={`${testId}-slider`}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
      />
      <input
        className={`input input--compact input--number${valid ? '' : ' is-invalid'}`}
        aria-label="strength"
        aria-invalid={!valid}
        data-testid={testId}
        value={draft}
        placeholder="default"
        inputMode="decimal"
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
      />
      <span className="strength-field-hint">how far from the source picture</span>
    </label>
  );
}
