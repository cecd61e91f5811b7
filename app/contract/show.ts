/**
 * Show documents: the cue list, the timeline and the show settings, as saved in
 * a show file and as the console sees them. One zod declaration gives the types,
 * the file validation and the command validation (CONTRIBUTING.md: declared once, types derived).
 *
 * Times are integer milliseconds. Ids are short strings made by the show model
 * (deterministic: `c1`, `c2`, ... / `k1`, ...), never random, so tests can name them.
 */
import { z } from 'zod';
import { lookInputSchema } from './inputs.js';
import { chaseSettingsSchema, timecodeLabelSchema } from './timecode.js';
import { MAX_PROMPT_LENGTH, MAX_TRANSITION_MS, transitionCurveSchema, transitionSchema } from './primitives.js';

/**
 * The show file format this build writes. Older files are migrated on load; newer ones are refused.
 * 1: prompt, seed, fade per cue. 2: looks, timeline, settings. 3: a look may name a live input.
 * 4: what GO does during a panic, timecode chase settings, and cues that fire at a timecode.
 * 5: a cue may record the program while it is on (contract/recording.ts).
 */
export const SHOW_FILE_VERSION = 5;
/** Longest timeline, ms (24 h). */
export const MAX_TIMELINE_MS = 24 * 3600_000;
/** Most cues / keyframes a show may hold; bounds memory and the state snapshot. */
export const MAX_CUES = 500;
export const MAX_KEYFRAMES = 500;

export const seedSchema = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);
const idSchema = z.string().min(1).max(40);

/** A look as version 2 files hold it (no input). */
const lookV2Schema = z.object({
  prompt: z.string().max(MAX_PROMPT_LENGTH),
  negativePrompt: z.string().max(MAX_PROMPT_LENGTH).optional(),
  seed: seedSchema,
  /** Model parameters by name (e.g. guidance, strength); numbers, interpolated on timelines. */
  params: z.record(z.string().max(40), z.number().finite()).default({}),
});

/**
 * Everything the generator needs for one look: prompt conditioning, seed, model parameters,
 * and (from version 3) the live input it restyles. `params.strength` is how far the output may
 * move from its source picture: the input when one is named, else the previous frame.
 * An NDI input is kept by its NDI name, never by an address.
 */
export const lookSchema = lookV2Schema.extend({
  input: lookInputSchema.optional(),
});
export type ShowLook = z.infer<typeof lookSchema>;

export const continueModeSchema = z.enum(['none', 'auto-continue', 'auto-follow']);
export type ContinueMode = z.infer<typeof continueModeSchema>;

const cueWithLook = <L extends z.ZodTypeAny>(look: L) =>
  z.object({
    id: idSchema,
    /** What the operator calls it ("1", "2.5", "A"); unique in the list. */
    number: z.string().min(1).max(12),
    name: z.string().max(200).default(''),
    look,
    transition: transitionSchema,
    notes: z.string().max(4000).default(''),
    /** CSS colour for the row, e.g. "#2e6e49"; absent = none. */
    colour: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/)
      .optional(),
    /**
     * 'auto-continue': fire the next cue `delayMs` after this one fires;
     * 'auto-follow': fire the next cue `delayMs` after this one's transition ends.
     */
    continueMode: continueModeSchema.default('none'),
    delayMs: z.number().int().min(0).max(MAX_TRANSITION_MS).default(0),
    /** After this cue the standby jumps to the cue with this id (a loop), not the next in the list. */
    gotoCueId: idSchema.optional(),
  });
const cueV3Schema = cueWithLook(lookSchema);
const cueV4Schema = cueV3Schema.extend({
  /** Fire this cue when the chased timecode reaches this label (QLab's timecode trigger); absent = GO only. */
  triggerTimecode: timecodeLabelSchema.optional(),
});
export const cueSchema = cueV4Schema.extend({
  /**
   * Record while this cue is on (from version 5): firing it starts a recording with the operator's
   * recording settings (state.recording.settings), the next cue without it stops that recording.
   * Absent = false.
   */
  recordWhileOn: z.boolean().optional(),
});
export type Cue = z.infer<typeof cueSchema>;
export type CueInput = z.input<typeof cueSchema>;

const keyframeWithLook = <L extends z.ZodTypeAny>(look: L) =>
  z.object({
    id: idSchema,
    /** Position on the timeline, ms from its start. */
    timeMs: z.number().int().min(0).max(MAX_TIMELINE_MS),
    look,
    /** Curve of the segment that starts at this keyframe (to the next one). */
    curve: transitionCurveSchema.default('linear'),
  });
export const keyframeSchema = keyframeWithLook(lookSchema);
export type Keyframe = z.infer<typeof keyframeSchema>;

