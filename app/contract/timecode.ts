/**
 * Timecode chase settings as the show file holds them (the seam in app/show/clock-source.ts).
 * Which port or NDI source carries the timecode is the machine's business (its configuration),
 * not the show's: the show says only what it chases and how (offset, engaged, rate, freewheel).
 */
import { z } from 'zod';

/** Timecode rates (app/show/timecode.ts has the arithmetic). 29.97nd must be set by hand for MTC: it arrives as 30. */
export const timecodeRateIdSchema = z.enum(['24', '25', '29.97df', '29.97nd', '30']);
export type TimecodeRateId = z.infer<typeof timecodeRateIdSchema>;

export const clockSourceKindSchema = z.enum(['internal', 'ltc', 'mtc']);
export type ClockSourceKind = z.infer<typeof clockSourceKindSchema>;

/** "HH:MM:SS:FF" (";" before the frames marks drop-frame, as SMPTE writes it). Range-checked against the rate by app/show/timecode.ts. */
export const timecodeLabelSchema = z.string().regex(/^\d{2}:\d{2}:\d{2}[:;.]\d{2}$/, 'timecode must be HH:MM:SS:FF');

export const chaseSettingsSchema = z.object({
  source: clockSourceKindSchema.default('internal'),
  /** Added to incoming timecode to get the timeline position, ms (a show starting at 10:00:00:00 uses -36,000,000). */
  offsetMs: z
    .number()
    .int()
    .min(-48 * 3600_000)
    .max(48 * 3600_000)
    .default(0),
  /** False = rehearsal: the timecode is shown but ignored; the internal transport runs. */
  engaged: z.boolean().default(false),
  /** The timecode's rate when the source cannot tell (MTC has no code for 29.97 non-drop); absent = the source's word. */
  rate: timecodeRateIdSchema.optional(),
  /** Frames to run on when timecode drops out, before holding; absent = 10. */
  freewheelFrames: z.number().int().min(0).max(600).optional(),
});
export type ChaseSettings = z.infer<typeof chaseSettingsSchema>;

// ---- The machine's timecode inputs and the chase's state ---------------------------------------

/**
 * Which port carries the timecode on this machine (timecode.json in the engine's config folder,
 * not the show): the MIDI input for MTC, the NDI source (and audio channel) or the sound-card
 * device for LTC. Set with `setTimecodeInputs`; the show's settings.timecode.source picks which is chased.
 */
export const ltcInputSchema = z.discriminatedUnion('from', [
  z.object({
    from: z.literal('ndi'),
    /** NDI source name, "MACHINE (Source)" or a bare "Source" (any machine). */
    source: z.string().min(1).max(400),
    /** Audio channel carrying the LTC, 0 = first. */
    channel: z.number().int().min(0).max(63).default(0),
  }),
  z.object({
    from: z.literal('soundCard'),
    /** Sound-card input device name. */
    device: z.string().min(1).max(200),
    channel: z.number().int().min(0).max(63).default(0),
  }),
]);
export type LtcInput = z.infer<typeof ltcInputSchema>;

export const mtcInputSchema = z.object({
  /** MIDI input port name (exact, or a part of it). */
  port: z.string().min(1).max(200),
  /** Full-frame SysEx device id to take besides all-call (0x7F); absent = any. */
  deviceId: z.number().int().min(0).max(127).optional(),
});
export type MtcInput = z.infer<typeof mtcInputSchema>;

export const timecodeInputsSchema = z.object({
  mtc: mtcInputSchema.nullable().default(null),
  ltc: ltcInputSchema.nullable().default(null),
});
export type TimecodeInputs = z.infer<typeof timecodeInputsSchema>;

export const chaseLockSchema = z.enum(['unlocked', 'locking', 'locked', 'freewheeling', 'held']);
export type ChaseLock = z.infer<typeof chaseLockSchema>;

/** What the console shows of the chase (state.timecode). */
export const timecodeStatusSchema = z.object({
  /** The show's chase settings in force. */
  settings: chaseSettingsSchema,
  /** The machine's inputs (timecode.json). */
  inputs: timecodeInputsSchema,
  /** The port being read for the chosen source: what, its name, and how it is. */
  input: z.object({
    kind: z.enum(['none', 'mtc', 'ltc-ndi', 'ltc-sound-card']),
    name: z.string(),
    status: z.enum(['off', 'waiting', 'receiving', 'failed']),
    message: z.string().optional(),
  }),
  lock: chaseLockSchema,
  /** The incoming timecode now (before the offset), as "HH:MM:SS:FF" (";" for drop-frame); null before the first lock. */
  label: z.string().nullable(),
  /** The same as ms since 00:00:00:00, and whether it runs, read at wall-clock `atMs` (the console extrapolates between snapshots). */
  timecodeMs: z.number().nullable(),
  running: z.boolean(),
  atMs: z.number(),
  /** The timecode's rate (the operator's setting, else what the source says); null before any frame. */
  rate: timecodeRateIdSchema.nullable(),
  /** True when the show runs on it now (external source, engaged, locked at least once). */
  chasing: z.boolean(),
  /** Something the operator must know (MTC "30" may be 29.97 non-drop; no such port). */
  note: z.string().nullable(),
  counters: z.object({
    /** Timecode frames decoded (LTC) or full times assembled (MTC). */
    frames: z.number().int(),
    jumps: z.number().int(),
    dropouts: z.number().int(),
    /** Labels that do not exist at the rate, sync words whose frame failed its checks, MTC sequence breaks. */
    rejected: z.number().int(),
    /** Audio blocks (LTC) or MIDI messages (MTC) received. */
    received: z.number().int(),
  }),
});
export type TimecodeStatus = z.infer<typeof timecodeStatusSchema>;

/** Commands (spread into contract/commands.ts). The chase settings themselves are the show's: updateShow settings.timecode. */
export const timecodeCommandSchemas = [
  /** Set this machine's timecode inputs (saved in timecode.json); a field left out keeps its value, null clears it. */
  z.object({
    type: z.literal('setTimecodeInputs'),
    mtc: mtcInputSchema.nullable().optional(),
    ltc: ltcInputSchema.nullable().optional(),
  }),
] as const;
