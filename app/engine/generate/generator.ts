/**
 * Generator: the engine thread's handle on the inference loop. Starts it on a
 * model folder, forwards looks, and hands out finished frames that are owned by
 * the engine thread until released. It never blocks: frames arrive as events.
 *
 * Where the loop runs: in its own process (inference-host.ts), frames in a shared
 * memory ring (shared-frame-ring.ts, slot ownership in frame-slots.ts), so a native
 * crash of the model cannot reach the output clocks and NDI senders. Without the
 * shared-memory addon it runs in a worker thread as before, and says so in the log.
 *
 * Supervision: when the loop dies (any signal, any exit code) the generator reports
 * it (`runFailed`), the outputs keep repeating the last frame (the engine holds it;
 * its slot stays valid), and the loop is restarted with the same model, provider,
 * size and the current look, then streams again. Crashes in a row back off (0 s,
 * then 0.5 s doubling to 30 s) and the report says so.
 */
import { EventEmitter } from 'node:events';
import * as ort from 'onnxruntime-node';
import { engineError, type EngineError } from '../../contract/errors.js';
import type { ExecutionProviderName } from '../../contract/providers.js';
import { engineNowMs } from '../clock.js';
import { fail, ok, type Result } from '../result.js';
import { providerCandidates } from './execution-providers.js';
import { gpuDevicePresent } from './gpu-probe.js';
import { DEFAULT_FRAME_BUFFERS } from './frame-pool.js';
import { FrameSlots } from './frame-slots.js';
import { RING_FD_IN_CHILD, spawnInferenceProcess, spawnInferenceWorker, type InferenceLink } from './inference-link.js';
import type { ModelFolder } from './model-folder.js';
import { SharedFrameRing } from './shared-frame-ring.js';
import { ttffTrace } from '../frames/ttff-trace.js';
import type { InputStatus } from '../../contract/inputs.js';
import type { FrameBuffers, FrameRef, FromWorker, InputSettings, InputThumbnail, PipelineModel, ToWorker, WorkerLook } from './worker-protocol.js';

/** A finished frame, owned by the engine thread until `release` sends its buffer back. */
export interface GeneratedFrame {
  /**
   * RGBA8, row-major, width*height*4 bytes. Not to be read once released: in the
   * worker-thread fallback it is detached then, in the shared ring it is rewritten.
   */
  pixels: Uint8Array;
  width: number;
  height: number;
  lookId: number;
  sequence: number;
  showTimeMs: number;
  inferMs: number;
  doneAtMs: number;
  /** True when the look names an input that had no picture yet: made from text only (worker-protocol.ts). Absent = false. */
  inputMissing?: boolean;
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
  /** Where the generator's notes go (the worker-thread fallback, restarts); default stderr. */
  log?: (line: string) => void;
  /** Tests only: run the loop in a worker thread even where the inference process is possible. */
  forceWorkerThread?: boolean;
  /** Live inputs for looks that name one (the live model and the previews' renderer: engine.ts builds one set for both); absent = text only. */
  inputs?: InputSettings;
}

export interface GeneratorReady {
  provider: ExecutionProviderName;
  fallbacks: { provider: string; reason: string }[];
  loadMs: number;
  /** Where inference runs: its own process (a crash there leaves the outputs running) or a worker thread (the fallback). */
  isolation: 'process' | 'thread';
}

interface GeneratorEvents {
  frame: [GeneratedFrame];
  runFailed: [EngineError];
  /** The live inputs' status rows, and a thumbnail when the picture changed (worker-protocol.ts 'inputs'). */
  inputs: [{ rows: InputStatus[]; thumbnail: InputThumbnail | null }];
  /** A one-time warning from the pipeline, e.g. a look names an input this model cannot take (worker-protocol.ts 'notice'). */
  notice: [EngineError];
  /** The inference loop is back after it died; `afterMs` from its death to ready. */
  restarted: [{ afterMs: number; attempt: number; pid: number | null }];
}

/** Crashes in a row: the first restart is at once, then 0.5 s doubling up to 30 s. */
export function restartDelayMs(crashesInARow: number): number {
  return crashesInARow <= 1 ? 0 : Math.min(30_000, 500 * 2 ** (crashesInARow - 2));
}
/** A loop that ran this long since its (re)start was healthy: the crash count starts again. */
const HEALTHY_RUN_MS = 30_000;

type Ready = Extract<FromWorker, { type: 'ready' }>;
type Launched = { ok: true; link: InferenceLink; ready: Ready } | { ok: false; message: string; fallbacks: { provider: string; reason: string }[] };

/** Where frames live for one generator: the shared ring (inference process) or transferred buffers (worker thread). */
interface SharedFrames {
  ring: SharedFrameRing;
  slots: FrameSlots;
  /** The frame the engine holds in each slot (release checks it is that frame, once). */
  holders: Map<number, GeneratedFrame>;
}