const timelineWithKeyframes = <K extends z.ZodTypeAny>(keyframe: K) =>
  z.object({
    /** Length in ms; loop playback wraps here. At least the last keyframe's time. */
    durationMs: z.number().int().min(0).max(MAX_TIMELINE_MS),
    loop: z.boolean().default(false),
    /** Sorted by timeMs (the model keeps them sorted). */
    keyframes: z.array(keyframe).max(MAX_KEYFRAMES),
  });
export const timelineSchema = timelineWithKeyframes(keyframeSchema);
export type Timeline = z.infer<typeof timelineSchema>;

const showSettingsV3Schema = z.object({
  /** Double-GO protection: a GO (or BACK) this soon after the last one is ignored, ms. */
  goGuardMs: z.number().int().min(0).max(10_000).default(300),
  /** Fade of the console's Black panic, ms. */
  panicFadeMs: z.number().int().min(0).max(60_000).default(1000),
  /** Safe plate: a PNG, absolute or relative to the show file; null = none (safe plate shows black). */
  safePlate: z.string().max(1000).nullable().default(null),
  /** GO after the last cue wraps to the first. */
  loopCueList: z.boolean().default(false),
});
export const panicGoSchema = z.enum(['restore', 'restore-and-fire']);
export type PanicGo = z.infer<typeof panicGoSchema>;

export const showSettingsSchema = showSettingsV3Schema.extend({
  /**
   * The first GO during a panic: 'restore' brings the picture back and fires nothing (the default, so a
   * reflex GO cannot put the next cue on the wall); 'restore-and-fire' also fires the standby cue.
   */
  panicGo: panicGoSchema.default('restore'),
  /** What the timeline chases: the internal transport (default) or external timecode. */
  timecode: chaseSettingsSchema.default({ source: 'internal', offsetMs: 0, engaged: false }),
});
export type ShowSettings = z.infer<typeof showSettingsSchema>;

/**
 * A settings change in updateShow: only the fields given. Not `showSettingsSchema.partial()`:
 * zod fills a partial's defaults in, so changing one setting would reset the others
 * (a panic-GO change cleared the safe plate).
 */
const settingsShape = showSettingsSchema.shape;
export const showSettingsPatchSchema = z.object({
  goGuardMs: settingsShape.goGuardMs.unwrap().optional(),
  panicFadeMs: settingsShape.panicFadeMs.unwrap().optional(),
  safePlate: settingsShape.safePlate.unwrap().optional(),
  loopCueList: settingsShape.loopCueList.unwrap().optional(),
  panicGo: settingsShape.panicGo.unwrap().optional(),
  timecode: settingsShape.timecode.unwrap().optional(),
});

export const showSchema = z.object({
  version: z.literal(SHOW_FILE_VERSION),
  name: z.string().max(200),
  settings: showSettingsSchema,
  cues: z.array(cueSchema).max(MAX_CUES),
  timeline: timelineSchema,
});
export type Show = z.infer<typeof showSchema>;
export type ShowInput = z.input<typeof showSchema>;

/** Version 4: as version 5 without a cue's "record while on". Migrated to v5 on load (nothing to change but the version). */
export const showV4Schema = z.object({
  version: z.literal(4),
  name: z.string().max(200),
  settings: showSettingsSchema,
  cues: z.array(cueV4Schema).max(MAX_CUES),
  timeline: timelineSchema,
});
export type ShowV4 = z.infer<typeof showV4Schema>;

/** Version 3: as version 4 without the panic GO choice, chase settings or timecode triggers. */
export const showV3Schema = z.object({
  version: z.literal(3),
  name: z.string().max(200),
  settings: showSettingsV3Schema,
  cues: z.array(cueV3Schema).max(MAX_CUES),
  timeline: timelineSchema,
});
export type ShowV3 = z.infer<typeof showV3Schema>;

/** Version 2: as version 3 without look inputs. Migrated to v3 on load (nothing to change but the version). */
export const showV2Schema = z.object({
  version: z.literal(2),
  name: z.string().max(200),
  settings: showSettingsV3Schema,
  cues: z.array(cueWithLook(lookV2Schema)).max(MAX_CUES),
  timeline: timelineWithKeyframes(keyframeWithLook(lookV2Schema)),
});
export type ShowV2 = z.infer<typeof showV2Schema>;

/** Version 1 (the first sketch): prompt, seed and a fade per cue. Migrated to v2 on load. */
export const showV1Schema = z.object({
  version: z.literal(1),
  name: z.string().max(200),
  cues: z.array(
    z.object({
      number: z.string().min(1).max(12),
      prompt: z.string().max(MAX_PROMPT_LENGTH),
      seed: seedSchema,
      fadeMs: z.number().int().min(0).max(MAX_TRANSITION_MS),
    }),
  ),
});
export type ShowV1 = z.infer<typeof showV1Schema>;

