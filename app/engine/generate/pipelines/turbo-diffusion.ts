/**
 * SD-Turbo / SDXL-Turbo in one step per frame, the StreamDiffusion approach,
 * on the ONNX exports as published (see turbo/turbo-folder.ts for the layout):
 *
 *   prompt --tokenizer--> input_ids --text_encoder(s)--> embeddings     once per prompt (cached)
 *   look  --slerp(from, to, weight)--> encoder_hidden_states (+ SDXL text_embeds, time_ids)
 *   seed  --PRNG--> noise (slerp between seeds in a transition, and in time with `motion`)
 *   source: the input's latents (VAE encoder, when the look names an input), else the previous frame's x0
 *   x_t = source + sigma(strength) * noise                           image-to-image
 *   UNet(x_t / sqrt(sigma^2+1), timestep) -> eps;  x0 = x_t - sigma * eps      one step
 *   x0 --VAE decoder (tiny when present)--> image --post-process graph--> RGBA8 [H, W, 4]
 *
 * One strength, one meaning: how far the output may move from its source picture, the
 * named input when there is one, the previous frame when there is none (1 = all the way:
 * text-to-image). With no source at all (the first frame, after resetFeedback) the step
 * starts from pure noise at full strength.
 *
 * When a look names an input, the previous frame does NOT mix in (as in StreamDiffusion):
 * the source is the input alone. Temporal stability then comes from the noise, fixed per
 * look (seed): a still input gives a still output, and a moving input moves the output at
 * once, with no trail of old frames behind a moving presenter or camera. Mixing the previous
 * frame in would make strength mean two things and the output lag the input.
 *
 * Similarity skips: with an input, a frame whose input (version and size) and look did not
 * change since the last UNet run is the same picture, so it costs no encoder, UNet or VAE run
 * (post-process only). Without an input: when the conditioning, noise and strength are the
 * ones of the last UNet run and that run changed the latent by less than `similarity`
 * (cosine), the UNet and VAE are skipped (at most MAX_SKIPS in a row).
 *
 * This file is the pipeline's steps; each step's mechanics live in ../turbo/:
 *   turbo-sessions.ts  open the graphs (I/O checked by graph-io.ts)
 *   turbo-buffers.ts   generation size and every per-frame buffer, allocated at load
 *   float-tensors.ts   float32 <-> the graphs' float16/float32 and timestep types
 *   prompt-conditioning.ts  per-prompt encoder cache and the embedding slerp
 *   seed-noise.ts      a seed's noise field, drifting with `motion`
 *   input-encoding.ts  the input picture -> latents (preprocess graph + VAE encoder)
 *   one-step.ts        the img2img step's latent math
 *   postprocess-graph.ts    decoded image -> RGBA8 frame at the output size
 *
 * Look parameters (the look's params, blended during a transition by show/look-resolver.ts
 * exactly as resolveShow reports them; the folder's defaults for names neither look sets):
 *   strength   (0, 1]  how far the output may move from its source (noise level of the step; default 0.5)
 *   similarity [0, 2]  skip threshold on the latent cosine similarity without an input; > 1 never skips (default 0.995)
 *   motion     >= 0    noise drift in noise fields per second of show time; 0 = still (default 0)
 */
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ExecutionProviderName } from '../../../contract/providers.js';
import { resolveLookAt, type LookTarget } from '../../../show/look-resolver.js';
import { floatData } from '../turbo/float-tensors.js';
import { LATENT_CHANNELS } from '../turbo/graph-io.js';
import { cosineSimilarity, slerp } from '../turbo/latent-math.js';
import { denoised, noisedSample } from '../turbo/one-step.js';
import { POSTPROCESS_INPUT, POSTPROCESS_OUTPUT } from '../turbo/postprocess-graph.js';
import { PromptCache, writeConditioning } from '../turbo/prompt-conditioning.js';
import { alphasCumprod, stepForStrength } from '../turbo/schedule.js';
import { SeedNoise } from '../turbo/seed-noise.js';
import { allocateTurboBuffers, latentSizeOf, type TurboBuffers } from '../turbo/turbo-buffers.js';
import type { TurboLayout } from '../turbo/turbo-folder.js';
import { openTurboSessions, releaseTurboSessions, type TurboSessions } from '../turbo/turbo-sessions.js';
import type { WorkerLook } from '../worker-protocol.js';
import type { PipelineCommon } from './frame-model.js';
import { openOnFirstProvider, type FramePipeline, type PipelineLoad } from './pipeline.js';
import type { InputPicture } from '../../inputs/input-picture.js';

