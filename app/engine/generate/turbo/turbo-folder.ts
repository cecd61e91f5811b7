/**
 * Finds and checks a turbo diffusion model folder: the layout of the
 * onnxruntime organisation's / optimum's ONNX exports of SD-Turbo and
 * SDXL-Turbo, as users download them (no Cyclorama file needed):
 *
 *   text_encoder/model.onnx      tokenizer/vocab.json, merges.txt (+ tokenizer_config.json)
 *   text_encoder_2/model.onnx    tokenizer_2/...                   (SDXL only)
 *   unet/model.onnx              vae_decoder/model.onnx (+ config.json)
 *   vae_decoder_tiny/ or taesd/ (SD) or taesdxl/ (SDXL) model.onnx (optional TAESD/TAESDXL)
 *   vae_encoder/model.onnx, or vae_encoder_tiny/ or taesd_encoder/ (SD) or taesdxl_encoder/ (SDXL)
 *                                (optional: image-to-image from a live input)
 *   scheduler/scheduler_config.json, model_index.json              (optional)
 *
 * This is the file-level check (synchronous, no onnxruntime): every missing part
 * is named at once. The graph-level check (input names, dtypes, ranks) happens
 * when the worker opens the sessions (pipelines/turbo-diffusion.ts).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ExecutionProviderName } from '../../../contract/providers.js';
import type { TurboModelManifest } from '../model-manifest.js';
import { scheduleFromConfig, TURBO_SCHEDULE, type NoiseSchedule } from './schedule.js';
import { tinyDecoderRangeFromGraph } from './tiny-vae-range.js';

/** Everything the worker needs to open a turbo pipeline; plain data (it crosses to the worker thread). */
export interface TurboLayout {
  variant: 'sd' | 'sdxl';
  /** One text encoder (SD) or two (SDXL), each with its tokenizer folder. */
  textEncoders: { graphPath: string; tokenizerDir: string }[];
  unetPath: string;
  /** The full VAE decoder, when present. */
  vaeDecoderPath: string | null;
  /** The tiny decoder (TAESD / TAESDXL), when present. */
  tinyVaeDecoderPath: string | null;
  /** Which decoder runs: the tiny one when present unless the manifest says 'full'. */
  decoder: 'tiny' | 'full';
  /** Latents are divided by this before the full VAE (the tiny one takes them as they are). */
  vaeScalingFactor: number;
  tinyVaeOutputRange: '-1..1' | '0..1';
  /** The VAE encoder for image-to-image from an input: the full one (latents x vaeScalingFactor) or the tiny one; null when the folder has none. */
  vaeEncoderPath: string | null;
  encoder: 'tiny' | 'full' | null;
  schedule: NoiseSchedule;
  /** Generation size when the UNet graph does not fix it. */
  nativeSize: { width: number; height: number };
  defaults: { strength: number; similarity: number; motion: number };
}

export const TURBO_PREFERRED_PROVIDERS: ExecutionProviderName[] = ['tensorrt', 'cuda', 'dml', 'coreml', 'webgpu', 'cpu'];

/** Look parameter defaults: StreamDiffusion-like img2img strength, skip above 0.995 latent similarity, no drift. */
export const TURBO_DEFAULTS = { strength: 0.5, similarity: 0.995, motion: 0 } as const;

/**
 * Tiny decoder folders by variant: TAESD decodes SD latents, TAESDXL SDXL latents (the other
 * one gives wrong colours), so a folder with both picks its own and never the other's.
 */
const TINY_VAE_FOLDERS: Record<TurboLayout['variant'], string[]> = {
  sd: ['vae_decoder_tiny', 'taesd', 'taesd_decoder'],
  sdxl: ['vae_decoder_tiny', 'taesdxl', 'taesdxl_decoder'],
};
/** Tiny encoder folders by variant, as for the decoders. */
const TINY_VAE_ENCODER_FOLDERS: Record<TurboLayout['variant'], string[]> = {
  sd: ['vae_encoder_tiny', 'taesd_encoder'],
  sdxl: ['vae_encoder_tiny', 'taesdxl_encoder'],
};
const LAYOUT_MARKERS = ['model_index.json', 'unet', 'text_encoder', 'vae_decoder', 'tokenizer'];

