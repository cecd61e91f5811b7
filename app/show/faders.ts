/**
 * What faders do (contract/levels.ts), as pure parts of the show reducer (show-state.ts):
 * the operator's fader state, the manual crossfade's bar logic, and the inputs a
 * selectInput index counts through. Nothing here reads a clock.
 *
 * The crossfade bar (a vision mixer's T-bar): the bar rests at one end (0 or 1); the mix
 * on air is its distance from that end. Reaching the other end takes the standby cue (as
 * GO would) and the bar then rests there, so the next fade runs the other way. A level
 * never takes: a position from an unknown place (the first one heard, a desk's baseline
 * after a loss of signal, the first after a fade was cut short) rests the bar at the end
 * nearest to it, and a take needs a move from a known position.
 */
import type { InputSource, LookInput } from '../contract/inputs.js';
import { inputKey } from '../contract/inputs.js';
import type { Show } from '../contract/show.js';
import type { ProgramState } from './program.js';

/** Mixes up to this close to the resting end count as at rest (a fader's last-bit jitter starts nothing). */
export const CROSSFADE_REST = 0.01;

export interface ManualCrossfade {
  /** The standby cue the bar fades to (taken at the far end). */
  cueId: string;
  /** The look id of the fade on air; another look replacing it ends the fade. */
  lookId: number;
  /** The program before the fade began: back at the resting end it is on air again. */
  base: ProgramState;
}

export interface FaderState {
  /** The strength last set (setStrength); null until set. */
  strength: number | null;
  /** Default transition of live edits, ms; null = live edits cut. */
  transitionMs: number | null;
  /** GO, BACK, fireCue and automation use transitionMs instead of each cue's time. */
  overrideCues: boolean;
  bar: { position: number | null; restsAt: 0 | 1; fade: ManualCrossfade | null };
  /** Input position last selected; null until selectInput was used. */
  inputIndex: number | null;
}

export const INITIAL_FADERS: FaderState = {
  strength: null,
  transitionMs: null,
  overrideCues: false,
  bar: { position: null, restsAt: 0, fade: null },
  inputIndex: null,
};

/** The fade in progress, or null when none (or another look replaced it). */
export function activeFade(faders: FaderState, program: ProgramState): ManualCrossfade | null {
  const fade = faders.bar.fade;
  return fade && fade.lookId === program.lookId ? fade : null;
}

export type BarAction =
  /** Nothing on air changes (the bar moved at rest, or cannot fade now). */
  | { kind: 'none' }
  /** Begin fading to the standby cue at `mix`. */
  | { kind: 'start'; mix: number }
  /** The fade in progress moves to `mix`. */
  | { kind: 'move'; mix: number }
  /** Back at the resting end: the look before the fade is on air again. */
  | { kind: 'end' }
  /** The far end: the standby cue is taken. */
  | { kind: 'take' };

/**
 * Where the bar goes for `position`, and what that does on air. `canFade`: there is a
 * standby cue and no panic (otherwise the bar's place is forgotten, so nothing jumps
 * when fading becomes possible again).
 */
export function moveBar(faders: FaderState, program: ProgramState, position: number, baseline: boolean, canFade: boolean): { bar: FaderState['bar']; action: BarAction } {
  const fade = activeFade(faders, program);
  if (!canFade && !fade) return { bar: { ...faders.bar, position: null, fade: null }, action: { kind: 'none' } };
  const known = faders.bar.position !== null && !baseline;
  // From an unknown place, or after a fade another look cut short: rest at the nearest end.
  let restsAt: 0 | 1 = fade === null && (!known || faders.bar.fade !== null) ? (position <= 0.5 ? 0 : 1) : faders.bar.restsAt;
  let mix = Math.abs(position - restsAt);
  if (mix >= 1 && !known) {
    // A level at the far end (a baseline during a fade): the bar rests there, nothing is taken.
    restsAt = restsAt === 0 ? 1 : 0;
    mix = 0;
  }
  if (mix >= 1 && canFade) return { bar: { position, restsAt: restsAt === 0 ? 1 : 0, fade: null }, action: { kind: 'take' } };
  const bar = { position, restsAt, fade };
  if (mix <= CROSSFADE_REST) return { bar: { ...bar, fade: null }, action: fade ? { kind: 'end' } : { kind: 'none' } };
  if (fade) return { bar, action: { kind: 'move', mix: Math.min(mix, 1) } };
  return { bar, action: canFade ? { kind: 'start', mix } : { kind: 'none' } };
}

/**
 * The inputs selectInput counts through (1 = the first): each input the show's cues name,
 * in cue order, then the timeline's keyframes, then the NDI sources found that are not
 * among them. Show inputs come first so a desk's channel levels keep their meaning from
 * one find to the next.
 */
export function knownInputs(show: Show, ndiSourceNames: readonly string[]): LookInput[] {
  const seen = new Set<string>();
  const out: LookInput[] = [];
  const add = (input: LookInput) => {
    const key = inputKey(input.source);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(input);
  };
  for (const cue of show.cues) if (cue.look.input) add(cue.look.input);
  for (const keyframe of show.timeline.keyframes) if (keyframe.look.input) add(keyframe.look.input);
  for (const name of ndiSourceNames) add({ source: { kind: 'ndi', name }, fit: 'fill' });
  return out;
}

export const inputSources = (inputs: readonly LookInput[]): InputSource[] => inputs.map((i) => i.source);
