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
