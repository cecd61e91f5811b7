/**
 * The model library: the catalog of known real-time models (models/catalog.json,
 * data, not code), what is installed on the engine's machine, the downloads under
 * way, and the commands that act on them. Pure zod: the engine, the CLI, the
 * console and Companion all derive their types from here.
 *
 * A catalog entry records only what was read on the hub's public pages: a size or
 * hash that could not be read is null with a note, never made up. The downloader
 * takes the missing facts from the hub's own file list at the pinned revision, so
 * what was verified is what a second machine gets.
 */
import { z } from 'zod';
import { EXECUTION_PROVIDER_NAMES } from './providers.js';

/** Hub repository id, "owner/name" (the hub's own rules: letters, digits, -, _, .). */
const repoIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a hub repository id "owner/name"');
/** A git commit id: 40 hex digits (a branch name would let the files change under the hashes). */
export const commitIdSchema = z.string().regex(/^[0-9a-f]{40}$/, 'a full 40-hex commit id');
const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, '64 hex digits');
/** A catalog or library name: lower-case letters, digits and dashes ("sd-turbo"). */
export const modelNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes, e.g. "sd-turbo"');

/** A path inside a repository: relative, forward slashes, no "..". */
const repoPathSchema = z
  .string()
  .min(1)
  .max(512)
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..') && !p.includes('\\'), 'a relative path inside the repository (no "..", no leading "/")');

export const catalogFileSchema = z
  .object({
    path: repoPathSchema,
    /** Exact size in bytes, when it was read (an LFS pointer or the API); null otherwise. */
    size: z.number().int().nonnegative().nullable(),
    /** The size as the hub's page shows it ("1.73 GB"), for people; null when not seen. */
    shownSize: z.string().nullable(),
    /** LFS files: the published sha256 of the content. */
    sha256: sha256Schema.nullable(),
    /** Small (non-LFS) files: the git blob id. */
    gitBlobId: z
      .string()
      .regex(/^[0-9a-f]{40}$/)
      .nullable(),
    /** What was and was not read for this file. */
    note: z.string().optional(),
  })
  .refine((f) => f.sha256 !== null || f.gitBlobId !== null || (f.note ?? '').length > 0, {
    message: 'a file without a sha256 or git blob id must say why in "note"',
    path: ['note'],
  });

export const licenceSchema = z.object({
  /** The hub's licence id ("mit", "sai-nc-community"). */
  id: z.string().min(1),
  name: z.string().min(1),
  url: z.string().url(),
  /** The hub serves the files only to an account that accepted the licence on the hub (with a token). */
  gated: z.boolean(),
  /** Cyclorama shows the licence and asks for acceptance before the first download. */
  needsAcceptance: z.boolean(),
  summary: z.string(),
});

export const catalogSourceSchema = z.object({ fact: z.string().min(1), url: z.string().url() });

/** turbo-diffusion: an SD-Turbo/SDXL-Turbo ONNX export; tiny-vae: a TAESD-style decoder; frame-model: a Cyclorama model.json folder published on the hub. */
export const catalogKindSchema = z.enum(['turbo-diffusion', 'tiny-vae', 'frame-model']);

export const catalogEntrySchema = z
  .object({
    id: modelNameSchema,
    name: z.string().min(1),
    kind: catalogKindSchema,
    /** Which latents it works on: SD 1.x/2.x (4-channel, 512) or SDXL; null for a frame-model. */
    variant: z.enum(['sd', 'sdxl']).nullable(),
    description: z.string(),
    repo: repoIdSchema,
    /** The pinned commit; null only with a revisionNote saying why. */
    revision: commitIdSchema.nullable(),
    revisionNote: z.string().optional(),
    /** True when every file of the model was read (paths, and size or hash). */
    filesComplete: z.boolean(),
    filesNote: z.string().optional(),
    files: z.array(catalogFileSchema).min(1),
    totalSizeBytes: z.number().int().nonnegative().nullable(),
    totalSizeNote: z.string().optional(),
    /** Device memory it needs, bytes, and how that figure was come by. */
    memory: z.object({ bytes: z.number().int().positive(), note: z.string().min(1) }),
    /** Providers it can run on, best first. */
    providers: z.array(z.enum(EXECUTION_PROVIDER_NAMES)).min(1),
    providersNote: z.string().optional(),
    /** tiny-vae: the catalog model whose full VAE decoder it replaces. */
    pairsWith: modelNameSchema.optional(),
    licence: licenceSchema,
    /** Where each fact was read. */
    source: z.array(catalogSourceSchema).min(1),
  })
  .refine((e) => e.kind === 'frame-model' || e.variant !== null, { message: 'a turbo model or tiny decoder says which latents it works on ("sd" or "sdxl")', path: ['variant'] })
  .refine((e) => e.revision !== null || (e.revisionNote ?? '').length > 0, {
    message: 'a catalog entry without a pinned revision must say why in "revisionNote"',
    path: ['revisionNote'],
  })
  .refine((e) => e.filesComplete || (e.filesNote ?? '').length > 0, {
    message: 'an entry whose file list is incomplete must say what is missing in "filesNote"',
    path: ['filesNote'],
  })
  .refine((e) => e.totalSizeBytes !== null || (e.totalSizeNote ?? '').length > 0, {
    message: 'an entry without an exact total size must say why in "totalSizeNote"',
    path: ['totalSizeNote'],
  })
  .refine((e) => new Set(e.files.map((f) => f.path)).size === e.files.length, { message: 'a file is listed twice', path: ['files'] });

