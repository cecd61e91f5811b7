/**
 * A cue's look as a small 16:9 still in its cue-list row (contract/thumbnails.ts).
 * The tile has a fixed size, so nothing moves when a picture arrives: a dark,
 * neutral tile while the first one renders; after an edit the previous picture
 * stays, dimmed, until the new look's arrives (no flash of an empty tile).
 * Pixels are painted on a canvas from the thumbnail store, never through React state.
 */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { THUMBNAIL_HEIGHT, THUMBNAIL_WIDTH, thumbnailKey, type ShowLook } from '../../../app/contract/index.js';
import { useEngine } from '../engine-context.js';

export function CueThumbnail({ look, modelId }: { look: ShowLook; modelId: string | undefined }) {
  const { store } = useEngine();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  /** Something is painted (the current look or an older one). */
  const painted = useRef(false);
  const key = modelId ? thumbnailKey(look, modelId) : null;
  const picture = useSyncExternalStore(store.thumbnails.subscribe, () => (key ? store.thumbnails.get(key) : undefined));

  useEffect(() => {
    const ctx = canvasRef.current?.getContext('2d');
    // No picture for this look yet: keep what is painted until it arrives.
    if (!picture || !ctx) return;
    ctx.putImageData(picture, 0, 0);
    painted.current = true;
  }, [picture]);

  const status = picture ? 'ready' : painted.current ? 'stale' : 'rendering';
  return (
    <canvas
      ref={canvasRef}
      className={`cue-thumb is-${status}`}
      width={THUMBNAIL_WIDTH}
      height={THUMBNAIL_HEIGHT}
      data-testid="cue-thumbnail"
      data-thumbnail={status}
      aria-hidden="true"
    />
  );
}