/** What the console sees of the show: the document and where the operator stands in it. */
export const showStatusSchema = z.object({
  document: showSchema,
  /** Show file path; null for an untitled show. */
  path: z.string().nullable(),
  /** Edits not yet saved to the show file (autosave still has them). */
  dirty: z.boolean(),
  canUndo: z.boolean(),
  canRedo: z.boolean(),
  /** What Undo would undo, in words ("delete cue 3"); null when nothing. Absent from older engines. */
  undoLabel: z.string().nullable().optional(),
  /** What Redo would redo, in words; null when nothing. */
  redoLabel: z.string().nullable().optional(),
  standbyCueId: z.string().nullable(),
  currentCueId: z.string().nullable(),
  /** The cue whose look is on the wall (null after a live edit, with the timeline driving, or before the first GO). Optional so older engines still parse. */
  onAirCueId: z.string().nullable().optional(),
  /**
   * The auto-continue / auto-follow armed now: the cue it fires and when, engine wall-clock ms (Date.now()),
   * for the console's countdown. null when none is due (a panic or a live edit disarms it).
   */
  pendingFollow: z
    .object({ cueId: z.string(), mode: z.enum(['auto-continue', 'auto-follow']), fireAtMs: z.number() })
    .nullable()
    .optional(),
  /** Who drives the wall: the cue list (and live edits) or the timeline. */
  driver: z.enum(['cues', 'timeline']),
  timeline: z.object({
    positionMs: z.number(),
    playing: z.boolean(),
    rate: z.number(),
    /** Engine wall-clock ms (Date.now()) the position was read at, to extrapolate between snapshots. */
    atMs: z.number(),
  }),
  /**
   * The show's file failed to load (newer version, broken, not a regular file, too
   * large): the show is bound to it read-only, so Save refuses (Save As to another
   * file works) and the file is never silently replaced. `reason` says why, for the
   * console. null (or absent, from older engines) when the file is fine.
   */
  readOnly: z.object({ reason: z.string() }).nullable().optional(),
  /** An autosave newer than the show file was found at start: offered, not applied. */
  recovery: z.object({ path: z.string(), savedAtMs: z.number() }).nullable(),
  recent: z.array(z.string()),
  /** Autosave's last successful write, wall-clock ms; null before any. */
  lastAutosaveAtMs: z.number().nullable(),
  /**
   * The autosave window, ms: an edit is on disk at most this long after it was made
   * (plus one write), so a crash may lose edits younger than this. null for an
   * untitled show (not autosaved until it has a file). Absent from older engines.
   */
  autosaveDelayMs: z.number().int().min(0).nullable().optional(),
  /** The last successful save of this show: file and wall-clock ms (Date.now()); null before one. */
  lastSave: z.object({ path: z.string(), atMs: z.number() }).nullable().optional(),
  wallLogEntries: z.number().int(),
});
export type ShowStatus = z.infer<typeof showStatusSchema>;

// ---- Commands (spread into contract/commands.ts) --------------------------------

const cuePatchSchema = z
  .object({
    number: z.string().min(1).max(12),
    name: z.string().max(200),
    prompt: z.string().max(MAX_PROMPT_LENGTH),
    negativePrompt: z.string().max(MAX_PROMPT_LENGTH),
    seed: seedSchema,
    params: z.record(z.string().max(40), z.number().finite()),
    /** The look's live input; null removes it (text only). */
    input: lookInputSchema.nullable(),
    transition: transitionSchema,
    notes: z.string().max(4000),
    colour: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/)
      .nullable(),
    continueMode: continueModeSchema,
    delayMs: z.number().int().min(0).max(MAX_TRANSITION_MS),
    gotoCueId: idSchema.nullable(),
    /** null removes the trigger. */
    triggerTimecode: timecodeLabelSchema.nullable(),
    /** Record while this cue is on (contract/recording.ts). */
    recordWhileOn: z.boolean(),
  })
  .partial();
export type CuePatch = z.infer<typeof cuePatchSchema>;

/** What one edit may change on several cues at once: everything but the number (numbers are unique). */
const multiCuePatchSchema = cuePatchSchema.omit({ number: true });
export type MultiCuePatch = z.infer<typeof multiCuePatchSchema>;

/** Renumbering: the first new number and the step between numbers (QLab's "Renumber Selected Cues"). */
export const MAX_RENUMBER_START = 99_999;
export const MAX_RENUMBER_STEP = 1000;

const keyframePatchSchema = z
  .object({
    timeMs: z.number().int().min(0).max(MAX_TIMELINE_MS),
    prompt: z.string().max(MAX_PROMPT_LENGTH),
    negativePrompt: z.string().max(MAX_PROMPT_LENGTH),
    seed: seedSchema,
    params: z.record(z.string().max(40), z.number().finite()),
    /** The look's live input; null removes it (text only). */
    input: lookInputSchema.nullable(),
    curve: transitionCurveSchema,
  })
  .partial();
