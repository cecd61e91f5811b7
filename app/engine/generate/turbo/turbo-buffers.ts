/**
 * Every buffer one turbo frame needs, sized from the graphs once at load, so
 * the render path allocates nothing: the generation size (fixed by a
 * static-shape UNet, else the native pixel count at the output's aspect), the
 * UNet's inputs in their float types, the SDXL micro-conditioning, and the
 * float32 latents of the step (noise, x_t, eps, x0, the feedback latent and the input's latent).
 */
import type * as ort from 'onnxruntime-node';
import { FloatInput, timestepInput, type FloatType, type TimestepInput } from './float-tensors.js';
import { encoderWidths, lastDim, LATENT_CHANNELS, tensorMeta, type DecoderIo, type Meta } from './graph-io.js';
import type { TextEncoder } from './prompt-conditioning.js';
import type { TurboLayout } from './turbo-folder.js';

/** Generation size for an output size: the native pixel count at the output's aspect, in multiples of 64. */
export function generationSize(native: { width: number; height: number }, output: { width: number; height: number }): { width: number; height: number } {
  const area = native.width * native.height;
  const aspect = output.width / output.height;
  const round64 = (v: number) => Math.max(64, Math.round(v / 64) * 64);
  const height = Math.sqrt(area / aspect);
  return { width: round64(height * aspect), height: round64(height) };
}

export interface TurboBuffers {
  latentHeight: number;
  latentWidth: number;
  /** Values in one latent: channels x height x width. */
  latentSize: number;
  /** Width of encoder_hidden_states per token (SDXL: both encoders side by side). */
  hiddenSize: number;
  sample: FloatInput;
  hidden: FloatInput;
  /** SDXL only: pooled text embeds and time ids. */
  pooled: FloatInput | null;
  timeIds: FloatInput | null;
  timestep: TimestepInput;
  decoderInput: FloatInput;
  /** The frame's noise, and the two seeds' noise of a seed transition. */
  noiseMix: Float32Array;
  noiseA: Float32Array;
  noiseB: Float32Array;
  xt: Float32Array;
  eps: Float32Array;
  /** x0 of this frame and of the last (the feedback latent); swapped after each UNet run. */
  x0: Float32Array;
  x0Previous: Float32Array;
  /** The input's latents (model space), encoded when the input's version changes. */
  inputLatent: Float32Array;
}

/** The generation size in latents: fixed by a static-shape UNet, else the native pixel count at the output's aspect. */
export function latentSizeOf(layout: TurboLayout, output: { width: number; height: number }, unet: ort.InferenceSession): { latentHeight: number; latentWidth: number } {
  const [, , h, w] = (tensorMeta(unet.inputMetadata, 'sample') as Meta).shape;
  // A static-shape export (e.g. for WebGPU/WebNN) fixes the generation size.
  if (typeof h === 'number' && typeof w === 'number') return { latentHeight: h, latentWidth: w };
  const size = generationSize(layout.nativeSize, output);
  return { latentHeight: size.height / 8, latentWidth: size.width / 8 };
}

export function allocateTurboBuffers(
  layout: TurboLayout,
  output: { width: number; height: number },
  unet: ort.InferenceSession,
  encoders: readonly TextEncoder[],
  decoderIo: DecoderIo,
): TurboBuffers {
  const sampleMeta = tensorMeta(unet.inputMetadata, 'sample') as Meta;
  const { latentHeight, latentWidth } = latentSizeOf(layout, output, unet);
  const n = LATENT_CHANNELS * latentHeight * latentWidth;
  const latentDims = [1, LATENT_CHANNELS, latentHeight, latentWidth];
  const hiddenMeta = tensorMeta(unet.inputMetadata, 'encoder_hidden_states') as Meta;
  // Hidden width: the UNet's when fixed, else the encoders' (checkUnet found them equal when both are known).
  const widths = encoderWidths(encoders);
  const hiddenSize = lastDim(hiddenMeta) ?? (widths.every((x) => x !== null) ? (widths as number[]).reduce((a, b) => a + b, 0) : 0);
  const sequence = typeof hiddenMeta.shape[1] === 'number' ? hiddenMeta.shape[1] : (encoders[0]?.tokenizer.maxLength ?? 77);
  let pooled: FloatInput | null = null;
  let timeIds: FloatInput | null = null;
  if (layout.variant === 'sdxl') {
    const pooledMeta = tensorMeta(unet.inputMetadata, 'text_embeds') as Meta;
    const pooledWidth = lastDim(pooledMeta) ?? lastDim(tensorMeta(encoders[1]?.session.outputMetadata ?? [], 'text_embeds')) ?? 1280;
    pooled = new FloatInput(pooledMeta.type as FloatType, [1, pooledWidth]);
    timeIds = new FloatInput((tensorMeta(unet.inputMetadata, 'time_ids') as Meta).type as FloatType, [1, 6]);
    const height = latentHeight * 8;
    const width = latentWidth * 8;
    // SDXL micro-conditioning: original size, crop top-left, target size.
    timeIds.f32.set([height, width, 0, 0, height, width]);
    timeIds.commit();
  }
  return {
    latentHeight,
    latentWidth,
    latentSize: n,
    hiddenSize,
    sample: new FloatInput(sampleMeta.type as FloatType, latentDims),
    hidden: new FloatInput(hiddenMeta.type as FloatType, [1, sequence, hiddenSize || 1]),
    pooled,
    timeIds,
    timestep: timestepInput(tensorMeta(unet.inputMetadata, 'timestep') as Meta),
    decoderInput: new FloatInput(decoderIo.inputType, latentDims),
    noiseMix: new Float32Array(n),
    noiseA: new Float32Array(n),
    noiseB: new Float32Array(n),
    xt: new Float32Array(n),
    eps: new Float32Array(n),
    x0: new Float32Array(n),
    x0Previous: new Float32Array(n),
    inputLatent: new Float32Array(n),
  };
}
