/**
 * The machine's timecode inputs, saved in the config folder as timecode.json
 * ({ version: 1, inputs: { mtc, ltc } }, contract/timecode.ts): which MIDI input
 * carries MTC, which NDI source's audio (or sound-card device) carries LTC. They
 * belong to the machine and its cabling, like outputs.json, not to a show. Read
 * through config-file.ts: a file that cannot be used is moved aside, never
 * overwritten, and the engine starts with no timecode inputs.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { engineError, type EngineError } from '../../contract/errors.js';
import { timecodeInputsSchema, type TimecodeInputs } from '../../contract/timecode.js';
import { readConfigFileSync } from '../show-files/config-file.js';
import { writeFileAtomicSync } from '../show-files/show-store.js';

export const TIMECODE_CONFIG_FILE = 'timecode.json';
/** A few names; anything bigger is not this file. */
const TIMECODE_CONFIG_MAX_BYTES = 64 * 1024;

const timecodeFileSchema = z.object({ version: z.literal(1), inputs: timecodeInputsSchema });

export const NO_TIMECODE_INPUTS: TimecodeInputs = { mtc: null, ltc: null };

export function readTimecodeConfig(configDir: string): { inputs: TimecodeInputs; error: EngineError | null } {
  const file = path.join(configDir, TIMECODE_CONFIG_FILE);
  const read = readConfigFileSync(file, timecodeFileSchema, TIMECODE_CONFIG_MAX_BYTES);
  if (read.kind === 'absent') return { inputs: NO_TIMECODE_INPUTS, error: null };
  if (read.kind === 'ok') return { inputs: read.value.inputs, error: null };
  return {
    inputs: NO_TIMECODE_INPUTS,
    error: engineError(
      'input-failed',
      `The timecode inputs (${file}) could not be read (${read.problem}). Starting with none; the file was kept as ${read.aside}: fix it and move it back, or set the inputs again.`,
      { path: file },
    ),
  };
}

export function writeTimecodeConfig(configDir: string, inputs: TimecodeInputs): EngineError | null {
  try {
    mkdirSync(configDir, { recursive: true });
  } catch (error) {
    return engineError('input-failed', `Could not save the timecode inputs in ${configDir}: ${(error as Error).message}. They are used now, but not after a restart.`);
  }
  const written = writeFileAtomicSync(path.join(configDir, TIMECODE_CONFIG_FILE), `${JSON.stringify({ version: 1, inputs }, null, 2)}\n`, { replace: true });
  return written.ok ? null : engineError('input-failed', `${written.error.message} The timecode inputs are used now, but not after a restart.`);
}
