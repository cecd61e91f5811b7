/**
 * Edits of the show document: pure (show, edit command, context) -> new show
 * or an error value. Every edit returns a new object (the old one is kept by
 * undo history). Ids are deterministic: the next free `c<n>` / `k<n>`.
 */
import type { Command } from '../contract/commands.js';
import { MAX_CUES, MAX_KEYFRAMES, type Cue, type CuePatch, type MultiCuePatch, type Keyframe, type KeyframePatch, type Show, type ShowLook } from '../contract/show.js';
import { checkConsistency } from './show-file.js';
import { editLabel } from './edit-label.js';

export type EditCommand = Extract<
  Command,
  {
    type: 'addCue' | 'updateCue' | 'updateCues' | 'renumberCues' | 'deleteCue' | 'moveCue' | 'addKeyframe' | 'updateKeyframe' | 'deleteKeyframe' | 'updateTimeline' | 'updateShow';
  }
>;

const EDIT_TYPES = new Set<string>([
  'addCue',
  'updateCue',
  'updateCues',
  'renumberCues',
  'deleteCue',
  'moveCue',
  'addKeyframe',
  'updateKeyframe',
  'deleteKeyframe',
  'updateTimeline',
  'updateShow',
]);

export function isEditCommand(command: Command): command is EditCommand {
  return EDIT_TYPES.has(command.type);
}

export type EditResult =
  | {
      ok: true;
      show: Show;
      /** Id of an added cue or keyframe. */
      createdId?: string;
      /** The edit in words, for Undo/Redo ("delete cue 3"): set by applyEdit (edit-label.ts). */
      label?: string;
    }
  | { ok: false; message: string; field: string };

/** Next id with this prefix not used yet: c1, c2, ... */
export function nextId(prefix: string, used: Iterable<string>): string {
  let max = 0;
  for (const id of used) {
    const match = new RegExp(`^${prefix}(\\d+)$`).exec(id);
    if (match) max = Math.max(max, Number(match[1]));
  }
  return `${prefix}${max + 1}`;
}

/** Next whole cue number after the largest numeric one ("1", "2", ... ). */
export function nextCueNumber(cues: readonly Cue[]): string {
  let max = 0;
  for (const cue of cues) {
    const n = Number(cue.number);
    if (Number.isFinite(n)) max = Math.max(max, Math.floor(n));
  }
  let candidate = max + 1;
  while (cues.some((c) => c.number === String(candidate))) candidate++;
  return String(candidate);
}

/** Longest cue number (contract/show.ts). */
const MAX_CUE_NUMBER_LENGTH = 12;

/** A number as a cue number: at most 3 decimals, no float noise ("2.5", not "2.4999999"). */
export function formatCueNumber(value: number): string {
  return String(Number(value.toFixed(3)));
}

/**
 * The number of a cue inserted at `index` (between the cues before and after it),
 * as QLab does: the next whole number when it fits before the next cue ("1", "2" -> "3"
 * at the end; "1" .. "5" -> "2"), else a decimal between them ("2" .. "3" -> "2.5",
 * "2" .. "2.5" -> "2.3"), never a number out of list order. When no free number fits
 * (non-numeric neighbours, no room at 3 decimals) it falls back to the next whole
 * number after the largest.
 */
export function insertedCueNumber(cues: readonly Cue[], index: number): string {
  const used = new Set(cues.map((c) => c.number));
  const numeric = (cue: Cue | undefined) => (cue && /^\d+(\.\d+)?$/.test(cue.number) ? Number(cue.number) : undefined);
  // The nearest numbered cues on either side bound the new number.
  let below: number | undefined;
  for (let i = index - 1; i >= 0 && below === undefined; i--) below = numeric(cues[i]);
  let above: number | undefined;
  for (let i = index; i < cues.length && above === undefined; i++) above = numeric(cues[i]);
  const fits = (n: number) => {
    const text = formatCueNumber(n);
    return (below === undefined || n > below) && (above === undefined || n < above) && !used.has(text) && text.length <= MAX_CUE_NUMBER_LENGTH;
  };
  const low = below ?? 0;
  const whole = Math.floor(low) + 1;
  if (fits(whole)) return formatCueNumber(whole);
  if (above !== undefined) {
    for (let decimals = 1; decimals <= 3; decimals++) {
      const unit = 10 ** -decimals;
      const middle = Math.round((low + above) / 2 / unit) * unit;
      if (fits(middle)) return formatCueNumber(middle);
      // The rounded middle may land on a neighbour: try the steps next to it.
      for (const candidate of [middle + unit, middle - unit]) if (fits(candidate)) return formatCueNumber(candidate);
    }
  }
  return nextCueNumber(cues);
}

