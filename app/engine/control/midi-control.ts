/**
 * MIDI control surfaces: the machine's mappings (control.json "midi", not the show)
 * turn notes, CCs and program changes into commands, faders into levels, and the
 * show's state back into LED feedback on the controller. Learn binds the next
 * control moved to an action. Pure of I/O: the caller feeds MIDI bytes in and sends
 * what `feedback` returns out (midi-control-source.ts does both over MidiPorts).
 *
 * Buttons: a note-on with velocity > 0, a CC rising through 64 (re-armed below 64,
 * so a held button or a fader parked high fires once), a program change. Faders: a
 * CC's value 0-127 as 0..1 sends the faders' commands (contract/levels.ts): master ->
 * setMasterLevel, strength -> setStrength, transition time -> setTransitionTime over
 * 0 to MIDI_TRANSITION_MAX_MS; the seed fader sets the seed to the value itself. Note-off
 * / velocity 0 is a release and does nothing.
 * Feedback, per mapping on a note or CC: 127 (LED on) / 0 (off) as note-on or CC on
 * the mapping's channel: a fireCue button lights while its cue is on standby, a
 * panic button while the wall is in panic, GO while there is a standby cue to go
 * to. Only changes are sent (and everything once when asked, for a controller that
 * just connected).
 */
import type { CommandInput } from '../../contract/commands.js';
import { MIDI_FADER_ACTIONS, type MidiAction, type MidiMapping } from '../../contract/control-sources.js';

export interface MidiEvent {
  kind: MidiMapping['kind'];
  /** 1-16. */
  channel: number;
  number: number;
  /** Velocity or CC value 0-127; program change: 127. */
  value: number;
}

/** One channel-voice message as an event; null for anything else (SysEx, clock, note-off, aftertouch...). */
export function midiEvent(bytes: ArrayLike<number>): MidiEvent | null {
  const status = bytes[0] ?? 0;
  const type = status & 0xf0;
  const channel = (status & 0x0f) + 1;
  const a = bytes[1] ?? -1;
  const b = bytes[2] ?? -1;
  if (a < 0 || a > 127) return null;
  if (type === 0x90 && b >= 0 && b <= 127) return { kind: 'note', channel, number: a, value: b };
  if (type === 0x80 && b >= 0 && b <= 127) return { kind: 'note', channel, number: a, value: 0 };
  if (type === 0xb0 && b >= 0 && b <= 127) return { kind: 'cc', channel, number: a, value: b };
  if (type === 0xc0) return { kind: 'program', channel, number: a, value: 127 };
  return null;
}

/** A transition-time fader at the top, ms (0-127 in steps of about 79 ms). */
export const MIDI_TRANSITION_MAX_MS = 10_000;

const isFader = (action: MidiAction) => (MIDI_FADER_ACTIONS as readonly string[]).includes(action);
const key = (m: { kind: string; channel: number; number: number }) => `${m.kind}/${m.channel}/${m.number}`;

/** What the show looks like to the feedback: the standby cue, the cue list, panic. */
export interface MidiShowView {
  standbyCueId: string | null;
  /** Cues in list order. */
  cues: readonly { id: string; number: string }[];
  panic: boolean;
}

export interface MidiLevels {
  transitionTime: number;
  strength: number;
  master: number;
}

export interface MidiStep {
  commands: CommandInput[];
  /** Fader levels that changed, 0..1. */
  levels: Partial<MidiLevels>;
  /** A mapping bound by learn. */
  learned?: MidiMapping;
}

export class MidiControl {
  private mappings: MidiMapping[];
  /** CC buttons: armed below 64. */
  private readonly ccArmed = new Map<string, boolean>();
  private learning: { action: MidiAction; cue?: string } | null = null;
  /** LED values last sent, by "kind/channel/number". */
  private readonly sent = new Map<string, number>();

  constructor(mappings: readonly MidiMapping[]) {
    this.mappings = [...mappings];
  }

  get bindings(): readonly MidiMapping[] {
    return this.mappings;
  }

  get learningAction(): MidiAction | null {
    return this.learning?.action ?? null;
  }

  /** The cue number a fireCue being learnt will fire; null otherwise. */
  get learningCue(): string | null {
    return this.learning?.cue ?? null;
  }

  /** Drops the binding of one control; false when it had none. */
  remove(control: Pick<MidiMapping, 'kind' | 'channel' | 'number'>): boolean {
    const before = this.mappings.length;
    this.mappings = this.mappings.filter((m) => key(m) !== key(control));
    this.ccArmed.delete(key(control));
    // Its LED is no longer ours to drive: forgotten, so a later binding of the same control sends its value again.
    this.sent.delete(key(control));
    return this.mappings.length < before;
  }

