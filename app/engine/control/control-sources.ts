/**
 * The show-control sources of a node besides OSC and the console: DMX in, MIDI
 * Show Control and MIDI control, each off unless enabled in control.json
 * (control-config.ts). One rate limiter for all (a token bucket per source and
 * command, OSC's defaults). A source that cannot open is logged and left off; the
 * node runs on.
 *
 * MIDI learn (contract/midi.ts) is answered here: the console chooses the MIDI
 * ports and binds controls; every change to the MIDI settings (ports, a control
 * learnt or removed) is written back to control.json, so it is the machine's and
 * survives a restart.
 */
import type { ControlConfig, ControlSourcesStatus, MidiControlConfig } from '../../contract/control-sources.js';
import type { CommandResult } from '../../contract/connection.js';
import { engineError } from '../../contract/errors.js';
import type { MidiCommand } from '../../contract/midi.js';
import type { MidiPorts } from '../midi/midi-ports.js';
import type { Result } from '../result.js';
import { writeControlConfig } from './control-config.js';
import type { ClientHub } from './client-hub.js';
import { DmxSource } from './dmx-source.js';
import { MidiControlSource } from './midi-control-source.js';
import { MscSource } from './msc-source.js';
import type { Engine } from '../engine.js';
import { RateLimiter, type RateLimitOptions } from './rate-limit.js';

export interface ControlSourcesOptions {
  config: ControlConfig;
  hub: ClientHub;
  /** For MIDI feedback on state changes. */
  engine?: Pick<Engine, 'on' | 'off'>;
  /** MIDI ports, opened only when MSC or MIDI control is enabled or the console asks for them (openSystemMidi, or a stand-in in tests). */
  midi: () => Result<MidiPorts>;
  /** Where control.json is written back when MIDI learn changes the MIDI settings; null or absent = kept in memory only. */
  configDir?: string | null;
  rateLimit?: RateLimitOptions;
  log: (line: string) => void;
  dmxTickMs?: number;
}

export class ControlSources {
  readonly limiter: RateLimiter;
  private midiSource: MidiControlSource | null;
  /** The machine's settings as in force (written back to control.json on a MIDI change). */
  private config: ControlConfig;
  /** The MIDI system once it opened (a failure is retried on the next ask: a driver may be loaded meanwhile). */
  private ports: MidiPorts | null;
  private portList: NonNullable<ControlSourcesStatus['midiPorts']> | null = null;

  private constructor(
    readonly dmx: DmxSource | null,
    readonly msc: MscSource | null,
    midi: MidiControlSource | null,
    limiter: RateLimiter,
    private readonly options: ControlSourcesOptions,
    ports: MidiPorts | null,
  ) {
    this.limiter = limiter;
    this.midiSource = midi;
    this.config = options.config;
    this.ports = ports;
    midi?.setOnLearned(() => this.midiChanged());
  }

  /** MIDI control (null while off). */
  get midi(): MidiControlSource | null {
    return this.midiSource;
  }

  static async start(options: ControlSourcesOptions): Promise<ControlSources> {
    const limiter = new RateLimiter(options.rateLimit);
    const { config, hub, log } = options;
    let dmx: DmxSource | null = null;
    if (config.dmx.enabled) {
      try {
        dmx = await DmxSource.start({ config: config.dmx, hub, limiter, log, ...(options.dmxTickMs !== undefined ? { tickMs: options.dmxTickMs } : {}) });
      } catch (error) {
        log(`DMX in is off: ${(error as Error).message} (check "dmx" in control.json)`);
      }
    }
    let msc: MscSource | null = null;
    let midi: MidiControlSource | null = null;
    let opened: MidiPorts | null = null;
    if (config.msc.enabled || config.midi.enabled) {
      const ports = options.midi();
      if (!ports.ok) log(`MIDI Show Control and MIDI control are off: ${ports.error.message}`);
      else {
        opened = ports.value;
        if (config.msc.enabled) msc = new MscSource({ config: config.msc, ports: ports.value, hub, limiter, log });
        if (config.midi.enabled && options.engine) midi = new MidiControlSource({ config: config.midi, ports: ports.value, hub, engine: options.engine, limiter, log });
      }
    }
    return new ControlSources(dmx, msc, midi, limiter, options, opened);
  }