/**
 * New numbers `start`, `start + step`, ... for the cues with these ids, in list order.
 * Refused (with the clash named) when a new number is one that another cue keeps.
 */
export function renumberedCues(
  cues: readonly Cue[],
  ids: ReadonlySet<string> | null,
  start: number,
  step: number,
): { ok: true; cues: Cue[] } | { ok: false; field: string; message: string } {
  const targets = cues.filter((c) => ids === null || ids.has(c.id));
  if (targets.length === 0) return { ok: false, field: 'cueIds', message: 'none of these cues is in the show' };
  const kept = new Map(cues.filter((c) => ids !== null && !ids.has(c.id)).map((c) => [c.number, c]));
  const numbers = new Map<string, string>();
  for (const [i, cue] of targets.entries()) {
    const number = formatCueNumber(start + i * step);
    if (number.length > MAX_CUE_NUMBER_LENGTH) return { ok: false, field: 'start', message: `cue number "${number}" is longer than ${MAX_CUE_NUMBER_LENGTH} characters` };
    const other = kept.get(number);
    if (other) {
      return {
        ok: false,
        field: 'start',
        message: `renumbering would give two cues the number "${number}" (it stays on cue "${other.name || other.look.prompt || other.id}"); choose another start or step, or renumber all cues`,
      };
    }
    numbers.set(cue.id, number);
  }
  return { ok: true, cues: cues.map((c) => (numbers.has(c.id) ? { ...c, number: numbers.get(c.id) as string } : c)) };
}

function patchLook(look: ShowLook, patch: CuePatch | KeyframePatch): ShowLook {
  const next: ShowLook = { ...look };
  if (patch.prompt !== undefined) next.prompt = patch.prompt;
  if (patch.seed !== undefined) next.seed = patch.seed;
  if (patch.params !== undefined) next.params = { ...patch.params };
  if (patch.negativePrompt !== undefined) {
    if (patch.negativePrompt === '') delete next.negativePrompt;
    else next.negativePrompt = patch.negativePrompt;
  }
  if (patch.input !== undefined) {
    if (patch.input === null) delete next.input;
    else next.input = { ...patch.input, source: { ...patch.input.source } };
  }
  return next;
}

/** The look on air as a new cue or keyframe records it (its input too). */
function recordedLook(onAir: ShowLook): ShowLook {
  return {
    prompt: onAir.prompt,
    seed: onAir.seed,
    params: { ...onAir.params },
    ...(onAir.negativePrompt ? { negativePrompt: onAir.negativePrompt } : {}),
    ...(onAir.input ? { input: { ...onAir.input, source: { ...onAir.input.source } } } : {}),
  };
}

