/**
 * The engine's health numbers: the live model's fps over the last second, frames
 * generated, time to first frame (TTFF: from the command that changed the look to
 * its first output-ready frame), frames dropped or stale in the hand-over, and memory.
 * Time is read from the engine clock; frame times are the worker's `doneAtMs` (the
 * inference worker reads the real engine clock itself, clock.ts), so a test clock far
 * from the real one counts no frames in the fps window (ahead) or all of them (behind).
 */
import { freemem, totalmem } from 'node:os';
import type { EngineState } from '../contract/state.js';
import type { EngineClock } from './clock.js';

/** The fps window, ms. */
const FPS_WINDOW_MS = 1000;

export class EngineStats {
  /** doneAtMs of the frames of the last second. */
  private readonly frameTimes: number[] = [];
  private generatedFrames = 0;
  /** Look id whose first frame we are waiting for, and when its command arrived. */
  private ttffPending: { lookId: number; receivedAtMs: number } | null;
  private lastTtffMs: number | null = null;

  /** The first look's TTFF is the cold start: timed from `startedAtMs`. */
  constructor(
    private readonly clock: EngineClock,
    firstLookId: number,
    startedAtMs: number,
  ) {
    this.ttffPending = { lookId: firstLookId, receivedAtMs: startedAtMs };
  }

  /** A new look was asked for at `atMs`: its first frame ends the next TTFF. */
  lookChanged(lookId: number, atMs: number): void {
    this.ttffPending = { lookId, receivedAtMs: atMs };
  }

  /**
   * Counts a generated frame; returns the TTFF (ms) when it is the first frame of
   * the pending look, else null. While the wall is frozen no frame is output-ready.
   */
  frameGenerated(frame: { lookId: number; doneAtMs: number }, frozen: boolean): number | null {
    this.frameTimes.push(frame.doneAtMs);
    this.generatedFrames++;
    if (!this.ttffPending || frame.lookId < this.ttffPending.lookId || frozen) return null;
    this.lastTtffMs = this.clock.nowMs() - this.ttffPending.receivedAtMs;
    this.ttffPending = null;
    return this.lastTtffMs;
  }

  /** The stats block of the state snapshot; `handover` is the program frames' counters. */
  snapshot(handover: { dropped: number; stale: number }): EngineState['stats'] {
    const now = this.clock.nowMs();
    while (this.frameTimes.length > 0 && (this.frameTimes[0] as number) < now - FPS_WINDOW_MS) this.frameTimes.shift();
    return {
      modelFps: this.frameTimes.length,
      generatedFrames: this.generatedFrames,
      lastTtffMs: this.lastTtffMs,
      droppedFrames: handover.dropped,
      staleFrames: handover.stale,
      memory: memoryNow(),
    };
  }
}

/** Memory for the health strip: the engine process and the machine. GPU memory: no bundled provider reports it (null, shown as n/a). */
function memoryNow(): NonNullable<EngineState['stats']['memory']> {
  const usage = process.memoryUsage();
  const total = totalmem();
  return { rssBytes: usage.rss, heapUsedBytes: usage.heapUsed, systemUsedBytes: total - freemem(), systemTotalBytes: total, gpuBytes: null };
}