export const catalogDocumentSchema = z
  .object({ version: z.literal(1), models: z.array(catalogEntrySchema).min(1) })
  .refine((c) => new Set(c.models.map((m) => m.id)).size === c.models.length, { message: 'two catalog entries share an id', path: ['models'] })
  .refine((c) => c.models.every((m) => m.pairsWith === undefined || c.models.some((o) => o.id === m.pairsWith)), {
    message: '"pairsWith" names a model that is not in the catalog',
    path: ['models'],
  });

export type CatalogFile = z.infer<typeof catalogFileSchema>;
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;
export type CatalogDocument = z.infer<typeof catalogDocumentSchema>;
export type Licence = z.infer<typeof licenceSchema>;

// ---- state ----

export const installedModelSchema = z.object({
  /** What `models remove` / `loadModel` name it by: the catalog id, "builtin", or the imported folder's name. */
  name: z.string(),
  displayName: z.string(),
  kind: z.enum(['frame-model', 'turbo-diffusion', 'tiny-vae']),
  /** builtin: ships with Cyclorama; downloaded: complete in the hub cache; imported: a folder the user named. */
  origin: z.enum(['builtin', 'downloaded', 'imported']),
  /** The folder loadModel takes. */
  dir: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  licence: z.object({ id: z.string(), name: z.string(), url: z.string().nullable() }).nullable(),
  /** The provider it would run on here (first usable of its list), null when none fits. */
  provider: z.enum(EXECUTION_PROVIDER_NAMES).nullable(),
  /** False for a tiny decoder on its own, or an imported folder that stopped loading (problem says why). */
  loadable: z.boolean(),
  /** Running on the wall now. */
  live: z.boolean(),
  problem: z.string().optional(),
});

export const catalogItemStatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: catalogKindSchema,
  variant: z.enum(['sd', 'sdxl']).nullable(),
  repo: z.string(),
  revision: z.string().nullable(),
  /** Exact total when known, else the sum of the sizes the hub's pages show (approximate). */
  sizeBytes: z.number().nullable(),
  sizeApproximate: z.boolean(),
  /** Some file's size was not read: sizeBytes is what is known, the model is larger. */
  sizeIsLowerBound: z.boolean(),
  memoryBytes: z.number(),
  licence: licenceSchema,
  licenceAccepted: z.boolean(),
  installed: z.boolean(),
});

export const downloadFileStateSchema = z.enum(['queued', 'downloading', 'verifying', 'done', 'failed']);

export const downloadStatusSchema = z.object({
  model: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  totalBytes: z.number(),
  doneBytes: z.number(),
  bytesPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  files: z.array(z.object({ path: z.string(), size: z.number(), doneBytes: z.number(), state: downloadFileStateSchema, error: z.string().optional() })),
  /** Why it failed, in plain words with what to do (and the file, when one file was the problem). */
  error: z.object({ code: z.string(), message: z.string(), file: z.string().optional() }).optional(),
});

export const modelsStatusSchema = z.object({
  installed: z.array(installedModelSchema),
  catalog: z.array(catalogItemStatusSchema),
  /** Downloads under way, and the last outcome of each model's most recent one. */
  downloads: z.array(downloadStatusSchema),
});

export type InstalledModel = z.infer<typeof installedModelSchema>;
export type CatalogItemStatus = z.infer<typeof catalogItemStatusSchema>;
export type DownloadStatus = z.infer<typeof downloadStatusSchema>;
export type ModelsStatus = z.infer<typeof modelsStatusSchema>;

// ---- commands ----

export const modelCommandSchemas = [
  /** Re-reads the hub cache and the imported folders, then publishes the state. */
  z.object({ type: z.literal('listModels') }),
  /**
   * Starts downloading a catalog model (replies once it started, or why not:
   * a licence to accept first, one already running, offline). Progress and the
   * outcome follow in state.models.downloads. Never touches the running show.
   */
  z.object({ type: z.literal('pullModel'), name: modelNameSchema }),
  z.object({ type: z.literal('cancelPull'), name: modelNameSchema }),
  /** Adds a model folder on the engine's machine to the library (checked that it loads as a model; the folder is never moved or changed). */
  z.object({ type: z.literal('importModel'), dir: z.string().min(1).max(4096), name: modelNameSchema.optional() }),
  /** A downloaded model: deletes its files from the hub cache (only the files it owns). An imported folder: forgets it (the folder stays). */
  z.object({ type: z.literal('removeModel'), name: modelNameSchema }),
  /** The operator accepted a catalog model's licence (remembered in the config folder). */
  z.object({ type: z.literal('acceptLicence'), name: modelNameSchema }),
] as const;

/** Sizes of models and downloads as the hub writes them (decimal units: "4.91 MB", "2.58 GB"); the CLI and the console both use it. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '?';
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}
