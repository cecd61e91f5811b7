/**
 * The show engine: a pure function of (show, operator state, now) -> the look.
 *
 *   reduceShow(show, state, command, nowMs) -> state   operator actions (GO, BACK, panic, transport...)
 *   tickShow(show, state, nowMs, reading)   -> state   what time alone does (auto-continue/follow,
 *                                                      timeline segments, end of timeline)
 *   resolveShow(show, state, nowMs, reading) -> look   what the wall shows at that instant
 *
 * `state.program` (program.ts) is the generator-facing part: lookId, from/to
 * targets, the transition and its start, panic. The engine pushes it to the
 * worker whenever lookId changes. Nothing here reads a clock: the runner calls
 * tickShow every ~20 ms with the engine clock, tests call it at chosen instants.
 *
 * Who drives the wall: the cue list (GO, BACK, fire, live prompt edits) or the
 * timeline (play). The latest operator action wins: firing a cue or a live
 * edit pauses a playing timeline; play hands the wall to the timeline.
 */
import type { Command, Transition } from '../contract/commands.js';
import type { Cue, Keyframe, Show, ShowLook, Timeline } from '../contract/show.js';
import { effectiveMapping, INTERNAL_CLOCK, isChasing, rawPosition, readingTimecodeMs, type ChaseSettings, type ClockMapping, type TimecodeReading } from './clock-source.js';
import { framesToMs, msToFrames, type TimecodeRate } from './timecode.js';
import { dueTriggers } from './timecode-triggers.js';
import { applyCurve } from './curves.js';
import { lookParams, type LookTarget } from './look-resolver.js';
import { applyCommand, DEFAULT_LIVE_TRANSITION, initialProgram, outputLevel, resolveLook, startLook, type PanicMode, type ProgramState } from './program.js';
import { activeFade, INITIAL_FADERS, moveBar, type FaderState } from './faders.js';

/** Most cues automation may fire in one tick (a zero-time loop must not hang the runner). */
const MAX_AUTO_FIRES_PER_TICK = 16;

export type Driver = 'cues' | 'timeline';

export interface ShowState {
  program: ProgramState;
  standbyCueId: string | null;
  currentCueId: string | null;
  /** Engine ms at which automation (auto-continue / auto-follow) fires the standby cue; null = none due. */
  autoDueAtMs: number | null;
  /** Last GO or BACK, for double-GO protection; null before the first. */
  lastGoAtMs: number | null;
  driver: Driver;
  /** Internal timeline transport. */
  transport: ClockMapping;
  /** What the timeline chases: the show's settings.timecode (kept in step by initialShowState / reconcileShowState). */
  chase: ChaseSettings;
  /** The chased timecode's frame count at the last tick (cue triggers fire on crossing a frame); null when not chasing. */
  triggerFrames: number | null;
  /** Identity of the timeline look the program holds (changes -> a new look for the generator). */
  timelineKey: string | null;
  /** Look id the last fired cue started; the program shows that cue while its lookId is this (a live edit makes a new look). */
  cueLookId?: number | null;
  /** What the faders set (faders.ts): strength, transition time, the crossfade bar, the input selected; absent = none set. */
  faders?: FaderState;
}

/** The state's faders (their defaults when none was moved). */
export const fadersOf = (state: ShowState): FaderState => state.faders ?? INITIAL_FADERS;

/** `faders`: kept from the show before when another is loaded (a desk's faders belong to the machine, not the show); a fade in progress does not survive it. */
export function initialShowState(show: Show, nowMs: number, program: ProgramState = initialProgram(nowMs), faders: FaderState = INITIAL_FADERS): ShowState {
  return {
    faders: { ...faders, bar: { position: null, restsAt: faders.bar.restsAt, fade: null } },
    program,
    standbyCueId: show.cues[0]?.id ?? null,
    currentCueId: null,
    autoDueAtMs: null,
    lastGoAtMs: null,
    driver: 'cues',
    transport: { anchorPositionMs: 0, anchorClockMs: nowMs, rate: 1, playing: false },
    chase: show.settings?.timecode ?? INTERNAL_CLOCK,
    triggerFrames: null,
    timelineKey: null,
    cueLookId: null,
  };
}