/** What the worker's pipeline needs from a model folder (see pipelines/). */
export function pipelineModel(folder: ModelFolder): PipelineModel {
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
      ...(manifest.inputs.input && manifest.inputs.inputStrength ? { input: manifest.inputs.input.name, inputStrength: manifest.inputs.inputStrength.name } : {}),
    },
  };
}

/** Starts one inference loop and waits until its model is loaded (or failed, or it died). */
async function launch(init: Extract<ToWorker, { type: 'init' }>, shared: SharedFrames | null, label: string[]): Promise<Launched> {
  let link: InferenceLink;
  try {
    link = shared ? spawnInferenceProcess(shared.ring.fd, label) : spawnInferenceWorker();
  } catch (error) {
    return { ok: false, message: `could not start the inference ${shared ? 'process' : 'worker'}: ${(error as Error).message}`, fallbacks: [] };
  }
  const outcome = await new Promise<FromWorker | { type: 'crashed'; message: string }>((resolve) => {
    link.setHandler((m) => {
      if (m.type === 'ready' || m.type === 'loadFailed') resolve(m);
    });
    link.onDeath((reason) => resolve({ type: 'crashed', message: `the inference ${link.kind === 'process' ? 'process' : 'worker'} stopped (${reason})` }));
    link.post(init);
  });
  if (outcome.type === 'ready') return { ok: true, link, ready: outcome };
  await link.stop(500);
  if (outcome.type === 'loadFailed') return { ok: false, message: outcome.message, fallbacks: outcome.fallbacks };
  return { ok: false, message: outcome.type === 'crashed' ? outcome.message : 'unexpected reply from the inference loop', fallbacks: [] };
}

/** The shared ring, or why not (logged by the caller: a visible fallback). CYCLORAMA_INFERENCE=thread forces the fallback. */
function sharedFrames(frameBytes: number, forceWorkerThread: boolean): SharedFrames | { reason: string } {
  if (forceWorkerThread) return { reason: 'worker thread requested' };
  if (process.env.CYCLORAMA_INFERENCE === 'thread') return { reason: 'CYCLORAMA_INFERENCE=thread' };
  try {
    const ring = SharedFrameRing.create(frameBytes, DEFAULT_FRAME_BUFFERS);
    return { ring, slots: new FrameSlots(DEFAULT_FRAME_BUFFERS), holders: new Map() };
  } catch (error) {
    return { reason: (error as Error).message };
  }
}

export class Generator extends EventEmitter<GeneratorEvents> {
  private nextRequestId = 1;
  private readonly pendingRenders = new Map<number, (frame: Result<GeneratedFrame>) => void>();
  private stopped = false;
  /** The running loop; null while it is being restarted. */
  private link: InferenceLink | null;
  private look: WorkerLook | null = null;
  private streaming = false;
  private crashesInARow = 0;
  private runningSinceMs: number;
  private restartTimer: NodeJS.Timeout | null = null;
  /** Worker-thread mode: the link each transferred buffer came from (a restarted worker has its own pool). */
  private readonly bufferLinks = new WeakMap<ArrayBuffer, InferenceLink>();

  private constructor(
    link: InferenceLink,
    private readonly init: Extract<ToWorker, { type: 'init' }>,
    private readonly shared: SharedFrames | null,
    private readonly label: string[],
    private readonly log: (line: string) => void,
    readonly width: number,
    readonly height: number,
    readonly ready: GeneratorReady,
  ) {
    super();
    this.link = link;
    this.runningSinceMs = engineNowMs();
    this.attach(link);
  }

