/**
 * What a show-control source (DMX, MSC) does with the commands it produces: rate
 * limited per source and command like OSC (the shared RateLimiter), then through
 * ClientHub.submit (the contract's validation, the engine's dispatch), counted.
 *
 * Fader commands (contract/levels.ts: master, strength, transition time, crossfade) are
 * paced instead of dropped: one the limiter refuses is held and sent as soon as it has a
 * token again; a newer value of the same fader replaces the held one (counted as rate
 * limited). So a fader moved faster than the limit sends at the limit's pace and its
 * last position always arrives (a T-bar pushed to the end takes).
 */
import type { CommandInput } from '../../contract/commands.js';
import type { ControlCounters } from '../../contract/control.js';
import { isLevelCommand } from '../../contract/levels.js';
import { engineNowMs } from '../clock.js';
import type { ClientHub } from './client-hub.js';
import type { RateLimiter } from './rate-limit.js';

export class CommandSink {
  readonly counters: ControlCounters = { received: 0, dispatched: 0, rejected: 0, rateLimited: 0 };
  /** Fader values waiting for a token, by limiter key; the newest of each fader only. */
  private readonly held = new Map<string, CommandInput>();
  private retry: ReturnType<typeof setTimeout> | null = null;

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
    if (isLevelCommand(command.type)) return this.submitLevel(command, atMs);
    if (!this.limiter.take(`${this.source}|${command.type}`, atMs)) {
      this.counters.rateLimited++;
      this.log(`${this.source}: ${command.type} rate limited (${this.limiter.perSecond}/s, burst ${this.limiter.burst})`);
      return;
    }
    await this.send(command, atMs);
  }

  /** Drops the fader values still held (the source is closing). */
  stop(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.held.clear();
  }

  private async submitLevel(command: CommandInput, atMs: number): Promise<void> {
    const key = `${this.source}|${command.type}`;
    if (this.held.has(key)) {
      this.counters.rateLimited++; // the older held value never goes out
      this.held.set(key, command);
      return;
    }
    if (this.limiter.take(key, atMs)) return this.send(command, atMs);
    this.held.set(key, command);
    this.armRetry();
  }

  /** Sends each held fader value once the limiter has a token for it (its refill period, 50 ms at 20/s). */
  private armRetry(): void {
    if (this.retry) return;
    this.retry = setTimeout(
      () => {
        this.retry = null;
        const now = engineNowMs();
        for (const [key, command] of [...this.held]) {
          if (!this.limiter.take(key, now)) continue;
          this.held.delete(key);
          void this.send(command, now);
        }
        if (this.held.size > 0) this.armRetry();
      },
      Math.ceil(1000 / this.limiter.perSecond),
    );
    this.retry.unref?.();
  }

  private async send(command: CommandInput, atMs: number): Promise<void> {
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