/** Most UNet runs skipped in a row: a converged picture is still refreshed now and then. */
export const MAX_SKIPS = 30;

/** Counters the tests and the bench read. */
export interface TurboStats {
  textEncoderRuns: number;
  unetRuns: number;
  unetSkips: number;
  decoderRuns: number;
  /** Input pictures encoded to latents (once per input version). */
  encoderRuns: number;
}

/** What the pipeline holds once loaded. */
interface Loaded {
  sessions: TurboSessions;
  buffers: TurboBuffers;
  prompts: PromptCache;
  noise: SeedNoise;
}

export class TurboDiffusionPipeline implements FramePipeline {
  readonly stats: TurboStats = { textEncoderRuns: 0, unetRuns: 0, unetSkips: 0, decoderRuns: 0, encoderRuns: 0 };
  private params: Readonly<Record<string, number>> | null = null;
  private loaded: Loaded | null = null;
  private look: WorkerLook | null = null;
  private readonly cumprod: Float64Array;

  // Feedback, and change tracking for the conversion cache and the similarity skip.
  private hasPrevious = false;
  private lastDecoded: ort.Tensor | null = null;
  private conditioningKey = '';
  private lastRunKey = '';
  private lastSimilarity = 0;
  private skipsInARow = 0;
  /** The input picture whose latents are in buffers.inputLatent ("WxH:version"). */
  private encodedInput = '';
  /** One-time warnings for the worker to report (drained by notices()). */
  private readonly pending: string[] = [];
  private warnedNoEncoder = false;

  constructor(
    private readonly layout: TurboLayout,
    private readonly common: PipelineCommon,
  ) {
    this.cumprod = alphasCumprod(layout.schedule);
  }

  /** Latent [channels, height, width] the UNet runs at (fixed by the graph, or from the output's aspect). */
  get latentShape(): [number, number, number] {
    return [LATENT_CHANNELS, this.loaded?.buffers.latentHeight ?? 0, this.loaded?.buffers.latentWidth ?? 0];
  }

  /**
   * The size an input is encoded at (the generation size, latent x 8): an input handed over at
   * this size is resized by no one; any other size is resized once by the preprocess graph.
   */
  get inputSize(): { width: number; height: number } {
    return { width: (this.loaded?.buffers.latentWidth ?? 0) * 8, height: (this.loaded?.buffers.latentHeight ?? 0) * 8 };
  }

  /** The look parameters the last frame was made with (resolved, blended, defaults filled in), for tests; null before one. */
  get lastParams(): Readonly<Record<string, number>> | null {
    return this.params;
  }

  /** The latent of the last frame (x0), for tests; a copy. */
  latentSnapshot(): Float32Array {
    return (this.loaded as Loaded).buffers.x0Previous.slice();
  }

  /** Drops the feedback latent: the next frame starts from noise alone. */
  resetFeedback(): void {
    this.hasPrevious = false;
    this.lastRunKey = '';
  }

  /** Null when looks with an input restyle it; else why they render from text only (the folder has no VAE encoder). */
  get inputProblem(): string | null {
    if (this.layout.encoder) return null;
    const root = path.dirname(path.dirname(this.layout.unetPath));
    return `${root} has no VAE encoder (vae_encoder/model.onnx, or a tiny one in vae_encoder_tiny/, taesd_encoder/ or taesdxl_encoder/), so it cannot restyle an input: looks with an input render from their text only. Add the export's vae_encoder/ (or TAESD's encoder) to the folder and load it again.`;
  }

  /** One-time warnings since the last call (e.g. the first look with an input on a folder without an encoder). */
  notices(): string[] {
    return this.pending.splice(0);
  }

  load(): Promise<PipelineLoad> {
    return openOnFirstProvider(this.common.providers, (provider) => this.open(provider), `the turbo model in ${path.dirname(path.dirname(this.layout.unetPath))}`);
  }

