/**
 * Schemas shared by commands and show documents (kept apart so contract/show.ts
 * and contract/commands.ts can both use them without importing each other).
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
