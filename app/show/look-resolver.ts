/**
 * The one look resolver: what a look in time (two targets and a transition)
 * comes to at one instant: the weight of the new target and the model
 * parameters. The show (program.ts, show-state.ts) and the inference worker's
 * pipelines (engine/generate/pipelines/) both call it, so what the show
 * reports is what the wall is made from. Pure: time is an argument
 * (`nowMs`, integer ms on the engine's clock); nothing here reads a clock.
 */
import type { Transition } from '../contract/commands.js';
import type { LookInput } from '../contract/inputs.js';
import { transitionWeight } from './curves.js';

export interface LookTarget {
  prompt: string;
  seed: number;
  /** Show control (cues, keyframes) may add these; the generator uses what its model supports. */
  negativePrompt?: string;
  /** Model parameters by name. */
  params?: Record<string, number>;
  /** The live picture this look restyles; absent = text only (the previous frame is the source). */
  input?: LookInput;
}

/**
 * A look in time: where a transition comes from, where it goes, and when it
 * started. The program state (ProgramState) and the worker's look (WorkerLook)
 * are both this shape.
 */
export interface TimedLook {
  lookId: number;
  /** Where a running transition comes from; null when there is none. */
  from: LookTarget | null;
  to: LookTarget;
  transition: Transition;
  /** When the transition started, engine clock ms. */
  startedAtMs: number;
  /** Paused timeline: the blend is held at this weight of `to` (null or absent = the transition runs with the clock). */
  holdMix?: number | null;
}

/** What the generator needs for one instant. */
export interface ResolvedLook {
  lookId: number;
  /** The transition's source; null once the transition is done (mix 1). */
  from: LookTarget | null;
  to: LookTarget;
  /** Weight of `to` in [0, 1]; 1 once the transition is done. */
  mix: number;
  /** Model parameters at this instant (blended during a transition; see blendParams). */
  params: Record<string, number>;
}

/** Weight of `look.to` at `nowMs`: 1 without a transition, the held mix on a paused timeline. */
export function lookMix(look: TimedLook, nowMs: number): number {
  if (look.from === null) return 1;
  if (look.holdMix !== undefined && look.holdMix !== null) return look.holdMix;
  return transitionWeight(look.transition.curve, nowMs - look.startedAtMs, look.transition.durationMs);
}

/**
 * Linear blend of parameter sets by `mix` (the weight of `b`). A name missing
 * on one side holds the other side's value for the whole blend (it neither
 * ramps nor jumps mid-way).
 */
export function blendParams(a: Record<string, number>, b: Record<string, number>, mix: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[key] ?? b[key] ?? 0;
    const y = b[key] ?? a[key] ?? 0;
    out[key] = x + (y - x) * mix;
  }
  return out;
}

/**
 * The parameters of a blend of `from` and `to` at weight `mix` of `to`, name by name:
 * - both sides set it: `from + (to - from) * mix`;
 * - one side only sets it: that side's value, for the whole transition (a name
 *   only `to` sets applies from the first frame; a name only `from` sets holds
 *   until the transition is done, and then `to`, which leaves it out, lets the
 *   model's default apply again);
 * - no transition (`from` null): `to`'s names.
 * Names neither side sets are left out: the model fills them with its own
 * defaults (the worker: `{ ...defaults, ...params }`).
 */
export function lookParams(from: LookTarget | null, to: LookTarget, mix: number): Record<string, number> {
  if (from === null) return { ...(to.params ?? {}) };
  return blendParams(from.params ?? {}, to.params ?? {}, mix);
}

/** The look at `nowMs`: the weight of `to`, the source while the transition runs, and the blended parameters. */
export function resolveLookAt(look: TimedLook, nowMs: number): ResolvedLook {
  const mix = lookMix(look, nowMs);
  const from = mix >= 1 ? null : look.from;
  return { lookId: look.lookId, from, to: look.to, mix, params: lookParams(from, look.to, mix) };
}
