/**
 * Scheduled actions on a node (contract/cluster.ts): a director sends an operator
 * action with the instant it applies (realtime ms, the PTP/NTP-disciplined clock);
 * the node holds it until then and applies it once per id. One that arrives after
 * its instant is applied at once and reported late, never dropped.
 *
 * This first version waits on a timer for the realtime instant; frame lock (tick k
 * at epoch + k x period on the same clock) makes the instant an output tick.
 */
import type { Command } from '../../contract/commands.js';
import type { ScheduleReply } from '../../contract/cluster.js';
import type { EngineClock } from '../clock.js';

type Scheduled = Extract<Command, { type: 'scheduled' }>;

/** Ids remembered for duplicate detection; a director's resend window is far shorter than this many actions. */
const REMEMBERED_IDS = 1024;

export interface CommandSchedulerOptions {
  clock: EngineClock;
  /** Applies the held action (the engine's own dispatch). */
  apply: (command: Scheduled['command']) => void;
}

export class CommandScheduler {
  private readonly seen = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: CommandSchedulerOptions) {}

  schedule(scheduled: Scheduled): ScheduleReply {
    if (this.seen.has(scheduled.id)) return { duplicate: true, lateMs: 0 };
    this.remember(scheduled.id);
    const waitMs = scheduled.at - this.options.clock.wallMs();
    if (waitMs <= 0) {
      this.options.apply(scheduled.command);
      return { duplicate: false, lateMs: -waitMs };
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.options.apply(scheduled.command);
    }, waitMs);
    this.timers.add(timer);
    return { duplicate: false, lateMs: 0 };
  }

  /** Drops what is still waiting (the engine is stopping). */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private remember(id: string): void {
    this.seen.add(id);
    // A Set iterates in insertion order: the first is the oldest.
    if (this.seen.size > REMEMBERED_IDS) this.seen.delete(this.seen.values().next().value as string);
  }
}
