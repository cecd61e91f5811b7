/**
 * Recording to video files: what the operator asks (start, stop) and what the
 * engine reports (state.recording). The encoder is FFmpeg in its own process
 * (engine/recording/); frames reach it through a bounded latest-wins queue, so a
 * slow encoder drops recorded frames (counted here), never live ones.
 *
 * Sizes are bytes, times milliseconds; timecodes are "HH:MM:SS:FF" labels.
 */
import { z } from 'zod';

/**
 * 'h264-mp4': H.264 (libx264) in fragmented MP4, for sharing.
 * 'prores-mov': ProRes 422 HQ (prores_ks) in fragmented MOV, intra-frame, for post.
 * Both are fragmented (about one fragment a second), so a killed engine or encoder
 * leaves a file that plays up to its last fragment.
 */
export const RECORDING_CODECS = ['h264-mp4', 'prores-mov'] as const;
export const recordingCodecSchema = z.enum(RECORDING_CODECS);
export type RecordingCodec = z.infer<typeof recordingCodecSchema>;

/** 'program' (the picture at the engine's rate and the model's size), or an output's id (its rate, size and crop, black while it is blanked). */
export const recordingSourceSchema = z.string().min(1).max(100);

/** What a recording is made of and where it goes: the operator's choice, kept for cues that record. */
export const recordingSettingsSchema = z.object({
  source: recordingSourceSchema.default('program'),
  codec: recordingCodecSchema.default('h264-mp4'),
  /** The folder on the engine's machine the file is written to (chosen by the operator; the engine never picks one). */
  folder: z.string().min(1).max(4096),
});
export type RecordingSettings = z.infer<typeof recordingSettingsSchema>;

/** A recording in progress or just ended: counters as the recorder sees them. */
export const recordingProgressSchema = z.object({
  file: z.string(),
  source: recordingSourceSchema,
  /** The source's name as the operator knows it ("Program", an output's name). */
  sourceName: z.string(),
  codec: recordingCodecSchema,
  width: z.number().int(),
  height: z.number().int(),
  rate: z.object({ num: z.number().int(), den: z.number().int() }),
  /** The file's start timecode (the wall log's: chased timecode or time of day). */
  startTimecode: z.string(),
  /** Wall-clock ms (Date.now()) the recording began. */
  startedAtMs: z.number(),
  /** Media time written: frames handed to the encoder / rate. */
  durationMs: z.number(),
  /** The file's size on disk now. */
  bytes: z.number(),
  /** Frames handed to the encoder. */
  frames: z.number().int(),
  /** Frames the recorder dropped because the encoder had not taken the previous ones (the live outputs never wait). */
  droppedFrames: z.number().int(),
  /**
   * Frames written again so the file keeps the wall's time: ticks the recording's clock missed, and
   * the ticks of dropped pictures, are filled with the picture that followed. Optional so older engines still parse.
   */
  repeatedFrames: z.number().int().optional(),
  /** Started by a cue's "record while this cue is on" (its id); null = by the operator. */
  cueId: z.string().nullable(),
});
export type RecordingProgress = z.infer<typeof recordingProgressSchema>;

export const recordingEndSchema = recordingProgressSchema.extend({
  /** 'stopped' by the operator or a cue; 'disk-full' stopped before the disk filled; 'failed' the encoder ended on its own. */
  reason: z.enum(['stopped', 'disk-full', 'failed']),
  message: z.string(),
});
export type RecordingEnd = z.infer<typeof recordingEndSchema>;

export const recordingStatusSchema = z.object({
  /** The shipped encoder (FFmpeg from @ffmpeg-installer, else one on PATH) and what it can write; `message` says why none works. */
  encoder: z.object({
    available: z.boolean(),
    path: z.string().nullable(),
    version: z.string().nullable(),
    codecs: z.array(recordingCodecSchema),
    message: z.string().nullable(),
  }),
  /** The last settings the operator chose (a cue that records uses them); null before any. */
  settings: recordingSettingsSchema.nullable(),
  active: recordingProgressSchema.nullable(),
  /** Free space on the recording folder's disk, bytes; null before a folder is chosen. */
  diskFreeBytes: z.number().nullable(),
  /** The last recording that ended in this run. */
  last: recordingEndSchema.nullable(),
  /** A recording a kill or crash interrupted, found at this start: where it is and how far it plays. */
  interrupted: z
    .object({
      file: z.string(),
      durationMs: z.number(),
      message: z.string(),
    })
    .nullable(),
});
export type RecordingStatus = z.infer<typeof recordingStatusSchema>;

/** Commands (spread into contract/commands.ts). */
export const recordingCommandSchemas = [
  /**
   * Start recording `source` with `codec` into `folder` (refused when one is running, the folder is missing or
   * the disk is nearly full). A field left out takes the last recording's choice (state.recording.settings), so a
   * desk button can start one without a path; the folder has no default: one must have been chosen.
   */
  z.object({
    type: z.literal('startRecording'),
    source: recordingSourceSchema.optional(),
    codec: recordingCodecSchema.optional(),
    folder: z.string().min(1).max(4096).optional(),
  }),
  /** Stop the recording in progress (the file is finished and closed). */
  z.object({ type: z.literal('stopRecording') }),
] as const;
