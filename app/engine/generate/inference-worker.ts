/**
 * The inference worker: owns the onnxruntime session and makes frames. It runs
 * in its own thread because session.run blocks the thread that calls it for the
 * whole inference; the engine thread (output clock, control) never waits on it.
 *
 * Per frame it resolves the look at the frame's time (blending the conditioning
 * of the two prompts of a transition), runs the graph straight into a
 * preallocated frame buffer, and transfers it with the look id it was made from.
 */
import { parentPort } from 'node:worker_threads';
import { setImmediate as yieldToMessages } from 'node:timers/promises';
import * as ort from 'onnxruntime-node';
import { transitionWeight } from '../../show/curves.js';
import { engineNowMs } from '../clock.js';
import { encodePrompt, loadBuiltinVocabulary, type Vocabulary } from './builtin-text-encoder.js';
import { FramePool } from './frame-pool.js';
import type { FromWorker, ToWorker, WorkerLook } from './worker-protocol.js';

if (!parentPort) throw new Error('inference-worker must run as a worker thread');
const port = parentPort;
const post = (message: FromWorker) => port.postMessage(message);

type Init = Extract<ToWorker, { type: 'init' }>;

let init: Init | null = null;
let session: ort.InferenceSession | null = null;
let pool: FramePool | null = null;
let vocabulary: Vocabulary | null = null;
let look: WorkerLook | null = null;
let streaming = false;
let stopped = false;
let sequence = 0;
let loopRunning = false;
/** Wakes a paced wait early: a new look should not wait for the next frame slot in time. */
let wakePacing: (() => void) | null = null;
const renderQueue: { requestId: number; showTimeMs: number }[] = [];

// Inputs reused every frame: no per-frame allocation on this path.
let conditioning: Float32Array;
let timeInput: Float32Array;
let seedInput: Float32Array;
let outputSize: BigInt64Array;
let feeds: Record<string, ort.Tensor>;

/** Prompt -> conditioning, computed once per prompt (the encoder never runs per frame). */
const encoded = new Map<string, Float32Array>();
function conditioningFor(prompt: string): Float32Array {
  let vector = encoded.get(prompt);
  if (!vector) {
    if (encoded.size > 64) encoded.clear();
    vector = encodePrompt(prompt, vocabulary as Vocabulary);
    encoded.set(prompt, vector);
  }
  return vector;
}

async function createSession(config: Init): Promise<void> {
  // Providers that are absent fail loudly on stderr; we report each failure ourselves
  // (in the state, with the reason), so onnxruntime's own log stays for fatal errors.
  ort.env.logLevel = 'fatal';
  const fallbacks: { provider: string; reason: string }[] = [];
  const loadStart = engineNowMs();
  for (const provider of config.providers) {
    try {
      session = await ort.InferenceSession.create(config.graphPath, {
        executionProviders: [provider],
        intraOpNumThreads: config.intraOpThreads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      });
      const mismatch = ioMismatch(session, config);
      if (mismatch) {
        await session.release();
        session = null;
        post({ type: 'loadFailed', message: mismatch, fallbacks });
        return;
      }
      post({ type: 'ready', provider, fallbacks, loadMs: engineNowMs() - loadStart });
      return;
    } catch (error) {
      fallbacks.push({ provider, reason: firstLine((error as Error).message) });
    }
  }
  post({ type: 'loadFailed', message: `No execution provider could load ${config.graphPath}.`, fallbacks });
}

