/**
 * NDI(R) outputs in the contract: the commands that add, change and remove named NDI
 * senders, and the standard frame rates the console offers. Rates are rationals
 * (num/den), never floats: 59.94 is 60000/1001. Output state is in state.ts
 * (OutputStatus with kind 'ndi', connections, tally).
 */
import { z } from 'zod';

export const frameRateSchema = z
  .object({ num: z.number().int().min(1).max(240_000), den: z.number().int().min(1).max(1001) })
  .refine((r) => r.num / r.den >= 1 && r.num / r.den <= 240, { message: 'frame rate must be 1 to 240 fps' });
/** A frame rate as a rational: frames per second = num / den. */
export type FrameRate = z.infer<typeof frameRateSchema>;

/** The progressive broadcast rates, in the order the console lists them. */
export const STANDARD_FRAME_RATES = [
  { label: '23.976', num: 24000, den: 1001 },
  { label: '24', num: 24, den: 1 },
  { label: '25', num: 25, den: 1 },
  { label: '29.97', num: 30000, den: 1001 },
  { label: '30', num: 30, den: 1 },
  { label: '50', num: 50, den: 1 },
  { label: '59.94', num: 60000, den: 1001 },
  { label: '60', num: 60, den: 1 },
] as const;

/** NDI source names: printable, no parentheses (receivers show "HOST (name)"). */
const ndiNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^()\p{Cc}]+$/u, 'an NDI name may not contain parentheses or control characters');

const ndiOutputFields = {
  /** Comma-separated NDI groups; absent = the default group ("public"). */
  groups: z.string().trim().max(200).optional(),
  /** Output size; absent = the generated frame size. Width even (UYVY 4:2:2). */
  width: z.number().int().min(16).max(7680).multipleOf(2).optional(),
  height: z.number().int().min(16).max(4320).optional(),
  /** Output frame rate; absent = the engine's output rate. Progressive. */
  rate: frameRateSchema.optional(),
  /** Scaling filter when the frame size differs: bilinear (default) or nearest (cheaper). */
  filter: z.enum(['nearest', 'bilinear']).optional(),
};

const outputIdSchema = z.string().min(1).max(40);

export const ndiCommandSchemas = [
  /** Adds a named NDI sender; the engine assigns its id (see the state's outputs). */
  z.object({ type: z.literal('addNdiOutput'), name: ndiNameSchema, ...ndiOutputFields }),
  /** Renames an NDI output or changes its size, rate or groups (the sender is recreated). */
  z.object({ type: z.literal('updateNdiOutput'), id: outputIdSchema, name: ndiNameSchema.optional(), ...ndiOutputFields }),
  z.object({ type: z.literal('removeNdiOutput'), id: outputIdSchema }),
] as const;

/** What an addNdiOutput asks for (the command without its type); missing fields take the engine's frame size and rate. */
export type NdiOutputSpec = Omit<z.infer<(typeof ndiCommandSchemas)[0]>, 'type'>;