/** The generator target of a show look. */
export function lookTarget(look: ShowLook): LookTarget {
  const target: LookTarget = { prompt: look.prompt, seed: look.seed, params: { ...look.params } };
  if (look.negativePrompt !== undefined) target.negativePrompt = look.negativePrompt;
  if (look.input !== undefined) target.input = look.input;
  return target;
}

// ---- Timeline ----------------------------------------------------------------------

export interface TimelinePosition {
  /** Position in [0, durationMs]. */
  positionMs: number;
  /** Completed loops (0 when not looping). */
  iteration: number;
  playing: boolean;
  mapping: ClockMapping;
}

export function timelinePosition(timeline: Timeline, state: ShowState, nowMs: number, reading: TimecodeReading | null = null): TimelinePosition {
  const mapping = effectiveMapping(state.transport, state.chase, reading);
  const raw = rawPosition(mapping, nowMs);
  const duration = timeline.durationMs;
  if (timeline.loop && duration > 0) {
    const iteration = Math.floor(raw / duration);
    return { positionMs: raw - iteration * duration, iteration, playing: mapping.playing, mapping };
  }
  return { positionMs: Math.min(Math.max(raw, 0), duration), iteration: 0, playing: mapping.playing && raw < duration, mapping };
}

export interface TimelineSegment {
  /** Index of `from` in the keyframes; -1 before the first keyframe (holding it). */
  index: number;
  from: Keyframe;
  /** Null while holding `from` (before the first or after the last keyframe). */
  to: Keyframe | null;
  /** Progress through the segment in [0, 1]. */
  progress: number;
}

/** The segment at a position. Between keyframes i and i+1 the look moves with keyframe i's curve. */
export function timelineSegment(timeline: Timeline, positionMs: number): TimelineSegment | null {
  const keys = timeline.keyframes;
  const first = keys[0];
  if (!first) return null;
  if (positionMs < first.timeMs) return { index: -1, from: first, to: null, progress: 0 };
  let i = 0;
  while (i + 1 < keys.length && (keys[i + 1] as Keyframe).timeMs <= positionMs) i++;
  const from = keys[i] as Keyframe;
  const to = keys[i + 1];
  if (!to) return { index: i, from, to: null, progress: 0 };
  return { index: i, from, to, progress: (positionMs - from.timeMs) / (to.timeMs - from.timeMs) };
}

/** What the program must hold for the timeline at `nowMs`, and a key that changes exactly when the generator needs a new look. */
function timelineProgram(
  show: Show,
  state: ShowState,
  nowMs: number,
  reading: TimecodeReading | null,
): { key: string; from: LookTarget | null; to: LookTarget; transition: Transition; startedAtMs: number; holdMix: number | null } | null {
  const at = timelinePosition(show.timeline, state, nowMs, reading);
  const segment = timelineSegment(show.timeline, at.positionMs);
  if (!segment) return null;
  if (!segment.to) {
    const to = lookTarget(segment.from.look);
    return { key: JSON.stringify(['hold', segment.from.id, to]), from: null, to, transition: { durationMs: 0, curve: 'linear' }, startedAtMs: nowMs, holdMix: null };
  }
  const from = lookTarget(segment.from.look);
  const to = lookTarget(segment.to.look);
  const span = segment.to.timeMs - segment.from.timeMs;
  if (!at.playing) {
    const holdMix = applyCurve(segment.from.curve, segment.progress);
    return { key: JSON.stringify(['paused', from, to, holdMix]), from, to, transition: { durationMs: span, curve: segment.from.curve }, startedAtMs: nowMs, holdMix };
  }
  const { mapping } = at;
  // When this segment started on the engine clock: computed from the anchor, not from now, so it is the same every tick.
  const startedAtMs = mapping.anchorClockMs + (segment.from.timeMs + at.iteration * show.timeline.durationMs - mapping.anchorPositionMs) / mapping.rate;
  const transition: Transition = { durationMs: span / mapping.rate, curve: segment.from.curve };
  return { key: JSON.stringify(['play', from, to, transition, startedAtMs]), from, to, transition, startedAtMs, holdMix: null };
}

// ---- What the console shows of the live state -------------------------------------

/** The cue whose look is on the wall: the last fired one, until a live edit or the timeline replaces its look. */
export function onAirCueId(state: ShowState): string | null {
  return state.driver === 'cues' && state.currentCueId !== null && state.cueLookId === state.program.lookId ? state.currentCueId : null;
}