  private async open(provider: ExecutionProviderName): Promise<string | null> {
    const sessions = await openTurboSessions(this.layout, provider, this.common, (unet) => {
      const { latentHeight, latentWidth } = latentSizeOf(this.layout, this.common, unet);
      return { width: latentWidth * 8, height: latentHeight * 8 };
    });
    if (typeof sessions === 'string') return sessions;
    const buffers = allocateTurboBuffers(this.layout, this.common, sessions.unet, sessions.encoders, sessions.decoderIo);
    const prompts = new PromptCache(sessions.encoders, buffers.hidden, buffers.hiddenSize, () => this.stats.textEncoderRuns++);
    this.loaded = { sessions, buffers, prompts, noise: new SeedNoise(buffers.latentSize) };
    return null;
  }

  setLook(look: WorkerLook): void {
    this.look = look;
  }

  async renderInto(buffer: ArrayBuffer, showTimeMs: number, clockMs: number, input: InputPicture | null): Promise<void> {
    const loaded = this.loaded;
    const look = this.look;
    if (!loaded || !look) throw new Error('turbo pipeline not loaded or no look');
    // The show's resolver: the weight of `to`, and the params blended as resolveShow reports them;
    // the folder's defaults fill the names neither look sets.
    const resolved = resolveLookAt(look, clockMs);
    const { mix: weight, from } = resolved;
    const params = { ...this.layout.defaults, ...resolved.params };
    this.params = params;

    const conditioningKey = await this.textConditioning(loaded, look.to, from, weight);
    const noiseKey = this.noise(loaded, look.to, from, weight, showTimeMs, params.motion);
    const inputKey = input ? this.inputKey(loaded, input) : null;
    // The source picture: the input when the look names one (the previous frame does not mix in,
    // see the header), else the previous frame. No source at all (first frame, after
    // resetFeedback): text-to-image from pure noise at full strength. Noising an empty latent to
    // a lower strength gives a grey, washed-out frame.
    const hasSource = inputKey !== null || this.hasPrevious;
    const strength = hasSource ? Math.min(1, Math.max(0.01, params.strength)) : 1;
    const runKey = `${conditioningKey}\u0001${noiseKey}\u0001${strength}\u0001${inputKey ?? 'feedback'}`;
    if (this.lastDecoded && (inputKey !== null ? runKey === this.lastRunKey : this.canSkip(runKey, params.similarity))) {
      // Nothing would change (an unchanged input and look: exactly the same picture; or a converged
      // feedback loop): show the last picture again (post-process only).
      this.skipsInARow++;
      this.stats.unetSkips++;
      await this.postprocess(loaded, this.lastDecoded, buffer);
      return;
    }
    this.skipsInARow = 0;
    if (inputKey !== null && inputKey !== this.encodedInput) {
      await (loaded.sessions.input as NonNullable<TurboSessions['input']>).encoder.encode(input as InputPicture, loaded.buffers.inputLatent);
      this.stats.encoderRuns++;
      this.encodedInput = inputKey;
    }
    const b = loaded.buffers;
    await this.unetStep(loaded, strength, inputKey !== null ? b.inputLatent : this.hasPrevious ? b.x0Previous : null);
    this.lastRunKey = runKey;
    this.lastDecoded = await this.decode(loaded);
    await this.postprocess(loaded, this.lastDecoded, buffer);
  }

  /**
   * The input's key ("WxH:version"), or null when this folder cannot encode it: then the
   * look renders from its text, and the first such frame queues a one-time notice saying why.
   */
  private inputKey(loaded: Loaded, input: InputPicture): string | null {
    if (!loaded.sessions.input) {
      if (!this.warnedNoEncoder) {
        this.warnedNoEncoder = true;
        this.pending.push(this.inputProblem as string);
      }
      return null;
    }
    return `${input.width}x${input.height}:${input.version}`;
  }

  /** Text conditioning: cached per prompt; a transition slerps the two embeddings token by token. Returns its key. */
  private async textConditioning(loaded: Loaded, to: LookTarget, from: LookTarget | null, weight: number): Promise<string> {
    const key = from ? `${from.prompt}\u0000${to.prompt}\u0000${weight}` : to.prompt;
    if (key !== this.conditioningKey) {
      const target = await loaded.prompts.get(to.prompt);
      const source = from ? await loaded.prompts.get(from.prompt) : null;
      const { hidden, hiddenSize, pooled } = loaded.buffers;
      writeConditioning(source, target, weight, hidden, hiddenSize, pooled);
      this.conditioningKey = key;
    }
    return key;
  }