  /** The next note, CC or program change binds to `action` (replacing that control's old binding). */
  learn(action: MidiAction, cue?: string): void {
    this.learning = cue === undefined ? { action } : { action, cue };
  }

  cancelLearn(): void {
    this.learning = null;
  }

  receive(bytes: ArrayLike<number>, view: MidiShowView): MidiStep {
    const out: MidiStep = { commands: [], levels: {} };
    const event = midiEvent(bytes);
    if (!event) return out;
    if (this.learning) {
      // A release (note-off, CC back at 0) is not a control being moved to bind.
      if (event.value === 0 && event.kind !== 'program') return out;
      const { action, cue } = this.learning;
      const mapping: MidiMapping = { kind: event.kind, channel: event.channel, number: event.number, action, ...(cue !== undefined ? { cue } : {}) };
      this.mappings = [...this.mappings.filter((m) => key(m) !== key(mapping)), mapping];
      this.learning = null;
      if (event.kind === 'cc') this.ccArmed.set(key(mapping), event.value < 64);
      out.learned = mapping;
      return out;
    }
    for (const m of this.mappings) {
      if (key(m) !== key(event)) continue;
      if (isFader(m.action)) {
        if (event.kind !== 'cc') continue;
        if (m.action === 'seed') out.commands.push({ type: 'setSeed', seed: event.value });
        else {
          const level = event.value / 127;
          out.levels[m.action as keyof MidiLevels] = level;
          out.commands.push(faderCommand(m.action as keyof MidiLevels, level));
        }
        continue;
      }
      if (!this.pressed(m, event)) continue;
      const command = this.buttonCommand(m, view);
      if (command) out.commands.push(command);
    }
    return out;
  }

  /**
   * LED messages for the state: only what changed since the last call, or all of
   * them with `all` (a controller that just connected, or after a learn).
   */
  feedback(view: MidiShowView, all = false): number[][] {
    const messages: number[][] = [];
    const standbyNumber = view.cues.find((c) => c.id === view.standbyCueId)?.number ?? null;
    for (const m of this.mappings) {
      if (m.kind === 'program' || isFader(m.action)) continue;
      const lit =
        m.action === 'fireCue'
          ? m.cue !== undefined && m.cue === standbyNumber
          : m.action === 'panic'
            ? view.panic
            : m.action === 'go'
              ? view.standbyCueId !== null
              : m.action === 'restore'
                ? view.panic
                : false;
      const value = lit ? 127 : 0;
      const k = key(m);
      if (!all && this.sent.get(k) === value) continue;
      this.sent.set(k, value);
      messages.push([(m.kind === 'note' ? 0x90 : 0xb0) | (m.channel - 1), m.number, value]);
    }
    return messages;
  }

  private pressed(m: MidiMapping, event: MidiEvent): boolean {
    if (event.kind === 'program') return true;
    if (event.kind === 'note') return event.value > 0;
    const k = key(m);
    const armed = this.ccArmed.get(k) ?? true;
    if (event.value < 64) {
      this.ccArmed.set(k, true);
      return false;
    }
    this.ccArmed.set(k, false);
    return armed;
  }

  private buttonCommand(m: MidiMapping, view: MidiShowView): CommandInput | null {
    switch (m.action) {
      case 'go':
        return { type: 'go' };
      case 'back':
        return { type: 'back' };
      case 'panic':
        return { type: 'panic', mode: 'black' };
      case 'restore':
        return { type: 'restore' };
      case 'fireCue':
        return m.cue === undefined ? null : { type: 'fireCue', number: m.cue };
      case 'standbyUp':
      case 'standbyDown': {
        if (view.cues.length === 0) return null;
        const at = view.cues.findIndex((c) => c.id === view.standbyCueId);
        const next = m.action === 'standbyDown' ? (at < 0 ? 0 : Math.min(view.cues.length - 1, at + 1)) : at < 0 ? view.cues.length - 1 : Math.max(0, at - 1);
        const cue = view.cues[next];
        return cue && cue.id !== view.standbyCueId ? { type: 'standby', cueId: cue.id } : null;
      }
      default:
        return null;
    }
  }
}

/** A fader's level 0..1 as its command. */
function faderCommand(action: keyof MidiLevels, level: number): CommandInput {
  switch (action) {
    case 'master':
      return { type: 'setMasterLevel', level };
    case 'strength':
      return { type: 'setStrength', strength: level };
    case 'transitionTime':
      return { type: 'setTransitionTime', durationMs: Math.round(level * MIDI_TRANSITION_MAX_MS) };
  }
}
