/**
 * Stills: a full-resolution PNG of the program as it is on the wall, written into
 * a folder the operator chose, with the look's prompt, seed, cue and the wall log's
 * timecode in the file's text chunks (engine/stills/*). The engine never picks the
 * folder: a missing or unwritable one is refused with an error that names it.
 */
import { z } from 'zod';

/** Commands the stills writer answers (spread into contract/commands.ts). */
export const stillsCommandSchemas = [
  /** Write the next program frame as a PNG into `folder` (an absolute path on the engine's machine); the reply's data.still says where. */
  z.object({ type: z.literal('saveStill'), folder: z.string().min(1).max(4096) }),
] as const;

/** saveStill's reply: the file written and its picture size. */
export const stillReplySchema = z.object({
  path: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int(),
});
export type StillReply = z.infer<typeof stillReplySchema>;

/**
 * The text chunks a still carries (PNG keywords, Latin-1, 1-79 characters). Prompt and
 * cue name may be any Unicode, so every field is written as an uncompressed iTXt
 * chunk (UTF-8); `Software` and `Creation Time` are the PNG specification's own keywords.
 */
export const STILL_TEXT_KEYS = ['Software', 'Creation Time', 'Prompt', 'Negative Prompt', 'Seed', 'Cue', 'Timecode', 'Model', 'Look'] as const;
export type StillTextKey = (typeof STILL_TEXT_KEYS)[number];
