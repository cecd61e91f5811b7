/**
 * Scheduled actions on a node (contract/cluster.ts): a director sends an operator
 * action with the instant it applies (realtime ms, the PTP/NTP-disciplined clock);
 * the node applies it once per id. One that arrives after its tick is applied at
 * once and reported late (ms and frames), never dropped.
 *
 * Frame-exact: the instant names a tick, the first one of the frame-lock grid at or
 * after it (frame-grid.ts: tick k at k x den/num s since the Unix epoch, the same on
 * every node), and the action must be ON AIR at that tick, not merely commanded then.
 * A new look needs its time to first frame (TTFF) from the generator, so:
 *  1. the action is applied `prerollMs` before its tick (the node's own recent TTFF
 *     plus a margin; at once when the director's lead is shorter), with the tick's
 *     engine instant as the command's time, so transitions, fades and timeline
 *     positions start at tick k exactly;
 *  2. the engine hands the program feed a hold until tick k (frames/program-feed.ts):
 *     the outputs keep sending the old look (its last frame repeats, the generator has
 *     moved on), its level and panic state, while the new look's frames wait;
 *  3. the first output tick at or after tick k's instant releases the hold on every
 *     output: the new look's frame is on air from k. If that frame is not ready by
 *     then (TTFF longer than the lead) it goes on air at the tick it arrives, and the
 *     engine counts how many frames late (state.frameLock.scheduled.lateOnAir).
 * No scheduled commands (one machine, no director): nothing here runs, the engine
 * applies commands at once as ever.
 */
import type { Command } from '../../contract/commands.js';
import type { ScheduleReply } from '../../contract/cluster.js';
import type { FrameRate } from '../../contract/ndi.js';
import { firstTickAtOrAfter, tickInstantMs } from '../frame-grid.js';

type Scheduled = Extract<Command, { type: 'scheduled' }>;

/** Ids remembered for duplicate detection; a director's resend window is far shorter than this many actions. */
const REMEMBERED_IDS = 1024;

/** The tick an action goes on air at, as the engine applies it. */
export interface ScheduledTick {
  /** The grid tick (frame-grid.ts) the action is on air from. */
  tick: number;
  /** That tick's instant: realtime ms on the grid, and engine ms (the command's time). */
  atRealtimeMs: number;
  atEngineMs: number;
}

/** The synchronised clock as the scheduler reads it (clock.ts's SyncedClock). */
export interface SchedulerClock {
  realtimeMs(): number;
  engineMsAt(realtimeMs: number): number;
  engineNowMs(): number;
}

export interface CommandSchedulerOptions {
  clock: SchedulerClock;
  /** The grid's rate: the engine's output rate. */
  rate: FrameRate;
  /** How long before its tick an action is applied (ms): the new look's expected time to first frame, with a margin. */
  prerollMs: () => number;
  /** Applies the held action (the engine's own dispatch), holding the outputs until `at`. */
  apply: (command: Scheduled['command'], at: ScheduledTick) => void;
}

export interface SchedulerCounts {
  pending: number;
  applied: number;
  lateArrivals: number;
  lastLateFrames: number | null;
}

export class CommandScheduler {
  private readonly seen = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private applied = 0;
  private lateArrivals = 0;
  private lastLateFrames: number | null = null;

  constructor(private readonly options: CommandSchedulerOptions) {}

  schedule(scheduled: Scheduled): ScheduleReply {
    if (this.seen.has(scheduled.id)) return { duplicate: true, lateMs: 0, lateFrames: 0 };
    this.remember(scheduled.id);
    const { clock, rate } = this.options;
    const tick = firstTickAtOrAfter(scheduled.at, rate);
    const atRealtimeMs = tickInstantMs(tick, rate);
    const now = clock.realtimeMs();
    if (now >= atRealtimeMs) {
      // Too late for its tick: on air from the next tick there is, and said how late.
      const next = firstTickAtOrAfter(now, rate);
      const lateFrames = next - tick;
      this.lateArrivals++;
      this.lastLateFrames = lateFrames;
      this.applyNow(scheduled.command, next);
      return { duplicate: false, lateMs: Math.max(0, now - scheduled.at), lateFrames };
    }
    const waitMs = clock.engineMsAt(atRealtimeMs - this.options.prerollMs()) - clock.engineNowMs();
    if (waitMs <= 0) {
      this.applyNow(scheduled.command, tick);
      return { duplicate: false, lateMs: 0, lateFrames: 0 };
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.applyNow(scheduled.command, tick);
    }, waitMs);
    this.timers.add(timer);
    return { duplicate: false, lateMs: 0, lateFrames: 0 };
  }

  counts(): SchedulerCounts {
    return { pending: this.timers.size, applied: this.applied, lateArrivals: this.lateArrivals, lastLateFrames: this.lastLateFrames };
  }

  /** Drops what is still waiting (the engine is stopping). */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private applyNow(command: Scheduled['command'], tick: number): void {
    this.applied++;
    const atRealtimeMs = tickInstantMs(tick, this.options.rate);
    this.options.apply(command, { tick, atRealtimeMs, atEngineMs: this.options.clock.engineMsAt(atRealtimeMs) });
  }

  private remember(id: string): void {
    this.seen.add(id);
    // A Set iterates in insertion order: the first is the oldest.
    if (this.seen.size > REMEMBERED_IDS) this.seen.delete(this.seen.values().next().value as string);
  }
}
