/**
 * The inspector for the selected cue: number, name, prompt, transition, continue, seed,
 * timecode trigger, live input and its strength, notes. Apply (or Enter in any field but
 * the notes) sends one updateCue: the cue changes, the wall does not (only Fire or GO takes
 * it live). Each invalid field says what is wrong and what is allowed. Esc goes back to
 * the cue row. The form resets to the engine's cue whenever that cue changes.
 */
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Cue } from '../../../app/contract/index.js';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import { cueNumberProblem, durationProblem, notesProblem, promptProblem, seedProblem, timecodeProblem } from './field-check.js';
import { FieldError } from './FieldError.js';
import { draftOf, InputPicker, inputOf, type InputDraft } from './InputPicker.js';
import { paramsWithStrength, strengthDraftOf, StrengthField } from './StrengthField.js';
import './show.css';
import './cue-list.css';

const CURVES = ['linear', 'ease-in-out', 'ease-in', 'ease-out'] as const;

export interface CueEditorProps {
  cue: Cue;
  /** Numbers of the other cues (numbers are unique). */
  otherNumbers: readonly string[];
  disabled: boolean;
  /** Focus (and select) the prompt once on mount: a new cue. */
  focusPrompt?: boolean;
  onPromptFocused?: () => void;
  /** Esc: back to the cue list. */
  onEscape?: () => void;
  onDeleted: () => void;
}

