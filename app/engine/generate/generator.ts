/**
 * Generator: the engine thread's handle on the inference worker. Starts the
 * worker on a model folder, forwards looks, and hands out finished frames that
 * are owned by the engine thread until released. It never blocks: frames arrive as events.
 */
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { engineError, type EngineError } from '../../contract/errors.js';
import type { ExecutionProviderName } from '../../contract/providers.js';
import { engineNowMs } from '../clock.js';
import { fail, ok, type Result } from '../result.js';
import { providerCandidates } from './execution-providers.js';
import { gpuDevicePresent } from './gpu-probe.js';
import type { ModelFolder } from './model-folder.js';
import type { FromWorker, PipelineModel, ToWorker, WorkerLook } from './worker-protocol.js';

/** A finished frame, owned by the engine thread until `release` sends its buffer back. */
export interface GeneratedFrame {
  /** RGBA8, row-major, width*height*4 bytes. Empty (detached) once released. */
  pixels: Uint8Array;
  width: number;
  height: number;
  lookId: number;
  sequence: number;
  showTimeMs: number;
  inferMs: number;
  doneAtMs: number;
  requestId: number | null;
}

export interface GeneratorOptions {
  model: ModelFolder;
  width: number;
  height: number;
  /** Engine-clock ms of show time zero. */
  showEpochMs: number;
  /** Use only this provider (CLI --provider); otherwise the manifest's order. */
  onlyProvider?: ExecutionProviderName;
  intraOpThreads?: number;
  /** Live frames per second at most; the output clock's rate (default 30). */
  maxFps?: number;
  /** Tests only: failing runs standing in for a GPU that fails mid-show. */
  faultInjection?: { afterFrames: number; count: number };
}

export interface GeneratorReady {
  provider: ExecutionProviderName;
  fallbacks: { provider: string; reason: string }[];
  loadMs: number;
}

interface GeneratorEvents {
  frame: [GeneratedFrame];
  runFailed: [EngineError];
}

/**
 * The worker is compiled to .js in dist/. Under the test runner this module is
 * the .ts source; a worker thread cannot load .ts by itself, so a two-line
 * bootstrap registers tsx's loader in the worker and then imports the source.
 */
