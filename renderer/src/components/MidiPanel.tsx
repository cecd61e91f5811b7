/**
 * MIDI control (contract/midi.ts): this machine's MIDI input and feedback output,
 * MIDI learn (press Learn on an action, move a control on the controller: it is
 * bound) and the mappings with Remove. Ports and mappings are the machine's
 * (control.json), not the show's. The fader actions show the level last received.
 * Says plainly when there is no MIDI here, no port, or the chosen port failed.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { MidiAction, MidiMapping } from '../../../app/contract/control-sources.js';
import type { CommandInput } from '../../../app/contract/index.js';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import './midi.css';

const ACTION_WORDS: Record<MidiAction, string> = {
  go: 'GO',
  back: 'Back',
  panic: 'Panic',
  restore: 'Restore',
  standbyUp: 'Standby up',
  standbyDown: 'Standby down',
  fireCue: 'Fire cue',
  transitionTime: 'Transition',
  strength: 'Strength',
  seed: 'Seed',
  master: 'Master',
};
const BUTTONS: MidiAction[] = ['go', 'back', 'panic', 'restore', 'standbyUp', 'standbyDown'];
const FADERS: MidiAction[] = ['transitionTime', 'strength', 'seed', 'master'];
const KIND_WORDS: Record<MidiMapping['kind'], string> = { note: 'Note', cc: 'CC', program: 'Program' };

const actionLabel = (m: { action: MidiAction; cue?: string | undefined }) => (m.action === 'fireCue' ? `Fire cue ${m.cue ?? '?'}` : ACTION_WORDS[m.action]);
const mappingKey = (m: MidiMapping) => `${m.kind}-${m.channel}-${m.number}`;

export function MidiPanel() {
  const { store } = useEngine();
  const { state, connection } = useConsoleSnapshot();
  const disabled = connection !== 'open';
  const sources = state?.control?.sources;
  const midi = sources?.midi ?? null;
  const ports = sources?.midiPorts;
  const cues = state?.show?.document.cues ?? [];
  const [input, setInput] = useState(midi?.input ?? '');
  const [output, setOutput] = useState(midi?.output ?? '');
  const [cue, setCue] = useState('');
  const [error, setError] = useState<string | null>(null);

  // The ports in force changed (here, another console, a restart): the pickers show them.
  const chosenKey = `${midi?.input ?? ''}\n${midi?.output ?? ''}`;
  useEffect(() => {
    setInput(midi?.input ?? '');
    setOutput(midi?.output ?? '');
    // Keyed on the names only: every snapshot is a fresh object.
  }, [chosenKey]);
  useEffect(() => {
    if (!cues.some((c) => c.number === cue)) setCue(cues[0]?.number ?? '');
  }, [cues, cue]);
  // One read of the ports when the panel first has a connection.
  useEffect(() => {
    if (!disabled && sources) void store.send({ type: 'listMidiPorts' });
  }, [disabled, sources !== undefined, store]);

  const send = async (command: CommandInput) => {
    const result = await store.send(command);
    setError(result.ok ? null : result.error.message);
  };
  const applyPorts = (event: FormEvent) => {
    event.preventDefault();
    void send({ type: 'setMidiPorts', input, output });
  };

  if (state && !sources) {
    return (
      <section className="stack-panel midi-panel" aria-label="MIDI control" data-testid="midi-panel">
        <h2 className="stack-panel-title">MIDI control</h2>
        <p className="midi-problem" data-testid="midi-problem">
          Not available on this engine: it runs without its control sources (start it with &quot;cyclorama serve&quot;).
        </p>
      </section>
    );
  }

  const inputs = ports?.inputs ?? [];
  const outputs = ports?.outputs ?? [];
  // The chosen names stay choosable even when the port is gone, so the picker shows what is set.
  const inputChoices = midi?.input && !inputs.includes(midi.input) ? [midi.input, ...inputs] : inputs;
  const outputChoices = midi?.output && !outputs.includes(midi.output) ? [midi.output, ...outputs] : outputs;
  const problem =
    ports?.problem ??
    midi?.problem ??
    (ports && inputs.length === 0 ? 'No MIDI input on this machine: connect a controller, then Refresh.' : null) ??
    (midi && !midi.open ? `The MIDI input "${midi.input}" is not open.` : null);
  const learning = midi?.learning ? actionLabel({ action: midi.learning as MidiAction, cue: midi.learningCue ?? undefined }) : null;
  const boundTo = (action: MidiAction) => midi?.mappings.filter((m) => m.action === action).length ?? 0;
  const faderValue = (action: MidiAction): string | null => {
    if (action === 'seed') return state?.program.seed !== undefined ? String(state.program.seed) : null;
    const level = midi?.levels[action as 'transitionTime' | 'strength' | 'master'];
    return level === undefined ? null : `${Math.round(level * 100)} %`;
  };
  const canLearn = !disabled && midi !== null && midi.open;

  const learnButton = (action: MidiAction, extra?: { cue: string }) => (
    <button
      key={action}
      type="button"
      className={`button button--small midi-learn${midi?.learning === action && (action !== 'fireCue' || midi.learningCue === extra?.cue) ? ' is-learning' : ''}`}
      data-testid={`midi-learn-${action}`}
      disabled={!canLearn || (action === 'fireCue' && !extra?.cue)}
      title={`Learn: the next control moved is bound to ${actionLabel({ action, cue: extra?.cue })}`}
      onClick={() => void send({ type: 'midiLearn', action, ...(extra ? { cue: extra.cue } : {}) })}
    >
      {ACTION_WORDS[action]}
      {boundTo(action) > 0 ? <span className="midi-bound"> ✓</span> : null}
      {FADERS.includes(action) ? (
        <span className="midi-level" data-testid={`midi-level-${action}`}>
          {faderValue(action) ?? '–'}
        </span>
      ) : null}
    </button>
  );

  return (
    <section className="stack-panel midi-panel" aria-label="MIDI control" data-testid="midi-panel">
      <div className="midi-head">
        <h2 className="stack-panel-title">MIDI control</h2>
        <button type="button" className="link-button" data-testid="midi-refresh" disabled={disabled} onClick={() => void send({ type: 'listMidiPorts' })}>
          Refresh
        </button>
      </div>
      {problem ? (
        <p className="midi-problem" role="status" data-testid="midi-problem">
          {problem}
        </p>
      ) : null}
      <form className="midi-ports" onSubmit={applyPorts} aria-label="MIDI ports">
        <label className="midi-port">
          <span>Input</span>
          <select className="input input--compact" data-testid="midi-input" value={input} disabled={disabled} onChange={(e) => setInput(e.target.value)}>
            <option value="">Off</option>
            {inputChoices.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label className="midi-port">
          <span>Feedback</span>
          <select className="input input--compact" data-testid="midi-output" value={output} disabled={disabled} onChange={(e) => setOutput(e.target.value)}>
            <option value="">None</option>
            {outputChoices.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button button--small" data-testid="midi-ports-apply" disabled={disabled}>
          Use
        </button>
      </form>
      {error ? (
        <p className="midi-problem" role="alert" data-testid="midi-error">
          {error}
        </p>
      ) : null}
      {learning ? (
        <p className="midi-learning" role="status" data-testid="midi-learning">
          Move a control for {learning}…
          <button type="button" className="link-button" data-testid="midi-learn-cancel" onClick={() => void send({ type: 'midiCancelLearn' })}>
            Cancel
          </button>
        </p>
      ) : null}
      <div className="midi-actions" aria-label="Learn">
        {BUTTONS.map((action) => learnButton(action))}
      </div>
      <div className="midi-actions" aria-label="Learn a fader">
        {FADERS.map((action) => learnButton(action))}
      </div>
      <div className="midi-actions midi-fire">
        <select
          className="input input--compact"
          aria-label="Cue to fire"
          data-testid="midi-fire-cue"
          value={cue}
          disabled={!canLearn || cues.length === 0}
          onChange={(e) => setCue(e.target.value)}
        >
          {cues.length === 0 ? <option value="">No cues</option> : null}
          {cues.map((c) => (
            <option key={c.id} value={c.number}>
              Cue {c.number}
            </option>
          ))}
        </select>
        {learnButton('fireCue', { cue })}
      </div>
      {midi && midi.mappings.length > 0 ? (
        <table className="midi-mappings" data-testid="midi-mappings">
          <thead>
            <tr>
              <th scope="col">Action</th>
              <th scope="col">Message</th>
              <th scope="col">Ch</th>
              <th scope="col">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {midi.mappings.map((m) => (
              <tr key={mappingKey(m)} data-testid="midi-mapping">
                <td>{actionLabel(m)}</td>
                <td>
                  {KIND_WORDS[m.kind]} {m.number}
                </td>
                <td>{m.channel}</td>
                <td>
                  <button
                    type="button"
                    className="link-button"
                    data-testid="midi-mapping-remove"
                    disabled={disabled}
                    aria-label={`Remove ${actionLabel(m)} (${KIND_WORDS[m.kind]} ${m.number}, channel ${m.channel})`}
                    onClick={() => void send({ type: 'midiRemoveMapping', kind: m.kind, channel: m.channel, number: m.number })}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : midi ? (
        <p className="midi-empty">No control bound yet: press an action above, then move a control.</p>
      ) : null}
    </section>
  );
}
