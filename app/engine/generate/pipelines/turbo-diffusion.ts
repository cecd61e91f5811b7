/**
 * SD-Turbo / SDXL-Turbo in one step per frame, the StreamDiffusion approach,
 * on the ONNX exports as published (see turbo/turbo-folder.ts for the layout):
 *
 *   prompt --tokenizer--> input_ids --text_encoder(s)--> embeddings     once per prompt (cached)
 *   look  --slerp(from, to, weight)--> encoder_hidden_states (+ SDXL text_embeds, time_ids)
 *   seed  --PRNG--> noise (slerp between seeds in a transition, and in time with `motion`)
 *   x_t = x0(previous frame) + sigma(strength) * noise               image-to-image feedback
 *   UNet(x_t / sqrt(sigma^2+1), timestep) -> eps;  x0 = x_t - sigma * eps      one step
 *   x0 --VAE decoder (tiny when present)--> image --post-process graph--> RGBA8 [H, W, 4]
 *
 * Temporal stability comes from the feedback (each frame starts from the last
 * one's latent, noised only to `strength`) and from using the same noise every
 * frame for a seed. Similarity skip: when the conditioning, noise and strength
 * are the ones of the last UNet run and that run changed the latent by less
 * than `similarity` (cosine), the UNet and VAE are skipped and the last decoded
 * image is post-processed again (at most MAX_SKIPS in a row).
 *
 * Look parameters (the look's params, blended during a transition by show/look-resolver.ts
 * exactly as resolveShow reports them; the folder's defaults for names neither look sets):
 *   strength   (0, 1]  noise level of the img2img step; 1 = text-to-image, no feedback (default 0.5)
 *   similarity [0, 2]  skip threshold on the latent cosine similarity; > 1 never skips (default 0.995)
 *   motion     >= 0    noise drift in noise fields per second of show time; 0 = still (default 0)
 */
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadClipTokenizer, type ClipTokenizer } from '../clip-tokenizer.js';
import { buildPostprocessGraph, POSTPROCESS_INPUT, POSTPROCESS_OUTPUT } from '../turbo/postprocess-graph.js';
import { cosineSimilarity, fromHalfArray, gaussianNoise, slerp, toHalf, toHalfArray } from '../turbo/latent-math.js';
import { alphasCumprod, stepForStrength } from '../turbo/schedule.js';
import type { ExecutionProviderName } from '../../../contract/providers.js';
import { resolveLookAt } from '../../../show/look-resolver.js';
import type { TurboLayout } from '../turbo/turbo-folder.js';
import type { WorkerLook } from '../worker-protocol.js';
import type { PipelineCommon } from './frame-model.js';
import { openOnFirstProvider, type FramePipeline, type PipelineLoad } from './pipeline.js';

/** Most UNet runs skipped in a row: a converged picture is still refreshed now and then. */
export const MAX_SKIPS = 30;
const LATENT_CHANNELS = 4;
const PROMPT_CACHE = 32;

/** Counters the tests and the bench read. */
export interface TurboStats {
  textEncoderRuns: number;
  unetRuns: number;
  unetSkips: number;
  decoderRuns: number;
}

type FloatType = 'float32' | 'float16';
type Meta = ort.InferenceSession.TensorValueMetadata;

/** One prompt's text conditioning, float32: hidden [77, hiddenSize] and (SDXL) pooled [pooledSize]. */
interface Conditioning {
  hidden: Float32Array;
  pooled: Float32Array | null;
}

interface TextEncoderIo {
  session: ort.InferenceSession;
  tokenizer: ClipTokenizer;
  idsType: 'int32' | 'int64';
  /** The hidden-state output used: last_hidden_state (SD) or the penultimate hidden_states.N (SDXL). */
  hiddenOutput: string;
  pooledOutput: string | null;
}

interface Sessions {
  encoders: TextEncoderIo[];
  unet: ort.InferenceSession;
  decoder: ort.InferenceSession;
  post: ort.InferenceSession;
}

/** Generation size for an output size: the native pixel count at the output's aspect, in multiples of 64. */
export function generationSize(native: { width: number; height: number }, output: { width: number; height: number }): { width: number; height: number } {
  const area = native.width * native.height;
  const aspect = output.width / output.height;
  const round64 = (v: number) => Math.max(64, Math.round(v / 64) * 64);
  const height = Math.sqrt(area / aspect);
  return { width: round64(height * aspect), height: round64(height) };
}

