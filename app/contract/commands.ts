/**
 * Commands: what a console, a control surface or the CLI may ask of the engine.
 * One object argument per command, discriminated by `type`. The engine validates
 * every command it receives against `commandSchema` (the receiving edge), so a
 * malformed message is rejected with a named field instead of changing state.
 */
import { z } from 'zod';

/** Longest prompt accepted, in characters. Far above any real prompt; bounds memory. */
export const MAX_PROMPT_LENGTH = 1000;
/** Longest transition accepted, in milliseconds (10 minutes). */
export const MAX_TRANSITION_MS = 600_000;

export const transitionCurveSchema = z.enum(['linear', 'ease-in-out', 'ease-in', 'ease-out']);
export type TransitionCurve = z.infer<typeof transitionCurveSchema>;

export const transitionSchema = z.object({
  /** Duration in ms; 0 is a cut. */
  durationMs: z.number().int().min(0).max(MAX_TRANSITION_MS),
  curve: transitionCurveSchema.default('ease-in-out'),
});
export type Transition = z.infer<typeof transitionSchema>;

const seedSchema = z.number().int().min(0).max(2 ** 31 - 1);

export const commandSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('setPrompt'),
    prompt: z.string().max(MAX_PROMPT_LENGTH),
    /** Optional transition; absent means the engine's default for live edits. */
    transition: transitionSchema.optional(),
  }),
  z.object({ type: z.literal('setSeed'), seed: seedSchema }),
  /** Fire the standby cue (the show-control issue fills in cue lists). */
  z.object({ type: z.literal('go') }),
  /** Panic: 'black' fades the wall to black, 'freeze' holds the current frame. */
  z.object({
    type: z.literal('panic'),
    mode: z.enum(['black', 'freeze']),
    /** Fade duration for 'black' in ms; 0 cuts. */
    fadeMs: z.number().int().min(0).max(60_000).default(0),
  }),
  /** Undo a panic: back to the live program. */
  z.object({ type: z.literal('restore') }),
  /** Ask for a full state snapshot (also sent unasked on connect). */
  z.object({ type: z.literal('getState') }),
]);

export type Command = z.infer<typeof commandSchema>;
/** What a caller writes: defaults may be left out. */
export type CommandInput = z.input<typeof commandSchema>;
export type CommandType = Command['type'];
