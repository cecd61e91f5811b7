/**
 * Program frames: the hand-over from the generator's pace to the outputs' clock.
 * Latest wins: at most one frame waits for the next output tick (a newer one
 * replaces it, counted as dropped); the frame on the wall stays until a newer
 * one is taken, so outputs always have something to send, never black.
 * Frames of a look that has been replaced are discarded (counted as stale).
 */
import type { GeneratedFrame } from '../generate/generator.js';

export interface TakenFrame {
  frame: GeneratedFrame;
  /** True the first time a frame is taken; false when the last one is sent again. */
  fresh: boolean;
}

export class ProgramFrames {
  private waiting: GeneratedFrame | null = null;
  private onAir: GeneratedFrame | null = null;
  private currentLookId = 0;
  private frozen = false;
  /** Frame lock (cluster): frames of looks after this one wait, unseen, until released (frames/program-feed.ts). */
  private holdAfterLookId: number | null = null;
  dropped = 0;
  stale = 0;

  constructor(private readonly release: (frame: GeneratedFrame) => void) {}

  /** A new look started: anything made from an older look must never reach the wall. */
  flush(lookId: number): void {
    this.currentLookId = lookId;
    if (this.waiting && this.waiting.lookId < lookId) {
      this.release(this.waiting);
      this.waiting = null;
      this.stale++;
    }
  }

  /** Freeze holds the frame on air: new frames are released unseen until unfrozen. */
  setFrozen(frozen: boolean): void {
    this.frozen = frozen;
  }

  /**
   * A scheduled change (frame lock): frames of looks after `lookId` stay waiting (latest
   * wins, as ever) and the frame on air repeats, until `holdNewLooks(null)` at the tick
   * the change is due. The generator starts the new look early; the wall shows it from
   * that tick, not from when its first frame happened to come.
   */
  holdNewLooks(lookId: number | null): void {
    this.holdAfterLookId = lookId;
  }

  offer(frame: GeneratedFrame): void {
    if (frame.lookId < this.currentLookId) {
      this.release(frame);
      this.stale++;
      return;
    }
    if (this.frozen) {
      this.release(frame);
      return;
    }
    if (this.waiting) {
      this.release(this.waiting);
      this.dropped++;
    }
    this.waiting = frame;
  }

  /** Called by the output clock each tick. Returns null only before the very first frame. */
  take(): TakenFrame | null {
    if (this.waiting && (this.holdAfterLookId === null || this.waiting.lookId <= this.holdAfterLookId)) {
      if (this.onAir) this.release(this.onAir);
      this.onAir = this.waiting;
      this.waiting = null;
      return { frame: this.onAir, fresh: true };
    }
    return this.onAir ? { frame: this.onAir, fresh: false } : null;
  }

  /** The look of the frame waiting for the next tick, if one is. */
  waitingLookId(): number | null {
    return this.waiting?.lookId ?? null;
  }

  /** The frame on the wall now, if any (preflight, thumbnails). */
  current(): GeneratedFrame | null {
    return this.onAir;
  }

  clear(): void {
    if (this.waiting) this.release(this.waiting);
    if (this.onAir) this.release(this.onAir);
    this.waiting = this.onAir = null;
  }
}