  static async start(options: GeneratorOptions): Promise<Result<Generator>> {
    const { manifest } = options.model;
    const { candidates, skipped } = providerCandidates(manifest.preferredProviders, ort.listSupportedBackends(), options.onlyProvider, gpuDevicePresent());
    if (candidates.length === 0) {
      return fail(engineError('model-load-failed', `No usable execution provider for ${manifest.name}: ${skipped.map((s) => `${s.provider} (${s.reason})`).join(', ')}.`));
    }
    const log = options.log ?? ((line: string) => console.warn(`[engine] ${line}`));
    const frameBytes = options.width * options.height * 4;
    const sharedOrWhy = sharedFrames(frameBytes, options.forceWorkerThread ?? false);
    const shared = 'ring' in sharedOrWhy ? sharedOrWhy : null;
    if (shared?.ring.access === 'copied')
      log('Inference runs in its own process; frames are copied through the shared ring (this runtime refuses external ArrayBuffers), one copy a frame.');
    if (!shared)
      log(`Inference runs in a worker thread of the engine, not its own process (${(sharedOrWhy as { reason: string }).reason}): a crash of the model will stop the outputs too.`);
    const frames: FrameBuffers = shared
      ? { kind: 'shared', fd: RING_FD_IN_CHILD, slotStride: shared.ring.slotStride, slotCount: shared.ring.slots.length, granted: [] }
      : { kind: 'transfer' };
    const init: Extract<ToWorker, { type: 'init' }> = {
      type: 'init',
      frames,
      model: pipelineModel(options.model),
      providers: candidates,
      width: options.width,
      height: options.height,
      showEpochMs: options.showEpochMs,
      intraOpThreads: options.intraOpThreads ?? 1,
      maxFps: options.maxFps ?? 30,
      faultInjection: options.faultInjection ?? null,
      inputs: options.inputs ?? null,
    };
    const label = [`${options.width}x${options.height}`, manifest.id];
    const launched = await launch(withGrant(init, shared), shared, label);
    if (!launched.ok) {
      shared?.slots.reclaim();
      shared?.ring.close();
      return fail(
        engineError('model-load-failed', `${manifest.name} did not load: ${launched.message}`, {
          file: options.model.graphPath,
          providers: [...skipped, ...launched.fallbacks],
        }),
      );
    }
    const { ready } = launched;
    return ok(
      new Generator(launched.link, init, shared, label, log, options.width, options.height, {
        provider: ready.provider,
        fallbacks: [...skipped, ...ready.fallbacks],
        loadMs: ready.loadMs,
        isolation: shared ? 'process' : 'thread',
      }),
    );
  }

  /** The inference process's pid (null in the worker-thread fallback or while restarting). */
  get inferencePid(): number | null {
    return this.link?.pid ?? null;
  }

  setLook(look: WorkerLook): void {
    this.look = look;
    this.post({ type: 'look', look });
    if (ttffTrace.on) ttffTrace.mark(look.lookId, 'posted', engineNowMs());
  }

  /** Live mode on/off: frames at the model's pace, stamped with the clock. */
  stream(on: boolean): void {
    this.streaming = on;
    this.post({ type: 'stream', on });
  }

  /** Stepped mode: one frame of the current look at an exact show time (render CLI, tests, golden frames). */
  renderAt(showTimeMs: number): Promise<Result<GeneratedFrame>> {
    if (!this.link && !this.stopped) return Promise.resolve(fail(engineError('model-run-failed', 'The model is restarting after a crash; try again in a moment.')));
    const requestId = this.nextRequestId++;
    return new Promise((resolve) => {
      this.pendingRenders.set(requestId, resolve);
      this.post({ type: 'renderAt', requestId, showTimeMs });
    });
  }

  /** Gives the frame's buffer back to the inference loop (a slot number, or a transfer). Safe to call once per frame. */
  release(frame: GeneratedFrame): void {
    if (this.stopped) return;
    const buffer = frame.pixels.buffer as ArrayBuffer;
    if (this.shared) {
      const slot = this.shared.ring.indexOf(buffer);
      if (slot < 0 || this.shared.holders.get(slot) !== frame) return; // not ours, or already released
      this.shared.holders.delete(slot);
      if (this.shared.slots.released(slot, this.link !== null)) this.post({ type: 'recycle', frame: { slot } });
      return;
    }
    if (buffer.byteLength === 0) return; // already released (transferred back)
    // A buffer of a worker that died is left to the collector: its successor has its own.
    if (this.bufferLinks.get(buffer) === this.link) this.post({ type: 'recycle', frame: { buffer } });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const link = this.link;
    this.link = null;
    await link?.stop();
    this.shared?.ring.close();
  }

  private post(message: ToWorker): void {
    if (!this.stopped) this.link?.post(message);
  }

  private attach(link: InferenceLink): void {
    link.setHandler((message) => {
      if (link === this.link) this.onWorkerMessage(link, message);
    });
    link.onDeath((reason) => this.onDeath(link, reason));
  }

  /** The loop is gone: hold the wall, report, restart (after a back-off when it keeps dying). */
  private onDeath(link: InferenceLink, reason: string): void {
    if (this.stopped || link !== this.link) return;
    this.link = null;
    const diedAtMs = engineNowMs();
    this.shared?.slots.reclaim();
    const error = engineError('model-run-failed', `The inference ${link.kind === 'process' ? 'process' : 'worker'} stopped (${reason}).`);
    this.failPendingRenders(error);
    this.scheduleRestart(diedAtMs, error.message);
  }

