/**
 * The one-graph frame model (the built-in model, and any model.json of kind
 * 'frame-model'): conditioning/time/seed/outputSize -> RGBA8 frame, run straight
 * into the worker's buffer (a preallocated output). The prompt's conditioning is
 * computed once per prompt; a transition blends two conditionings linearly.
 */
import * as ort from 'onnxruntime-node';
import { encodePrompt } from '../builtin-text-encoder.js';
import { loadBuiltinVocabulary, type Vocabulary } from '../builtin-vocabulary.js';
import type { ExecutionProviderName } from '../../../contract/providers.js';
import { lookMix } from '../../../show/look-resolver.js';
import type { PipelineModel, WorkerLook } from '../worker-protocol.js';
import { openOnFirstProvider, type FramePipeline, type PipelineLoad } from './pipeline.js';
import type { InputPicture } from '../../inputs/input-picture.js';

export type FrameModelConfig = Extract<PipelineModel, { kind: 'frame-model' }>;

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
  }

  load(): Promise<PipelineLoad> {
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
    const missingInputs = Object.values(inputs).filter((name) => !loaded.inputNames.includes(name));
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

  async renderInto(buffer: ArrayBuffer, showTimeMs: number, clockMs: number, _input: InputPicture | null): Promise<void> {
    if (!this.session || !this.look) throw new Error('frame model not loaded or no look');
    this.resolveConditioning(this.look, clockMs);
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
