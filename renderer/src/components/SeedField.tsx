/**
 * Seed: the same prompt with another seed is another picture. Enter sets the
 * typed seed; "New" picks a random one, for when a look just needs a re-roll.
 */
import { useState, type FormEvent, type Ref } from 'react';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import { SHORTCUTS } from '../shortcuts.js';
import { Kbd } from './Kbd.js';

/** Largest seed the contract accepts (int32). */
const MAX_SEED = 2 ** 31 - 1;

export function SeedField({ inputRef }: { inputRef: Ref<HTMLInputElement> }) {
  const { store } = useEngine();
  const { state, connection } = useConsoleSnapshot();
  const [draft, setDraft] = useState('');
  const trimmed = draft.trim();
  const valid = /^\d+$/.test(trimmed) && Number(trimmed) <= MAX_SEED;
  const connected = connection === 'open';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!valid || !connected) return;
    void store.send({ type: 'setSeed', seed: Number(trimmed) });
  };
  const reroll = () => {
    const seed = Math.floor(Math.random() * MAX_SEED);
    setDraft(String(seed));
    void store.send({ type: 'setSeed', seed });
  };

  return (
    <form className="seed" onSubmit={submit}>
      <label className="field field--grow">
        <span className="field-label">
          Seed <Kbd>{SHORTCUTS.focusSeed.label}</Kbd>
          <span className="field-now" data-testid="seed-on-air">
            on air {state ? state.program.seed : '–'}
          </span>
        </span>
        <input
          ref={inputRef}
          className={`input input--number${trimmed === '' || valid ? '' : ' is-invalid'}`}
          data-testid="seed-input"
          value={draft}
          inputMode="numeric"
          placeholder={state ? String(state.program.seed) : 'seed'}
          title={`Whole number 0 – ${MAX_SEED}; Enter sets it`}
          aria-invalid={trimmed !== '' && !valid}
          onChange={(e) => setDraft(e.target.value)}
        />
      </label>
      <div className="seed-buttons">
        <button type="submit" className="button" data-testid="seed-set" disabled={!valid || !connected}>
          Set
        </button>
        <button type="button" className="button" data-testid="seed-new" disabled={!connected} onClick={reroll}>
          New
        </button>
      </div>
    </form>
  );
}
