/**
 * What the still renderer (standby-preview.ts) renders next. Its one small
 * generator thread makes two kinds of stills:
 *  - the standby still: latest wins (one slot), and it always goes first, because
 *    the operator is waiting for it. A thumbnail in flight delays it by one render
 *    at most;
 *  - cue thumbnails: a queue keyed by look key, filled in idle time and paced to a
 *    duty cycle, so a whole show's thumbnails never hold a core for long: the live
 *    model and the output clock share the machine.
 * Pure (time is an argument), so the policy is unit-tested without a model.
 */
import type { LookTarget } from '../../show/look-resolver.js';

/** One thumbnail to make: the look, at the show time it is rendered at, under its look key (contract/thumbnails.ts). */
export interface ThumbnailJob {
  key: string;
  look: LookTarget;
  showTimeMs: number;
}

/**
 * Share of the still thread thumbnails may use: after a thumbnail that took r ms the
 * next waits r ms. Measured on 2 CPU cores with the built-in model (npm run
 * bench:preview): ~4 ms a thumbnail, a 100-cue show's thumbnails in ~1.2 s beside a
 * live 1080p model that keeps its 29.97 fps meanwhile.
 */
export const THUMBNAIL_DUTY = 0.5;

export type NextStill<S> =
  | { kind: 'standby'; request: S }
  | { kind: 'thumbnail'; job: ThumbnailJob }
  /** Thumbnails are waiting for their pacing slot: ask again at `untilMs`. */
  | { kind: 'wait'; untilMs: number }
  | { kind: 'idle' };

export class StillQueue<S> {
  private standby: S | null = null;
  /** Render order = iteration order. */
  private thumbnails = new Map<string, ThumbnailJob>();
  private thumbnailsNotBeforeMs = -Infinity;

  /** The newest standby request replaces any waiting one; null withdraws it. */
  setStandby(request: S | null): void {
    this.standby = request;
  }

  /**
   * Newest first: a batch goes ahead of what was already waiting, in its own order,
   * so the cue just edited renders before the rest of a show being loaded. A key
   * already waiting moves forward with the batch (it is never queued twice).
   */
  addThumbnails(jobs: readonly ThumbnailJob[]): void {
    if (jobs.length === 0) return;
    const next = new Map(jobs.map((job) => [job.key, job] as const));
    for (const [key, job] of this.thumbnails) if (!next.has(key)) next.set(key, job);
    this.thumbnails = next;
  }

  /** Looks no cue has any more (edited or deleted before their turn): not rendered at all. */
  cancelThumbnails(keys: Iterable<string>): void {
    for (const key of keys) this.thumbnails.delete(key);
  }

  get waitingThumbnails(): number {
    return this.thumbnails.size;
  }

  /** Takes the next still to render at `nowMs`: the standby still first, then a thumbnail when its pacing slot has come. */
  next(nowMs: number): NextStill<S> {
    if (this.standby !== null) {
      const request = this.standby;
      this.standby = null;
      return { kind: 'standby', request };
    }
    const first = this.thumbnails.values().next();
    if (first.done) return { kind: 'idle' };
    if (nowMs < this.thumbnailsNotBeforeMs) return { kind: 'wait', untilMs: this.thumbnailsNotBeforeMs };
    this.thumbnails.delete(first.value.key);
    return { kind: 'thumbnail', job: first.value };
  }

  /** A thumbnail took `renderMs`, finishing at `nowMs`: the next one keeps the duty cycle. */
  thumbnailDone(renderMs: number, nowMs: number): void {
    this.thumbnailsNotBeforeMs = nowMs + Math.max(0, renderMs) * (1 / THUMBNAIL_DUTY - 1);
  }
}