export interface PendingFollow {
  /** The cue automation will fire (the standby cue). */
  cueId: string;
  /** Why: the continue mode of the cue on air. */
  mode: 'auto-continue' | 'auto-follow';
  /** When it fires, engine ms. */
  dueAtMs: number;
}

/** The auto-continue / auto-follow armed now, if any (tickShow fires it at dueAtMs unless a panic, an edit or the timeline intervenes). */
export function pendingFollow(show: Show, state: ShowState): PendingFollow | null {
  if (state.autoDueAtMs === null || state.standbyCueId === null || state.driver !== 'cues' || state.program.panic.mode !== 'none') return null;
  const current = show.cues.find((c) => c.id === state.currentCueId);
  const mode = current?.continueMode === 'auto-follow' ? 'auto-follow' : 'auto-continue';
  return { cueId: state.standbyCueId, mode, dueAtMs: state.autoDueAtMs };
}

// ---- Cue list ----------------------------------------------------------------------

function cueIndex(show: Show, id: string | null): number {
  return id === null ? -1 : show.cues.findIndex((c) => c.id === id);
}

/** The cue that goes on standby after `cue` fires: its goto target, the next one, or (looping list) the first. */
export function cueAfter(show: Show, cue: Cue): string | null {
  if (cue.gotoCueId !== undefined && cueIndex(show, cue.gotoCueId) >= 0) return cue.gotoCueId;
  const index = cueIndex(show, cue.id);
  const next = show.cues[index + 1];
  if (next) return next.id;
  return show.settings.loopCueList ? (show.cues[0]?.id ?? null) : null;
}

function pauseTransport(state: ShowState, show: Show, nowMs: number): ClockMapping {
  if (!state.transport.playing) return state.transport;
  const at = timelinePosition(show.timeline, { ...state, chase: INTERNAL_CLOCK }, nowMs);
  return { ...state.transport, playing: false, anchorPositionMs: at.positionMs, anchorClockMs: nowMs };
}

const noPanic = (nowMs: number): ProgramState['panic'] => ({ mode: 'none', fadeMs: 0, sinceMs: nowMs });

/** The transition a cue fires with: its own, or its curve over the faders' time when they override cue times. */
function cueTransition(state: ShowState, cue: Cue): Transition {
  const faders = fadersOf(state);
  return faders.overrideCues && faders.transitionMs !== null ? { durationMs: faders.transitionMs, curve: cue.transition.curve } : cue.transition;
}

/**
 * Fires a cue at `atMs`: its look with its transition (`transition` given: that one, as
 * the crossfade's take does); standby moves on; automation is armed. Clears any panic.
 */
export function fireCue(show: Show, state: ShowState, cue: Cue, atMs: number, transition: Transition = cueTransition(state, cue)): ShowState {
  const cleared = state.program.panic.mode === 'none' ? state.program : { ...state.program, panic: noPanic(atMs) };
  const program = startLook(cleared, lookTarget(cue.look), transition, atMs);
  const autoDueAtMs = cue.continueMode === 'auto-continue' ? atMs + cue.delayMs : cue.continueMode === 'auto-follow' ? atMs + transition.durationMs + cue.delayMs : null;
  return {
    ...state,
    program,
    currentCueId: cue.id,
    cueLookId: program.lookId,
    standbyCueId: cueAfter(show, cue),
    autoDueAtMs,
    driver: 'cues',
    transport: pauseTransport(state, show, atMs),
    timelineKey: null,
  };
}

function guarded(show: Show, state: ShowState, nowMs: number): boolean {
  return state.lastGoAtMs !== null && nowMs - state.lastGoAtMs < show.settings.goGuardMs;
}

/** Keeps standby/current pointing at cues that exist after an edit or a show load. */
export function reconcileShowState(show: Show, input: ShowState): ShowState {
  // The chase follows the show's settings (an edit, an undo, a show loaded).
  const chase = show.settings?.timecode ?? INTERNAL_CLOCK;
  const state = input.chase === chase ? input : { ...input, chase };
  const currentOk = state.currentCueId === null || cueIndex(show, state.currentCueId) >= 0;
  const standbyOk = state.standbyCueId !== null && cueIndex(show, state.standbyCueId) >= 0;
  if (currentOk && standbyOk) return state;
  const currentCueId = currentOk ? state.currentCueId : null;
  let standbyCueId = standbyOk ? state.standbyCueId : null;
  if (standbyCueId === null) {
    const current = show.cues[cueIndex(show, currentCueId)];
    standbyCueId = current ? cueAfter(show, current) : (show.cues[0]?.id ?? null);
  }
  const autoDueAtMs = standbyCueId === null ? null : state.autoDueAtMs;
  if (currentCueId === state.currentCueId && standbyCueId === state.standbyCueId && autoDueAtMs === state.autoDueAtMs) return state;
  return { ...state, currentCueId, standbyCueId, autoDueAtMs };
}

