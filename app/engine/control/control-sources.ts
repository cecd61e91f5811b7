/**
 * The show-control sources of a node besides OSC and the console: DMX in and MIDI
 * Show Control, each off unless enabled in control.json (control-config.ts). One
 * rate limiter for both (a token bucket per source and command, OSC's defaults).
 * A source that cannot open is logged and left off; the node runs on.
 */
import type { ControlConfig, ControlSourcesStatus } from '../../contract/control-sources.js';
import type { MidiPorts } from '../midi/midi-ports.js';
import type { Result } from '../result.js';
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
  /** MIDI ports, opened only when MSC or MIDI control is enabled (openSystemMidi, or a stand-in in tests). */
  midi: () => Result<MidiPorts>;
  rateLimit?: RateLimitOptions;
  log: (line: string) => void;
  dmxTickMs?: number;
}

export class ControlSources {
  readonly limiter: RateLimiter;

  private constructor(
    readonly dmx: DmxSource | null,
    readonly msc: MscSource | null,
    readonly midi: MidiControlSource | null,
    limiter: RateLimiter,
  ) {
    this.limiter = limiter;
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
    if (config.msc.enabled || config.midi.enabled) {
      const ports = options.midi();
      if (!ports.ok) log(`MIDI Show Control and MIDI control are off: ${ports.error.message}`);
      else {
        if (config.msc.enabled) msc = new MscSource({ config: config.msc, ports: ports.value, hub, limiter, log });
        if (config.midi.enabled && options.engine) midi = new MidiControlSource({ config: config.midi, ports: ports.value, hub, engine: options.engine, limiter, log });
      }
    }
    return new ControlSources(dmx, msc, midi, limiter);
  }

  status(): ControlSourcesStatus {
    return { dmx: this.dmx?.status() ?? null, msc: this.msc?.status() ?? null, midi: this.midi?.status() ?? null };
  }

  async stop(): Promise<void> {
    this.midi?.stop();
    await Promise.all([this.dmx?.stop(), this.msc?.stop()]);
  }
}
