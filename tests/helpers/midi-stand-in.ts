/**
 * A stand-in for MidiPorts (app/engine/midi/midi-ports.ts): this machine has no
 * ALSA sequencer (/dev/snd/seq), so tests that need a MIDI port use this and say
 * so in their names. Inputs are fed by `inject` (bytes as RtMidi delivers them:
 * whole messages, SysEx assembled); outputs record every message sent, so feedback
 * can be checked byte for byte. Only the port plumbing is stood in: every parser
 * and mapping under test is the engine's own.
 */
import { engineError } from '../../app/contract/errors.js';
import { engineNowMs } from '../../app/engine/clock.js';
import type { MidiInputPort, MidiListener, MidiOutputPort, MidiPorts } from '../../app/engine/midi/midi-ports.js';
import { fail, ok } from '../../app/engine/result.js';

export interface StandInMidi extends MidiPorts {
  /** Delivers one message to every open input named `name`. */
  inject(name: string, bytes: readonly number[]): void;
  /** Messages sent to each output, in order. */
  sent: Map<string, number[][]>;
  /** Inputs open now, by name. */
  openInputs(): string[];
}

export function standInMidiPorts(inputs: string[], outputs: string[] = []): StandInMidi {
  const listeners = new Map<string, Set<MidiListener>>();
  const sent = new Map<string, number[][]>();
  const pick = (names: string[], wanted: string) => names.find((n) => n === wanted) ?? names.find((n) => n.includes(wanted));
  return {
    inputNames: () => [...inputs],
    outputNames: () => [...outputs],
    openInput(name) {
      const found = pick(inputs, name);
      if (!found) return fail(engineError('input-failed', `No MIDI input named "${name}". Inputs here: ${inputs.join(', ') || 'none'}.`));
      const set = new Set<MidiListener>();
      const all = listeners.get(found) ?? new Set<MidiListener>();
      listeners.set(found, all);
      const port: MidiInputPort = {
        name: found,
        onMessage(listener) {
          set.add(listener);
          all.add(listener);
          return () => {
            set.delete(listener);
            all.delete(listener);
          };
        },
        close() {
          for (const l of set) all.delete(l);
          set.clear();
        },
      };
      return ok(port);
    },
    openOutput(name) {
      const found = pick(outputs, name);
      if (!found) return fail(engineError('output-failed', `No MIDI output named "${name}".`));
      const log = sent.get(found) ?? [];
      sent.set(found, log);
      const port: MidiOutputPort = { name: found, send: (bytes) => void log.push([...bytes]), close: () => {} };
      return ok(port);
    },
    inject(name, bytes) {
      const at = engineNowMs();
      for (const l of listeners.get(name) ?? []) l(Uint8Array.from(bytes), at);
    },
    sent,
    openInputs: () => [...listeners.entries()].filter(([, s]) => s.size > 0).map(([n]) => n),
  };
}