export type KeyframePatch = z.infer<typeof keyframePatchSchema>;

const pathSchema = z.string().min(1).max(1000);

/** Show-control commands; contract/commands.ts adds them to the command union. */
export const showCommandSchemas = [
  /** Fire the cue before the current one; standby goes to the cue after it. Guarded like GO. */
  z.object({ type: z.literal('back') }),
  /** Fire a cue by its number; standby moves to the cue after it. */
  z.object({ type: z.literal('fireCue'), number: z.string().min(1).max(12) }),
  /** Put a cue on standby without firing it (the next GO fires it). */
  z.object({ type: z.literal('standby'), cueId: idSchema }),
  /** Add a cue after `afterCueId` (end of list when absent); the look defaults to what is on air. */
  z.object({ type: z.literal('addCue'), afterCueId: idSchema.optional(), patch: cuePatchSchema.optional() }),
  z.object({ type: z.literal('updateCue'), cueId: idSchema, patch: cuePatchSchema }),
  z.object({ type: z.literal('deleteCue'), cueId: idSchema }),
  z.object({ type: z.literal('moveCue'), cueId: idSchema, toIndex: z.number().int().min(0) }),
  /** One edit of several cues (multi-select in the console): one undo step. */
  z.object({ type: z.literal('updateCues'), cueIds: z.array(idSchema).min(1).max(MAX_CUES), patch: multiCuePatchSchema }),
  /**
   * Give cues new numbers `start`, `start + step`, ... in list order: the cues in `cueIds`, or all
   * cues when absent. One undo step. Numbers are addresses (OSC /cue/N/fire, MSC, Companion), so
   * they follow the new numbers; a number another cue keeps is refused.
   */
  z.object({
    type: z.literal('renumberCues'),
    cueIds: z.array(idSchema).min(1).max(MAX_CUES).optional(),
    start: z.number().min(0).max(MAX_RENUMBER_START),
    step: z.number().positive().max(MAX_RENUMBER_STEP),
  }),
  z.object({ type: z.literal('addKeyframe'), timeMs: z.number().int().min(0).max(MAX_TIMELINE_MS), patch: keyframePatchSchema.optional() }),
  z.object({ type: z.literal('updateKeyframe'), keyframeId: idSchema, patch: keyframePatchSchema }),
  z.object({ type: z.literal('deleteKeyframe'), keyframeId: idSchema }),
  z.object({
    type: z.literal('updateTimeline'),
    durationMs: z.number().int().min(0).max(MAX_TIMELINE_MS).optional(),
    loop: z.boolean().optional(),
  }),
  z.object({ type: z.literal('updateShow'), name: z.string().max(200).optional(), settings: showSettingsPatchSchema.optional() }),
  z.object({ type: z.literal('timelinePlay') }),
  z.object({ type: z.literal('timelinePause') }),
  /** Stop: pause and go back to 0; the wall keeps the look it has (the cue list drives again). */
  z.object({ type: z.literal('timelineStop') }),
  z.object({ type: z.literal('timelineSeek'), positionMs: z.number().int().min(0).max(MAX_TIMELINE_MS) }),
  /** Playback rate, 0.05x to 16x. */
  z.object({ type: z.literal('timelineRate'), rate: z.number().min(0.05).max(16) }),
  z.object({ type: z.literal('undo') }),
  z.object({ type: z.literal('redo') }),
  /** Start an untitled, empty show (the current one stays in its file and autosave). */
  z.object({ type: z.literal('newShow') }),
  /** Open a show file; a broken or newer file is refused with field and line and the current show stays. */
  z.object({ type: z.literal('openShow'), path: pathSchema }),
  /**
   * Save to the show's file, or to `path` (save-as; the show then lives there). An
   * existing file that is not this show's own (or this show's file that failed to
   * load) is replaced only with `overwrite: true`; without it the reply is a
   * 'show-file' error with `details.overwritable: true`, and the console asks first.
   */
  z.object({ type: z.literal('saveShow'), path: pathSchema.optional(), overwrite: z.boolean().optional() }),
  /** Load the autosave offered at start (state.show.recovery), or drop the offer. */
  z.object({ type: z.literal('recoverShow') }),
  z.object({ type: z.literal('discardRecovery') }),
  /** Write the wall log as CSV to `path` (default: next to the show file; an untitled show needs a path); an existing file only with `overwrite: true` (as saveShow). */
  z.object({ type: z.literal('exportWallLog'), path: pathSchema.optional(), overwrite: z.boolean().optional() }),
] as const;
