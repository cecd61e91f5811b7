/**
 * The inference loop: owns the model's pipeline (its onnxruntime sessions) and
 * makes frames. It never runs on the engine thread, because session.run blocks the
 * thread that calls it for the whole inference: it runs in the inference process
 * (inference-host.ts, the usual case: a native crash there cannot reach the output
 * clocks) or in a worker thread (inference-worker.ts, the fallback).
 *
 * This file is the thin part: the loop (live pacing, stepped renders), the frame
 * buffers, failure back-off. How messages and frames travel is the host's
 * (`InferenceChannel`). Per frame the pipeline
 * (pipelines/frame-model.ts or pipelines/turbo-diffusion.ts) resolves the look at
 * the frame's time and writes RGBA8 straight into a preallocated buffer, which is
 * sent with the look id it was made from. A look that names a live input gets its
 * picture from `LiveInputs` (live-inputs.ts), asked once per frame, never waited for.
 */
import { setImmediate as yieldToMessages } from 'node:timers/promises';
import { engineNowMs } from '../clock.js';
import type { FramePool } from './frame-pool.js';
import { LiveInputs } from './live-inputs.js';
import { FrameModelPipeline } from './pipelines/frame-model.js';
import { firstLine, type FramePipeline } from './pipelines/pipeline.js';
import { TurboDiffusionPipeline } from './pipelines/turbo-diffusion.js';
import type { FrameRef, FromWorker, ToWorker, WorkerLook } from './worker-protocol.js';

type Init = Extract<ToWorker, { type: 'init' }>;
type FrameMessage = Omit<Extract<FromWorker, { type: 'frame' }>, 'frame'>;

/** The loop's frame buffers, as the host provides them. */
export interface LoopFrames {
  pool: FramePool;
  /** Sends a filled buffer to the engine (transfer, or its slot number). */
  send(buffer: ArrayBuffer, message: FrameMessage): void;
  /** A buffer the engine handed back. */
  recycled(frame: FrameRef): void;
}

/** How the loop talks to the engine: a worker port or the inference process's IPC channel. */
export interface InferenceChannel {
  post(message: FromWorker): void;
  onMessage(handler: (message: ToWorker) => void): void;
  /** The frame buffers for this init (throws with a reason when they cannot be had). */
  frames(init: Init): LoopFrames;
  /** The loop stopped (after `stop`): let the host end. */
  close(): void;
}

