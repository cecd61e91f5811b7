/**
 * Display outputs: a full-screen page (headless: /output.html?output=<id> in any
 * browser; Electron: a borderless window on a chosen display) fed by its own output
 * clock. Frames travel at a transport size (default 960x540 RGBA, ~2 MB a frame) and
 * the page scales them to the display on the GPU. An optional crop takes one part of
 * the generated canvas, for a wall driven by several processors.
 */
import { z } from 'zod';
import { frameRateSchema } from './ndi.js';

/** Transport size when none is given: a quarter of 1080p, scaled up on the display's GPU. */
export const DISPLAY_TRANSPORT_WIDTH = 960;
export const DISPLAY_TRANSPORT_HEIGHT = 540;

/** A region of the generated canvas, as fractions 0..1 of its width and height. */
export const cropSchema = z
  .object({
    x: z.number().min(0).max(1),
    y: z.number().min(0).max(1),
    width: z.number().gt(0).max(1),
    height: z.number().gt(0).max(1),
  })
  .refine((c) => c.x + c.width <= 1 + 1e-9 && c.y + c.height <= 1 + 1e-9, { message: 'the crop must lie inside the canvas' });
export type Crop = z.infer<typeof cropSchema>;

const outputIdSchema = z.string().min(1).max(40);

export const displayCommandSchemas = [
  /** Adds a display output; the engine assigns its id ("display-1", ...; see the state's outputs). */
  z.object({
    type: z.literal('addDisplayOutput'),
    name: z.string().trim().min(1).max(100),
    /** Transport size (what travels to the page); absent = 960x540. */
    width: z.number().int().min(16).max(3840).optional(),
    height: z.number().int().min(16).max(2160).optional(),
    /** Output clock rate; absent = the engine's output rate. */
    rate: frameRateSchema.optional(),
    crop: cropSchema.optional(),
    /** Electron: the display to open the window on, by its label or "x,y" position; absent = the first non-primary display. */
    display: z.string().max(200).optional(),
  }),
  z.object({ type: z.literal('removeDisplayOutput'), id: outputIdSchema }),
] as const;

/** What an addDisplayOutput asks for (the command without its type); missing fields take the transport size and the engine's rate. */
export type DisplayOutputSpec = Omit<z.infer<(typeof displayCommandSchemas)[0]>, 'type'>;

/**
 * A display attached to the app's machine, as Electron's screen API reports it
 * (main sends the list to the engine at start and whenever one is plugged,
 * unplugged or changed). The console offers these when adding a display output;
 * `display` is then "x,y", its top-left in the virtual desktop (labels may repeat).
 */
export const attachedDisplaySchema = z.object({
  label: z.string().max(200),
  x: z.number().int().min(-100_000).max(100_000),
  y: z.number().int().min(-100_000).max(100_000),
  width: z.number().int().min(1).max(100_000),
  height: z.number().int().min(1).max(100_000),
  primary: z.boolean(),
});
export type AttachedDisplay = z.infer<typeof attachedDisplaySchema>;
export const attachedDisplaysSchema = z.array(attachedDisplaySchema).max(32);

/** The `display` value that picks this display for an output: its position (stable when labels repeat). */
export const displayPosition = (display: Pick<AttachedDisplay, 'x' | 'y'>): string => `${display.x},${display.y}`;