const component = (graphPath: string) => `${path.basename(path.dirname(graphPath))} (${graphPath})`;

function tensorMeta(list: readonly ort.InferenceSession.ValueMetadata[], name: string): Meta | null {
  const found = list.find((m) => m.name === name);
  return found && found.isTensor ? found : null;
}

function names(list: readonly ort.InferenceSession.ValueMetadata[]): string {
  return list.map((m) => m.name).join(', ') || '(none)';
}

/** Checks one tensor of a graph by name, dtype and rank; a message naming graph, tensor and what it has instead. */
function check(
  graphPath: string,
  list: readonly ort.InferenceSession.ValueMetadata[],
  io: 'input' | 'output',
  name: string,
  types: readonly string[],
  ranks: readonly number[],
): string | null {
  const meta = tensorMeta(list, name);
  if (!meta) return `${component(graphPath)}: ${io} ${name} not found (the graph has ${names(list)})`;
  if (!types.includes(meta.type)) return `${component(graphPath)}: ${io} ${name} is ${meta.type}, expected ${types.join(' or ')}`;
  // An undefined shape reads as [] (rank unknown): accept it.
  if (meta.shape.length > 0 && !ranks.includes(meta.shape.length)) {
    return `${component(graphPath)}: ${io} ${name} has rank ${meta.shape.length} [${meta.shape.join(', ')}], expected rank ${ranks.join(' or ')}`;
  }
  return null;
}

const FLOATS = ['float32', 'float16'] as const;

/** Last dimension when the graph fixes it, else null. */
function lastDim(meta: Meta | null): number | null {
  const d = meta?.shape[meta.shape.length - 1];
  return typeof d === 'number' ? d : null;
}

/** A float tensor's data as float32 (fp16 exports hand over Uint16Array bits). */
function floatData(tensor: ort.Tensor, out?: Float32Array): Float32Array {
  if (tensor.type === 'float16') {
    const bits = tensor.data as Uint16Array;
    return fromHalfArray(bits, out ?? new Float32Array(bits.length));
  }
  const data = tensor.data as Float32Array;
  if (out) {
    out.set(data);
    return out;
  }
  return new Float32Array(data);
}

/** A reusable model input in the graph's float type, filled from float32. */
class FloatInput {
  readonly f32: Float32Array;
  private readonly f16: Uint16Array | null;
  readonly tensor: ort.Tensor;
  constructor(type: FloatType, dims: number[]) {
    const size = dims.reduce((a, b) => a * b, 1);
    this.f32 = new Float32Array(size);
    this.f16 = type === 'float16' ? new Uint16Array(size) : null;
    this.tensor = this.f16 ? new ort.Tensor('float16', this.f16, dims) : new ort.Tensor('float32', this.f32, dims);
  }
  /** Call after writing `f32`: converts to fp16 where the graph wants it. */
  commit(): void {
    if (this.f16) toHalfArray(this.f32, this.f16);
  }
}

export class TurboDiffusionPipeline implements FramePipeline {
  readonly stats: TurboStats = { textEncoderRuns: 0, unetRuns: 0, unetSkips: 0, decoderRuns: 0 };
  /** The look parameters the last frame was made with (resolved and blended), for tests and the bench. */
  lastParams: Readonly<Record<string, number>> | null = null;
  private sessions: Sessions | null = null;
  private look: WorkerLook | null = null;
  private readonly cumprod: Float64Array;
  private readonly prompts = new Map<string, Conditioning>();
  private readonly noises = new Map<string, Float32Array>();

  // Sizes fixed at load.
  private latentHeight = 0;
  private latentWidth = 0;
  private latentSize = 0;
  private hiddenSize = 0;

  // Per-frame buffers, allocated once at load.
  private sample!: FloatInput;
  private hidden!: FloatInput;
  private pooled: FloatInput | null = null;
  private timeIds: FloatInput | null = null;
  private decoderInput!: FloatInput;
  private timestep!: ort.Tensor;
  private setTimestep!: (t: number) => void;
  private noiseMix!: Float32Array;
  private noiseA!: Float32Array;
  private noiseB!: Float32Array;
  private xt!: Float32Array;
  private eps!: Float32Array;
  private x0!: Float32Array;
  private x0Previous!: Float32Array;
  private hasPrevious = false;
  private lastDecoded: ort.Tensor | null = null;