/** True when `dir` looks like a diffusers/onnxruntime export (complete or not). */
export function looksLikeTurboFolder(dir: string): boolean {
  return LAYOUT_MARKERS.some((marker) => existsSync(path.join(dir, marker)));
}

function readJson(file: string): Record<string, unknown> | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

const isFile = (file: string) => existsSync(file) && statSync(file).isFile();

/** The range read from the graph; a graph that cannot be parsed is left to the session check, which names it. */
function tinyRange(graphPath: string): '-1..1' | '0..1' {
  try {
    return tinyDecoderRangeFromGraph(graphPath);
  } catch {
    return '-1..1';
  }
}

export type TurboLayoutResult = { ok: true; layout: TurboLayout; manifest: TurboModelManifest } | { ok: false; missing: string[]; message: string };

/**
 * The layout of `dir`, or the list of what is missing ("unet/model.onnx missing").
 * `manifest` is the folder's model.json when it has one; otherwise one is made
 * up from the folder (name, SD or SDXL, 512x512, the usual provider order).
 */
export function detectTurboLayout(dir: string, manifest?: TurboModelManifest): TurboLayoutResult {
  const folders = manifest?.folders ?? {};
  const index = readJson(path.join(dir, 'model_index.json'));
  const className = typeof index?._class_name === 'string' ? index._class_name : '';
  const textEncoder2 = folders.textEncoder2 ?? 'text_encoder_2';
  const sdxl = className.includes('XL') || existsSync(path.join(dir, textEncoder2)) || existsSync(path.join(dir, folders.tokenizer2 ?? 'tokenizer_2'));
  const missing: string[] = [];
  const need = (relative: string): string => {
    const full = path.join(dir, relative);
    if (!isFile(full)) missing.push(relative);
    return full;
  };

  const encoders: { graph: string; tokenizer: string }[] = [{ graph: folders.textEncoder ?? 'text_encoder', tokenizer: folders.tokenizer ?? 'tokenizer' }];
  if (sdxl) encoders.push({ graph: textEncoder2, tokenizer: folders.tokenizer2 ?? 'tokenizer_2' });
  const textEncoders = encoders.map((e) => {
    const graphPath = need(path.join(e.graph, 'model.onnx'));
    need(path.join(e.tokenizer, 'vocab.json'));
    need(path.join(e.tokenizer, 'merges.txt'));
    return { graphPath, tokenizerDir: path.join(dir, e.tokenizer) };
  });
  const unetPath = need(path.join(folders.unet ?? 'unet', 'model.onnx'));

  const vaeFolder = folders.vaeDecoder ?? 'vae_decoder';
  const vaeDecoderPath = isFile(path.join(dir, vaeFolder, 'model.onnx')) ? path.join(dir, vaeFolder, 'model.onnx') : null;
  const tinyCandidates = folders.tinyVaeDecoder ? [folders.tinyVaeDecoder] : TINY_VAE_FOLDERS[sdxl ? 'sdxl' : 'sd'];
  const tinyFolder = tinyCandidates.find((f) => isFile(path.join(dir, f, 'model.onnx')));
  const tinyVaeDecoderPath = tinyFolder ? path.join(dir, tinyFolder, 'model.onnx') : null;
  const wanted = manifest?.vae ?? 'auto';
  if (wanted === 'full' && !vaeDecoderPath) missing.push(path.join(vaeFolder, 'model.onnx'));
  else if (wanted === 'tiny' && !tinyVaeDecoderPath) missing.push(`${tinyCandidates.join('/ or ')}/model.onnx (model.json asks for the tiny VAE)`);
  else if (!vaeDecoderPath && !tinyVaeDecoderPath) missing.push(`${path.join(vaeFolder, 'model.onnx')} (or a tiny decoder in ${tinyCandidates.join('/, ')}/)`);

  if (missing.length > 0) {
    return {
      ok: false,
      missing,
      message: `${dir} is not a complete ${sdxl ? 'SDXL-Turbo' : 'SD-Turbo'} ONNX folder: ${missing.map((m) => `${m} missing`).join('; ')}. Download the whole export (the onnxruntime layout: text_encoder/, unet/, vae_decoder/, tokenizer/${sdxl ? ', text_encoder_2/, tokenizer_2/' : ''}).`,
    };
  }

  const decoder: 'tiny' | 'full' = wanted === 'full' ? 'full' : tinyVaeDecoderPath ? 'tiny' : 'full';
  const vaeConfig = readJson(path.join(dir, vaeFolder, 'config.json'));
  const vaeScalingFactor = manifest?.vaeScalingFactor ?? (typeof vaeConfig?.scaling_factor === 'number' ? vaeConfig.scaling_factor : sdxl ? 0.13025 : 0.18215);
  const tinyConfig = tinyFolder ? readJson(path.join(dir, tinyFolder, 'config.json')) : null;
  // diffusers' AutoencoderTiny (and the optimum exports of it) scale the output to -1..1;
  // madebyollin's raw TAESD decoder gives 0..1. The manifest, then the folder's config.json,
  // then the graph itself (how it ends: tiny-vae-range.ts) say which.
  const tinyVaeOutputRange =
    manifest?.tinyVaeOutputRange ??
    (tinyConfig ? (tinyConfig._class_name === 'AutoencoderTiny' ? '-1..1' : '0..1') : tinyVaeDecoderPath && decoder === 'tiny' ? tinyRange(tinyVaeDecoderPath) : '-1..1');
  // The encoder that matches the decoder when there is one (the same latent space either way).
  const fullEncoder = isFile(path.join(dir, 'vae_encoder', 'model.onnx')) ? path.join(dir, 'vae_encoder', 'model.onnx') : null;
  const tinyEncoderFolder = TINY_VAE_ENCODER_FOLDERS[sdxl ? 'sdxl' : 'sd'].find((f) => isFile(path.join(dir, f, 'model.onnx')));
  const tinyEncoder = tinyEncoderFolder ? path.join(dir, tinyEncoderFolder, 'model.onnx') : null;
  const [encoder, vaeEncoderPath]: [TurboLayout['encoder'], string | null] =
    decoder === 'tiny' && tinyEncoder ? ['tiny', tinyEncoder] : fullEncoder ? ['full', fullEncoder] : tinyEncoder ? ['tiny', tinyEncoder] : [null, null];
  const schedulerConfig = readJson(path.join(dir, 'scheduler', 'scheduler_config.json'));
  const schedule = schedulerConfig ? scheduleFromConfig(schedulerConfig) : TURBO_SCHEDULE;

  const base = path.basename(path.resolve(dir));
  const slug =
    base
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'turbo';
  const effective: TurboModelManifest = manifest ?? {
    schemaVersion: 1,
    id: /^[a-z0-9]/.test(slug) ? slug : `m-${slug}`,
    name: `${sdxl ? 'SDXL-Turbo' : 'SD-Turbo'} (${base})`,
    kind: 'turbo-diffusion',
    description: 'ONNX export found by its folder layout (no model.json).',
    licence: "The model's own licence, as published with its weights (Stability AI's community licence for SD-Turbo / SDXL-Turbo).",
    nativeSize: { width: 512, height: 512 },
    preferredProviders: TURBO_PREFERRED_PROVIDERS,
  };
  return {
    ok: true,
    manifest: effective,
    layout: {
      variant: sdxl ? 'sdxl' : 'sd',
      textEncoders,
      unetPath,
      vaeDecoderPath,
      tinyVaeDecoderPath,
      decoder,
      vaeScalingFactor,
      tinyVaeOutputRange,
      vaeEncoderPath,
      encoder,
      schedule,
      nativeSize: effective.nativeSize,
      defaults: { ...TURBO_DEFAULTS, ...(effective.defaults ?? {}) },
    },
  };
}
