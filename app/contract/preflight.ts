/**
 * Show-ready preflight: one command runs every check an operator needs before
 * doors open; the report lands in the state snapshot (`state.preflight`) so every
 * console sees the same result. Each check is green (ok) or red with the reason
 * and what to do about it.
 */
import { z } from 'zod';

/** 'cluster-clock' only on a director (contract/cluster.ts): every node's clock within half a frame. */
export const PREFLIGHT_CHECK_IDS = ['ndi-runtime', 'model-provider', 'ttff', 'outputs', 'show-saved', 'cluster-clock'] as const;
export type PreflightCheckId = (typeof PREFLIGHT_CHECK_IDS)[number];

export const preflightCheckSchema = z.object({
  id: z.enum(PREFLIGHT_CHECK_IDS),
  /** Short name, e.g. "NDI runtime". */
  label: z.string(),
  ok: z.boolean(),
  /** What was found: the version, the provider, the measured ms, or why it failed. */
  detail: z.string(),
  /** What to do when it is red; absent when green. */
  action: z.string().optional(),
});
export type PreflightCheck = z.infer<typeof preflightCheckSchema>;

export const preflightReportSchema = z.object({
  /** True while the checks run (the TTFF and output-ticking checks take ~1-2 s). */
  running: z.boolean(),
  /** Wall-clock ms (Date.now()) the run started / finished; finished null while running. */
  startedAtMs: z.number(),
  finishedAtMs: z.number().nullable(),
  checks: z.array(preflightCheckSchema),
});
export type PreflightReport = z.infer<typeof preflightReportSchema>;

/** Spread into contract/commands.ts. The reply says the run began; the result arrives in state.preflight. */
export const preflightCommandSchemas = [z.object({ type: z.literal('preflight') })] as const;