  // Change tracking for the conversion cache and the similarity skip.
  private conditioningKey = '';
  private lastRunKey = '';
  private lastSimilarity = 0;
  private skipsInARow = 0;

  constructor(
    private readonly layout: TurboLayout,
    private readonly common: PipelineCommon,
  ) {
    this.cumprod = alphasCumprod(layout.schedule);
  }

  /** Latent [channels, height, width] the UNet runs at (fixed by the graph, or from the output's aspect). */
  get latentShape(): [number, number, number] {
    return [LATENT_CHANNELS, this.latentHeight, this.latentWidth];
  }

  /** The latent of the last frame (x0), for tests; a copy. */
  latentSnapshot(): Float32Array {
    return this.x0Previous.slice();
  }

  /** Drops the feedback latent: the next frame starts from noise alone. */
  resetFeedback(): void {
    this.hasPrevious = false;
    this.lastRunKey = '';
  }

  load(): Promise<PipelineLoad> {
    return openOnFirstProvider(this.common.providers, (provider) => this.open(provider), this.layout.unetPath);
  }

  private async open(provider: ExecutionProviderName): Promise<string | null> {
    const options: ort.InferenceSession.SessionOptions = {
      executionProviders: [provider],
      intraOpNumThreads: this.common.intraOpThreads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    };
    const opened: ort.InferenceSession[] = [];
    const create = async (source: string | Uint8Array) => {
      const session = typeof source === 'string' ? await ort.InferenceSession.create(source, options) : await ort.InferenceSession.create(source, options);
      opened.push(session);
      return session;
    };
    const releaseAll = async () => {
      for (const s of opened) await s.release();
    };
    try {
      const encoders: TextEncoderIo[] = [];
      for (const [index, encoder] of this.layout.textEncoders.entries()) {
        const session = await create(encoder.graphPath);
        const io = this.checkTextEncoder(session, encoder.graphPath, index);
        if (typeof io === 'string') {
          await releaseAll();
          return io;
        }
        encoders.push({ session, tokenizer: loadClipTokenizer(encoder.tokenizerDir), ...io });
      }
      const unet = await create(this.layout.unetPath);
      const unetProblem = this.checkUnet(unet, encoders);
      if (unetProblem) {
        await releaseAll();
        return unetProblem;
      }
      const decoderPath = (this.layout.decoder === 'tiny' ? this.layout.tinyVaeDecoderPath : this.layout.vaeDecoderPath) as string;
      const decoder = await create(decoderPath);
      const decoderIo = this.checkDecoder(decoder, decoderPath);
      if (typeof decoderIo === 'string') {
        await releaseAll();
        return decoderIo;
      }
      const range = this.layout.decoder === 'tiny' ? this.layout.tinyVaeOutputRange : '-1..1';
      const post = await create(buildPostprocessGraph({ inputType: decoderIo.outputType, range, width: this.common.width, height: this.common.height }));
      this.allocate(unet, encoders, decoderIo);
      this.sessions = { encoders, unet, decoder, post };
      return null;
    } catch (error) {
      await releaseAll().catch(() => {});
      throw error;
    }
  }

  private checkTextEncoder(session: ort.InferenceSession, graphPath: string, index: number): string | Omit<TextEncoderIo, 'session' | 'tokenizer'> {
    const problem = check(graphPath, session.inputMetadata, 'input', 'input_ids', ['int32', 'int64'], [2]);
    if (problem) return problem;
    const idsType = (tensorMeta(session.inputMetadata, 'input_ids') as Meta).type as 'int32' | 'int64';
    const outputs = session.outputMetadata;
    let hiddenOutput = 'last_hidden_state';
    let pooledOutput: string | null = null;
    if (this.layout.variant === 'sdxl') {
      // SDXL conditions on the penultimate layer of both encoders (diffusers: hidden_states[-2]).
      const layers = outputs.map((m) => /^hidden_states\.(\d+)$/.exec(m.name)?.[1]).filter((n): n is string => n !== undefined).map(Number);
      if (layers.length >= 2) hiddenOutput = `hidden_states.${Math.max(...layers) - 1}`;
      if (index === 1) {
        pooledOutput = 'text_embeds';
        const pooledProblem = check(graphPath, outputs, 'output', 'text_embeds', FLOATS, [2]);
        if (pooledProblem) return pooledProblem;
      }
    }
    const hiddenProblem = check(graphPath, outputs, 'output', hiddenOutput, FLOATS, [3]);
    if (hiddenProblem) return hiddenProblem;
    return { idsType, hiddenOutput, pooledOutput };
  }

