/**
 * The output rig: the NDI and display outputs this machine feeds, saved in the
 * config folder (outputs.json) on every change and opened again when the engine
 * starts. Outputs belong to the machine and its cabling, not to a show: after a
 * crash, a restart of the app or a reboot, the walls come back as they were,
 * blanked ones still blanked (a crash must not light a wall the operator darkened).
 *
 * Each entry is validated with the same schema as the command that adds it, so a
 * hand-edited file gets the same field-by-field errors as a bad command. A file
 * that cannot be read is moved aside (outputs.json.broken), never overwritten.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { engineError, type EngineError } from '../../contract/errors.js';
import { readConfigFileSync } from '../show-files/config-file.js';
import { OUTPUT_RIG_MAX_BYTES } from '../show-files/safe-files.js';
import { writeFileAtomicSync } from '../show-files/show-store.js';
import type { OutputGroups } from './output-commands.js';
import { rigEntrySchema, type RigEntry } from './rig-entry.js';

export const OUTPUT_RIG_FILE = 'outputs.json';

const rigFileSchema = z.object({ version: z.literal(1), outputs: z.array(rigEntrySchema).max(64) });

export type { RigEntry };

export interface RigRead {
  outputs: RigEntry[];
  /** Why the saved rig was not used (the file was moved aside); null when it was fine or absent. */
  error: EngineError | null;
}

export function readOutputRig(configDir: string): RigRead {
  const file = path.join(configDir, OUTPUT_RIG_FILE);
  const read = readConfigFileSync(file, rigFileSchema, OUTPUT_RIG_MAX_BYTES);
  if (read.kind === 'absent') return { outputs: [], error: null };
  if (read.kind === 'ok') return { outputs: read.value.outputs, error: null };
  const { problem, aside } = read;
  return {
    outputs: [],
    error: engineError(
      'output-failed',
      `The saved outputs (${file}) could not be read (${problem}). Starting with no saved outputs; the file was kept as ${aside}: fix it and move it back, or add the outputs again.`,
      { path: file },
    ),
  };
}

export function writeOutputRig(configDir: string, outputs: readonly RigEntry[]): EngineError | null {
  try {
    mkdirSync(configDir, { recursive: true });
  } catch (error) {
    return engineError('output-failed', `Could not save the outputs in ${configDir}: ${(error as Error).message}. They run, but will not come back after a restart.`);
  }
  const written = writeFileAtomicSync(path.join(configDir, OUTPUT_RIG_FILE), `${JSON.stringify({ version: 1, outputs }, null, 2)}\n`);
  return written.ok ? null : engineError('output-failed', `${written.error.message} The outputs run, but will not come back after a restart.`);
}

/** Saves the engine's NDI and display outputs as they are now; an error (disk full, no folder) comes back as a value. */
export function saveOutputs(configDir: string, outputs: OutputGroups): EngineError | null {
  return writeOutputRig(configDir, [...outputs.ndi.rigEntries(), ...outputs.displays.rigEntries()]);
}

/**
 * Reopens the saved outputs, blanked ones blanked. Outputs already open under the
 * same name (the --ndi ones from the command line) win; an output that fails to
 * open is reported and the others still open. Returns how many were reopened.
 */
export function reopenSavedOutputs(configDir: string, outputs: OutputGroups, report: { onError: (error: EngineError) => void }): number {
  const saved = readOutputRig(configDir);
  if (saved.error) report.onError(saved.error);
  const open = new Set([...outputs.ndi.statuses(), ...outputs.displays.statuses()].map((o) => `${o.kind}:${o.name}`));
  let reopened = 0;
  for (const entry of saved.outputs) {
    if (open.has(`${entry.kind}:${entry.name}`)) continue;
    const group = entry.kind === 'ndi' ? outputs.ndi : outputs.displays;
    const added = entry.kind === 'ndi' ? outputs.ndi.add(specOf(entry)) : outputs.displays.add(specOf(entry));
    if (!added.ok) {
      report.onError(added.error);
      continue;
    }
    if (!entry.live) group.setLive(added.value, false);
    reopened++;
  }
  return reopened;
}

/** The add command's fields of a saved entry (without its kind and selection). */
function specOf<E extends RigEntry>(entry: E): Omit<E, 'kind' | 'live'> {
  const { kind: _kind, live: _live, ...spec } = entry;
  return spec;
}
