/**
 * Output selection, for any output the engine feeds (NDI sender or display):
 * a selected output carries the program; a deselected one is blanked: it keeps
 * sending at its rate, black, so receivers, switchers and LED processors keep
 * their lock and the wall goes dark rather than to "no signal". Used to take one
 * wall of several off air (a ceiling in a shot, a wall being re-rigged) without
 * touching the others. The console monitor always shows the program.
 */
import { z } from 'zod';

export const outputCommandSchemas = [
  z.object({
    type: z.literal('selectOutput'),
    /** The output's id ("ndi-1", "display-2") or its name ("Wall A"); a name shared by two outputs is refused as ambiguous. */
    output: z.string().trim().min(1).max(100),
    /** true: carries the program; false: blanked to black; 'toggle': the other of the two. */
    live: z.union([z.boolean(), z.literal('toggle')]).default(true),
  }),
] as const;
