/**
 * Program state: what the wall should show, as a pure reducer over operator
 * commands. Time is an argument (`nowMs`, integer ms on the engine's clock);
 * nothing here reads a clock, so every instant can be tested.
 *
 * Each prompt or seed change makes a new *look* with a new id. Frames carry the
 * id of the look they were made from, so nothing stale is shown after a change
 * and time-to-first-frame can be measured honestly.
 */
import type { Command, Transition } from '../contract/commands.js';
import type { PanicMode } from '../contract/state.js';
import { resolveLookAt, type LookTarget, type ResolvedLook, type TimedLook } from './look-resolver.js';

/** Output state a panic puts the wall in: the contract's (contract/state.ts). */
export type { PanicMode };

/** A panic in force: its mode, a black fade, when it began (engine ms), and what the wall held then. */
export interface PanicState {
  mode: PanicMode;
  fadeMs: number;
  sinceMs: number;
  /**
   * The look on air when the panic began (from 'none'; kept when one panic mode follows
   * another). A frozen wall shows this look; a look taken since is pending until restore.
   * Absent when no panic is in force.
   */
  held?: { lookId: number; prompt: string };
}

export interface ProgramState {
  lookId: number;
  /** Where a running transition comes from; null when none ran yet. */
  from: LookTarget | null;
  to: LookTarget;
  transition: Transition;
  /** When the current look's transition started, engine clock ms. */
  startedAtMs: number;
  panic: PanicState;
  /**
   * Paused timeline: the blend is held at this weight of `to` instead of running
   * the transition (null or absent = the transition runs with the clock).
   */
  holdMix?: number | null;
  /** The master level (setMasterLevel), 0..1, multiplying the output level; absent = 1. */
  master?: number;
}

export const DEFAULT_PROMPT = 'soft studio grey, gentle light';
/** Live prompt edits morph over this long unless the command says otherwise. */
export const DEFAULT_LIVE_TRANSITION: Transition = { durationMs: 0, curve: 'ease-in-out' };

export function initialProgram(nowMs: number, prompt = DEFAULT_PROMPT, seed = 1): ProgramState {
  return {
    lookId: 1,
    from: null,
    to: { prompt, seed },
    transition: { durationMs: 0, curve: 'linear' },
    startedAtMs: nowMs,
    panic: { mode: 'none', fadeMs: 0, sinceMs: nowMs },
  };
}

/** The program's look at `nowMs` (look-resolver.ts: the same resolver the inference worker runs). */
export function resolveLook(state: ProgramState, nowMs: number): ResolvedLook {
  return resolveLookAt(state, nowMs);
}

/**
 * The target the wall shows at `nowMs` if a new transition starts now: mid-morph,
 * a new change starts from the current target (the morph snaps forward rather than
 * jumping back; blending three prompts is left to the show-control work).
 */
export function startLook(state: ProgramState, to: LookTarget, transition: Transition, nowMs: number): ProgramState {
  return {
    ...state,
    lookId: state.lookId + 1,
    from: transition.durationMs > 0 ? state.to : null,
    to,
    transition,
    startedAtMs: nowMs,
    holdMix: null,
  };
}

/** Applies one validated command. Commands that do not change the program return the same object. */
export function applyCommand(state: ProgramState, command: Command, nowMs: number): ProgramState {
  switch (command.type) {
    case 'setPrompt':
      return startLook(state, { ...state.to, prompt: command.prompt }, command.transition ?? DEFAULT_LIVE_TRANSITION, nowMs);
    case 'setInput': {
      // The live look's input (or none); strength, when given, is the look's params.strength.
      // input absent: keep the one on air (a strength change only).
      const { input: onAir, ...rest } = state.to;
      const input = command.input === undefined ? onAir : (command.input ?? undefined);
      const to: LookTarget = input ? { ...rest, input } : rest;
      if (command.strength !== undefined) to.params = { ...(state.to.params ?? {}), strength: command.strength };
      return startLook(state, to, command.transition ?? DEFAULT_LIVE_TRANSITION, nowMs);
    }
    case 'setSeed':
      if (command.seed === state.to.seed) return state;
      return startLook(state, { ...state.to, seed: command.seed }, { durationMs: 0, curve: 'linear' }, nowMs);
    case 'panic': {
      const held = state.panic.mode !== 'none' && state.panic.held ? state.panic.held : { lookId: state.lookId, prompt: state.to.prompt };
      return { ...state, panic: { mode: command.mode, fadeMs: command.fadeMs, sinceMs: nowMs, held } };
    }
    case 'restore':
    case 'go': // no cue list yet: GO clears a panic, as it will once cues exist
      if (state.panic.mode === 'none') return state;
      return { ...state, panic: { mode: 'none', fadeMs: 0, sinceMs: nowMs } };
    default:
      // getState, and show-control commands (app/show/show-state.ts handles those).
      return state;
  }
}

/** Output level in [0, 1] at `nowMs`: 0 is black. A black panic fades over its fadeMs; the master multiplies it. */
export function outputLevel(state: ProgramState, nowMs: number): number {
  return panicLevel(state, nowMs) * (state.master ?? 1);
}

/** A black panic's fade alone: 1 without one, 0 once it is done. */
function panicLevel(state: ProgramState, nowMs: number): number {
  if (state.panic.mode !== 'black') return 1;
  if (state.panic.fadeMs <= 0) return 0;
  const progress = (nowMs - state.panic.sinceMs) / state.panic.fadeMs;
  return progress >= 1 ? 0 : 1 - Math.max(0, progress);
}

/** What a renderer needs of the program to resolve its look at any instant (look-resolver.ts): the generator's input. */
export function timedLook(program: ProgramState): TimedLook & { holdMix?: number } {
  return {
    lookId: program.lookId,
    from: program.from,
    to: program.to,
    transition: program.transition,
    startedAtMs: program.startedAtMs,
    // A paused timeline holds its blend (absent = the transition runs with the clock).
    ...(program.holdMix !== undefined && program.holdMix !== null ? { holdMix: program.holdMix } : {}),
  };
}
