/**
 * MIDI Show Control wired to the engine: SysEx from one MIDI input (MidiPorts, so
 * tests hand a stand-in where there is no ALSA sequencer) is parsed (msc.ts),
 * filtered by this machine's device id / groups / all-call, mapped to commands
 * (GO, TIMED_GO, LOAD, STOP, RESUME, ALL_OFF, RESTORE, RESET) and sent through the
 * rate limiter and the hub like OSC's (CommandSink). Other MIDI (notes, CC, MTC) is
 * not MSC's business and is ignored here.
 */
import type { MscConfig, MscStatus } from '../../contract/control-sources.js';
import type { MidiInputPort, MidiPorts } from '../midi/midi-ports.js';
import type { ClientHub } from './client-hub.js';
import { CommandSink } from './control-counters.js';
import { mscAccepts, mscToCommand, parseMsc, type MscFilter } from './msc.js';
import { RateLimiter, throttledLog } from './rate-limit.js';

export interface MscSourceOptions {
  config: MscConfig;
  ports: MidiPorts;
  hub: ClientHub;
  limiter: RateLimiter;
  log: (line: string) => void;
}

/** F0 7F <id> 02: a real-time universal SysEx of sub-ID 02, MIDI Show Control. */
function looksLikeMsc(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0xf0 && bytes[1] === 0x7f && bytes[3] === 0x02;
}

export class MscSource {
  readonly sink: CommandSink;
  private readonly messages = { received: 0, filtered: 0, malformed: 0 };
  private readonly filter: MscFilter;
  private readonly log: (line: string) => void;
  private port: MidiInputPort | null = null;
  private problem: string | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: MscSourceOptions) {
    this.log = throttledLog(options.log);
    this.filter = { deviceId: options.config.deviceId, groupIds: options.config.groupIds };
    this.sink = new CommandSink(options.hub, options.limiter, `msc ${options.config.input || '(no input)'}`, this.log);
    const opened = options.config.input ? options.ports.openInput(options.config.input) : null;
    if (opened === null) this.problem = 'no MIDI input set (msc.input in control.json)';
    else if (!opened.ok) this.problem = opened.error.message;
    else {
      this.port = opened.value;
      this.port.onMessage((bytes) => this.receive(bytes));
    }
    this.log(this.port ? `MSC: listening on MIDI input "${this.port.name}" as device ${this.filter.deviceId}` : `MSC is off: ${this.problem}`);
  }

  status(): MscStatus {
    return {
      input: this.port?.name ?? this.options.config.input,
      deviceId: this.filter.deviceId,
      open: this.port !== null,
      problem: this.problem,
      messages: { ...this.messages },
      counters: { ...this.sink.counters },
    };
  }

  /** Resolves when every command so far has been answered. */
  settled(): Promise<void> {
    return this.queue;
  }

  async stop(): Promise<void> {
    this.port?.close();
    this.port = null;
    await this.queue;
  }

  private receive(bytes: Uint8Array): void {
    if (!looksLikeMsc(bytes)) return;
    this.messages.received++;
    const parsed = parseMsc(bytes);
    if (!parsed.ok) {
      this.messages.malformed++;
      this.log(`${this.sink.source}: MSC message refused: ${parsed.error}`);
      return;
    }
    if (!mscAccepts(parsed.message, this.filter)) {
      this.messages.filtered++;
      return;
    }
    const mapped = mscToCommand(parsed.message, (number) => this.options.hub.state().show?.document.cues.find((c) => c.number === number)?.id ?? null);
    if (mapped.command === null) {
      this.sink.refuse(mapped.reason);
      return;
    }
    if (mapped.note) this.log(`${this.sink.source}: ${mapped.note}`);
    const command = mapped.command;
    this.queue = this.queue.then(() => this.sink.submit(command));
  }
}