/** Commands the show reducer handles (the rest belong to the engine: files, undo, edits). */
export function reduceShow(show: Show, state: ShowState, command: Command, nowMs: number, reading: TimecodeReading | null = null): ShowState {
  switch (command.type) {
    case 'go': {
      if (guarded(show, state, nowMs)) return state; // double-GO: ignored, not queued
      // During a panic the first GO restores the picture; it fires the standby cue too only when the show says so.
      if (state.program.panic.mode !== 'none' && show.settings.panicGo === 'restore') {
        return { ...state, program: { ...state.program, panic: noPanic(nowMs) }, lastGoAtMs: nowMs };
      }
      const standby = show.cues[cueIndex(show, state.standbyCueId)];
      if (standby) return { ...fireCue(show, state, standby, nowMs), lastGoAtMs: nowMs };
      if (state.program.panic.mode !== 'none') return { ...state, program: { ...state.program, panic: noPanic(nowMs) }, lastGoAtMs: nowMs };
      return state;
    }
    case 'back': {
      if (guarded(show, state, nowMs)) return state;
      const current = cueIndex(show, state.currentCueId);
      if (current > 0) {
        const previous = show.cues[current - 1] as Cue;
        return { ...fireCue(show, state, previous, nowMs), standbyCueId: state.currentCueId, lastGoAtMs: nowMs };
      }
      const standby = cueIndex(show, state.standbyCueId);
      if (current < 0 && standby > 0) return { ...state, standbyCueId: (show.cues[standby - 1] as Cue).id, lastGoAtMs: nowMs };
      return state;
    }
    case 'fireCue': {
      const cue = show.cues.find((c) => c.number === command.number);
      return cue ? fireCue(show, state, cue, nowMs) : state;
    }
    case 'standby':
      return cueIndex(show, command.cueId) >= 0 && state.standbyCueId !== command.cueId ? { ...state, standbyCueId: command.cueId, autoDueAtMs: null } : state;
    case 'panic':
      // A panic stops automation: nothing fires behind the operator's back.
      return { ...state, program: applyCommand(state.program, command, nowMs), autoDueAtMs: null };
    case 'restore':
      return state.program.panic.mode === 'none' ? state : { ...state, program: applyCommand(state.program, command, nowMs) };
    case 'setPrompt':
    case 'setInput':
    case 'setSeed': {
      const program = applyCommand(state.program, withLiveTransition(state, command), nowMs);
      if (program === state.program) return state;
      return { ...state, program, driver: 'cues', transport: pauseTransport(state, show, nowMs), timelineKey: null, autoDueAtMs: null };
    }
    case 'timelinePlay': {
      const at = timelinePosition(show.timeline, state, nowMs, reading);
      // Play at the end of a non-looping timeline starts it again.
      const start = !show.timeline.loop && at.positionMs >= show.timeline.durationMs ? 0 : at.positionMs;
      return { ...state, driver: 'timeline', autoDueAtMs: null, transport: { ...state.transport, playing: true, anchorPositionMs: start, anchorClockMs: nowMs } };
    }
    case 'timelinePause':
      return state.transport.playing ? { ...state, transport: pauseTransport(state, show, nowMs) } : state;
    case 'timelineStop':
      return { ...state, driver: 'cues', timelineKey: null, transport: { ...state.transport, playing: false, anchorPositionMs: 0, anchorClockMs: nowMs } };
    case 'timelineSeek': {
      const positionMs = Math.min(Math.max(command.positionMs, 0), show.timeline.durationMs);
      return { ...state, transport: { ...state.transport, anchorPositionMs: positionMs, anchorClockMs: nowMs } };
    }
    case 'timelineRate': {
      const at = timelinePosition(show.timeline, { ...state, chase: INTERNAL_CLOCK }, nowMs);
      return { ...state, transport: { ...state.transport, rate: command.rate, anchorPositionMs: at.positionMs, anchorClockMs: nowMs } };
    }
    case 'setMasterLevel':
      return state.program.master === command.level ? state : { ...state, program: { ...state.program, master: command.level } };
    case 'setStrength': {
      // In place: the same look stays on air (no new look id), so a moving fader never throws frames away.
      const to = { ...state.program.to, params: { ...(state.program.to.params ?? {}), strength: command.strength } };
      return { ...state, program: { ...state.program, to }, faders: { ...fadersOf(state), strength: command.strength } };
    }
    case 'setTransitionTime': {
      const faders = fadersOf(state);
      return { ...state, faders: { ...faders, transitionMs: command.durationMs, overrideCues: command.overrideCues ?? faders.overrideCues } };
    }
    case 'crossfade':
      return crossfade(show, state, command.position, command.baseline === true, nowMs);
    default:
      return state;
  }
}