  /** Noise: the seed's own field; a seed change in a transition slerps the two fields (a latent walk). Returns its key. */
  private noise(loaded: Loaded, to: LookTarget, from: LookTarget | null, weight: number, showTimeMs: number, motion: number): string {
    const { noiseMix, noiseA, noiseB } = loaded.buffers;
    const key = loaded.noise.at(to.seed, showTimeMs, motion, noiseMix);
    if (!from || from.seed === to.seed) return key;
    const fromKey = loaded.noise.at(from.seed, showTimeMs, motion, noiseA);
    noiseB.set(noiseMix);
    slerp(noiseA, noiseB, weight, noiseMix);
    return `${fromKey}>${key}@${weight}`;
  }

  /** The similarity skip: same inputs as the last UNet run, which barely changed the latent, and not too many skips in a row. */
  private canSkip(runKey: string, similarity: number): boolean {
    return this.hasPrevious && runKey === this.lastRunKey && this.lastSimilarity >= similarity && this.skipsInARow < MAX_SKIPS;
  }

  /**
   * One step from `source` (the input's latents or the previous frame's) noised to `strength`
   * (StreamDiffusion img2img; null or strength 1: pure noise); x0 becomes the feedback latent.
   */
  private async unetStep(loaded: Loaded, strength: number, source: Float32Array | null): Promise<void> {
    const b = loaded.buffers;
    const { timestep, sigma } = stepForStrength(this.layout.schedule, this.cumprod, strength);
    const previous = b.x0Previous;
    noisedSample(strength < 1 ? source : null, b.noiseMix, sigma, b.xt, b.sample.f32);
    b.sample.commit();
    b.timestep.set(timestep);
    const feeds: Record<string, ort.Tensor> = {
      sample: b.sample.tensor,
      timestep: b.timestep.tensor,
      encoder_hidden_states: b.hidden.tensor,
    };
    if (b.pooled && b.timeIds) {
      feeds.text_embeds = b.pooled.tensor;
      feeds.time_ids = b.timeIds.tensor;
    }
    const unetOut = await loaded.sessions.unet.run(feeds, ['out_sample']);
    this.stats.unetRuns++;
    const x0 = b.x0;
    denoised(b.xt, floatData(unetOut.out_sample as ort.Tensor, b.eps), sigma, this.layout.schedule.predictionType, x0);
    this.lastSimilarity = this.hasPrevious ? cosineSimilarity(x0, previous) : 0;
    // x0 becomes the next frame's feedback latent (swap, no copy).
    b.x0 = previous;
    b.x0Previous = x0;
    this.hasPrevious = true;
  }

  /** The feedback latent through the VAE decoder: the full VAE takes unscaled latents, the tiny one the model's own. */
  private async decode(loaded: Loaded): Promise<ort.Tensor> {
    const { decoderInput, x0Previous: x0, latentSize: n } = loaded.buffers;
    const scale = this.layout.decoder === 'tiny' ? 1 : 1 / this.layout.vaeScalingFactor;
    const decoderIn = decoderInput.f32;
    for (let i = 0; i < n; i++) decoderIn[i] = (x0[i] as number) * scale;
    decoderInput.commit();
    const { input, output } = loaded.sessions.decoderIo;
    const decoded = await loaded.sessions.decoder.run({ [input]: decoderInput.tensor }, [output]);
    this.stats.decoderRuns++;
    return decoded[output] as ort.Tensor;
  }

  /** Decoded image -> RGBA8 at the output size, written straight into the frame buffer. */
  private async postprocess(loaded: Loaded, image: ort.Tensor, buffer: ArrayBuffer): Promise<void> {
    const frame = new ort.Tensor('uint8', new Uint8Array(buffer), [this.common.height, this.common.width, 4]);
    await loaded.sessions.post.run({ [POSTPROCESS_INPUT]: image }, { [POSTPROCESS_OUTPUT]: frame });
  }

  async release(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = null;
    if (loaded) await releaseTurboSessions(loaded.sessions);
  }
}
