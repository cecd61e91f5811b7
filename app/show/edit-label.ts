/**
 * Names a show edit in the operator's words, for Undo/Redo ("Undo: delete cue 3").
 * Made where the edit is applied (show-edit.ts), from the show before and after,
 * so a deleted cue is named by the number it had. Pure: no clock, no I/O.
 */
import type { Command } from '../contract/commands.js';
import type { Cue, Show } from '../contract/show.js';

/** Longest cue or show name quoted in a label, characters: a label fits on a button. */
const NAME_CHARS = 24;

/** Words for the fields a cue or keyframe patch changes. */
const FIELD_WORDS: Record<string, string> = {
  number: 'number',
  name: 'name',
  prompt: 'prompt',
  negativePrompt: 'negative prompt',
  seed: 'seed',
  params: 'strength',
  input: 'input',
  transition: 'transition',
  notes: 'notes',
  colour: 'colour',
  continueMode: 'continue',
  delayMs: 'delay',
  gotoCueId: 'goto',
  triggerTimecode: 'timecode trigger',
  recordWhileOn: 'record while on',
  timeMs: 'time',
  curve: 'curve',
};

/** Words for show settings. */
const SETTING_WORDS: Record<string, string> = {
  goGuardMs: 'GO guard',
  panicFadeMs: 'panic fade',
  safePlate: 'safe plate',
  loopCueList: 'loop cue list',
  panicGo: 'panic GO',
  timecode: 'timecode chase',
};

function quoted(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) return '';
  return ` "${trimmed.length > NAME_CHARS ? `${trimmed.slice(0, NAME_CHARS - 1)}…` : trimmed}"`;
}

function cueWords(cue: Cue | undefined, fallbackId: string): string {
  return cue ? `cue ${cue.number}${quoted(cue.name)}` : `cue ${fallbackId}`;
}

function fieldWords(patch: object): string {
  const keys = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined);
  if (keys.length === 0) return '';
  return ` (${keys.map((k) => FIELD_WORDS[k] ?? k).join(', ')})`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The label of `edit`, which turned `before` into `after` (`createdId`: the cue or keyframe it added). */
export function editLabel(before: Show, after: Show, edit: Command, createdId?: string): string {
  const cueBefore = (id: string) => before.cues.find((c) => c.id === id);
  const keyframeAt = (show: Show, id: string) => show.timeline.keyframes.find((k) => k.id === id);
  switch (edit.type) {
    case 'addCue': {
      const cue = createdId ? after.cues.find((c) => c.id === createdId) : undefined;
      return `add ${cueWords(cue, createdId ?? '')}`;
    }
    case 'updateCue': {
      const cue = cueBefore(edit.cueId);
      if (edit.patch.number !== undefined && cue && edit.patch.number !== cue.number && Object.keys(edit.patch).length === 1)
        return `renumber cue ${cue.number} to ${edit.patch.number}`;
      return `edit ${cueWords(cue, edit.cueId)}${fieldWords(edit.patch)}`;
    }
    case 'deleteCue':
      return `delete ${cueWords(cueBefore(edit.cueId), edit.cueId)}`;
    case 'moveCue':
      return `move ${cueWords(cueBefore(edit.cueId), edit.cueId)}`;
    case 'addKeyframe':
      return `add keyframe at ${seconds(edit.timeMs)}`;
    case 'updateKeyframe': {
      const key = keyframeAt(before, edit.keyframeId);
      return `edit keyframe${key ? ` at ${seconds(key.timeMs)}` : ''}${fieldWords(edit.patch)}`;
    }
    case 'deleteKeyframe': {
      const key = keyframeAt(before, edit.keyframeId);
      return `delete keyframe${key ? ` at ${seconds(key.timeMs)}` : ''}`;
    }
    case 'updateTimeline':
      return edit.durationMs !== undefined ? `timeline length ${seconds(edit.durationMs)}` : edit.loop !== undefined ? `timeline loop ${edit.loop ? 'on' : 'off'}` : 'timeline';
    case 'updateShow': {
      if (edit.name !== undefined && edit.name !== before.name) return `rename show to${quoted(edit.name) || ' (no name)'}`;
      const keys = Object.entries(edit.settings ?? {}).filter(([, v]) => v !== undefined);
      return keys.length > 0 ? `show settings (${keys.map(([k]) => SETTING_WORDS[k] ?? k).join(', ')})` : 'show settings';
    }
    default:
      // Edits added later get a plain name until they get words here.
      return edit.type.replace(/([A-Z])/g, ' $1').toLowerCase();
  }
}
