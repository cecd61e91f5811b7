/**
 * MIDI ports, the one place the MIDI library is touched. MTC chase (timecode), MIDI Show Control and
 * MIDI control/learn (control) all take a `MidiPorts`, so tests hand them a stand-in where this
 * machine has no MIDI (no ALSA sequencer in a container: /dev/snd/seq is missing) and the real
 * RtMidi ports elsewhere.
 *
 * Messages arrive whole (RtMidi assembles SysEx), with the engine-clock instant they arrived at,
 * so MTC quarter-frames can be timed. Nothing here parses a message.
 */
import { createRequire } from 'node:module';
import { engineError } from '../../contract/errors.js';
import type { EngineClock } from '../clock.js';
import { fail, ok, type Result } from '../result.js';

export type MidiListener = (bytes: Uint8Array, atClockMs: number) => void;

export interface MidiInputPort {
  readonly name: string;
  /** Adds a listener; returns its removal. */
  onMessage(listener: MidiListener): () => void;
  close(): void;
}

export interface MidiOutputPort {
  readonly name: string;
  send(bytes: readonly number[]): void;
  close(): void;
}

export interface MidiPorts {
  inputNames(): string[];
  outputNames(): string[];
  /** Opens the input whose name is `name` exactly, else the first that contains it. */
  openInput(name: string): Result<MidiInputPort>;
  openOutput(name: string): Result<MidiOutputPort>;
}

type RtMidi = typeof import('@julusian/midi');

const NO_MIDI_HINT =
  'MIDI is not available on this machine (the ALSA sequencer, /dev/snd/seq, is missing: load snd-seq, or in a container pass --device /dev/snd). Timecode and control can come over NDI audio, OSC or DMX instead.';

function pickPort(names: string[], wanted: string): number {
  const exact = names.indexOf(wanted);
  return exact >= 0 ? exact : names.findIndex((n) => n.includes(wanted));
}

/** The system's MIDI ports through RtMidi; a clear error (not a throw) where MIDI cannot start. */
export function openSystemMidi(clock: EngineClock): Result<MidiPorts> {
  let midi: RtMidi;
  try {
    midi = createRequire(import.meta.url)('@julusian/midi') as RtMidi;
    new midi.Input().destroy(); // RtMidi opens the sequencer here; fails fast where there is none
  } catch (err) {
    return fail(engineError('input-failed', NO_MIDI_HINT, { cause: err instanceof Error ? err.message : String(err) }));
  }
  const names = (port: { getPortCount(): number; getPortName(i: number): string }): string[] => Array.from({ length: port.getPortCount() }, (_, i) => port.getPortName(i));
  return ok({
    inputNames: () => {
      const probe = new midi.Input();
      try {
        return names(probe);
      } finally {
        probe.destroy();
      }
    },
    outputNames: () => {
      const probe = new midi.Output();
      try {
        return names(probe);
      } finally {
        probe.destroy();
      }
    },
    openInput(name) {
      const input = new midi.Input();
      const index = pickPort(names(input), name);
      if (index < 0) {
        input.destroy();
        return fail(engineError('input-failed', `No MIDI input named "${name}". Inputs here: ${names(new midi.Input()).join(', ') || 'none'}.`));
      }
      input.ignoreTypes(false, false, true); // SysEx (MSC, MTC full frame) and timing (MTC quarter frames) wanted
      input.openPort(index);
      const listeners = new Set<MidiListener>();
      input.on('message', (_delta, message) => {
        const bytes = Uint8Array.from(message);
        const at = clock.nowMs();
        for (const listener of listeners) listener(bytes, at);
      });
      return ok({
        name: input.getPortName(index),
        onMessage(listener) {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
        close: () => input.destroy(),
      });
    },
    openOutput(name) {
      const output = new midi.Output();
      const index = pickPort(names(output), name);
      if (index < 0) {
        output.destroy();
        return fail(engineError('output-failed', `No MIDI output named "${name}".`));
      }
      output.openPort(index);
      return ok({ name: output.getPortName(index), send: (bytes) => output.sendMessage([...bytes]), close: () => output.destroy() });
    },
  });
}
