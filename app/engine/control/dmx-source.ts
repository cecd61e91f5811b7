/**
 * DMX in wired to the engine: the machine's DMX settings (contract/control-sources.ts)
 * open one DmxInput (Art-Net or sACN, dmx-input.ts); the interpreter's commands
 * (GO on a rising edge, cue select by position, panic, restore, seed) go through
 * the rate limiter and the hub like OSC's (CommandSink), the faders' commands (master,
 * crossfade time, prompt blend, strength, input select) paced there rather than dropped;
 * the channels in force are reported in the status; problems and signal changes are
 * logged (throttled).
 */
import type { DmxConfig, DmxStatus } from '../../contract/control-sources.js';
import { engineNowMs } from '../clock.js';
import type { ClientHub } from './client-hub.js';
import { CommandSink } from './control-counters.js';
import { openDmxInput, type DmxInput } from './dmx-input.js';
import type { DmxStep } from './dmx-interpreter.js';
import { RateLimiter, throttledLog } from './rate-limit.js';

export interface DmxSourceOptions {
  config: DmxConfig;
  hub: ClientHub;
  limiter: RateLimiter;
  log: (line: string) => void;
  /** How often loss of signal is checked, ms (dmx-input.ts default 250). */
  tickMs?: number;
}

const DEFAULT_PORTS = { sacn: 5568, artnet: 6454 } as const;

export class DmxSource {
  readonly sink: CommandSink;
  private input: DmxInput | null = null;
  /** Commands of one packet are sent in order; the next packet's wait for them. */
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly options: DmxSourceOptions,
    private readonly log: (line: string) => void,
  ) {
    const { protocol, universe } = options.config;
    this.sink = new CommandSink(options.hub, options.limiter, `dmx ${protocol} u${universe}`, log);
  }

  static async start(options: DmxSourceOptions): Promise<DmxSource> {
    const log = throttledLog(options.log);
    const source = new DmxSource(options, log);
    const { config } = options;
    source.input = await openDmxInput({
      protocol: config.protocol,
      patch: { universe: config.universe, startAddress: config.startAddress },
      port: config.port ?? DEFAULT_PORTS[config.protocol],
      ...(config.iface ? { iface: config.iface } : {}),
      allow: config.allow,
      sourceTimeoutMs: config.sourceTimeoutMs,
      ...(options.tickMs !== undefined ? { tickMs: options.tickMs } : {}),
      now: engineNowMs,
      cueNumberAt: (position) => options.hub.state().show?.document.cues[position - 1]?.number ?? null,
      onStep: (step) => source.onStep(step),
    });
    log(
      `DMX in: ${config.protocol === 'sacn' ? 'sACN' : 'Art-Net'} universe ${config.universe}, start address ${config.startAddress}, port ${config.port ?? DEFAULT_PORTS[config.protocol]}${config.iface ? ` on ${config.iface}` : ''}`,
    );
    return source;
  }

  /** Resolves when the commands of every packet so far have been answered. */
  settled(): Promise<void> {
    return this.queue;
  }

  status(): DmxStatus {
    const { config } = this.options;
    const input = this.input;
    const values = input?.interpreter.values ?? null;
    return {
      protocol: config.protocol,
      universe: config.universe,
      startAddress: config.startAddress,
      port: config.port ?? DEFAULT_PORTS[config.protocol],
      iface: config.iface ?? null,
      signal: input?.interpreter.signalState ?? 'none',
      packets: {
        received: input?.stats.packets ?? 0,
        corrupt: input?.stats.corrupt ?? 0,
        wrongUniverse: input?.stats.wrongUniverse ?? 0,
        refusedSources: input?.stats.refusedSources ?? 0,
      },
      counters: { ...this.sink.counters },
      values: values
        ? {
            master: values.master,
            crossfadeMs: values.crossfadeMs,
            promptBlend: values.promptBlend,
            strength: values.strength,
            input: values.input,
            cuePosition: values.cuePosition,
          }
        : null,
    };
  }

  async stop(): Promise<void> {
    await this.input?.close();
    await this.queue;
    this.sink.stop();
  }

  private onStep(step: DmxStep): void {
    for (const problem of step.problems) this.log(`${this.sink.source}: ${problem}`);
    if (step.signal === 'lost')
      this.log(`DMX signal lost (no source for ${this.options.config.sourceTimeoutMs} ms): holding the last values; GO needs a fresh rise when it is back`);
    if (step.commands.length === 0) return;
    const at = engineNowMs();
    const commands = step.commands;
    this.queue = this.queue.then(async () => {
      for (const command of commands) await this.sink.submit(command, at);
    });
  }
}