/** A live edit that names no transition takes the faders' transition time (when set), with the live edits' curve. */
function withLiveTransition(state: ShowState, command: Extract<Command, { type: 'setPrompt' | 'setInput' | 'setSeed' }>): Command {
  const ms = fadersOf(state).transitionMs;
  if (command.type === 'setSeed' || command.transition !== undefined || ms === null) return command;
  return { ...command, transition: { durationMs: ms, curve: DEFAULT_LIVE_TRANSITION.curve } };
}

/**
 * The manual crossfade (faders.ts has the bar's rules): from the live look toward the
 * standby cue's look, held at the bar's mix; at the far end the standby cue is taken as
 * GO takes it (standby moves on once, automation armed), without running its transition
 * again; back at the resting end the look before the fade is on air again. During a panic
 * the bar does nothing (its place is forgotten, so nothing jumps or takes on restore).
 */
function crossfade(show: Show, state: ShowState, position: number, baseline: boolean, nowMs: number): ShowState {
  const faders = fadersOf(state);
  const fade = activeFade(faders, state.program);
  const standby = show.cues[cueIndex(show, fade ? fade.cueId : state.standbyCueId)];
  const inPanic = state.program.panic.mode !== 'none';
  if (inPanic) return { ...state, faders: { ...faders, bar: { ...faders.bar, position: null } } };
  const { bar, action } = moveBar(faders, state.program, position, baseline, standby !== undefined);
  const next: ShowState = { ...state, faders: { ...faders, bar } };
  switch (action.kind) {
    case 'none':
      return next;
    case 'end':
      // A new look id: frames of the fade must not follow the look that is back.
      return { ...next, program: { ...(fade as NonNullable<typeof fade>).base, lookId: state.program.lookId + 1, master: state.program.master ?? 1, panic: state.program.panic } };
    case 'move':
      return { ...next, program: { ...state.program, holdMix: action.mix } };
    case 'start': {
      const cue = standby as Cue;
      const base = state.program;
      const program: ProgramState = {
        ...startLook(base, lookTarget(cue.look), { durationMs: Math.max(1, cue.transition.durationMs), curve: 'linear' }, nowMs),
        from: base.to,
        holdMix: action.mix,
      };
      return {
        ...next,
        program,
        faders: { ...faders, bar: { ...bar, fade: { cueId: cue.id, lookId: program.lookId, base } } },
        driver: 'cues',
        transport: pauseTransport(state, show, nowMs),
        timelineKey: null,
        autoDueAtMs: null,
      };
    }
    case 'take': {
      const cue = standby as Cue;
      return { ...fireCue(show, next, cue, nowMs, { durationMs: 0, curve: cue.transition.curve }), lastGoAtMs: nowMs };
    }
  }
}

/**
 * What time alone does at `nowMs`. Returns the same object when nothing changed.
 * `reading` and `rate` come from the engine's timecode chase (null when none): with
 * the chase engaged they move the timeline and fire cues at their trigger timecode.
 */