function patchCue(cue: Cue, patch: CuePatch | MultiCuePatch): Cue {
  const next: Cue = { ...cue, look: patchLook(cue.look, patch) };
  if ('number' in patch && patch.number !== undefined) next.number = patch.number;
  // The timecode the cue fires at when chasing (show/timecode-triggers.ts); null removes it.
  if (patch.triggerTimecode !== undefined) {
    if (patch.triggerTimecode === null) delete next.triggerTimecode;
    else next.triggerTimecode = patch.triggerTimecode;
  }
  // Record while this cue is on (contract/recording.ts); false removes the flag (absent = off).
  if (patch.recordWhileOn !== undefined) {
    if (patch.recordWhileOn) next.recordWhileOn = true;
    else delete next.recordWhileOn;
  }
  if (patch.name !== undefined) next.name = patch.name;
  if (patch.transition !== undefined) next.transition = { ...patch.transition };
  if (patch.notes !== undefined) next.notes = patch.notes;
  if (patch.continueMode !== undefined) next.continueMode = patch.continueMode;
  if (patch.delayMs !== undefined) next.delayMs = patch.delayMs;
  if (patch.colour !== undefined) {
    if (patch.colour === null) delete next.colour;
    else next.colour = patch.colour;
  }
  if (patch.gotoCueId !== undefined) {
    if (patch.gotoCueId === null) delete next.gotoCueId;
    else next.gotoCueId = patch.gotoCueId;
  }
  return next;
}

/** Keyframes sorted by time (stable), and the timeline at least as long as its last keyframe. */
export function normalizeTimeline(show: Show): Show {
  const keyframes = [...show.timeline.keyframes].sort((a, b) => a.timeMs - b.timeMs);
  const last = keyframes.at(-1)?.timeMs ?? 0;
  return { ...show, timeline: { ...show.timeline, keyframes, durationMs: Math.max(show.timeline.durationMs, last) } };
}

/**
 * Applies one edit. `onAir` is the look on the wall now: a new cue or keyframe
 * without a prompt records it (the QLab habit: build the look live, then record it).
 */
export function applyEdit(show: Show, edit: EditCommand, onAir: ShowLook): EditResult {
  const result = applyEditUnchecked(show, edit, onAir);
  if (!result.ok) return result;
  const problem = checkConsistency(result.show);
  if (problem) return { ok: false, field: problem.path.join('.'), message: problem.message };
  return { ...result, label: result.label ?? editLabel(show, result.show, edit, result.createdId) };
}

