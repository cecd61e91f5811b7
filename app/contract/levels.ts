/**
 * Faders: what a fader on a MIDI controller, a DMX channel or a console slider does to the
 * wall. Five commands, their values reported in `state.levels`:
 *  - setMasterLevel: the output picture on every output, 0..1, multiplied with a black
 *    panic's fade (the master at 0.5 during a half-done fade to black shows 25 %).
 *  - setStrength: the live look's img2img strength (its `params.strength`, 0..1), moved in
 *    place: the look on air stays the same look (no new look id, no frames thrown away).
 *  - setTransitionTime: the transition live edits (setPrompt, setInput, selectInput) take
 *    when they name none; with `overrideCues` also the time GO/BACK/fireCue use instead of
 *    each cue's own (the cue's curve is kept).
 *  - crossfade: a manual T-bar between the live look and the standby cue's look, as on a
 *    vision mixer: the mix is the bar's distance from the end it rests at; reaching the other
 *    end takes the standby cue as GO would (the cue list advances once), and the bar then
 *    rests at that end (moving it back fades to the next standby cue).
 *  - selectInput: the live look's input by its position in `state.levels.inputs` (the
 *    inputs the show's cues and keyframes name, then the NDI sources found); 0 = none.
 */
import { z } from 'zod';
import { inputSourceSchema } from './inputs.js';
import { MAX_TRANSITION_MS } from './primitives.js';

/** Highest input position selectInput takes (the DMX personality reaches 25). */
export const MAX_INPUT_INDEX = 255;

const unit = (what: string) =>
  z
    .number({ message: `${what} must be a number from 0 to 1` })
    .min(0, `${what} must be from 0 to 1`)
    .max(1, `${what} must be from 0 to 1`);

export const levelCommandSchemas = [
  /** Output level on every output, 0 (black) .. 1 (full picture); multiplies a black panic's fade. */
  z.object({ type: z.literal('setMasterLevel'), level: unit('the master level') }),
  /** The live look's img2img strength, 0..1, changed in place (the same look stays on air). */
  z.object({ type: z.literal('setStrength'), strength: unit('the strength') }),
  /** Default transition of live edits, ms; `overrideCues` (absent = unchanged) makes GO, BACK and fireCue use it too. */
  z.object({
    type: z.literal('setTransitionTime'),
    durationMs: z
      .number()
      .int('the transition time is whole milliseconds')
      .min(0, 'the transition time cannot be negative')
      .max(MAX_TRANSITION_MS, `the transition time is at most ${MAX_TRANSITION_MS} ms`),
    overrideCues: z.boolean().optional(),
  }),
  /**
   * The T-bar's position, 0..1. `baseline`: the first position a surface reports (a desk that
   * connects, or comes back after a loss of signal): it sets where the bar rests and never takes.
   */
  z.object({ type: z.literal('crossfade'), position: unit('the crossfade position'), baseline: z.boolean().optional() }),
  /** The live look's input by position in state.levels.inputs (1 = the first); 0 = none (text only). */
  z.object({
    type: z.literal('selectInput'),
    index: z.number().int('the input index is a whole number').min(0, 'the input index is 0 (none) or more').max(MAX_INPUT_INDEX, `the input index is at most ${MAX_INPUT_INDEX}`),
  }),
] as const;

/** Continuous commands: a newer value replaces one not yet sent (control sources pace them instead of dropping the last). */
export const LEVEL_COMMAND_TYPES = ['setMasterLevel', 'setStrength', 'setTransitionTime', 'crossfade'] as const;
export function isLevelCommand(type: string): boolean {
  return (LEVEL_COMMAND_TYPES as readonly string[]).includes(type);
}

export const levelsStatusSchema = z.object({
  /** 0..1; 1 until set. */
  master: z.number(),
  /** The strength last set by setStrength; null until set (the live look's own strength applies). */
  strength: z.number().nullable(),
  /** The default transition of live edits, ms; null until set (live edits cut). */
  transitionMs: z.number().int().nullable(),
  /** Whether GO/BACK/fireCue use transitionMs instead of each cue's own time. */
  overrideCues: z.boolean(),
  /** The manual crossfade: where the bar is, the end it rests at, the mix on air and the cue it fades to (null when none runs). */
  crossfade: z.object({
    position: z.number().nullable(),
    restsAt: z.union([z.literal(0), z.literal(1)]),
    mix: z.number(),
    toCueId: z.string().nullable(),
  }),
  /** Input positions for selectInput: 1 = inputs[0]. */
  inputs: z.array(inputSourceSchema),
  /** The position last selected; null until selectInput was used. */
  inputIndex: z.number().int().nullable(),
});
export type LevelsStatus = z.infer<typeof levelsStatusSchema>;
