/**
 * One saved output of the output rig (outputs.json, output-rig.ts): the command
 * that adds it (contract/ndi.ts, contract/display.ts) without its type, with the
 * kind and whether it was selected. The type is the schema's, so the file format,
 * the commands and the outputs' `rigEntries()` cannot drift apart. Kept apart from
 * output-rig.ts (file reading and writing) so the output groups can name it
 * without importing the rig, which imports them.
 */
import { z } from 'zod';
import { displayCommandSchemas } from '../../contract/display.js';
import { ndiCommandSchemas } from '../../contract/ndi.js';

const [addNdiOutput] = ndiCommandSchemas;
const [addDisplayOutput] = displayCommandSchemas;

export const rigEntrySchema = z.discriminatedUnion('kind', [
  addNdiOutput.omit({ type: true }).extend({ kind: z.literal('ndi'), live: z.boolean().default(true) }),
  addDisplayOutput.omit({ type: true }).extend({ kind: z.literal('display'), live: z.boolean().default(true) }),
]);

export type RigEntry = z.infer<typeof rigEntrySchema>;
