/**
 * MIDI control wired to the engine: one MIDI input (MidiPorts) through the
 * machine's mappings (MidiControl) to commands, sent through the rate limiter and
 * the hub like OSC's; fader levels held for the status; LED feedback to the MIDI
 * output on every state change (only what changed) and in full when it opens.
 */
import { MIDI_FADER_ACTIONS, type MidiControlConfig, type MidiControlStatus, type MidiMapping } from '../../contract/control-sources.js';
import type { EngineEvent } from '../../contract/messages.js';
import type { EngineState } from '../../contract/state.js';
import type { Engine } from '../engine.js';
import type { MidiInputPort, MidiOutputPort, MidiPorts } from '../midi/midi-ports.js';
import type { ClientHub } from './client-hub.js';
import { CommandSink } from './control-counters.js';
import { MidiControl, type MidiLevels, type MidiShowView } from './midi-control.js';
import { RateLimiter, throttledLog } from './rate-limit.js';

export interface MidiControlSourceOptions {
  config: MidiControlConfig;
  ports: MidiPorts;
  hub: ClientHub;
  engine: Pick<Engine, 'on' | 'off'>;
  limiter: RateLimiter;
  log: (line: string) => void;
  /** A mapping was bound by learn (the caller saves the mappings to control.json). */
  onLearned?: (mappings: readonly MidiMapping[]) => void;
}

const showView = (state: EngineState): MidiShowView => ({
  standbyCueId: state.show?.standbyCueId ?? null,
  cues: state.show?.document.cues ?? [],
  panic: state.program.panic !== 'none',
});

export class MidiControlSource {
  readonly sink: CommandSink;
  readonly control: MidiControl;
  readonly levels: Partial<MidiLevels> = {};
  private readonly log: (line: string) => void;
  private input: MidiInputPort | null = null;
  private output: MidiOutputPort | null = null;
  /** Why the input or the output did not open, for the console; null when both did (or none was asked for). */
  private problem: string | null = null;
  private onLearned: ((mappings: readonly MidiMapping[]) => void) | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly onEngineEvent = (event: EngineEvent) => {
    if (event.kind === 'state') this.sendFeedback(event.state, false);
  };

  constructor(private readonly options: MidiControlSourceOptions) {
    this.log = throttledLog(options.log);
    this.onLearned = options.onLearned;
    this.control = new MidiControl(options.config.mappings);
    this.sink = new CommandSink(options.hub, options.limiter, `midi ${options.config.input || '(no input)'}`, this.log);
    const input = options.config.input ? options.ports.openInput(options.config.input) : null;
    if (input && input.ok) {
      this.input = input.value;
      this.input.onMessage((bytes) => this.receive(bytes));
    } else {
      const why = input ? input.error.message : 'no input set (midi.input in control.json)';
      this.problem = `MIDI control input is off: ${why}`;
      this.log(this.problem);
    }
    if (options.config.output) {
      const output = options.ports.openOutput(options.config.output);
      if (output.ok) this.output = output.value;
      else {
        const line = `MIDI feedback is off: ${output.error.message} Outputs here: ${options.ports.outputNames().join(', ') || 'none'}.`;
        this.problem = this.problem ? `${this.problem} ${line}` : line;
        this.log(line);
      }
    }
    options.engine.on('event', this.onEngineEvent);
    this.sendFeedback(options.hub.state(), true);
  }

  /** Who hears of a mapping bound by learn (replaces the option's). */
  setOnLearned(listener: (mappings: readonly MidiMapping[]) => void): void {
    this.onLearned = listener;
  }

  settled(): Promise<void> {
    return this.queue;
  }

  status(): MidiControlStatus {
    return {
      input: this.input?.name ?? this.options.config.input,
      output: this.output?.name ?? '',
      open: this.input !== null,
      mappings: [...this.control.bindings],
      learning: this.control.learningAction,
      learningCue: this.control.learningCue,
      problem: this.problem,
      levels: { ...this.levels },
      counters: { ...this.sink.counters },
    };
  }

  /** Removes one control's binding and turns its LED off; false when it had none. */
  remove(control: Pick<MidiMapping, 'kind' | 'channel' | 'number'>): boolean {
    const mapping = this.control.bindings.find((m) => m.kind === control.kind && m.channel === control.channel && m.number === control.number);
    if (!mapping || !this.control.remove(mapping)) return false;
    if (this.output && mapping.kind !== 'program' && !(MIDI_FADER_ACTIONS as readonly string[]).includes(mapping.action))
      this.output.send([(mapping.kind === 'note' ? 0x90 : 0xb0) | (mapping.channel - 1), mapping.number, 0]);
    return true;
  }

  stop(): void {
    this.options.engine.off('event', this.onEngineEvent);
    this.input?.close();
    this.output?.close();
  }

  private receive(bytes: Uint8Array): void {
    const step = this.control.receive(bytes, showView(this.options.hub.state()));
    Object.assign(this.levels, step.levels);
    if (step.learned) {
      this.log(
        `MIDI learn: ${step.learned.kind} ${step.learned.number} on channel ${step.learned.channel} -> ${step.learned.action}${step.learned.cue ? ` ${step.learned.cue}` : ''}`,
      );
      // Every LED once before anyone hears of it: the listener publishes a state, whose feedback then finds nothing new.
      this.sendFeedback(this.options.hub.state(), true);
      this.onLearned?.(this.control.bindings);
    }
    for (const command of step.commands) this.queue = this.queue.then(() => this.sink.submit(command));
  }

  private sendFeedback(state: EngineState, all: boolean): void {
    if (!this.output) return;
    for (const message of this.control.feedback(showView(state), all)) this.output.send(message);
  }
}