  status(): ControlSourcesStatus {
    return {
      dmx: this.dmx?.status() ?? null,
      msc: this.msc?.status() ?? null,
      midi: this.midiSource?.status() ?? null,
      ...(this.portList ? { midiPorts: this.portList } : {}),
    };
  }

  /** The MIDI learn commands (contract/midi.ts). */
  command(command: MidiCommand): CommandResult {
    switch (command.type) {
      case 'listMidiPorts':
        this.listPorts();
        this.publish();
        return { ok: true };
      case 'setMidiPorts':
        return this.setPorts(command.input.trim(), command.output.trim());
      case 'midiLearn': {
        if (!this.midiSource) return { ok: false, error: engineError('input-failed', "MIDI learn needs a MIDI input: choose the controller's input port first.") };
        this.midiSource.control.learn(command.action, command.cue);
        this.options.log(`MIDI learn: waiting for a control for ${command.action}${command.cue ? ` ${command.cue}` : ''}`);
        this.publish();
        return { ok: true };
      }
      case 'midiCancelLearn':
        this.midiSource?.control.cancelLearn();
        this.publish();
        return { ok: true };
      case 'midiRemoveMapping': {
        const { kind, channel, number } = command;
        if (!this.midiSource?.remove({ kind, channel, number }))
          return { ok: false, error: engineError('show-edit', `No MIDI mapping on ${kind} ${number}, channel ${channel}: nothing was removed.`) };
        this.midiChanged();
        return { ok: true };
      }
    }
  }

  async stop(): Promise<void> {
    this.midiSource?.stop();
    await Promise.all([this.dmx?.stop(), this.msc?.stop()]);
  }

  /** The MIDI system, opened on first need; null (with the reason in the port list) where there is none. */
  private openPorts(): MidiPorts | null {
    if (this.ports) return this.ports;
    const ports = this.options.midi();
    if (ports.ok) this.ports = ports.value;
    else this.portList = { inputs: [], outputs: [], problem: ports.error.message };
    return this.ports;
  }

  private listPorts(): void {
    const ports = this.openPorts();
    if (!ports) return;
    try {
      this.portList = { inputs: ports.inputNames(), outputs: ports.outputNames(), problem: null };
    } catch (error) {
      this.portList = { inputs: [], outputs: [], problem: `The MIDI ports could not be listed: ${(error as Error).message}` };
    }
  }

  /** Reopens MIDI control on other ports (input '' = off), keeping the mappings; saved. */
  private setPorts(input: string, output: string): CommandResult {
    const midi: MidiControlConfig = { ...this.config.midi, enabled: input !== '', input, output, mappings: [...(this.midiSource?.control.bindings ?? this.config.midi.mappings)] };
    this.midiSource?.stop();
    this.midiSource = null;
    this.config = { ...this.config, midi };
    if (midi.enabled) {
      const ports = this.openPorts();
      if (!ports || !this.options.engine) {
        this.publish();
        return { ok: false, error: engineError('input-failed', this.portList?.problem ?? 'MIDI control needs the engine (this control plane runs without one).') };
      }
      this.midiSource = new MidiControlSource({ config: midi, ports, hub: this.options.hub, engine: this.options.engine, limiter: this.limiter, log: this.options.log });
      this.midiSource.setOnLearned(() => this.midiChanged());
      this.options.log(`MIDI control on input "${input}"${output ? `, feedback to "${output}"` : ''}`);
    } else this.options.log('MIDI control off (no input chosen)');
    this.listPorts();
    this.save();
    this.publish();
    const problem = this.midiSource?.status().problem ?? null;
    return problem ? { ok: false, error: engineError('input-failed', problem) } : { ok: true };
  }

  /** The mappings changed (learnt or removed): saved with the machine's settings and shown. */
  private midiChanged(): void {
    if (this.midiSource) this.config = { ...this.config, midi: { ...this.config.midi, mappings: [...this.midiSource.control.bindings] } };
    this.save();
    this.publish();
  }

  private save(): void {
    const dir = this.options.configDir;
    if (!dir) return;
    const problem = writeControlConfig(dir, this.config);
    if (problem) this.options.log(problem);
  }

  /** A fresh state to every console: the control status rides in it. */
  private publish(): void {
    void this.options.hub.submit({ type: 'getState' }, 'midi learn');
  }
}