export function CueEditor({ cue, otherNumbers, disabled, focusPrompt, onPromptFocused, onEscape, onDeleted }: CueEditorProps) {
  const { store } = useEngine();
  const [number, setNumber] = useState(cue.number);
  const [prompt, setPrompt] = useState(cue.look.prompt);
  const [seed, setSeed] = useState(String(cue.look.seed));
  const [duration, setDuration] = useState(String(cue.transition.durationMs));
  const [curve, setCurve] = useState<(typeof CURVES)[number]>(cue.transition.curve);
  const [mode, setMode] = useState(cue.continueMode);
  const [delay, setDelay] = useState(String(cue.delayMs));
  const [name, setName] = useState(cue.name);
  const [notes, setNotes] = useState(cue.notes);
  const [trigger, setTrigger] = useState(cue.triggerTimecode ?? '');
  const [input, setInput] = useState<InputDraft>(draftOf(cue.look.input));
  const [strength, setStrength] = useState(strengthDraftOf(cue.look.params));
  const [renumbered, setRenumbered] = useState<string | null>(null);
  const ndiNames = useConsoleSnapshot().state?.ndiSources?.names ?? [];
  const promptRef = useRef<HTMLInputElement>(null);

  // Another console (or undo) changed the cue: show what the engine has. Keyed by
  // content, not identity: every state snapshot is a fresh object.
  const cueKey = JSON.stringify(cue);
  useEffect(() => {
    setNumber(cue.number);
    setPrompt(cue.look.prompt);
    setSeed(String(cue.look.seed));
    setDuration(String(cue.transition.durationMs));
    setCurve(cue.transition.curve);
    setMode(cue.continueMode);
    setDelay(String(cue.delayMs));
    setName(cue.name);
    setNotes(cue.notes);
    setTrigger(cue.triggerTimecode ?? '');
    setInput(draftOf(cue.look.input));
    setStrength(strengthDraftOf(cue.look.params));
    // Deliberately keyed on cueKey only: the form resets when the cue itself changes, not on every render.
  }, [cueKey]);

  useEffect(() => {
    if (!focusPrompt) return;
    promptRef.current?.focus();
    promptRef.current?.select();
    onPromptFocused?.();
  }, [focusPrompt, onPromptFocused]);

  const problems = {
    number: cueNumberProblem(number, otherNumbers),
    prompt: promptProblem(prompt),
    seed: seedProblem(seed),
    duration: durationProblem('The transition', duration),
    delay: durationProblem('The delay', delay),
    trigger: timecodeProblem(trigger),
    notes: notesProblem(notes),
  };
  const lookInput = inputOf(input);
  const params = paramsWithStrength(cue.look.params, strength);
  const valid = Object.values(problems).every((p) => p === null) && lookInput !== undefined && params !== undefined;

  const apply = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!valid || params === undefined) return;
    const newNumber = number.trim();
    const result = await store.send({
      type: 'updateCue',
      cueId: cue.id,
      patch: {
        number: newNumber,
        name: name.trim(),
        prompt: prompt.trim(),
        seed: Number(seed),
        transition: { durationMs: Number(duration), curve },
        continueMode: mode,
        delayMs: Number(delay),
        notes,
        triggerTimecode: trigger.trim() === '' ? null : trigger.trim(),
        input: lookInput ?? null,
        params,
      },
    });
    if (result.ok && newNumber !== cue.number) {
      setRenumbered(`Cue ${cue.number} is now cue ${newNumber}: OSC /cue/${newNumber}/fire, MSC and Companion buttons now reach it by its new number.`);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Escape') {
      onEscape?.();
      return;
    }
    // Enter applies from a select too (Enter in a text input submits the form by itself).
    if (event.key === 'Enter' && event.target instanceof HTMLSelectElement) {
      event.preventDefault();
      void apply();
    }
  };

  const field = (id: keyof typeof problems) => ({
    'aria-invalid': problems[id] !== null,
    'aria-describedby': problems[id] ? `cue-${id}-problem` : undefined,
  });
  const invalid = (id: keyof typeof problems) => (problems[id] ? ' is-invalid' : '');

  return (
    <form className="cue-editor" onSubmit={(e) => void apply(e)} onKeyDown={onKeyDown} data-testid="cue-editor" aria-label={`Edit cue ${cue.number}`}>
      <div className="cue-editor-row">
        <label className="mini-field">
          Q
          <input
            className={`input input--compact input--number cue-number-field${invalid('number')}`}
            data-testid="cue-number"
            value={number}
            aria-label="cue number"
            onChange={(e) => setNumber(e.target.value)}
            {...field('number')}
          />
        </label>
        <input className="input input--compact cue-name" data-testid="cue-name" value={name} placeholder="name" aria-label="cue name" onChange={(e) => setName(e.target.value)} />
      </div>
      <FieldError id="cue-number-problem" problem={problems.number} />
      {renumbered && (
        <p className="cue-notice" data-testid="cue-number-notice" role="status">
          {renumbered}
        </p>
      )}
      <div className="cue-editor-row">
        <input
          ref={promptRef}
          className={`input input--compact cue-prompt${invalid('prompt')}`}
          data-testid="cue-prompt"
          value={prompt}
          placeholder="prompt: what the wall shows"
          aria-label="cue prompt"
          onChange={(e) => setPrompt(e.target.value)}
          {...field('prompt')}
        />
      </div>
      <FieldError id="cue-prompt-problem" problem={problems.prompt} />
      <div className="cue-editor-row">
        <label className="mini-field">
          ms
          <input
            className={`input input--compact input--number${invalid('duration')}`}
            data-testid="cue-transition"
            value={duration}
            inputMode="numeric"
            aria-label="transition, ms"
            onChange={(e) => setDuration(e.target.value)}
            {...field('duration')}
          />
        </label>
        <select className="input input--compact" data-testid="cue-curve" value={curve} onChange={(e) => setCurve(e.target.value as (typeof CURVES)[number])} aria-label="curve">
          {CURVES.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        <select className="input input--compact" data-testid="cue-continue" value={mode} onChange={(e) => setMode(e.target.value as Cue['continueMode'])} aria-label="continue">
          <option value="none">no continue</option>
          <option value="auto-continue">auto-continue</option>
          <option value="auto-follow">auto-follow</option>
        </select>
        <label className="mini-field">
          delay
          <input
            className={`input input--compact input--number${invalid('delay')}`}
            data-testid="cue-delay"
            value={delay}
            inputMode="numeric"
            aria-label="continue delay, ms"
            onChange={(e) => setDelay(e.target.value)}
            {...field('delay')}
          />
        </label>
      </div>
      <FieldError id="cue-duration-problem" problem={problems.duration} />
      <FieldError id="cue-delay-problem" problem={problems.delay} />
      <div className="cue-editor-row">
        <label className="mini-field">
          seed
          <input
            className={`input input--compact input--number${invalid('seed')}`}
            data-testid="cue-seed"
            value={seed}
            inputMode="numeric"
            onChange={(e) => setSeed(e.target.value)}
            {...field('seed')}
          />
        </label>
        <label className="mini-field mini-field--wide">
          TC
          <input
            className={`input input--compact cue-trigger${invalid('trigger')}`}
            data-testid="cue-trigger"
            value={trigger}
            placeholder="HH:MM:SS:FF"
            aria-label="timecode trigger (empty: GO only)"
            onChange={(e) => setTrigger(e.target.value)}
            {...field('trigger')}
          />
        </label>
      </div>
      <FieldError id="cue-seed-problem" problem={problems.seed} />
      <FieldError id="cue-trigger-problem" problem={problems.trigger} />
      <div className="cue-editor-row">
        <InputPicker draft={input} onChange={setInput} ndiNames={ndiNames} disabled={disabled} testId="cue-input" />
      </div>
      <div className="cue-editor-row">
        <StrengthField draft={strength} onChange={setStrength} disabled={disabled} testId="cue-strength" />
      </div>
      <textarea
        className={`input input--compact cue-notes-field${invalid('notes')}`}
        data-testid="cue-notes"
        value={notes}
        rows={2}
        placeholder="notes (for the operator; not on the wall)"
        aria-label="cue notes"
        onChange={(e) => setNotes(e.target.value)}
        {...field('notes')}
      />
      <FieldError id="cue-notes-problem" problem={problems.notes} />
      <div className="cue-editor-row">
        <button type="submit" className="button button--small" data-testid="cue-apply" disabled={disabled || !valid} title="Change the cue (the wall does not change)">
          Apply ⏎
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