  private checkUnet(unet: ort.InferenceSession, encoders: TextEncoderIo[]): string | null {
    const p = this.layout.unetPath;
    const inputs = unet.inputMetadata;
    const problems = [
      check(p, inputs, 'input', 'sample', FLOATS, [4]),
      check(p, inputs, 'input', 'timestep', ['int64', 'int32', 'float32', 'float16'], [0, 1]),
      check(p, inputs, 'input', 'encoder_hidden_states', FLOATS, [3]),
      ...(this.layout.variant === 'sdxl'
        ? [check(p, inputs, 'input', 'text_embeds', FLOATS, [2]), check(p, inputs, 'input', 'time_ids', FLOATS, [2])]
        : []),
      check(p, unet.outputMetadata, 'output', 'out_sample', FLOATS, [4]),
    ].filter((x): x is string => x !== null);
    if (problems.length > 0) return problems.join('; ');
    const sample = tensorMeta(inputs, 'sample') as Meta;
    if (typeof sample.shape[1] === 'number' && sample.shape[1] !== LATENT_CHANNELS) return `${component(p)}: input sample has ${sample.shape[1]} channels, expected ${LATENT_CHANNELS}`;
    // The text encoders' width must be what the UNet cross-attends to.
    const encoderWidths = encoders.map((e) => lastDim(tensorMeta(e.session.outputMetadata, e.hiddenOutput)));
    const wanted = lastDim(tensorMeta(inputs, 'encoder_hidden_states'));
    if (wanted !== null && encoderWidths.every((w) => w !== null)) {
      const total = (encoderWidths as number[]).reduce((a, b) => a + b, 0);
      if (total !== wanted) return `${component(p)}: encoder_hidden_states is ${wanted} wide but the text encoder(s) give ${encoderWidths.join(' + ')}: the folder mixes models`;
    }
    return null;
  }

  private checkDecoder(decoder: ort.InferenceSession, graphPath: string): string | { input: string; output: string; inputType: FloatType; outputType: FloatType } {
    const inputs = decoder.inputMetadata;
    const outputs = decoder.outputMetadata;
    // The exports name them latent_sample -> sample; a raw TAESD export with one input and one output is accepted as is.
    const lone = this.layout.decoder === 'tiny' && inputs.length === 1 && outputs.length === 1;
    const input = lone && !tensorMeta(inputs, 'latent_sample') ? (inputs[0] as Meta).name : 'latent_sample';
    const output = lone && !tensorMeta(outputs, 'sample') ? (outputs[0] as Meta).name : 'sample';
    const problem = check(graphPath, inputs, 'input', input, FLOATS, [4]) ?? check(graphPath, outputs, 'output', output, FLOATS, [4]);
    if (problem) return problem;
    return { input, output, inputType: (tensorMeta(inputs, input) as Meta).type as FloatType, outputType: (tensorMeta(outputs, output) as Meta).type as FloatType };
  }

  private decoderIo: { input: string; output: string } = { input: 'latent_sample', output: 'sample' };

