/**
 * Which cue thumbnails exist and which must be made: a cache by look key
 * (contract/thumbnails.ts: model, prompt, negative prompt, seed, params, size and
 * the fixed show time). Pure bookkeeping: the caller hands each plan to the still
 * renderer and gives finished pictures back.
 *  - A cue whose key already has a picture, or is being made, costs nothing: an
 *    unchanged cue is never re-rendered, and cues with the same look share one.
 *  - An edited cue's new key is planned; its old key is cancelled (or its picture
 *    dropped) unless another cue still has that look.
 *  - A deleted cue's picture is dropped: the cache holds exactly the current cue
 *    list's pictures, so it is bounded by the show's cue limit.
 *  - A model switch changes every key: every thumbnail is made again.
 *  - A cue with another input has another key (contract/thumbnails.ts). A picture made
 *    while the cue's input had no frame yet (text only) is provisional: it is shown,
 *    and replaced by the one made with the input once that arrives.
 */
import type { ShowLook } from '../../contract/show.js';
import { THUMBNAIL_SHOW_TIME_MS, thumbnailKey } from '../../contract/thumbnails.js';
import type { LookTarget } from '../../show/look-resolver.js';
import { lookTarget } from '../../show/show-state.js';
import type { ThumbnailJob } from './still-queue.js';

/** What the cache reads of a cue. */
export interface CueLook {
  id: string;
  look: ShowLook;
}

export interface ThumbnailPlan {
  /** New looks to render, in cue-list order. */
  render: ThumbnailJob[];
  /** Looks asked for earlier that no cue has now: not worth rendering any more. */
  cancel: string[];
}

const NOTHING: ThumbnailPlan = { render: [], cancel: [] };

export class ThumbnailCache {
  private cues: readonly CueLook[] | null = null;
  private modelId: string | null = null;
  /** Every key the cue list needs, in list order, with what to render for it. */
  private wanted = new Map<string, ThumbnailJob>();
  /** Finished thumbnails (wire messages) by key. */
  private readonly pictures = new Map<string, Uint8Array>();
  /** Keys whose picture was made without the look's input (it had no frame yet): replaceable. */
  private readonly provisional = new Set<string>();

  /** `resolveInput`: the look as the renderer opens its input (an image path against the show file). */
  constructor(private readonly resolveInput: (target: LookTarget) => LookTarget = (target) => target) {}

  /**
   * Follows the cue list. The engine calls this on every state publish; the same
   * cue array (the show document is immutable between edits) and model are a no-op.
   */
  sync(cues: readonly CueLook[], modelId: string): ThumbnailPlan {
    if (cues === this.cues && modelId === this.modelId) return NOTHING;
    this.cues = cues;
    this.modelId = modelId;
    const wanted = new Map<string, ThumbnailJob>();
    for (const cue of cues) {
      const key = thumbnailKey(cue.look, modelId);
      if (!wanted.has(key)) wanted.set(key, { key, look: this.resolveInput(lookTarget(cue.look)), showTimeMs: THUMBNAIL_SHOW_TIME_MS });
    }
    const render = [...wanted.values()].filter((job) => !this.wanted.has(job.key) && !this.pictures.has(job.key));
    const cancel = [...this.wanted.keys()].filter((key) => !wanted.has(key) && !this.pictures.has(key));
    for (const key of [...this.pictures.keys()]) {
      if (wanted.has(key)) continue;
      this.pictures.delete(key);
      this.provisional.delete(key);
    }
    this.wanted = wanted;
    return { render, cancel };
  }

  /** Everything wanted without a picture yet: what a (re)started renderer, whose queue is empty, must make. */
  missing(): ThumbnailJob[] {
    return [...this.wanted.values()].filter((job) => !this.pictures.has(job.key));
  }

  /** A cue has this look and its picture is not made yet, or was made without the look's input. */
  wants(key: string): boolean {
    return this.wanted.has(key) && (!this.pictures.has(key) || this.provisional.has(key));
  }

  /**
   * Keeps a finished thumbnail; false (and not kept) when no cue has that look any more,
   * or when it was made without its input and a picture of the key is already kept.
   * `withoutInput`: the look's input had no frame yet (the picture is text only, provisional).
   */
  store(key: string, message: Uint8Array, withoutInput = false): boolean {
    if (!this.wanted.has(key)) return false;
    if (withoutInput && this.pictures.has(key)) return false;
    this.pictures.set(key, message);
    if (withoutInput) this.provisional.add(key);
    else this.provisional.delete(key);
    return true;
  }

  /** The current cue list's thumbnails, for a console that connects later. */
  messages(): Uint8Array[] {
    return [...this.pictures.values()];
  }

  get size(): number {
    return this.pictures.size;
  }
}
