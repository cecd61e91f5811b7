/**
 * What the model library remembers in the engine's config folder (models.json,
 * beside outputs.json and last-session.json): the folders the user imported and
 * the licences the operator accepted. Written atomically on every change; a file
 * that cannot be read is moved aside (models.json.broken), never overwritten, and
 * the library starts empty with a message saying so.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { engineError, type EngineError } from '../../contract/errors.js';
import { modelNameSchema } from '../../contract/models.js';
import { readConfigFileSync } from '../show-files/config-file.js';
import { writeFileAtomicSync } from '../show-files/show-store.js';

export const LIBRARY_CONFIG_FILE = 'models.json';
const LIBRARY_CONFIG_MAX_BYTES = 1024 * 1024;

const libraryConfigSchema = z.object({
  version: z.literal(1),
  imported: z.array(z.object({ name: modelNameSchema, dir: z.string().min(1).max(4096) })).max(256),
  /** One per accepted licence: the catalog model and the licence id accepted for it (a changed licence asks again). */
  acceptedLicences: z.array(z.object({ model: modelNameSchema, licence: z.string().min(1) })).max(256),
  /**
   * The exact file list (sizes, hashes) of each pulled catalog model, as the hub gave it at the
   * pinned revision (catalog-files.ts): how the library checks the cache offline.
   */
  resolved: z
    .array(
      z.object({
        model: modelNameSchema,
        repo: z.string(),
        revision: z.string().regex(/^[0-9a-f]{40}$/),
        files: z.array(z.object({ path: z.string(), size: z.number().int().nonnegative(), sha256: z.string().nullable(), gitBlobId: z.string().nullable() })).max(10_000),
      }),
    )
    .max(256)
    .default([]),
});
export type LibraryConfig = z.infer<typeof libraryConfigSchema>;

export const emptyLibraryConfig = (): LibraryConfig => ({ version: 1, imported: [], acceptedLicences: [], resolved: [] });

export function readLibraryConfig(configDir: string | null): { config: LibraryConfig; error: EngineError | null } {
  if (!configDir) return { config: emptyLibraryConfig(), error: null };
  const file = path.join(configDir, LIBRARY_CONFIG_FILE);
  const read = readConfigFileSync(file, libraryConfigSchema, LIBRARY_CONFIG_MAX_BYTES);
  if (read.kind === 'absent') return { config: emptyLibraryConfig(), error: null };
  if (read.kind === 'ok') return { config: read.value, error: null };
  const { problem, aside } = read;
  return {
    config: emptyLibraryConfig(),
    error: engineError(
      'model-library',
      `The model library's list (${file}) could not be read (${problem}). Imported folders and accepted licences start empty; the file was kept as ${aside}: fix it and move it back, or import the folders again.`,
      { path: file },
    ),
  };
}

/** Saves the library's list; an error (disk full, read-only folder) comes back as a value. Null configDir: kept in memory only. */
export function writeLibraryConfig(configDir: string | null, config: LibraryConfig): EngineError | null {
  if (!configDir) return null;
  try {
    mkdirSync(configDir, { recursive: true });
  } catch (error) {
    return engineError('model-library', `Could not save the model library's list in ${configDir}: ${(error as Error).message}.`);
  }
  const written = writeFileAtomicSync(path.join(configDir, LIBRARY_CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
  return written.ok ? null : engineError('model-library', `${written.error.message} The model library's list was not saved.`);
}
