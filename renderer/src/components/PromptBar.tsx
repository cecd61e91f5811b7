/**
 * Live prompt edits: what is on the wall now, and the next prompt to take.
 * Enter (or Take) sends it with the transition typed beside it; an empty
 * transition leaves the choice to the engine's default for live edits.
 *
 * ON AIR says what the wall shows: during a panic BLACK / FROZEN (with the held prompt) /
 * PLATE, and a prompt taken during the panic is shown as pending, not as on air. A prompt
 * over MAX_PROMPT_LENGTH is never cut silently: the bar says how long it is and sends
 * only on the explicit "Send the first 1,000" choice.
 */
import { useState, type FormEvent, type Ref } from 'react';
import { MAX_PROMPT_LENGTH, MAX_TRANSITION_MS } from '../../../app/contract/index.js';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import { formatCount } from '../format.js';
import { PANIC_WORD } from '../live-labels.js';
import { SHORTCUTS } from '../shortcuts.js';
import { Kbd } from './Kbd.js';
import './live-state.css';

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
  const { state, connection, stale } = useConsoleSnapshot();
  const [draft, setDraft] = useState('');
  const [transition, setTransition] = useState('');
  const transitionParsed = parseTransitionMs(transition);
  const program = state?.program;
  const panic = program?.panic ?? 'none';
  const held = panic !== 'none' ? (program?.held ?? null) : null;
  // During a panic the wall shows the look it held (frozen) or no look at all; a newer look waits for restore.
  const onAir = held ? held.prompt : program?.prompt;
  const pending = held && program && program.lookId !== held.lookId ? program.prompt : null;
  const prompt = draft.trim();
  const tooLong = prompt.length > MAX_PROMPT_LENGTH;
  const canSend = connection === 'open' && prompt !== '' && transitionParsed.ok;
  const canTake = canSend && !tooLong;

  const send = (text: string) => {
    if (!transitionParsed.ok) return;
    const ms = transitionParsed.ms;
    void store.send({
      type: 'setPrompt',
      prompt: text,
      ...(ms === undefined ? {} : { transition: { durationMs: ms } }),
    });
  };
  const take = (event: FormEvent) => {
    event.preventDefault();
    if (!canTake) return;
    send(prompt);
  };
  const hint = !transitionParsed.ok
    ? transitionParsed.reason
    : tooLong
      ? `${formatCount(prompt.length)} characters; the most is ${formatCount(MAX_PROMPT_LENGTH)}. Shorten it, or send only the first ${formatCount(MAX_PROMPT_LENGTH)}.`
      : null;

  return (
    <section className="prompt-bar" aria-label="Prompt">
      <div className={`on-air${panic !== 'none' ? ` on-air--panic on-air--${panic}` : ''}${stale ? ' is-stale' : ''}`}>
        <span className="on-air-label">On air</span>
        <span className="on-air-prompt" data-testid="on-air-prompt" title={onAir}>
          {panic === 'black'
            ? PANIC_WORD.black
            : panic === 'safe-plate'
              ? state?.show?.document.settings.safePlate
                ? PANIC_WORD['safe-plate']
                : `${PANIC_WORD['safe-plate']} (none set: black)`
              : panic === 'freeze'
                ? `${PANIC_WORD.freeze}: ${onAir ?? ''}`
                : onAir === undefined
                  ? '–'
                  : onAir === ''
                    ? '(empty prompt)'
                    : onAir}
        </span>
        {pending !== null ? (
          <span className="on-air-pending" data-testid="on-air-pending" title={pending}>
            On restore: {pending}
          </span>
        ) : null}
      </div>
      <form className="prompt-form" onSubmit={take}>
        <label className="field field--grow">
          <span className="field-label">
            Next prompt <Kbd>{SHORTCUTS.focusPrompt.label}</Kbd>
          </span>
          <input
            ref={inputRef}
            className={`input input--prompt${tooLong ? ' is-invalid' : ''}`}
            data-testid="prompt-input"
            value={draft}
            aria-invalid={tooLong}
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
      <div className="prompt-hint" role={hint ? 'alert' : undefined} data-testid="prompt-hint">
        {hint ?? '\u00a0'}
        {tooLong && canSend ? (
          <button type="button" className="button button--small prompt-send-cut" data-testid="prompt-send-cut" onClick={() => send(prompt.slice(0, MAX_PROMPT_LENGTH))}>
            Send the first {formatCount(MAX_PROMPT_LENGTH)}
          </button>
        ) : null}
      </div>
    </section>
  );
}
