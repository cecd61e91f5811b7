/**
 * Live inputs: the picture a look restyles (a camera or game-engine plate over NDI,
 * a still image for rehearsal, or the program output itself). One declaration gives
 * the show file's look field, the commands' arguments and the state the console reads.
 *
 * A show file names an NDI input by its NDI source name ("MACHINE (Source)"), never by
 * an address: the same show runs on another network where the source has another IP.
 */
import { z } from 'zod';

/** NDI source names are "MACHINE (Source)"; libndi caps names well below this. */
export const MAX_NDI_SOURCE_NAME = 256;

export const inputSourceSchema = z.discriminatedUnion('kind', [
  /** An NDI source, found by mDNS, the extra IPs or a discovery server. */
  z.object({ kind: z.literal('ndi'), name: z.string().min(1).max(MAX_NDI_SOURCE_NAME) }),
  /** A PNG or JPEG still on the engine's machine (absolute, or relative to the show file). */
  z.object({ kind: z.literal('image'), path: z.string().min(1).max(4096) }),
  /** The program output fed back in (rehearsal with no camera). */
  z.object({ kind: z.literal('program') }),
]);
export type InputSource = z.infer<typeof inputSourceSchema>;

/**
 * How an input of another aspect ratio meets the model's working size. The names are
 * CSS object-fit's: 'fill' stretches to the frame (every input pixel used; the default),
 * 'fit' scales to fit inside with black bars (the whole input, undistorted), 'crop'
 * scales to cover the frame and crops the overflow at the centre (no bars, undistorted).
 */
export const INPUT_FITS = ['fill', 'fit', 'crop'] as const;
export const inputFitSchema = z.enum(INPUT_FITS);
export type InputFit = z.infer<typeof inputFitSchema>;

/** What a look names as its input. The look's `params.strength` says how far the output may move from it. */
export const lookInputSchema = z.object({
  source: inputSourceSchema,
  fit: inputFitSchema.default('fill'),
});
export type LookInput = z.infer<typeof lookInputSchema>;
export type LookInputArg = z.input<typeof lookInputSchema>;

/** A stable key for an input source (state rows, receivers shared by two looks). */
export function inputKey(source: InputSource): string {
  switch (source.kind) {
    case 'ndi':
      return `ndi:${source.name}`;
    case 'image':
      return `image:${source.path}`;
    case 'program':
      return 'program';
  }
}

/** One input as the console shows it. */
export const inputStatusSchema = z.object({
  key: z.string(),
  source: inputSourceSchema,
  /** 'connected': frames arrive; 'waiting': not found yet or no frame yet; 'lost': frames stopped, the last one is held; 'failed': cannot be used (see error). */
  state: z.enum(['connected', 'waiting', 'lost', 'failed']),
  /** Size of the frames as they arrive (before fitting to the model); null before the first frame. */
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  /** Frame rate the source declares, e.g. 30000/1001; null when unknown (a still). */
  rate: z.object({ num: z.number().int(), den: z.number().int() }).nullable(),
  /** Frames received a second, measured over the last second by Cyclorama (not the source's claim). */
  fpsReceived: z.number(),
  framesReceived: z.number().int(),
  /** Frames the source sent that never reached the model (skipped by latest-wins or dropped by the network). */
  framesDropped: z.number().int(),
  /** Age of the newest frame, ms; null before the first frame. */
  lastFrameAgeMs: z.number().nullable(),
  /** What is wrong and what to do, when state is 'failed' or 'lost'; null otherwise. */
  error: z.string().nullable(),
});
export type InputStatus = z.infer<typeof inputStatusSchema>;
