/**
 * model.json: the manifest every model folder carries. It names the files, the
 * graph's inputs and outputs by *role* (so the runtime never guesses from tensor
 * names), the native output size and the licence. Validated with zod when a
 * model folder is loaded; a bad manifest is reported with the field path.
 */
import { z } from 'zod';

import { EXECUTION_PROVIDER_NAMES } from '../../contract/providers.js';

export const EXECUTION_PROVIDERS = EXECUTION_PROVIDER_NAMES;
export type { ExecutionProviderName } from '../../contract/providers.js';

const tensorSpec = z.object({
  /** Tensor name in the ONNX graph. */
  name: z.string().min(1),
  dtype: z.enum(['float32', 'float16', 'int64', 'int32', 'uint8']),
  /** Dimensions; a string names a dimension chosen at run time (e.g. "height"). */
  dims: z.array(z.union([z.number().int().positive(), z.string().min(1)])),
});

export const builtinModelManifestSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  name: z.string().min(1),
  kind: z.literal('frame-model'),
  description: z.string().optional(),
  licence: z.string().min(1),
  /** Relative to the model folder. */
  files: z.object({ graph: z.string().min(1), vocabulary: z.string().min(1).optional() }),
  /** Size of the frames the graph makes when asked for nothing else. */
  nativeSize: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }),
  /** Length of the conditioning vector the text encoder makes. */
  conditioningSize: z.number().int().positive(),
  inputs: z
    .object({
      /** float32 [1, conditioningSize]: the prompt's conditioning (already blended). */
      conditioning: tensorSpec,
      /** float32 [1]: show time in seconds, drives motion. */
      time: tensorSpec,
      /** float32 [1]: seed; same prompt + seed + time = same frame. */
      seed: tensorSpec,
      /** int64 [2]: requested output [height, width]; the upscale happens in the graph. */
      outputSize: tensorSpec,
      /**
       * Optional, with `inputStrength`: uint8 [height, width, 4], the RGBA picture a look restyles, at
       * outputSize; a 1x1 picture at strength 1 asks for the text look alone. Model folders made before
       * live inputs have neither: looks that name an input then get text-only frames (and a notice).
       */
      input: tensorSpec.optional(),
      /** float32 [1]: how far the output may move from the picture: 0 the picture as it is, 1 the text look alone. */
      inputStrength: tensorSpec.optional(),
    })
    .refine((inputs) => (inputs.input === undefined) === (inputs.inputStrength === undefined), {
      message: 'name both input and inputStrength, or neither (a model without a picture input)',
    }),
  outputs: z.object({
    /** uint8 [height, width, 4], RGBA, straight alpha (always 255). */
    frame: tensorSpec,
  }),
  /** Execution providers best first; the runtime tries them in this order. */
  preferredProviders: z.array(z.enum(EXECUTION_PROVIDERS)).min(1),
});

export type ModelManifest = z.infer<typeof builtinModelManifestSchema>;

/**
 * model.json of a turbo diffusion folder (SD-Turbo / SDXL-Turbo ONNX exports).
 * Optional: a folder in the onnxruntime/optimum layout (text_encoder/, unet/,
 * vae_decoder/, tokenizer/ ...) loads without one; a model.json only names it,
 * sets its size and defaults, or points at folders laid out differently.
 */
export const turboModelManifestSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  name: z.string().min(1),
  kind: z.literal('turbo-diffusion'),
  description: z.string().optional(),
  licence: z.string().min(1),
  /** Generation size (the UNet's input times 8) when the graph does not fix it; the output is scaled from it. */
  nativeSize: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }),
  preferredProviders: z.array(z.enum(EXECUTION_PROVIDERS)).min(1),
  /** Decoder: the tiny VAE (TAESD/TAESDXL) when the folder has one ('auto', for speed), or always one kind. */
  vae: z.enum(['auto', 'tiny', 'full']).optional(),
  /** The tiny decoder's output range: diffusers' AutoencoderTiny exports give -1..1, madebyollin's raw TAESD 0..1. */
  tinyVaeOutputRange: z.enum(['-1..1', '0..1']).optional(),
  /** Latent scaling of the full VAE (SD 0.18215, SDXL 0.13025); vae_decoder/config.json otherwise. */
  vaeScalingFactor: z.number().positive().optional(),
  /** Sub-folders, relative to the model folder, for layouts that differ from the onnxruntime one. */
  folders: z
    .object({
      textEncoder: z.string().min(1),
      textEncoder2: z.string().min(1),
      unet: z.string().min(1),
      vaeDecoder: z.string().min(1),
      tinyVaeDecoder: z.string().min(1),
      tokenizer: z.string().min(1),
      tokenizer2: z.string().min(1),
    })
    .partial()
    .optional(),
  /** Look parameters used when a look does not set them (see pipelines/turbo-diffusion.ts). */
  defaults: z
    .object({
      strength: z.number().gt(0).max(1),
      similarity: z.number().min(0).max(2),
      motion: z.number().min(0),
    })
    .partial()
    .optional(),
});

export type TurboModelManifest = z.infer<typeof turboModelManifestSchema>;