  private allocate(unet: ort.InferenceSession, encoders: TextEncoderIo[], decoderIo: { input: string; output: string; inputType: FloatType }): void {
    const sampleMeta = tensorMeta(unet.inputMetadata, 'sample') as Meta;
    const [, , h, w] = sampleMeta.shape;
    if (typeof h === 'number' && typeof w === 'number') {
      // A static-shape export (e.g. for WebGPU/WebNN) fixes the generation size.
      this.latentHeight = h;
      this.latentWidth = w;
    } else {
      const size = generationSize(this.layout.nativeSize, { width: this.common.width, height: this.common.height });
      this.latentHeight = size.height / 8;
      this.latentWidth = size.width / 8;
    }
    const n = LATENT_CHANNELS * this.latentHeight * this.latentWidth;
    this.latentSize = n;
    const latentDims = [1, LATENT_CHANNELS, this.latentHeight, this.latentWidth];
    const hiddenMeta = tensorMeta(unet.inputMetadata, 'encoder_hidden_states') as Meta;
    const unetFloat = sampleMeta.type as FloatType;
    // Hidden width: the UNet's when fixed, else the encoders' (checked equal above when both are known).
    const widths = encoders.map((e) => lastDim(tensorMeta(e.session.outputMetadata, e.hiddenOutput)));
    this.hiddenSize = lastDim(hiddenMeta) ?? (widths.every((x) => x !== null) ? (widths as number[]).reduce((a, b) => a + b, 0) : 0);
    const sequence = typeof hiddenMeta.shape[1] === 'number' ? hiddenMeta.shape[1] : encoders[0]?.tokenizer.maxLength ?? 77;
    this.sample = new FloatInput(unetFloat, latentDims);
    this.hidden = new FloatInput(hiddenMeta.type as FloatType, [1, sequence, this.hiddenSize || 1]);
    if (this.layout.variant === 'sdxl') {
      const pooledMeta = tensorMeta(unet.inputMetadata, 'text_embeds') as Meta;
      const pooledWidth = lastDim(pooledMeta) ?? lastDim(tensorMeta(encoders[1]?.session.outputMetadata ?? [], 'text_embeds')) ?? 1280;
      this.pooled = new FloatInput(pooledMeta.type as FloatType, [1, pooledWidth]);
      this.timeIds = new FloatInput((tensorMeta(unet.inputMetadata, 'time_ids') as Meta).type as FloatType, [1, 6]);
      const height = this.latentHeight * 8;
      const width = this.latentWidth * 8;
      // SDXL micro-conditioning: original size, crop top-left, target size.
      this.timeIds.f32.set([height, width, 0, 0, height, width]);
      this.timeIds.commit();
    }
    const timestepMeta = tensorMeta(unet.inputMetadata, 'timestep') as Meta;
    const timestepDims = timestepMeta.shape.length === 0 ? [] : [1];
    switch (timestepMeta.type) {
      case 'int64': {
        const data = new BigInt64Array(1);
        this.timestep = new ort.Tensor('int64', data, timestepDims);
        this.setTimestep = (t) => (data[0] = BigInt(t));
        break;
      }
      case 'int32': {
        const data = new Int32Array(1);
        this.timestep = new ort.Tensor('int32', data, timestepDims);
        this.setTimestep = (t) => (data[0] = t);
        break;
      }
      case 'float16': {
        const data = new Uint16Array(1);
        this.timestep = new ort.Tensor('float16', data, timestepDims);
        this.setTimestep = (t) => (data[0] = toHalf(t));
        break;
      }
      default: {
        const data = new Float32Array(1);
        this.timestep = new ort.Tensor('float32', data, timestepDims);
        this.setTimestep = (t) => (data[0] = t);
      }
    }
    this.decoderIo = decoderIo;
    this.decoderInput = new FloatInput(decoderIo.inputType, latentDims);
    this.noiseMix = new Float32Array(n);
    this.noiseA = new Float32Array(n);
    this.noiseB = new Float32Array(n);
    this.xt = new Float32Array(n);
    this.eps = new Float32Array(n);
    this.x0 = new Float32Array(n);
    this.x0Previous = new Float32Array(n);
  }

  setLook(look: WorkerLook): void {
    this.look = look;
  }

