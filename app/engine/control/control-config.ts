/**
 * The machine's show-control configuration: `control.json` in the engine's config
 * folder (DMX in, MIDI Show Control; contract/control-sources.ts). Read once at
 * start through config-file.ts: absent = everything off; a file that cannot be used
 * is moved aside (control.json.broken) with a line saying so, and everything is off.
 * MIDI learn writes it back whole (writeControlConfig), atomically.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { controlConfigSchema, type ControlConfig } from '../../contract/control-sources.js';
import { readConfigFileSync } from '../show-files/config-file.js';
import { writeFileAtomicSync } from '../show-files/show-store.js';

export const CONTROL_CONFIG_FILE = 'control.json';
/** A hand-written settings file is a few hundred bytes; anything this big is not one. */
const MAX_CONTROL_CONFIG_BYTES = 256 * 1024;

export function readControlConfig(configDir: string | null, log: (line: string) => void): ControlConfig {
  const off = controlConfigSchema.parse({});
  if (!configDir) return off;
  const file = join(configDir, CONTROL_CONFIG_FILE);
  const read = readConfigFileSync(file, controlConfigSchema, MAX_CONTROL_CONFIG_BYTES);
  if (read.kind === 'absent') return off;
  if (read.kind === 'broken') {
    log(`${file} cannot be used (${read.problem}); moved to ${read.aside}. DMX in and MIDI Show Control are off until it is fixed.`);
    return off;
  }
  return read.value;
}

/** Writes the machine's control settings (MIDI learn changed them); a line saying what failed, or null. */
export function writeControlConfig(configDir: string, config: ControlConfig): string | null {
  const file = join(configDir, CONTROL_CONFIG_FILE);
  try {
    mkdirSync(configDir, { recursive: true });
  } catch (error) {
    return `Could not save the MIDI mappings in ${file}: ${(error as Error).message}. They are used now, but not after a restart.`;
  }
  const written = writeFileAtomicSync(file, `${JSON.stringify(config, null, 2)}\n`, { replace: true });
  return written.ok ? null : `${written.error.message} The MIDI mappings are used now, but not after a restart.`;
}
