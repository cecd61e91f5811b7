/**
 * Loads and checks a model folder: model.json against the manifest schema, then
 * that every file it names exists. A folder without model.json in the
 * onnxruntime/optimum diffusion layout (unet/, text_encoder/, ...) is a turbo
 * diffusion model (turbo/turbo-folder.ts). Errors name the file and the problem, so an
 * operator who pointed at the wrong folder knows what to fix.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { engineError } from '../../contract/errors.js';
import { shippedResource } from '../resources.js';
import { MODEL_MANIFEST_MAX_BYTES, readRegularTextSync } from '../show-files/safe-files.js';
import { fail, ok, type Result } from '../result.js';
import { builtinModelManifestSchema, turboModelManifestSchema, type ModelManifest, type TurboModelManifest } from './model-manifest.js';
import { detectTurboLayout, looksLikeTurboFolder, type TurboLayout } from './turbo/turbo-folder.js';

/** A one-graph frame model (the built-in one): conditioning/time/seed/outputSize -> RGBA frame. */
export interface FrameModelFolder {
  kind: 'frame-model';
  dir: string;
  manifest: ModelManifest;
  graphPath: string;
  vocabularyPath: string | null;
}

/** A turbo diffusion export (SD-Turbo / SDXL-Turbo): text encoder(s), UNet, VAE decoder, tokenizer(s). */
export interface TurboModelFolder {
  kind: 'turbo-diffusion';
  dir: string;
  manifest: TurboModelManifest;
  /** The UNet: the graph messages name when the model fails to load. */
  graphPath: string;
  layout: TurboLayout;
}

export type ModelFolder = FrameModelFolder | TurboModelFolder;

/** The model that ships with Cyclorama (`models/builtin`), in a checkout or an installed app. */
export function builtinModelDir(): string {
  return shippedResource('models', 'builtin');
}

export function loadModelFolder(dir: string): Result<ModelFolder> {
  const manifestPath = path.join(dir, 'model.json');
  if (!existsSync(manifestPath) && looksLikeTurboFolder(dir)) return loadTurboFolder(dir);
  if (!existsSync(manifestPath)) {
    return fail(
      engineError('model-load-failed', `${manifestPath} not found: point Cyclorama at a model folder (it holds model.json and the .onnx files).`, { file: manifestPath }),
    );
  }
  // A regular file of at most 1 MB (a FIFO or device named model.json must not hold the engine).
  const text = readRegularTextSync(manifestPath, MODEL_MANIFEST_MAX_BYTES);
  if (!text.ok)
    return fail(
      engineError('model-load-failed', `${manifestPath} is ${text.failure.message}: point Cyclorama at a model folder whose model.json is a plain file.`, { file: manifestPath }),
    );
  let raw: unknown;
  try {
    raw = JSON.parse(text.value);
  } catch {
    // JSON.parse's message quotes the file; the operator opens it in an editor to see where.
    return fail(engineError('model-load-failed', `${manifestPath} is not valid JSON: check it in a text editor (or a JSON validator).`, { file: manifestPath }));
  }
  if ((raw as { kind?: unknown } | null)?.kind === 'turbo-diffusion') {
    const turbo = turboModelManifestSchema.safeParse(raw);
    if (!turbo.success) {
      const issue = turbo.error.issues[0];
      const where = issue?.path.join('.') || '(root)';
      return fail(engineError('model-load-failed', `${manifestPath}: field "${where}": ${issue?.message ?? 'invalid'}.`, { file: manifestPath, field: where }));
    }
    return loadTurboFolder(dir, turbo.data);
  }
  const parsed = builtinModelManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || '(root)';
    return fail(engineError('model-load-failed', `${manifestPath}: field "${where}": ${issue?.message ?? 'invalid'}.`, { file: manifestPath, field: where }));
  }
  const manifest = parsed.data;
  const graphPath = path.join(dir, manifest.files.graph);
  if (!existsSync(graphPath)) {
    return fail(engineError('model-load-failed', `Model graph ${graphPath} (named in model.json files.graph) is missing.`, { file: graphPath }));
  }
  let vocabularyPath: string | null = null;
  if (manifest.files.vocabulary !== undefined) {
    vocabularyPath = path.join(dir, manifest.files.vocabulary);
    if (!existsSync(vocabularyPath)) {
      return fail(engineError('model-load-failed', `Vocabulary ${vocabularyPath} (named in model.json files.vocabulary) is missing.`, { file: vocabularyPath }));
    }
  }
  return ok({ kind: 'frame-model', dir, manifest, graphPath, vocabularyPath });
}

/** A turbo diffusion folder, with or without model.json; names every missing file at once. */
function loadTurboFolder(dir: string, manifest?: TurboModelManifest): Result<ModelFolder> {
  const found = detectTurboLayout(dir, manifest);
  if (!found.ok) return fail(engineError('model-load-failed', found.message, { dir, missing: found.missing }));
  return ok({ kind: 'turbo-diffusion', dir, manifest: found.manifest, graphPath: found.layout.unetPath, layout: found.layout });
}
