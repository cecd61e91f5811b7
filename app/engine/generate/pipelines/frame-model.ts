/**
 * The one-graph frame model (the built-in model, and any model.json of kind
 * 'frame-model'): conditioning/time/seed/outputSize -> RGBA8 frame, run straight
 * into the worker's buffer (a preallocated output). The prompt's conditioning is
 * computed once per prompt; a transition blends two conditionings linearly.
 *
 * A model whose manifest names `input` and `inputStrength` restyles a picture: the
 * look's input (already at the working size) and its `params.strength` (0 the
 * picture as it is .. 1 the text look alone; DEFAULT_INPUT_STRENGTH when unset).
 * Text-only frames pass a 1x1 picture at strength 1, which the built-in graph
 * turns into exactly the text-only frame. A model without those inputs makes
 * text-only frames whatever the look names, and says so once (notices()).
 */
import * as ort from 'onnxruntime-node';
import { encodePrompt } from '../builtin-text-encoder.js';
import { loadBuiltinVocabulary, type Vocabulary } from '../builtin-vocabulary.js';
import type { ExecutionProviderName } from '../../../contract/providers.js';
import { lookMix, lookParams } from '../../../show/look-resolver.js';
import type { PipelineModel, WorkerLook } from '../worker-protocol.js';
import { openOnFirstProvider, type FramePipeline, type PipelineLoad } from './pipeline.js';
import type { InputPicture } from '../../inputs/input-picture.js';

export type FrameModelConfig = Extract<PipelineModel, { kind: 'frame-model' }>;

/** Strength of a look that names an input but sets no `strength`: the built-in model's fully styled picture. */
export const DEFAULT_INPUT_STRENGTH = 0.5;

export interface PipelineCommon {
  providers: ExecutionProviderName[];
  width: number;
  height: number;
  intraOpThreads: number;
}

export class FrameModelPipeline implements FramePipeline {
  private session: ort.InferenceSession | null = null;
  private readonly vocabulary: Vocabulary | null;
  private look: WorkerLook | null = null;
  // Inputs reused every frame: no per-frame allocation on this path.
  private readonly conditioning: Float32Array;
  private readonly timeInput = new Float32Array(1);
  private readonly seedInput = new Float32Array(1);
  private readonly feeds: Record<string, ort.Tensor>;
  /** The graph's picture inputs, when its manifest names them. */
  private readonly pictureIo: { input: string; inputStrength: string } | null;
  private readonly strengthInput = Float32Array.of(1);
  /** Text only: a 1x1 picture (its pixel is never seen at strength 1). */
  private readonly noPicture = new ort.Tensor('uint8', new Uint8Array(4), [1, 1, 4]);
  /** One-time warnings for the worker to report (drained by notices()). */
  private readonly pending: string[] = [];
  private warnedNoInput = false;
  /** The last picture's tensor, kept while the input hands us the same pixel buffer. */
  private pictureTensor: { rgba: Uint8Array; tensor: ort.Tensor } | null = null;
  /** Prompt -> conditioning, computed once per prompt (the encoder never runs per frame). */
  private readonly encoded = new Map<string, Float32Array>();

  constructor(
    private readonly model: FrameModelConfig,
    private readonly common: PipelineCommon,
  ) {
    // Throws on an unreadable vocabulary: the worker reports it as a load failure.
    this.vocabulary = model.vocabularyPath ? loadBuiltinVocabulary(model.vocabularyPath) : null;
    this.conditioning = new Float32Array(model.conditioningSize);
    this.feeds = {
      [model.io.conditioning]: new ort.Tensor('float32', this.conditioning, [1, model.conditioningSize]),
      [model.io.time]: new ort.Tensor('float32', this.timeInput, [1]),
      [model.io.seed]: new ort.Tensor('float32', this.seedInput, [1]),
      [model.io.outputSize]: new ort.Tensor('int64', new BigInt64Array([BigInt(common.height), BigInt(common.width)]), [2]),
    };
    const { input, inputStrength } = model.io;
    this.pictureIo = input && inputStrength ? { input, inputStrength } : null;
    if (this.pictureIo) {
      this.feeds[this.pictureIo.input] = this.noPicture;
      this.feeds[this.pictureIo.inputStrength] = new ort.Tensor('float32', this.strengthInput, [1]);
    }
  }

  /** Whether this model restyles an input picture (its manifest names `input` and `inputStrength`). */
  get takesInput(): boolean {
    return this.pictureIo !== null;
  }

  load(): Promise<PipelineLoad> {
    return this.open();
  }

  /** One-time warnings since the last call: the first look with an input on a model that takes none. */
  notices(): string[] {
    return this.pending.splice(0);
  }

  /** A model without a picture input and a look (or frame) with one: say so once, then play text only. */
  private noteInputIgnored(): void {
    if (this.pictureIo || this.warnedNoInput) return;
    this.warnedNoInput = true;
    this.pending.push(
      `${this.model.graphPath} takes no input picture (its model.json names no input/inputStrength): ` +
        'looks that name an input play their text look only; use a model with a picture input to restyle one.',
    );
  }