export function tickShow(show: Show, state: ShowState, nowMs: number, reading: TimecodeReading | null = null, rate: TimecodeRate | null = null): ShowState {
  let next = fireTimecodeTriggers(show, state, nowMs, { reading, rate });
  // Automation fires at its due time (not at the tick's time), so follows do not drift with tick jitter.
  for (let n = 0; n < MAX_AUTO_FIRES_PER_TICK && next.autoDueAtMs !== null && nowMs >= next.autoDueAtMs; n++) {
    if (next.program.panic.mode !== 'none' || next.driver !== 'cues') {
      next = { ...next, autoDueAtMs: null };
      break;
    }
    const standby = show.cues[cueIndex(show, next.standbyCueId)];
    next = standby ? fireCue(show, next, standby, next.autoDueAtMs) : { ...next, autoDueAtMs: null };
  }
  // A non-looping timeline stops at its end (the last keyframe holds).
  if (next.transport.playing && !show.timeline.loop && rawPosition(next.transport, nowMs) >= show.timeline.durationMs) {
    next = { ...next, transport: { ...next.transport, playing: false, anchorPositionMs: show.timeline.durationMs, anchorClockMs: nowMs } };
  }
  if (next.driver === 'timeline') {
    const want = timelineProgram(show, next, nowMs, reading);
    if (want && want.key !== next.timelineKey) {
      next = {
        ...next,
        timelineKey: want.key,
        program: {
          ...next.program,
          lookId: next.program.lookId + 1,
          from: want.from,
          to: want.to,
          transition: want.transition,
          startedAtMs: want.startedAtMs,
          holdMix: want.holdMix,
        },
      };
    }
  }
  return next;
}

/**
 * Cues whose trigger timecode the chased timecode crossed since the last tick fire
 * (timecode-triggers.ts), each at the instant its frame began, so its transition
 * starts on the frame. Only while chasing (engaged, not rehearsal), and never during
 * a panic (automation does not fire behind the operator's back).
 */
function fireTimecodeTriggers(show: Show, state: ShowState, nowMs: number, input: { reading: TimecodeReading | null; rate: TimecodeRate | null }): ShowState {
  if (!isChasing(state.chase, input)) return state.triggerFrames === null ? state : { ...state, triggerFrames: null };
  const { reading, rate } = input;
  const timecodeMs = readingTimecodeMs(reading, nowMs);
  const frames = msToFrames(timecodeMs, rate);
  if (frames === state.triggerFrames) return state;
  let next: ShowState = { ...state, triggerFrames: frames };
  if (state.program.panic.mode !== 'none') return next;
  for (const due of dueTriggers(show.cues, rate, state.triggerFrames, frames)) {
    const atMs = Math.min(nowMs, nowMs - (timecodeMs - framesToMs(due.frames, rate)));
    next = fireCue(show, next, due.cue, atMs);
  }
  return next;
}

/** Everything the wall shows at one instant. */
export interface ShowLookAt {
  lookId: number;
  from: LookTarget | null;
  to: LookTarget;
  /** Weight of `to` in [0, 1]. */
  mix: number;
  /** Model parameters at this instant (blended during a transition). */
  params: Record<string, number>;
  seed: number;
  output: { mode: PanicMode; /** 0 = black, 1 = full picture. */ level: number };
  driver: Driver;
  cueId: string | null;
  timelinePositionMs: number;
}

/**
 * The look at `nowMs`. With the timeline driving, it is computed from the timeline
 * itself (so it holds whether or not the runner has ticked); otherwise from the program.
 */
export function resolveShow(show: Show, state: ShowState, nowMs: number, reading: TimecodeReading | null = null): ShowLookAt {
  const at = timelinePosition(show.timeline, state, nowMs, reading);
  let from: LookTarget | null;
  let to: LookTarget;
  let mix: number;
  let lookId = state.program.lookId;
  const segment = state.driver === 'timeline' ? timelineSegment(show.timeline, at.positionMs) : null;
  if (segment) {
    from = segment.to ? lookTarget(segment.from.look) : null;
    to = lookTarget((segment.to ?? segment.from).look);
    mix = segment.to ? applyCurve(segment.from.curve, segment.progress) : 1;
    if (state.timelineKey === null) lookId += 1;
  } else {
    const look = resolveLook(state.program, nowMs);
    from = look.from;
    to = look.to;
    mix = look.mix;
  }
  // The blend rule the inference worker uses too (look-resolver.ts); the show does not know the model's defaults.
  const source = mix >= 1 ? null : from;
  return {
    lookId,
    from: source,
    to,
    mix,
    params: lookParams(source, to, mix),
    seed: to.seed,
    output: { mode: state.program.panic.mode, level: outputLevel(state.program, nowMs) },
    driver: state.driver,
    cueId: state.driver === 'cues' ? state.currentCueId : null,
    timelinePositionMs: at.positionMs,
  };
}
