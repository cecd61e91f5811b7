/**
 * What a show-control source (DMX, MSC) does with the commands it produces: rate
 * limited per source and command like OSC (the shared RateLimiter), then through
 * ClientHub.submit (the contract's validation, the engine's dispatch), counted.
 */
import type { CommandInput } from '../../contract/commands.js';
import type { ControlCounters } from '../../contract/control.js';
import { engineNowMs } from '../clock.js';
import type { ClientHub } from './client-hub.js';
import type { RateLimiter } from './rate-limit.js';

export class CommandSink {
  readonly counters: ControlCounters = { received: 0, dispatched: 0, rejected: 0, rateLimited: 0 };

  constructor(
    private readonly hub: ClientHub,
    private readonly limiter: RateLimiter,
    /** Names the source in log lines and as the command's source ("dmx sacn u1"). */
    readonly source: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Resolves once the engine has answered (tests wait on it; sources do not). */
  async submit(command: CommandInput, atMs = engineNowMs()): Promise<void> {
    this.counters.received++;
    if (!this.limiter.take(`${this.source}|${command.type}`, atMs)) {
      this.counters.rateLimited++;
      this.log(`${this.source}: ${command.type} rate limited (${this.limiter.perSecond}/s, burst ${this.limiter.burst})`);
      return;
    }
    const result = await this.hub.submit(command, this.source, atMs);
    if (result.ok) this.counters.dispatched++;
    else {
      this.counters.rejected++;
      this.log(`${this.source}: ${command.type} refused: ${result.error.message}`);
    }
  }

  /** A message that produced no command (a reason the operator should see). */
  refuse(reason: string): void {
    this.counters.received++;
    this.counters.rejected++;
    this.log(`${this.source}: ${reason}`);
  }
}
