/**
 * Cue thumbnails in the engine: keeps the thumbnail cache (thumbnail-cache.ts) in
 * step with the cue list, hands what is missing to the still renderer
 * (standby-preview.ts: its idle time, paced, never ahead of the standby still), and
 * turns each rendered still into a 160x90 thumbnail message for consoles
 * (contract/frame-wire.ts, 'CYT1').
 *
 * Thumbnails are downscaled from the renderer's 384x216 still rather than rendered at
 * 160x90: the renderer's size is fixed when its worker starts, and a second worker
 * just for thumbnails would be one more model thread competing with the live model.
 */
import { THUMBNAIL_HEIGHT, THUMBNAIL_WIDTH } from '../../contract/thumbnails.js';
import { writeThumbnailMessage } from '../../contract/frame-wire.js';
import type { LookTarget } from '../../show/look-resolver.js';
import { Downscaler } from '../frames/downscale.js';
import type { RenderedStill, StandbyPreview } from './standby-preview.js';
import { ThumbnailCache, type CueLook } from './thumbnail-cache.js';

export class CueThumbnails {
  private readonly cache: ThumbnailCache;
  /** The renderer the waiting jobs were handed to; a new one (model switch) gets all that is missing. */
  private renderer: StandbyPreview | null = null;
  private downscaler: Downscaler | null = null;
  private readonly scratch = new Uint8Array(THUMBNAIL_WIDTH * THUMBNAIL_HEIGHT * 4);
  private sequence = 0;

  /**
   * `deliver`: a finished thumbnail message, for every console (again for a key whose
   * first picture was made before its input had a frame). `resolveInput`: a look as the
   * renderer opens its input (cue-previews.ts).
   */
  constructor(
    private readonly deliver: (message: Uint8Array) => void,
    resolveInput?: (target: LookTarget) => LookTarget,
  ) {
    this.cache = new ThumbnailCache(resolveInput);
  }

  /**
   * Follows the cue list (every state publish; cheap when nothing changed). Null
   * renderer: none running (starting, or restarting for a new model); the cue list is
   * picked up when one is.
   */
  update(renderer: StandbyPreview | null, cues: readonly CueLook[]): void {
    if (!renderer) return;
    const plan = this.cache.sync(cues, renderer.modelId);
    if (renderer !== this.renderer) {
      this.renderer = renderer;
      renderer.on('thumbnail', (key, still) => this.accept(key, still));
      renderer.requestThumbnails(this.cache.missing());
      return;
    }
    renderer.cancelThumbnails(plan.cancel);
    renderer.requestThumbnails(plan.render);
  }

  /** Every current thumbnail message, for a console that connects later. */
  messages(): Uint8Array[] {
    return this.cache.messages();
  }

  private accept(key: string, still: RenderedStill): void {
    // Edited or deleted while it rendered, or a look of the previous model.
    if (!this.cache.wants(key)) return;
    if (this.downscaler?.sourceWidth !== still.width || this.downscaler.sourceHeight !== still.height) {
      this.downscaler = new Downscaler(still.width, still.height, THUMBNAIL_WIDTH, THUMBNAIL_HEIGHT);
    }
    this.downscaler.run(still.pixels, this.scratch);
    const message = writeThumbnailMessage({ key, width: THUMBNAIL_WIDTH, height: THUMBNAIL_HEIGHT, showTimeMs: still.showTimeMs, sequence: ++this.sequence }, this.scratch);
    if (this.cache.store(key, message, still.inputMissing)) this.deliver(message);
  }
}