  private scheduleRestart(diedAtMs: number, what: string): void {
    if (engineNowMs() - this.runningSinceMs >= HEALTHY_RUN_MS) this.crashesInARow = 0;
    this.crashesInARow++;
    const delayMs = restartDelayMs(this.crashesInARow);
    const when = delayMs === 0 ? 'now' : `in ${(delayMs / 1000).toFixed(1)} s (${this.crashesInARow} failures in a row)`;
    const message = `${what} The outputs hold the last frame; restarting the model on ${this.ready.provider} ${when}.`;
    this.log(message);
    this.emit('runFailed', engineError('model-run-failed', message, { restartInMs: delayMs, failuresInARow: this.crashesInARow }));
    this.restartTimer = setTimeout(() => void this.restart(diedAtMs), delayMs);
  }

  private async restart(diedAtMs: number): Promise<void> {
    this.restartTimer = null;
    if (this.stopped) return;
    // The same model, size and provider that was chosen at start (no new fallback search mid-show).
    const init = withGrant({ ...this.init, providers: [this.ready.provider] }, this.shared);
    const launched = await launch(init, this.shared, this.label);
    if (this.stopped) {
      if (launched.ok) await launched.link.stop();
      return;
    }
    if (!launched.ok) {
      this.shared?.slots.reclaim();
      this.scheduleRestart(diedAtMs, `Restarting the model failed: ${launched.message}.`);
      return;
    }
    this.link = launched.link;
    this.runningSinceMs = engineNowMs();
    this.attach(launched.link);
    if (this.look) this.post({ type: 'look', look: this.look });
    if (this.streaming) this.post({ type: 'stream', on: true });
    // Slots the engine released while no loop ran were kept free; the new loop got them in its init.
    const afterMs = engineNowMs() - diedAtMs;
    this.log(`The model is back after ${Math.round(afterMs)} ms (inference ${launched.link.pid === null ? 'worker' : `process ${launched.link.pid}`}).`);
    this.emit('restarted', { afterMs, attempt: this.crashesInARow, pid: launched.link.pid });
  }

  private failPendingRenders(error: EngineError): void {
    for (const [id, resolve] of this.pendingRenders) {
      this.pendingRenders.delete(id);
      resolve(fail(error));
    }
  }

  private onWorkerMessage(link: InferenceLink, message: FromWorker): void {
    if (message.type === 'frame') {
      const pixels = this.framePixels(link, message.frame);
      if (!pixels) return;
      const frame: GeneratedFrame = {
        pixels,
        width: this.width,
        height: this.height,
        lookId: message.lookId,
        sequence: message.sequence,
        showTimeMs: message.showTimeMs,
        inferMs: message.inferMs,
        doneAtMs: message.doneAtMs,
        inputMissing: message.inputMissing,
        requestId: message.requestId,
      };
      if (this.shared && 'slot' in message.frame) this.shared.holders.set(message.frame.slot, frame);
      if (message.lookArrival && ttffTrace.wants(message.lookId, 'done')) {
        ttffTrace.mark(message.lookId, 'prevStarted', message.lookArrival.prevStartedAtMs);
        ttffTrace.mark(message.lookId, 'prevDone', message.lookArrival.prevDoneAtMs);
        ttffTrace.mark(message.lookId, 'lookArrived', message.lookArrival.atMs);
        ttffTrace.mark(message.lookId, 'started', message.startedAtMs);
        ttffTrace.mark(message.lookId, 'done', message.doneAtMs);
        ttffTrace.mark(message.lookId, 'frameArrived', engineNowMs());
      }
      const pending = message.requestId === null ? undefined : this.pendingRenders.get(message.requestId);
      if (pending) {
        this.pendingRenders.delete(message.requestId as number);
        pending(ok(frame));
      } else {
        this.emit('frame', frame);
      }
    } else if (message.type === 'inputs') {
      this.emit('inputs', { rows: message.rows, thumbnail: message.thumbnail });
    } else if (message.type === 'notice') {
      this.emit('notice', engineError('input-failed', message.message));
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

  /** The bytes of a finished frame: its slot of the ring (now the engine's), or the transferred buffer. */
  private framePixels(link: InferenceLink, ref: FrameRef): Uint8Array | null {
    if ('slot' in ref) {
      if (!this.shared?.slots.filled(ref.slot)) return null; // a slot it was not granted: ignore
      this.shared.ring.fetch(ref.slot);
      return new Uint8Array(this.shared.ring.slot(ref.slot));
    }
    this.bufferLinks.set(ref.buffer, link);
    return new Uint8Array(ref.buffer);
  }
}

/** The init for a new loop, with the slots it may write (all the free ones). */
function withGrant(init: Extract<ToWorker, { type: 'init' }>, shared: SharedFrames | null): Extract<ToWorker, { type: 'init' }> {
  if (!shared || init.frames.kind !== 'shared') return init;
  return { ...init, frames: { ...init.frames, granted: shared.slots.grantFree() } };
}

/** Engine-clock ms now; re-exported for callers that stamp commands. */
export { engineNowMs };
