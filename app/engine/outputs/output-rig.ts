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
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { displayCommandSchemas } from '../../contract/display.js';
import { engineError, type EngineError } from '../../contract/errors.js';
import { ndiCommandSchemas } from '../../contract/ndi.js';
import { OUTPUT_RIG_MAX_BYTES, readRegularTextSync } from '../show-files/safe-files.js';
import { writeFileAtomicSync } from '../show-files/show-store.js';
import type { DisplayOutputSpec } from './display-outputs.js';
import type { NdiOutputSpec } from './ndi-outputs.js';
import type { OutputGroups } from './output-commands.js';

export const OUTPUT_RIG_FILE = 'outputs.json';

const [addNdiOutput] = ndiCommandSchemas;
const [addDisplayOutput] = displayCommandSchemas;

const rigEntrySchema = z.discriminatedUnion('kind', [
  addNdiOutput.omit({ type: true }).extend({ kind: z.literal('ndi'), live: z.boolean().default(true) }),
  addDisplayOutput.omit({ type: true }).extend({ kind: z.literal('display'), live: z.boolean().default(true) }),
]);
const rigFileSchema = z.object({ version: z.literal(1), outputs: z.array(rigEntrySchema).max(64) });

export type RigEntry = ({ kind: 'ndi' } & NdiOutputSpec & { live: boolean }) | ({ kind: 'display' } & DisplayOutputSpec & { live: boolean });

export interface RigRead {
  outputs: RigEntry[];
  /** Why the saved rig was not used (the file was moved aside); null when it was fine or absent. */
  error: EngineError | null;
}

export function readOutputRig(configDir: string): RigRead {
  const file = path.join(configDir, OUTPUT_RIG_FILE);
  if (!existsSync(file)) return { outputs: [], error: null };
  let problem: string;
  // A regular file of at most 1 MB: a FIFO or device planted there must not hold the engine at start.
  const text = readRegularTextSync(file, OUTPUT_RIG_MAX_BYTES);
  if (!text.ok) problem = `it is ${text.failure.message}`;
  else {
    try {
      const parsed = rigFileSchema.safeParse(JSON.parse(text.value));
      if (parsed.success) return { outputs: parsed.data.outputs as RigEntry[], error: null };
      const issue = parsed.error.issues[0];
      problem = `field "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}`;
    } catch {
      problem = 'not valid JSON';
    }
  }
  const aside = `${file}.broken`;
  try {
    renameSync(file, aside);
  } catch {
    /* reported below either way; the next save then replaces it */
  }
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
    const { kind: _kind, live, ...spec } = entry;
    const group = entry.kind === 'ndi' ? outputs.ndi : outputs.displays;
    const added = entry.kind === 'ndi' ? outputs.ndi.add(spec as NdiOutputSpec) : outputs.displays.add(spec as DisplayOutputSpec);
    if (!added.ok) {
      report.onError(added.error);
      continue;
    }
    if (!live) group.setLive(added.value, false);
    reopened++;
  }
  return reopened;
}
