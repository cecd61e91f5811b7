/**
 * The cue list's thumbnails as they arrive (contract/thumbnails.ts): pictures by
 * look key, kept outside React state like frames. A cue row computes its look's key
 * from the state and reads the picture for it; no picture yet = still rendering.
 *
 * Subscribed when the connection is made (engine-store.ts), not when the cue list
 * mounts: the engine sends every current thumbnail right after its hello.
 */
import { MAX_CUES, type EngineConnection } from '../../app/contract/index.js';

/** Pictures kept: a full show's worth, plus room for looks being replaced (older ones fall off first). */
const MAX_PICTURES = MAX_CUES + 50;

export interface ThumbnailStore {
  /** The picture for a look key; the same object until a new picture for that key arrives. */
  get(key: string): ImageData | undefined;
  /** Called whenever any picture arrives. */
  subscribe(listener: () => void): () => void;
  dispose(): void;
}

export function createThumbnailStore(connection: EngineConnection): ThumbnailStore {
  const pictures = new Map<string, ImageData>();
  const listeners = new Set<() => void>();
  const unsubscribe = connection.onThumbnail((thumbnail) => {
    const image = new ImageData(thumbnail.width, thumbnail.height);
    image.data.set(thumbnail.pixels);
    // Re-inserted, so iteration order is oldest first.
    pictures.delete(thumbnail.key);
    pictures.set(thumbnail.key, image);
    if (pictures.size > MAX_PICTURES) pictures.delete(pictures.keys().next().value as string);
    for (const listener of listeners) listener();
  });
  return {
    get: (key) => pictures.get(key),
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    dispose() {
      unsubscribe();
      listeners.clear();
    },
  };
}