  /** The prompt's conditioning: the text encoder(s) run once per prompt, then the cache answers. */
  async conditioningFor(prompt: string): Promise<Conditioning> {
    const cached = this.prompts.get(prompt);
    if (cached) return cached;
    const { encoders } = this.sessions as Sessions;
    const parts: Float32Array[] = [];
    let pooled: Float32Array | null = null;
    for (const encoder of encoders) {
      const ids = encoder.tokenizer.encode(prompt);
      const data = encoder.idsType === 'int64' ? BigInt64Array.from(ids, (v) => BigInt(v)) : ids;
      const fetch = encoder.pooledOutput ? [encoder.hiddenOutput, encoder.pooledOutput] : [encoder.hiddenOutput];
      const result = await encoder.session.run({ input_ids: new ort.Tensor(encoder.idsType, data, [1, ids.length]) }, fetch);
      this.stats.textEncoderRuns++;
      parts.push(floatData(result[encoder.hiddenOutput] as ort.Tensor));
      if (encoder.pooledOutput) pooled = floatData(result[encoder.pooledOutput] as ort.Tensor);
    }
    // SDXL: both encoders' hidden states side by side per token ([77, 768 + 1280] for the real models).
    let hidden = parts[0] as Float32Array;
    if (parts.length > 1) {
      const tokens = this.hidden.f32.length / this.hiddenSize;
      hidden = new Float32Array(this.hidden.f32.length);
      let offset = 0;
      for (const part of parts) {
        const width = part.length / tokens;
        for (let t = 0; t < tokens; t++) hidden.set(part.subarray(t * width, (t + 1) * width), t * this.hiddenSize + offset);
        offset += width;
      }
    }
    if (hidden.length !== this.hidden.f32.length) {
      throw new Error(`text encoder gave ${hidden.length} values, the UNet takes ${this.hidden.f32.length} (encoder_hidden_states ${this.hidden.tensor.dims.join('x')})`);
    }
    if (this.prompts.size >= PROMPT_CACHE) this.prompts.delete(this.prompts.keys().next().value as string);
    const conditioning = { hidden, pooled };
    this.prompts.set(prompt, conditioning);
    return conditioning;
  }

  private noiseField(seed: number, stream: number): Float32Array {
    const key = `${seed}:${stream}`;
    let noise = this.noises.get(key);
    if (!noise) {
      if (this.noises.size >= 8) this.noises.delete(this.noises.keys().next().value as string);
      noise = gaussianNoise(new Float32Array(this.latentSize), seed, stream);
      this.noises.set(key, noise);
    }
    return noise;
  }

  /** The seed's noise at a show time: still for motion 0, else drifting on the sphere between fields. */
  private seedNoise(seed: number, showTimeMs: number, motion: number, out: Float32Array): string {
    if (motion <= 0) {
      out.set(this.noiseField(seed, 0));
      return `${seed}`;
    }
    const position = (showTimeMs / 1000) * motion;
    const k = Math.floor(position);
    const frac = position - k;
    slerp(this.noiseField(seed, k), this.noiseField(seed, k + 1), frac, out);
    return `${seed}@${position}`;
  }

