/**
 * Cue thumbnails: a small still of each cue's look, for the console's cue list.
 *
 * A thumbnail is addressed by its *look key*: a fingerprint of everything that
 * decides the picture (the model, prompt, negative prompt, seed, params, the input
 * the look restyles, the size and the show time it is rendered at).
 *
 * Inputs: a cue with another input is another picture, so the input (its source as
 * the show file names it, and its fit) is part of the key. A still image input gives
 * a stable thumbnail (the file is read when the thumbnail is made; editing the file
 * on disk under the same name does not change the key). An NDI input's thumbnail is a
 * snapshot of the source at the time it was rendered: the key names the source, not
 * its frames, so it is not re-rendered while the source moves (the standby still is
 * the place to see the source as it is now). Engine and console compute the same key
 * from the state (a cue's look and `state.model.id`), so the wire carries only key
 * and pixels (frame-wire.ts, 'CYT1'); cues with the same look share one picture;
 * and a console knows by itself whether the picture it holds for a cue is the
 * current one or an older look's, still being replaced.
 */
import { z } from 'zod';
import { inputKey, type LookInput } from './inputs.js';

/** Thumbnail size: 16:9, small enough to keep one per cue (57.6 KB RGBA each). */
export const THUMBNAIL_WIDTH = 160;
export const THUMBNAIL_HEIGHT = 90;
/**
 * The show time (the model's motion time) every thumbnail is rendered at. A cue has
 * no time of its own (it fires when the operator says), so one fixed instant keeps a
 * thumbnail stable: the same look always gives the same picture. 12 s, as the
 * built-in model's documented stills (models/builtin/README.md): past the start.
 */
export const THUMBNAIL_SHOW_TIME_MS = 12_000;

/** A look key: 64 bits as 16 lower-case hex digits. */
export const thumbnailKeySchema = z.string().regex(/^[0-9a-f]{16}$/);

/** What a key is computed from: a cue's look (contract/show.ts) or the engine's LookTarget. */
export interface ThumbnailLook {
  prompt: string;
  seed: number;
  negativePrompt?: string | undefined;
  params?: Record<string, number> | undefined;
  /** The live input the look restyles (contract/inputs.ts); absent = text only. */
  input?: LookInput | undefined;
}

/**
 * The look key of `look` rendered by model `modelId` (state.model.id). Canonical:
 * an absent negative prompt equals an empty one, params are taken in name order,
 * an input is taken by its source key and fit.
 */
export function thumbnailKey(look: ThumbnailLook, modelId: string): string {
  const params = Object.entries(look.params ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const fields: unknown[] = [1, modelId, THUMBNAIL_WIDTH, THUMBNAIL_HEIGHT, THUMBNAIL_SHOW_TIME_MS, look.prompt, look.negativePrompt ?? '', look.seed, params];
  // Only a look with an input has the field: a text-only look keeps the key it had before inputs existed.
  if (look.input) fields.push([inputKey(look.input.source), look.input.fit]);
  const canonical = JSON.stringify(fields);
  return hash64(canonical);
}

/**
 * A 64-bit non-cryptographic string hash (two 32-bit multiply-xor lanes, mixed at
 * the end; cyrb53's construction without its truncation to 53 bits). A show holds at
 * most 500 cues, so a collision is about 1 in 10^13 per show.
 */
function hash64(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}
