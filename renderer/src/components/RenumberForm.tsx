/**
 * Renumber the selected cues (or all): start and step, one renumberCues (one undo step).
 * Cue numbers are addresses (OSC /cue/N/fire, MSC, Companion buttons), so the console says
 * that those now reach the new numbers.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { MAX_RENUMBER_START, MAX_RENUMBER_STEP, type Cue } from '../../../app/contract/index.js';
import { useEngine } from '../engine-context.js';
import { FieldError } from './FieldError.js';
import './cue-list.css';

function numberProblem(label: string, text: string, max: number, positive: boolean): string | null {
  const value = text.trim();
  const n = Number(value);
  if (value !== '' && /^\d+(\.\d{1,3})?$/.test(value) && n <= max && (!positive || n > 0)) return null;
  return `${label} must be a number from ${positive ? 'above 0' : '0'} to ${max.toLocaleString('en-US')}, at most 3 decimals (e.g. ${positive ? '1 or 0.5' : '1 or 100'}).`;
}

export function RenumberForm({
  cues,
  selectedIds,
  disabled,
  onClose,
  onDone,
}: {
  cues: readonly Cue[];
  selectedIds: readonly string[];
  disabled: boolean;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { store } = useEngine();
  const [scope, setScope] = useState<'selected' | 'all'>(selectedIds.length > 1 ? 'selected' : 'all');
  const targets = scope === 'all' ? cues : cues.filter((c) => selectedIds.includes(c.id));
  const first = targets[0]?.number;
  const [start, setStart] = useState(first && /^\d+(\.\d+)?$/.test(first) ? first : '1');
  const [step, setStep] = useState('1');
  const [refused, setRefused] = useState<string | null>(null);
  const startRef = useRef<HTMLInputElement>(null);
  useEffect(() => startRef.current?.focus(), []);

  const startBad = numberProblem('Start', start, MAX_RENUMBER_START, false);
  const stepBad = numberProblem('Step', step, MAX_RENUMBER_STEP, true);
  const valid = !startBad && !stepBad && targets.length > 0;

  const apply = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    const result = await store.send({
      type: 'renumberCues',
      ...(scope === 'selected' ? { cueIds: targets.map((c) => c.id) } : {}),
      start: Number(start),
      step: Number(step),
    });
    if (!result.ok) {
      setRefused(result.error.message);
      return;
    }
    const renumbered = store.getSnapshot().state?.show?.document.cues.filter((c) => targets.some((t) => t.id === c.id)) ?? [];
    const range = renumbered.length > 1 ? `${renumbered[0]?.number}–${renumbered.at(-1)?.number}` : (renumbered[0]?.number ?? '');
    onDone(`Renumbered ${renumbered.length} cue${renumbered.length === 1 ? '' : 's'} (now ${range}). OSC /cue/N/fire, MSC and Companion buttons now reach the new numbers.`);
  };

  return (
    <form
      className="renumber-form"
      data-testid="renumber-form"
      aria-label="Renumber cues"
      onSubmit={(e) => void apply(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <div className="cue-editor-row">
        <select
          className="input input--compact"
          data-testid="renumber-scope"
          value={scope}
          aria-label="which cues"
          onChange={(e) => setScope(e.target.value as 'selected' | 'all')}
        >
          <option value="all">all {cues.length} cues</option>
          <option value="selected" disabled={selectedIds.length === 0}>
            {selectedIds.length} selected
          </option>
        </select>
        <label className="mini-field">
          start
          <input
            ref={startRef}
            className={`input input--compact input--number${startBad ? ' is-invalid' : ''}`}
            data-testid="renumber-start"
            value={start}
            inputMode="decimal"
            aria-invalid={startBad !== null}
            onChange={(e) => setStart(e.target.value)}
          />
        </label>
        <label className="mini-field">
          step
          <input
            className={`input input--compact input--number${stepBad ? ' is-invalid' : ''}`}
            data-testid="renumber-step"
            value={step}
            inputMode="decimal"
            aria-invalid={stepBad !== null}
            onChange={(e) => setStep(e.target.value)}
          />
        </label>
        <button type="submit" className="button button--small" data-testid="renumber-apply" disabled={disabled || !valid}>
          Renumber
        </button>
        <button type="button" className="button button--small" onClick={onClose}>
          Cancel
        </button>
      </div>
      <p className="renumber-hint">Numbers are addresses: OSC /cue/N/fire, MSC and Companion buttons follow the new numbers.</p>
      <FieldError id="renumber-start-problem" problem={startBad} />
      <FieldError id="renumber-step-problem" problem={stepBad} />
      <FieldError id="renumber-refused" problem={refused} />
    </form>
  );
}
