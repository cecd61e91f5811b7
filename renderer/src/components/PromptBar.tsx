/**
 * Live prompt edits: what is on the wall now, and the next prompt to take.
 * Enter (or Take) sends it with the transition typed beside it; an empty
 * transition leaves the choice to the engine's default for live edits.
 */
import { useState, type FormEvent, type Ref } from 'react';
import { MAX_PROMPT_LENGTH, MAX_TRANSITION_MS } from '../../../app/contract/index.js';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import { SHORTCUTS } from '../shortcuts.js';
import { Kbd } from './Kbd.js';

/** Parses the transition field: '' -> engine default, else whole ms in range, else an error text. */
export function parseTransitionMs(text: string): { ok: true; ms: number | undefined } | { ok: false; reason: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, ms: undefined };
  if (!/^\d+$/.test(trimmed)) return { ok: false, reason: 'Transition must be whole milliseconds, e.g. 0 for a cut or 2000.' };
  const ms = Number(trimmed);
  if (ms > MAX_TRANSITION_MS) return { ok: false, reason: `Transition is at most ${MAX_TRANSITION_MS} ms.` };
  return { ok: true, ms };
}

export function PromptBar({ inputRef }: { inputRef: Ref<HTMLInputElement> }) {
  const { store } = useEngine();
  const { state, connection } = useConsoleSnapshot();
  const [draft, setDraft] = useState('');
  const [transition, setTransition] = useState('');
  const transitionParsed = parseTransitionMs(transition);
  const onAir = state?.program.prompt;
  const canTake = connection === 'open' && draft.trim() !== '' && transitionParsed.ok;

  const take = (event: FormEvent) => {
    event.preventDefault();
    if (!canTake || !transitionParsed.ok) return;
    const ms = transitionParsed.ms;
    void store.send({
      type: 'setPrompt',
      prompt: draft.trim(),
      ...(ms === undefined ? {} : { transition: { durationMs: ms } }),
    });
  };

  return (
    <section className="prompt-bar" aria-label="Prompt">
      <div className="on-air">
        <span className="on-air-label">On air</span>
        <span className="on-air-prompt" data-testid="on-air-prompt" title={onAir}>
          {onAir === undefined ? '–' : onAir === '' ? '(empty prompt)' : onAir}
        </span>
      </div>
      <form className="prompt-form" onSubmit={take}>
        <label className="field field--grow">
          <span className="field-label">
            Next prompt <Kbd>{SHORTCUTS.focusPrompt.label}</Kbd>
          </span>
          <input
            ref={inputRef}
            className="input input--prompt"
            data-testid="prompt-input"
            value={draft}
            maxLength={MAX_PROMPT_LENGTH}
            placeholder="Describe the backdrop, then Enter"
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setDraft(e.target.value)}
          />
        </label>
        <label className="field field--transition">
          <span className="field-label">Transition ms</span>
          <input
            className={`input input--number${transitionParsed.ok ? '' : ' is-invalid'}`}
            data-testid="transition-input"
            value={transition}
            inputMode="numeric"
            placeholder="default"
            title={transitionParsed.ok ? 'Empty: the engine default. 0: a cut.' : transitionParsed.reason}
            aria-invalid={!transitionParsed.ok}
            onChange={(e) => setTransition(e.target.value)}
          />
        </label>
        <button type="submit" className="button button--take" data-testid="take-button" disabled={!canTake}>
          Take <Kbd>Enter</Kbd>
        </button>
      </form>
      <div className="prompt-hint" role={transitionParsed.ok ? undefined : 'alert'}>
        {transitionParsed.ok ? '\u00a0' : transitionParsed.reason}
      </div>
    </section>
  );
}
