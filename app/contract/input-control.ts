/**
 * Live inputs as the console and control surfaces drive them: the live look's input
 * (`setInput`, a live edit like setPrompt), the NDI sources found for the picker
 * (`listNdiSources`), and what the state reports (`state.inputs`, `state.ndiSources`).
 * The input itself is contract/inputs.ts; a cue's or keyframe's input travels in its
 * look (contract/show.ts, `updateCue`/`updateKeyframe` patch `input`).
 */
import { z } from 'zod';
import { inputStatusSchema, lookInputSchema, MAX_NDI_SOURCE_NAME } from './inputs.js';
import { transitionSchema } from './primitives.js';

/** Longest a `listNdiSources` may look, ms: a short find (mDNS answers within a second on a LAN). */
export const MAX_NDI_FIND_MS = 10_000;
/** Default find time, ms. */
export const DEFAULT_NDI_FIND_MS = 1500;

export const inputCommandSchemas = [
  /**
   * The live look's input: an NDI source (by name), a still image, or the program itself;
   * null goes back to text only; absent keeps the input on air (to change only the strength).
   * `strength` (0..1, the look's `params.strength`) is how far the output may move from its
   * source picture. A new look, like setPrompt: GO, the
   * timeline and transitions treat it the same way.
   */
  z.object({
    type: z.literal('setInput'),
    input: lookInputSchema.nullable().optional(),
    strength: z.number().min(0).max(1).optional(),
    /** Optional transition (a crossfade of the inputs); absent means the engine's default for live edits. */
    transition: transitionSchema.optional(),
  }),
  /** Looks for NDI sources for `timeoutMs` (mDNS, the extra IPs, discovery servers) and puts them in state.ndiSources. */
  z.object({ type: z.literal('listNdiSources'), timeoutMs: z.number().int().min(0).max(MAX_NDI_FIND_MS).optional() }),
] as const;

/** The NDI sources the engine found last ("MACHINE (Source)" names), for the console's input picker. */
export const ndiSourcesStatusSchema = z.object({
  names: z.array(z.string().max(MAX_NDI_SOURCE_NAME)),
  /** A find is running now. */
  searching: z.boolean(),
  /** Wall-clock ms of the last completed find; null before any. */
  atMs: z.number().nullable(),
  /** Why no find could run (no NDI runtime); null when it ran. */
  error: z.string().nullable(),
});
export type NdiSourcesStatus = z.infer<typeof ndiSourcesStatusSchema>;

/** The state's input fields (spread into contract/state.ts); optional so older engines still parse. */
export const inputStateFields = {
  /** One row per input the live model has open (contract/inputs.ts). */
  inputs: z.array(inputStatusSchema).optional(),
  ndiSources: ndiSourcesStatusSchema.optional(),
};