function applyEditUnchecked(show: Show, edit: EditCommand, onAir: ShowLook): EditResult {
  const cueIndex = (id: string) => show.cues.findIndex((c) => c.id === id);
  const missingCue = (id: string): EditResult => ({ ok: false, field: 'cueId', message: `no cue with id "${id}"` });
  switch (edit.type) {
    case 'addCue': {
      if (show.cues.length >= MAX_CUES) return { ok: false, field: 'cues', message: `a show holds at most ${MAX_CUES} cues` };
      const id = nextId(
        'c',
        show.cues.map((c) => c.id),
      );
      const at = edit.afterCueId === undefined ? show.cues.length : cueIndex(edit.afterCueId) + 1;
      if (edit.afterCueId !== undefined && at === 0) return missingCue(edit.afterCueId);
      const base: Cue = {
        id,
        number: insertedCueNumber(show.cues, at),
        name: '',
        look: recordedLook(onAir),
        transition: { durationMs: 2000, curve: 'ease-in-out' },
        notes: '',
        continueMode: 'none',
        delayMs: 0,
      };
      const cue = edit.patch ? patchCue(base, edit.patch) : base;
      const cues = [...show.cues];
      cues.splice(at, 0, cue);
      return { ok: true, show: { ...show, cues }, createdId: id };
    }
    case 'updateCue': {
      const index = cueIndex(edit.cueId);
      if (index < 0) return missingCue(edit.cueId);
      const cues = [...show.cues];
      cues[index] = patchCue(show.cues[index] as Cue, edit.patch);
      return { ok: true, show: { ...show, cues } };
    }
    case 'updateCues': {
      const ids = new Set(edit.cueIds);
      const missing = edit.cueIds.find((id) => cueIndex(id) < 0);
      if (missing !== undefined) return missingCue(missing);
      return { ok: true, show: { ...show, cues: show.cues.map((c) => (ids.has(c.id) ? patchCue(c, edit.patch) : c)) } };
    }
    case 'renumberCues': {
      const missing = edit.cueIds?.find((id) => cueIndex(id) < 0);
      if (missing !== undefined) return missingCue(missing);
      const renumbered = renumberedCues(show.cues, edit.cueIds ? new Set(edit.cueIds) : null, edit.start, edit.step);
      if (!renumbered.ok) return renumbered;
      return { ok: true, show: { ...show, cues: renumbered.cues } };
    }
    case 'deleteCue': {
      const index = cueIndex(edit.cueId);
      if (index < 0) return missingCue(edit.cueId);
      // Goto links to the deleted cue go with it.
      const cues = show.cues
        .filter((c) => c.id !== edit.cueId)
        .map((c) => {
          if (c.gotoCueId !== edit.cueId) return c;
          const { gotoCueId: _dropped, ...rest } = c;
          return rest;
        });
      return { ok: true, show: { ...show, cues } };
    }
    case 'moveCue': {
      const index = cueIndex(edit.cueId);
      if (index < 0) return missingCue(edit.cueId);
      const cues = [...show.cues];
      const [cue] = cues.splice(index, 1);
      cues.splice(Math.min(edit.toIndex, cues.length), 0, cue as Cue);
      return { ok: true, show: { ...show, cues } };
    }
    case 'addKeyframe': {
      if (show.timeline.keyframes.length >= MAX_KEYFRAMES) return { ok: false, field: 'timeline.keyframes', message: `a timeline holds at most ${MAX_KEYFRAMES} keyframes` };
      const id = nextId(
        'k',
        show.timeline.keyframes.map((k) => k.id),
      );
      const base: Keyframe = {
        id,
        timeMs: edit.timeMs,
        look: recordedLook(onAir),
        curve: 'linear',
      };
      const keyframe = edit.patch ? patchKeyframe(base, edit.patch) : base;
      return { ok: true, show: normalizeTimeline({ ...show, timeline: { ...show.timeline, keyframes: [...show.timeline.keyframes, keyframe] } }), createdId: id };
    }
    case 'updateKeyframe': {
      const index = show.timeline.keyframes.findIndex((k) => k.id === edit.keyframeId);
      if (index < 0) return { ok: false, field: 'keyframeId', message: `no keyframe with id "${edit.keyframeId}"` };
      const keyframes = [...show.timeline.keyframes];
      keyframes[index] = patchKeyframe(keyframes[index] as Keyframe, edit.patch);
      return { ok: true, show: normalizeTimeline({ ...show, timeline: { ...show.timeline, keyframes } }) };
    }
    case 'deleteKeyframe': {
      if (!show.timeline.keyframes.some((k) => k.id === edit.keyframeId)) return { ok: false, field: 'keyframeId', message: `no keyframe with id "${edit.keyframeId}"` };
      return { ok: true, show: { ...show, timeline: { ...show.timeline, keyframes: show.timeline.keyframes.filter((k) => k.id !== edit.keyframeId) } } };
    }
    case 'updateTimeline': {
      const timeline = { ...show.timeline };
      if (edit.loop !== undefined) timeline.loop = edit.loop;
      if (edit.durationMs !== undefined) {
        const last = timeline.keyframes.at(-1)?.timeMs ?? 0;
        if (edit.durationMs < last) return { ok: false, field: 'durationMs', message: `the timeline must be at least as long as its last keyframe (${last} ms)` };
        timeline.durationMs = edit.durationMs;
      }
      return { ok: true, show: { ...show, timeline } };
    }
    case 'updateShow': {
      const next: Show = { ...show, settings: { ...show.settings } };
      if (edit.name !== undefined) next.name = edit.name;
      if (edit.settings) {
        for (const [key, value] of Object.entries(edit.settings)) {
          if (value !== undefined) (next.settings as Record<string, unknown>)[key] = value;
        }
      }
      return { ok: true, show: next };
    }
  }
}

function patchKeyframe(key: Keyframe, patch: KeyframePatch): Keyframe {
  const next: Keyframe = { ...key, look: patchLook(key.look, patch) };
  if (patch.timeMs !== undefined) next.timeMs = patch.timeMs;
  if (patch.curve !== undefined) next.curve = patch.curve;
  return next;
}
