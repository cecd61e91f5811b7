/**
 * The turbo pipeline's text conditioning: each prompt runs through the text
 * encoder(s) once (then a small cache answers, so a look change never re-encodes
 * a prompt seen recently), and a transition slerps the two prompts' embeddings
 * token by token into the UNet's inputs.
 */
import * as ort from 'onnxruntime-node';
import type { ClipTokenizer } from '../clip-tokenizer.js';
import { floatData, type FloatInput } from './float-tensors.js';
import type { TextEncoderIo } from './graph-io.js';
import { slerp } from './latent-math.js';

/** Prompts kept encoded; the oldest goes first. */
const PROMPT_CACHE = 32;

/** One prompt's text conditioning, float32: hidden [77, hiddenSize] and (SDXL) pooled [pooledSize]. */
export interface Conditioning {
  hidden: Float32Array;
  pooled: Float32Array | null;
}

/** An open text encoder with its tokenizer and the tensors it is run for. */
export interface TextEncoder extends TextEncoderIo {
  session: ort.InferenceSession;
  tokenizer: ClipTokenizer;
}

export class PromptCache {
  private readonly prompts = new Map<string, Conditioning>();

  /**
   * `hidden`: the UNet's encoder_hidden_states input ([1, tokens, hiddenSize]), whose size
   * each encoding must match; `onEncoderRun` counts the text encoder runs.
   */
  constructor(
    private readonly encoders: readonly TextEncoder[],
    private readonly hidden: FloatInput,
    private readonly hiddenSize: number,
    private readonly onEncoderRun: () => void,
  ) {}

  /** The prompt's conditioning: the text encoder(s) run once per prompt, then the cache answers. */
  async get(prompt: string): Promise<Conditioning> {
    const cached = this.prompts.get(prompt);
    if (cached) return cached;
    const parts: Float32Array[] = [];
    let pooled: Float32Array | null = null;
    for (const encoder of this.encoders) {
      const ids = encoder.tokenizer.encode(prompt);
      const data = encoder.idsType === 'int64' ? BigInt64Array.from(ids, (v) => BigInt(v)) : ids;
      const fetch = encoder.pooledOutput ? [encoder.hiddenOutput, encoder.pooledOutput] : [encoder.hiddenOutput];
      const result = await encoder.session.run({ input_ids: new ort.Tensor(encoder.idsType, data, [1, ids.length]) }, fetch);
      this.onEncoderRun();
      parts.push(floatData(result[encoder.hiddenOutput] as ort.Tensor));
      if (encoder.pooledOutput) pooled = floatData(result[encoder.pooledOutput] as ort.Tensor);
    }
    // SDXL: both encoders' hidden states side by side per token ([77, 768 + 1280] for the real models).
    const size = this.hidden.f32.length;
    let hidden = parts[0] as Float32Array;
    if (parts.length > 1) {
      const tokens = size / this.hiddenSize;
      hidden = new Float32Array(size);
      let offset = 0;
      for (const part of parts) {
        const width = part.length / tokens;
        for (let t = 0; t < tokens; t++) hidden.set(part.subarray(t * width, (t + 1) * width), t * this.hiddenSize + offset);
        offset += width;
      }
    }
    if (hidden.length !== size) {
      throw new Error(`text encoder gave ${hidden.length} values, the UNet takes ${size} (encoder_hidden_states ${this.hidden.tensor.dims.join('x')})`);
    }
    if (this.prompts.size >= PROMPT_CACHE) this.prompts.delete(this.prompts.keys().next().value as string);
    const conditioning = { hidden, pooled };
    this.prompts.set(prompt, conditioning);
    return conditioning;
  }
}

/**
 * Writes the look's conditioning into the UNet inputs: `target` alone, or the
 * slerp from `source` at `weight` (hidden states per token of `hiddenSize`).
 */
export function writeConditioning(source: Conditioning | null, target: Conditioning, weight: number, hidden: FloatInput, hiddenSize: number, pooled: FloatInput | null): void {
  if (source) {
    slerp(source.hidden, target.hidden, weight, hidden.f32, hiddenSize);
    if (pooled && source.pooled && target.pooled) slerp(source.pooled, target.pooled, weight, pooled.f32);
  } else {
    hidden.f32.set(target.hidden);
    if (pooled && target.pooled) pooled.f32.set(target.pooled);
  }
  hidden.commit();
  pooled?.commit();
}