/** The graph must have the inputs and output its manifest names; say which are missing. */
function ioMismatch(loaded: ort.InferenceSession, config: Init): string | null {
  const { frame, ...inputs } = config.io;
  const missingInputs = Object.values(inputs).filter((name) => !loaded.inputNames.includes(name));
  const missingOutput = loaded.outputNames.includes(frame) ? [] : [frame];
  if (missingInputs.length === 0 && missingOutput.length === 0) return null;
  return (
    `${config.graphPath} does not match its model.json: ` +
    (missingInputs.length ? `missing input(s) ${missingInputs.join(', ')} (the graph has ${loaded.inputNames.join(', ')}); ` : '') +
    (missingOutput.length ? `missing output ${frame} (the graph has ${loaded.outputNames.join(', ')}); ` : '') +
    'fix the names in model.json or re-export the graph.'
  );
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim().length > 0) ?? text;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function prepareBuffers(config: Init): void {
  const { width, height } = config;
  pool = new FramePool(width * height * 4);
  conditioning = new Float32Array(config.conditioningSize);
  timeInput = new Float32Array(1);
  seedInput = new Float32Array(1);
  outputSize = new BigInt64Array([BigInt(height), BigInt(width)]);
  feeds = {
    [config.io.conditioning]: new ort.Tensor('float32', conditioning, [1, config.conditioningSize]),
    [config.io.time]: new ort.Tensor('float32', timeInput, [1]),
    [config.io.seed]: new ort.Tensor('float32', seedInput, [1]),
    [config.io.outputSize]: new ort.Tensor('int64', outputSize, [2]),
  };
}

/** Fills the conditioning input with the look at `nowMs` (a morph between prompts during a transition). */
function resolveConditioning(current: WorkerLook, nowMs: number): void {
  const target = conditioningFor(current.to.prompt);
  const weight = current.from
    ? transitionWeight(current.transition.curve, nowMs - current.startedAtMs, current.transition.durationMs)
    : 1;
  if (weight >= 1 || !current.from) {
    conditioning.set(target);
  } else {
    const source = conditioningFor(current.from.prompt);
    for (let i = 0; i < conditioning.length; i++) {
      conditioning[i] = (source[i] as number) + ((target[i] as number) - (source[i] as number)) * weight;
    }
  }
  seedInput[0] = current.to.seed;
}

async function makeFrame(showTimeMs: number, clockMs: number, requestId: number | null): Promise<boolean> {
  const config = init as Init;
  const current = look as WorkerLook;
  const buffer = await (pool as FramePool).take();
  if (stopped) return false;
  resolveConditioning(current, clockMs);
  timeInput[0] = showTimeMs / 1000;
  // A preallocated output: onnxruntime writes the frame straight into our buffer.
  // The Tensor is a thin wrapper, made per frame because a transferred buffer detaches.
  const output = new ort.Tensor('uint8', new Uint8Array(buffer), [config.height, config.width, 4]);
  const started = engineNowMs();
  try {
    injectFault(config);
    await (session as ort.InferenceSession).run(feeds, { [config.io.frame]: output });
  } catch (error) {
    (pool as FramePool).give(buffer);
    post({ type: 'runFailed', message: firstLine((error as Error).message), lookId: current.lookId });
    return false;
  }
  const doneAtMs = engineNowMs();
  port.postMessage(
    {
      type: 'frame',
      buffer,
      lookId: current.lookId,
      sequence: ++sequence,
      showTimeMs,
      inferMs: doneAtMs - started,
      doneAtMs,
      requestId,
    } satisfies FromWorker,
    [buffer],
  );
  return true;
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
    while (!stopped && session && look && (streaming || renderQueue.length > 0)) {
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

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'init':
      init = message;
      try {
        vocabulary = message.vocabularyPath ? loadBuiltinVocabulary(message.vocabularyPath) : null;
        prepareBuffers(message);
      } catch (error) {
        post({ type: 'loadFailed', message: (error as Error).message, fallbacks: [] });
        return;
      }
      void createSession(message).then(() => runLoop());
      return;
    case 'look':
      look = message.look;
      wakePacing?.();
      void runLoop();
      return;
    case 'stream':
      streaming = message.on;
      void runLoop();
      return;
    case 'recycle':
      pool?.give(message.buffer);
      return;
    case 'renderAt':
      renderQueue.push({ requestId: message.requestId, showTimeMs: message.showTimeMs });
      wakePacing?.();
      void runLoop();
      return;
    case 'stop':
      stopped = true;
      wakePacing?.();
      void session?.release().finally(() => port.close());
      return;
  }
});
