/**
 * Messages between the engine and the inference loop, which runs in a child
 * process (inference-host.ts) or, without the shared-memory addon, in a worker
 * thread (inference-worker.ts). Frames never cross as bytes over a pipe: in the
 * process they are slots of a shared-memory ring (shared-frame-ring.ts) and only
 * slot numbers travel; in the thread the buffer is transferred (no copy). Either
 * way each frame comes back (`recycle`) when no output needs it (see frame-pool.ts).
 */
import type { InputStatus } from '../../contract/inputs.js';
import type { ExecutionProviderName } from '../../contract/providers.js';
import type { Transition } from '../../contract/commands.js';
import type { LookTarget } from '../../show/look-resolver.js';
import type { TurboLayout } from './turbo/turbo-folder.js';

/** A look as the worker sees it: targets plus the transition timing, evaluated per frame. */
export interface WorkerLook {
  lookId: number;
  from: LookTarget | null;
  to: LookTarget;
  transition: Transition;
  /** Engine-clock ms when the transition started. */
  startedAtMs: number;
  /** Show control: a paused timeline holds the blend at this weight of `to` (absent = run the transition). */
  holdMix?: number;
}

/** The model half of the worker's init: what the pipeline needs to open its sessions. */
export type PipelineModel =
  | {
      kind: 'frame-model';
      graphPath: string;
      vocabularyPath: string | null;
      conditioningSize: number;
      io: { conditioning: string; time: string; seed: string; outputSize: string; frame: string; input?: string; inputStrength?: string };
    }
  | { kind: 'turbo-diffusion'; layout: TurboLayout };

/**
 * What the inference loop needs to open live inputs (inputs/input-set.ts): the NDI
 * discovery settings the engine was started with (--ndi-extra-ips, --ndi-discovery,
 * --ndi-runtime), applied in this process before libndi loads here.
 */
export interface InputSettings {
  ndi: { extraIps?: string; discoveryServers?: string; runtimeDir?: string };
}

/** A small picture of the live look's input for the console (RGBA8, width*height*4 bytes). */
export interface InputThumbnail {
  rgba: Uint8Array;
  width: number;
  height: number;
  /** The input picture's version it was made from. */
  version: number;
}

/** Which frame buffer: a transferred ArrayBuffer (worker thread) or a slot of the shared ring (process). */
export type FrameRef = { buffer: ArrayBuffer } | { slot: number };

/** Where the loop's frame buffers come from. */
export type FrameBuffers =
  | { kind: 'transfer' }
  | {
      kind: 'shared';
      /** The ring's file descriptor in the inference process (inherited, the file itself unlinked). */
      fd: number;
      /** Bytes between slot starts (the frame size rounded up to a page). */
      slotStride: number;
      slotCount: number;
      /** The slots this process may write now; more come back with `recycle`. */
      granted: number[];
    };

export type ToWorker =
  | {
      type: 'init';
      frames: FrameBuffers;
      /** Which pipeline runs (pipelines/): the one-graph frame model or the turbo diffusion pipeline. */
      model: PipelineModel;
      providers: ExecutionProviderName[];
      width: number;
      height: number;
      /** Engine-clock ms of show time zero (motion time = now - this). */
      showEpochMs: number;
      /**
       * Live mode makes at most this many frames a second (the output clock's rate):
       * frames no output would take only burn the CPU the outputs need, and an idle
       * model starts a new look at once instead of finishing a frame nobody sees.
       */
      maxFps: number;
      /**
       * Tests only: make `count` runs fail after `afterFrames` good ones, standing in
       * for a GPU that fails mid-show (which cannot happen on a machine without one).
       */
      faultInjection: { afterFrames: number; count: number } | null;
      /** Threads onnxruntime may use inside one run; 1 leaves a core for outputs. */
      intraOpThreads: number;
      /** Live inputs for looks that name one; null = looks are text only here (the standby preview's stills). */
      inputs: InputSettings | null;
    }
  | { type: 'look'; look: WorkerLook }
  /** Live mode: make frames continuously at the model's pace, stamped with the clock. */
  | { type: 'stream'; on: boolean }
  /** Stepped mode (render CLI, tests): one frame at an exact show time. */
  | { type: 'renderAt'; requestId: number; showTimeMs: number }
  /** A frame buffer the engine no longer needs: transferred back, or a slot handed back. */
  | { type: 'recycle'; frame: FrameRef }
  | { type: 'stop' };

export type FromWorker =
  | { type: 'ready'; provider: ExecutionProviderName; fallbacks: { provider: string; reason: string }[]; loadMs: number }
  | { type: 'loadFailed'; message: string; fallbacks: { provider: string; reason: string }[] }
  | {
      type: 'frame';
      /** RGBA8, width*height*4 bytes: transferred, or filled in a slot of the shared ring. */
      frame: FrameRef;
      lookId: number;
      sequence: number;
      showTimeMs: number;
      /** Time inside session.run, ms. */
      inferMs: number;
      /** Engine-clock ms when the frame was complete. */
      doneAtMs: number;
      requestId: number | null;
      /**
       * The look names an input but it had no picture for this frame (not found yet, still
       * decoding, failed): the frame was made from text only. The preview renders again once
       * the input has a frame (preview/standby-preview.ts); the live loop just goes on.
       */
      inputMissing: boolean;
      /** Engine-clock ms when this frame's inference began (the TTFF trace, frames/ttff-trace.ts). */
      startedAtMs: number;
      /**
       * The first frame made of a look: when the loop got that look, and when the frame before
       * it (an older look's) began and ended: a look posted meanwhile waited for that inference,
       * which cannot be stopped. Absent on later frames.
       */
      lookArrival?: { atMs: number; prevStartedAtMs: number; prevDoneAtMs: number };
    }
  | { type: 'runFailed'; message: string; lookId: number }
  /** Every ~250 ms while inputs are open: one status row per input, and a new thumbnail when the picture changed (null: unchanged or none). */
  | { type: 'inputs'; rows: InputStatus[]; thumbnail: InputThumbnail | null }
  /** A one-time warning from the pipeline (FramePipeline.notices): shown to the operator, the frames go on. */
  | { type: 'notice'; message: string };