/** Serves one engine over `channel` until it says stop. */
export function serveInference(channel: InferenceChannel): void {
  const post = (message: FromWorker) => channel.post(message);

  let init: Init | null = null;
  /** The model's pipeline (pipelines/): the worker owns the loop, the buffers and their transfer; the pipeline the sessions. */
  let pipeline: FramePipeline | null = null;
  let loaded = false;
  let pool: FramePool | null = null;
  let frames: LoopFrames | null = null;
  let look: WorkerLook | null = null;
  let streaming = false;
  let stopped = false;
  let sequence = 0;
  let loopRunning = false;
  /**
   * The TTFF trace (frames/ttff-trace.ts): when the newest look arrived, and the frame made
   * just before (session.run blocks this thread, so a look posted during an inference is
   * read only once that run is done: the engine compares its post time with these).
   * Sent with that look's first frame.
   */
  let lookArrival: { lookId: number; atMs: number; prevStartedAtMs: number; prevDoneAtMs: number } | null = null;
  let lastStartedAtMs = 0;
  let lastDoneAtMs = 0;
  /** Wakes a paced wait early: a new look should not wait for the next frame slot in time. */
  let wakePacing: (() => void) | null = null;
  const renderQueue: { requestId: number; showTimeMs: number }[] = [];
  /** The live inputs (live-inputs.ts); null when this loop makes text-only frames (init.inputs null). */
  let inputs: LiveInputs | null = null;

  function createPipeline(config: Init): FramePipeline {
    const common = { providers: config.providers, width: config.width, height: config.height, intraOpThreads: config.intraOpThreads };
    return config.model.kind === 'turbo-diffusion' ? new TurboDiffusionPipeline(config.model.layout, common) : new FrameModelPipeline(config.model, common);
  }

  async function loadPipeline(): Promise<void> {
    const loadStart = engineNowMs();
    const outcome = await (pipeline as FramePipeline).load();
    if (!outcome.ok) {
      post({ type: 'loadFailed', message: outcome.message, fallbacks: outcome.fallbacks });
      return;
    }
    loaded = true;
    if (look) pipeline?.setLook(look);
    post({ type: 'ready', provider: outcome.provider, fallbacks: outcome.fallbacks, loadMs: engineNowMs() - loadStart });
  }

  async function makeFrame(showTimeMs: number, clockMs: number, requestId: number | null): Promise<boolean> {
    const config = init as Init;
    const current = look as WorkerLook;
    const buffer = await (pool as FramePool).take();
    if (stopped) return false;
    const started = engineNowMs();
    let inputMissing = false;
    try {
      injectFault(config);
      // The input as it is now (the held last frame when the source stopped): the loop never waits for one.
      const picture = inputs ? inputs.pictureFor(current, clockMs, config.width, config.height) : null;
      inputMissing = inputs !== null && picture === null && (current.to.input !== undefined || current.from?.input !== undefined);
      await (pipeline as FramePipeline).renderInto(buffer, showTimeMs, clockMs, picture);
      // Before the frame leaves: once sent, a transferred buffer is detached and a slot belongs to the engine.
      inputs?.afterFrame(current, new Uint8Array(buffer), config.width, config.height);
    } catch (error) {
      (pool as FramePool).give(buffer);
      post({ type: 'runFailed', message: firstLine((error as Error).message), lookId: current.lookId });
      postNotices();
      return false;
    }
    const doneAtMs = engineNowMs();
    lastStartedAtMs = started;
    lastDoneAtMs = doneAtMs;
    const arrival = lookArrival !== null && lookArrival.lookId === current.lookId ? lookArrival : null;
    if (arrival) lookArrival = null;
    (frames as LoopFrames).send(buffer, {
      type: 'frame',
      lookId: current.lookId,
      sequence: ++sequence,
      showTimeMs,
      inferMs: doneAtMs - started,
      doneAtMs,
      requestId,
      inputMissing,
      startedAtMs: started,
      ...(arrival ? { lookArrival: { atMs: arrival.atMs, prevStartedAtMs: arrival.prevStartedAtMs, prevDoneAtMs: arrival.prevDoneAtMs } } : {}),
    });
    postNotices();
    return true;
  }

  /** One-time warnings a pipeline raised on this frame (e.g. a look's input that this model cannot take). */
  function postNotices(): void {
    for (const message of pipeline?.notices?.() ?? []) post({ type: 'notice', message });
  }

  let faultsInjected = 0;
  function injectFault(config: Init): void {
    const fault = config.faultInjection;
    if (fault && sequence >= fault.afterFrames && faultsInjected < fault.count) {
      faultsInjected++;
      throw new Error('injected fault (test): the device stopped responding');
    }
  }

  /** One loop serves both modes; it yields to the message queue between frames so a new look lands at once. */
  async function runLoop(): Promise<void> {
    if (loopRunning) return;
    loopRunning = true;
    let failuresInARow = 0;
    let nextLiveFrameAtMs = 0;
    const livePeriodMs = 1000 / (init as Init).maxFps;
    try {
      while (!stopped && loaded && look && (streaming || renderQueue.length > 0)) {
        if (renderQueue.length === 0) {
          const waitMs = nextLiveFrameAtMs - engineNowMs();
          if (waitMs > 1) await pacedWait(waitMs);
          if (stopped || !streaming) continue;
          nextLiveFrameAtMs = Math.max(nextLiveFrameAtMs + livePeriodMs, engineNowMs());
        }
        const request = renderQueue.shift();
        const nowMs = engineNowMs();
        const showTimeMs = request ? request.showTimeMs : nowMs - (init as Init).showEpochMs;
        const made = await makeFrame(showTimeMs, request ? (init as Init).showEpochMs + request.showTimeMs : nowMs, request?.requestId ?? null);
        failuresInARow = made ? 0 : failuresInARow + 1;
        // A failing model must not spin a core: back off, the outputs hold the last good frame.
        if (failuresInARow > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** failuresInARow)));
        await yieldToMessages();
      }
    } finally {
      loopRunning = false;
    }
  }

  function pacedWait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakePacing = null;
        resolve();
      }
      wakePacing = done;
    });
  }

  channel.onMessage((message: ToWorker) => {
    switch (message.type) {
      case 'init':
        init = message;
        try {
          frames = channel.frames(message);
          pool = frames.pool;
          pipeline = createPipeline(message);
          inputs = message.inputs ? new LiveInputs({ settings: message.inputs, post }) : null;
        } catch (error) {
          post({ type: 'loadFailed', message: (error as Error).message, fallbacks: [] });
          return;
        }
        void loadPipeline().then(() => runLoop());
        return;
      case 'look':
        if (message.look.lookId !== look?.lookId) lookArrival = { lookId: message.look.lookId, atMs: engineNowMs(), prevStartedAtMs: lastStartedAtMs, prevDoneAtMs: lastDoneAtMs };
        look = message.look;
        if (loaded) pipeline?.setLook(message.look);
        wakePacing?.();
        void runLoop();
        return;
      case 'stream':
        streaming = message.on;
        void runLoop();
        return;
      case 'recycle':
        frames?.recycled(message.frame);
        return;
      case 'renderAt':
        renderQueue.push({ requestId: message.requestId, showTimeMs: message.showTimeMs });
        wakePacing?.();
        void runLoop();
        return;
      case 'stop':
        stopped = true;
        inputs?.close();
        wakePacing?.();
        void (pipeline?.release() ?? Promise.resolve()).finally(() => channel.close());
        return;
    }
  });
}
