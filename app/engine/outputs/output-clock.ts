/**
 * The output clock: ticks at an exact rational rate (e.g. 60000/1001) whatever
 * the model's pace, and on every tick hands the program frame to its sinks. A tick
 * that is more than one period late is counted as missed and skipped rather than
 * sent in a burst.
 *
 * Frame lock: tick k is due at epoch + k x den/num s on the synchronised realtime
 * clock (frame-grid.ts, clock.ts's SyncedClock), the Unix epoch being the grid's
 * origin, so tick k is the same instant on every output and every node whose clock
 * is disciplined (PTP/NTP): there is no per-output start phase. The instant is
 * computed from k (integers, no accumulated drift) and waited for on the monotonic
 * engine clock. A realtime step backwards (the grid's next tick suddenly more than
 * two periods away) re-phases the clock onto the grid at once, counted as
 * `rephased`, rather than stalling the output until the old instant comes back.
 */
import { engineError, type EngineError } from '../../contract/errors.js';
import type { FrameRate } from '../../contract/ndi.js';
import type { OutputStatus } from '../../contract/state.js';
import { SyncedClock, systemClock, type EngineClock } from '../clock.js';
import { firstTickAtOrAfter, periodMs, tickInstantMs } from '../frame-grid.js';
import type { OutputFeed } from '../frames/program-feed.js';
import type { FrameSink } from './frame-sink.js';

export const RATE_29_97: FrameRate = { num: 30000, den: 1001 };
export const RATE_30: FrameRate = { num: 30, den: 1 };

export interface OutputClockOptions {
  rate: FrameRate;
  /** The program to send (frames, level) and where a sink's failure is reported (frames/program-feed.ts). */
  feed: OutputFeed;
  /**
   * Where tick times are read (default: the real engine clock). A test clock drives
   * the tick accounting (which tick is due, late ticks counted as missed, the fps
   * window) but not when a tick runs: ticks are scheduled with setTimeout for the
   * delay that clock reports, so a clock that stands still makes each wait longer
   * and one that jumps ahead makes the next tick count the jump as missed ticks.
   */
  clock?: EngineClock;
  /** The synchronised realtime clock the grid is on (the engine's one, shared by its outputs); default: one on `clock`. */
  synced?: SyncedClock;
  /** Whether the output can be deselected (blanked); the console's monitor always shows program. Default true. */
  selectable?: boolean;
}

/** The error an output clock reports when one of its sinks throws: the others keep running. */
export function sinkFailure(sink: FrameSink, error: Error): EngineError {
  return engineError('output-failed', `Output "${sink.name}" failed: ${error.message}. Other outputs keep running.`, { output: sink.id });
}

export class OutputClock {
  private readonly sinks = new Map<string, { sink: FrameSink; failed: boolean }>();
  /** The grid tick this clock sends next (frame-grid.ts: k since the Unix epoch). */
  private tick = 0;
  /** Times the clock re-phased onto the grid after the realtime clock stepped back. */
  rephased = 0;
  private timer: NodeJS.Timeout | null = null;
  private fresh = 0;
  private repeated = 0;
  private missed = 0;
  /** Sequence of the frame this clock sent last: with several clocks sharing one
   * ProgramFrames, "fresh" is per clock (new to this output), not per take. */
  private lastSequence = -1;
  /** Tick times of the last second, for a measured fps. */
  private readonly recentTicks: number[] = [];
  /** False while the output is deselected (blanked): it keeps ticking, at level 0. */
  private live = true;

  private readonly clock: EngineClock;
  private readonly synced: SyncedClock;

  constructor(private readonly options: OutputClockOptions) {
    this.clock = options.clock ?? systemClock;
    this.synced = options.synced ?? new SyncedClock({ clock: this.clock });
  }

  get periodMs(): number {
    return periodMs(this.options.rate);
  }

  /** The grid tick this clock sends next. */
  get nextTick(): number {
    return this.tick;
  }

  addSink(sink: FrameSink): void {
    this.sinks.set(sink.id, { sink, failed: false });
  }

  /** Selects (carries the program) or blanks the output; blanked outputs still send, black, to keep receivers locked. */
  setLive(live: boolean): void {
    this.live = live;
  }

  get isLive(): boolean {
    return this.live;
  }

  removeSink(id: string): void {
    const entry = this.sinks.get(id);
    entry?.sink.close();
    this.sinks.delete(id);
  }

  start(): void {
    if (this.timer) return;
    this.tick = firstTickAtOrAfter(this.synced.realtimeMs(), this.options.rate);
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const { sink } of this.sinks.values()) sink.close();
  }

  statuses(): OutputStatus[] {
    const now = this.clock.nowMs();
    while (this.recentTicks.length > 0 && (this.recentTicks[0] as number) < now - 1000) this.recentTicks.shift();
    return [...this.sinks.values()].map(({ sink, failed }) => ({
      id: sink.id,
      kind: sink.kind,
      name: sink.name,
      status: failed ? 'failed' : this.timer ? 'running' : 'stopped',
      rate: this.options.rate,
      fps: this.recentTicks.length,
      freshFrames: this.fresh,
      repeatedFrames: this.repeated,
      missedTicks: this.missed + (sink.droppedTicks?.() ?? 0),
      ...(this.options.selectable === false ? {} : { live: this.live }),
      // A sink may add what only it knows (NDI: connections, tally, size) or report its own failure.
      ...sink.status?.(),
    }));
  }

  private schedule(): void {
    const now = this.clock.nowMs();
    const nowReal = this.synced.realtimeMs(now);
    if (tickInstantMs(this.tick, this.options.rate) - nowReal > 2 * this.periodMs) {
      // The realtime clock stepped back: the grid's tick k is far ahead. Re-phase, do not stall.
      this.tick = firstTickAtOrAfter(nowReal, this.options.rate);
      this.rephased++;
    }
    const dueMs = this.synced.engineMsAt(tickInstantMs(this.tick, this.options.rate));
    this.timer = setTimeout(() => this.onTick(), Math.max(0, dueMs - now));
  }

  private onTick(): void {
    const now = this.clock.nowMs();
    const nowReal = this.synced.realtimeMs(now);
    const late = nowReal - tickInstantMs(this.tick, this.options.rate);
    if (late > this.periodMs) {
      const skipped = Math.floor(late / this.periodMs);
      this.missed += skipped;
      this.tick += skipped;
    }
    // The tick's own instant (not when the timer fired): what the program is judged at, so a
    // scheduled change (frames/program-feed.ts) lands on the same k on every output and node.
    const atRealtimeMs = tickInstantMs(this.tick, this.options.rate);
    const at = { realtimeMs: atRealtimeMs, engineMs: this.synced.engineMsAt(atRealtimeMs) };
    const taken = this.options.feed.take(at);
    if (taken) {
      const fresh = taken.fresh || taken.frame.sequence !== this.lastSequence;
      this.lastSequence = taken.frame.sequence;
      if (fresh) this.fresh++;
      else this.repeated++;
      this.recentTicks.push(now);
      const level = this.live ? this.options.feed.level(at) : 0;
      for (const entry of this.sinks.values()) {
        try {
          entry.sink.send({ frame: taken.frame, fresh, level, tick: this.tick, firedAtMs: nowReal });
          entry.failed = false;
        } catch (error) {
          if (!entry.failed) this.options.feed.onError(sinkFailure(entry.sink, error as Error));
          entry.failed = true;
        }
      }
    }
    this.tick++;
    this.schedule();
  }
}
