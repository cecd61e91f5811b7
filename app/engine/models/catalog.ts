/**
 * The catalog of known real-time models: models/catalog.json (shipped as data,
 * validated by contract/models.ts), and what the downloader needs from an entry.
 * A catalog that does not parse is a build fault, but the engine still comes up:
 * the library then shows no catalog and says why.
 */
import path from 'node:path';
import { catalogDocumentSchema, type CatalogDocument, type CatalogEntry } from '../../contract/models.js';
import { engineError } from '../../contract/errors.js';
import { shippedResource } from '../resources.js';
import { readRegularTextSync } from '../show-files/safe-files.js';
import { fail, ok, type Result } from '../result.js';

/** The catalog is a few kB; anything far larger is not ours. */
const CATALOG_MAX_BYTES = 1024 * 1024;

/** The shipped catalog, or a file of one's own (a studio's list of mirrored models; tests) named by CYCLORAMA_CATALOG. */
export function catalogPath(env: NodeJS.ProcessEnv = process.env): string {
  const own = env.CYCLORAMA_CATALOG?.trim();
  return own ? path.resolve(own) : shippedResource('models', 'catalog.json');
}

export function readCatalog(file = catalogPath()): Result<CatalogDocument> {
  const text = readRegularTextSync(file, CATALOG_MAX_BYTES);
  if (!text.ok) return fail(engineError('model-library', `The model catalog ${file} could not be read (${text.failure.message}); reinstall Cyclorama.`, { file }));
  let raw: unknown;
  try {
    raw = JSON.parse(text.value);
  } catch {
    return fail(engineError('model-library', `The model catalog ${file} is not valid JSON; reinstall Cyclorama.`, { file }));
  }
  const parsed = catalogDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || '(root)';
    return fail(engineError('model-library', `The model catalog ${file}: field "${where}": ${issue?.message ?? 'invalid'}.`, { file, field: where }));
  }
  return ok(parsed.data);
}

const UNITS: Record<string, number> = { bytes: 1, byte: 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12 };

/** "1.73 GB" -> 1.73e9 (the hub's pages use decimal units); null for anything else. */
export function parseShownSize(shown: string | null): number | null {
  if (!shown) return null;
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]+)\s*$/.exec(shown);
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  return match && unit !== undefined ? Math.round(Number(match[1]) * unit) : null;
}

/**
 * The entry's size: exact when the catalog recorded it; else the sum of the sizes read
 * (exact, or as the pages show them: approximate), a lower bound when some file's size
 * was not read at all; null when none was.
 */
export function catalogSize(entry: CatalogEntry): { bytes: number | null; approximate: boolean; lowerBound: boolean } {
  if (entry.totalSizeBytes !== null) return { bytes: entry.totalSizeBytes, approximate: false, lowerBound: false };
  let sum = 0;
  let any = false;
  let missing = false;
  for (const file of entry.files) {
    const bytes = file.size ?? parseShownSize(file.shownSize);
    if (bytes === null) missing = true;
    else {
      sum += bytes;
      any = true;
    }
  }
  return { bytes: any ? sum : null, approximate: true, lowerBound: missing };
}

/** The files of an entry that a complete install must hold (paths inside the snapshot folder). */
export function requiredPaths(entry: CatalogEntry): string[] {
  return entry.files.map((f) => f.path.split('/').join(path.sep));
}

export function findCatalogEntry(catalog: CatalogDocument | null, name: string): CatalogEntry | null {
  return catalog?.models.find((m) => m.id === name) ?? null;
}