function spawnInferenceWorker(): Worker {
  const options = { name: 'cyclorama-inference' };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./inference-worker.js', import.meta.url), options);
  const source = new URL('./inference-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** What the worker's pipeline needs from a model folder (see pipelines/). */
function pipelineModel(folder: ModelFolder): PipelineModel {
  if (folder.kind === 'turbo-diffusion') return { kind: 'turbo-diffusion', layout: folder.layout };
  const { manifest } = folder;
  return {
    kind: 'frame-model',
    graphPath: folder.graphPath,
    vocabularyPath: folder.vocabularyPath,
    conditioningSize: manifest.conditioningSize,
    io: {
      conditioning: manifest.inputs.conditioning.name,
      time: manifest.inputs.time.name,
      seed: manifest.inputs.seed.name,
      outputSize: manifest.inputs.outputSize.name,
      frame: manifest.outputs.frame.name,
    },
  };
}

export class Generator extends EventEmitter<GeneratorEvents> {
  private nextRequestId = 1;
  private readonly pendingRenders = new Map<number, (frame: Result<GeneratedFrame>) => void>();
  private stopped = false;

  private constructor(
    private readonly worker: Worker,
    readonly width: number,
    readonly height: number,
    readonly ready: GeneratorReady,
  ) {
    super();
    worker.on('message', (message: FromWorker) => this.onWorkerMessage(message));
    worker.on('error', (error) => this.emit('runFailed', engineError('model-run-failed', `Inference worker crashed: ${error.message}`)));
  }

  static async start(options: GeneratorOptions): Promise<Result<Generator>> {
    const { manifest } = options.model;
    const { candidates, skipped } = providerCandidates(manifest.preferredProviders, ort.listSupportedBackends(), options.onlyProvider, gpuDevicePresent());
    if (candidates.length === 0) {
      return fail(engineError('model-load-failed', `No usable execution provider for ${manifest.name}: ${skipped.map((s) => `${s.provider} (${s.reason})`).join(', ')}.`));
    }
    const worker = spawnInferenceWorker();
    const init: ToWorker = {
      type: 'init',
      model: pipelineModel(options.model),
      providers: candidates,
      width: options.width,
      height: options.height,
      showEpochMs: options.showEpochMs,
      intraOpThreads: options.intraOpThreads ?? 1,
      maxFps: options.maxFps ?? 30,
      faultInjection: options.faultInjection ?? null,
    };
    const outcome = await new Promise<FromWorker | { type: 'crashed'; message: string }>((resolve) => {
      const onMessage = (m: FromWorker) => {
        if (m.type === 'ready' || m.type === 'loadFailed') {
          worker.off('message', onMessage);
          resolve(m);
        }
      };
      worker.on('message', onMessage);
      worker.once('error', (e) => resolve({ type: 'crashed', message: e.message }));
      worker.once('exit', (code) => resolve({ type: 'crashed', message: `worker exited with code ${code}` }));
      worker.postMessage(init);
    });
    if (outcome.type !== 'ready') {
      await worker.terminate();
      const reasons = outcome.type === 'loadFailed' ? [...skipped, ...outcome.fallbacks] : skipped;
      const message = outcome.type === 'crashed' || outcome.type === 'loadFailed' ? outcome.message : 'unexpected worker reply';
      return fail(
        engineError('model-load-failed', `${manifest.name} (${options.model.graphPath}) did not load: ${message}`, {
          file: options.model.graphPath,
          providers: reasons,
        }),
      );
    }
    return ok(new Generator(worker, options.width, options.height, {
      provider: outcome.provider,
      fallbacks: [...skipped, ...outcome.fallbacks],
      loadMs: outcome.loadMs,
    }));
  }

  setLook(look: WorkerLook): void {
    this.post({ type: 'look', look });
  }

  /** Live mode on/off: frames at the model's pace, stamped with the clock. */
  stream(on: boolean): void {
    this.post({ type: 'stream', on });
  }

  /** Stepped mode: one frame of the current look at an exact show time (render CLI, tests, golden frames). */
  renderAt(showTimeMs: number): Promise<Result<GeneratedFrame>> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve) => {
      this.pendingRenders.set(requestId, resolve);
      this.post({ type: 'renderAt', requestId, showTimeMs });
    });
  }

  /** Gives the frame's buffer back to the worker (transfer, no copy). Safe to call once per frame. */
  release(frame: GeneratedFrame): void {
    const buffer = frame.pixels.buffer as ArrayBuffer;
    if (this.stopped || buffer.byteLength === 0) return; // already released
    this.worker.postMessage({ type: 'recycle', buffer } satisfies ToWorker, [buffer]);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.post({ type: 'stop' });
    const exited = new Promise((r) => this.worker.once('exit', r));
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    await this.worker.terminate();
  }

  private post(message: ToWorker): void {
    if (!this.stopped) this.worker.postMessage(message);
  }

  private onWorkerMessage(message: FromWorker): void {
    if (message.type === 'frame') {
      const frame: GeneratedFrame = {
        pixels: new Uint8Array(message.buffer),
        width: this.width,
        height: this.height,
        lookId: message.lookId,
        sequence: message.sequence,
        showTimeMs: message.showTimeMs,
        inferMs: message.inferMs,
        doneAtMs: message.doneAtMs,
        requestId: message.requestId,
      };
      const pending = message.requestId === null ? undefined : this.pendingRenders.get(message.requestId);
      if (pending) {
        this.pendingRenders.delete(message.requestId as number);
        pending(ok(frame));
      } else {
        this.emit('frame', frame);
      }
    } else if (message.type === 'runFailed') {
      const error = engineError('model-run-failed', `The model failed on a frame: ${message.message}. The outputs hold the last good frame.`, { lookId: message.lookId });
      this.emit('runFailed', error);
      // A stepped render waiting on this frame gets the error instead of hanging.
      const first = this.pendingRenders.entries().next();
      if (!first.done) {
        this.pendingRenders.delete(first.value[0]);
        first.value[1](fail(error));
      }
    }
  }
}

/** Engine-clock ms now; re-exported for callers that stamp commands. */
export { engineNowMs };