  async renderInto(buffer: ArrayBuffer, showTimeMs: number, clockMs: number): Promise<void> {
    const sessions = this.sessions;
    const look = this.look;
    if (!sessions || !look) throw new Error('turbo pipeline not loaded or no look');
    // The show's resolver: the weight of `to`, and the params blended as resolveShow reports them;
    // the folder's defaults fill the names neither look sets.
    const resolved = resolveLookAt(look, clockMs);
    const { mix: weight, from } = resolved;
    const params = { ...this.layout.defaults, ...resolved.params };
    this.lastParams = params;

    // Text conditioning: cached per prompt; a transition slerps the two embeddings token by token.
    const conditioningKey = from ? `${from.prompt}\u0000${look.to.prompt}\u0000${weight}` : look.to.prompt;
    if (conditioningKey !== this.conditioningKey) {
      const target = await this.conditioningFor(look.to.prompt);
      if (from) {
        const source = await this.conditioningFor(from.prompt);
        slerp(source.hidden, target.hidden, weight, this.hidden.f32, this.hiddenSize);
        if (this.pooled && source.pooled && target.pooled) slerp(source.pooled, target.pooled, weight, this.pooled.f32);
      } else {
        this.hidden.f32.set(target.hidden);
        if (this.pooled && target.pooled) this.pooled.f32.set(target.pooled);
      }
      this.hidden.commit();
      this.pooled?.commit();
      this.conditioningKey = conditioningKey;
    }

    // Noise: the seed's own field; a seed change in a transition slerps the two fields (a latent walk).
    let noiseKey = this.seedNoise(look.to.seed, showTimeMs, params.motion, this.noiseMix);
    if (from && from.seed !== look.to.seed) {
      const fromKey = this.seedNoise(from.seed, showTimeMs, params.motion, this.noiseA);
      this.noiseB.set(this.noiseMix);
      slerp(this.noiseA, this.noiseB, weight, this.noiseMix);
      noiseKey = `${fromKey}>${noiseKey}@${weight}`;
    }

    const strength = Math.min(1, Math.max(0.01, params.strength));
    const runKey = `${conditioningKey}\u0001${noiseKey}\u0001${strength}`;
    if (
      this.hasPrevious &&
      this.lastDecoded &&
      runKey === this.lastRunKey &&
      this.lastSimilarity >= params.similarity &&
      this.skipsInARow < MAX_SKIPS
    ) {
      // Nothing meaningful would change: show the last picture again (post-process only).
      this.skipsInARow++;
      this.stats.unetSkips++;
      await this.postprocess(this.lastDecoded, buffer);
      return;
    }
    this.skipsInARow = 0;

    // One step from the previous frame's latent noised to `strength` (StreamDiffusion img2img).
    const { timestep, sigma } = stepForStrength(this.layout.schedule, this.cumprod, strength);
    const feedback = this.hasPrevious && strength < 1;
    const n = this.latentSize;
    const xt = this.xt;
    const noise = this.noiseMix;
    const previous = this.x0Previous;
    for (let i = 0; i < n; i++) xt[i] = (feedback ? (previous[i] as number) : 0) + sigma * (noise[i] as number);
    const cIn = 1 / Math.sqrt(sigma * sigma + 1);
    const sample = this.sample.f32;
    for (let i = 0; i < n; i++) sample[i] = (xt[i] as number) * cIn;
    this.sample.commit();
    this.setTimestep(timestep);

    const feeds: Record<string, ort.Tensor> = {
      sample: this.sample.tensor,
      timestep: this.timestep,
      encoder_hidden_states: this.hidden.tensor,
    };
    if (this.pooled && this.timeIds) {
      feeds.text_embeds = this.pooled.tensor;
      feeds.time_ids = this.timeIds.tensor;
    }
    const unetOut = await sessions.unet.run(feeds, ['out_sample']);
    this.stats.unetRuns++;
    const eps = floatData(unetOut.out_sample as ort.Tensor, this.eps);
    const x0 = this.x0;
    if (this.layout.schedule.predictionType === 'v_prediction') {
      const a = 1 / (sigma * sigma + 1);
      const b = sigma * cIn;
      for (let i = 0; i < n; i++) x0[i] = (xt[i] as number) * a - (eps[i] as number) * b;
    } else {
      for (let i = 0; i < n; i++) x0[i] = (xt[i] as number) - sigma * (eps[i] as number);
    }
    this.lastSimilarity = this.hasPrevious ? cosineSimilarity(x0, previous) : 0;
    // x0 becomes the next frame's feedback latent (swap, no copy).
    this.x0 = previous;
    this.x0Previous = x0;
    this.hasPrevious = true;
    this.lastRunKey = runKey;

    // Decode: the full VAE takes unscaled latents, the tiny one the model's own.
    const scale = this.layout.decoder === 'tiny' ? 1 : 1 / this.layout.vaeScalingFactor;
    const decoderIn = this.decoderInput.f32;
    for (let i = 0; i < n; i++) decoderIn[i] = (x0[i] as number) * scale;
    this.decoderInput.commit();
    const decoded = await sessions.decoder.run({ [this.decoderIo.input]: this.decoderInput.tensor }, [this.decoderIo.output]);
    this.stats.decoderRuns++;
    this.lastDecoded = decoded[this.decoderIo.output] as ort.Tensor;
    await this.postprocess(this.lastDecoded, buffer);
  }

  /** Decoded image -> RGBA8 at the output size, written straight into the frame buffer. */
  private async postprocess(image: ort.Tensor, buffer: ArrayBuffer): Promise<void> {
    const frame = new ort.Tensor('uint8', new Uint8Array(buffer), [this.common.height, this.common.width, 4]);
    await (this.sessions as Sessions).post.run({ [POSTPROCESS_INPUT]: image }, { [POSTPROCESS_OUTPUT]: frame });
  }

  async release(): Promise<void> {
    const s = this.sessions;
    this.sessions = null;
    if (!s) return;
    for (const session of [...s.encoders.map((e) => e.session), s.unet, s.decoder, s.post]) await session.release();
  }
}