  private open(): Promise<PipelineLoad> {
    return openOnFirstProvider(
      this.common.providers,
      async (provider) => {
        const session = await ort.InferenceSession.create(this.model.graphPath, {
          executionProviders: [provider],
          intraOpNumThreads: this.common.intraOpThreads,
          interOpNumThreads: 1,
          graphOptimizationLevel: 'all',
        });
        const mismatch = this.ioMismatch(session);
        if (mismatch) {
          await session.release();
          return mismatch;
        }
        this.session = session;
        return null;
      },
      this.model.graphPath,
    );
  }

  /** The graph must have the inputs and output its manifest names; say which are missing. */
  private ioMismatch(loaded: ort.InferenceSession): string | null {
    const { frame, ...inputs } = this.model.io;
    const missingInputs = Object.values(inputs).filter((name): name is string => name !== undefined && !loaded.inputNames.includes(name));
    const missingOutput = loaded.outputNames.includes(frame) ? [] : [frame];
    if (missingInputs.length === 0 && missingOutput.length === 0) return null;
    return (
      `${this.model.graphPath} does not match its model.json: ` +
      (missingInputs.length ? `missing input(s) ${missingInputs.join(', ')} (the graph has ${loaded.inputNames.join(', ')}); ` : '') +
      (missingOutput.length ? `missing output ${frame} (the graph has ${loaded.outputNames.join(', ')}); ` : '') +
      'fix the names in model.json or re-export the graph.'
    );
  }

  setLook(look: WorkerLook): void {
    this.look = look;
    if (look.to.input || look.from?.input) this.noteInputIgnored();
  }

  private conditioningFor(prompt: string): Float32Array {
    let vector = this.encoded.get(prompt);
    if (!vector) {
      if (this.encoded.size > 64) this.encoded.clear();
      vector = encodePrompt(prompt, this.vocabulary as Vocabulary);
      this.encoded.set(prompt, vector);
    }
    return vector;
  }

  /** Fills the conditioning input with the look at `nowMs` (a morph between prompts during a transition). */
  private resolveConditioning(current: WorkerLook, nowMs: number): void {
    const target = this.conditioningFor(current.to.prompt);
    const weight = lookMix(current, nowMs);
    const conditioning = this.conditioning;
    if (weight >= 1 || !current.from) {
      conditioning.set(target);
    } else {
      const source = this.conditioningFor(current.from.prompt);
      for (let i = 0; i < conditioning.length; i++) {
        conditioning[i] = (source[i] as number) + ((target[i] as number) - (source[i] as number)) * weight;
      }
    }
    this.seedInput[0] = current.to.seed;
  }

  /** Feeds the picture and its strength, or the text-only 1x1 picture at strength 1. */
  private resolvePicture(current: WorkerLook, nowMs: number, input: InputPicture | null): void {
    const io = this.pictureIo;
    if (!io) {
      if (input) this.noteInputIgnored();
      return; // a model without a picture input: text only
    }
    if (!input) {
      this.feeds[io.input] = this.noPicture;
      this.strengthInput[0] = 1;
      return;
    }
    const { width, height } = this.common;
    if (input.width !== width || input.height !== height || input.rgba.length !== width * height * 4) {
      throw new Error(
        `input picture is ${input.width}x${input.height} (${input.rgba.length} bytes) but the model works at ${width}x${height}: ` +
          'the input must be fitted to the working size before it reaches the pipeline',
      );
    }
    if (this.pictureTensor?.rgba !== input.rgba) {
      this.pictureTensor = { rgba: input.rgba, tensor: new ort.Tensor('uint8', input.rgba, [height, width, 4]) };
    }
    this.feeds[io.input] = this.pictureTensor.tensor;
    const mix = lookMix(current, nowMs);
    const strength = lookParams(mix >= 1 ? null : current.from, current.to, mix)['strength'] ?? DEFAULT_INPUT_STRENGTH;
    this.strengthInput[0] = Number.isFinite(strength) ? Math.min(1, Math.max(0, strength)) : DEFAULT_INPUT_STRENGTH;
  }

  async renderInto(buffer: ArrayBuffer, showTimeMs: number, clockMs: number, input: InputPicture | null): Promise<void> {
    if (!this.session || !this.look) throw new Error('frame model not loaded or no look');
    this.resolveConditioning(this.look, clockMs);
    this.resolvePicture(this.look, clockMs, input);
    this.timeInput[0] = showTimeMs / 1000;
    // A preallocated output: onnxruntime writes the frame straight into the buffer.
    // The Tensor is a thin wrapper, made per frame because a transferred buffer detaches.
    const output = new ort.Tensor('uint8', new Uint8Array(buffer), [this.common.height, this.common.width, 4]);
    await this.session.run(this.feeds, { [this.model.io.frame]: output });
  }

  async release(): Promise<void> {
    await this.session?.release();
    this.session = null;
  }
}
