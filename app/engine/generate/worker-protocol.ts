/**
 * Messages between the engine thread and the inference worker. Frame buffers
 * cross by transfer (no copy) and come back the same way (see frame-pool.ts).
 */
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
      io: { conditioning: string; time: string; seed: string; outputSize: string; frame: string };
    }
  | { kind: 'turbo-diffusion'; layout: TurboLayout };

export type ToWorker =
  | {
      type: 'init';
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
    }
  | { type: 'look'; look: WorkerLook }
  /** Live mode: make frames continuously at the model's pace, stamped with the clock. */
  | { type: 'stream'; on: boolean }
  /** Stepped mode (render CLI, tests): one frame at an exact show time. */
  | { type: 'renderAt'; requestId: number; showTimeMs: number }
  /** A frame buffer the engine no longer needs, transferred back. */
  | { type: 'recycle'; buffer: ArrayBuffer }
  | { type: 'stop' };

export type FromWorker =
  | { type: 'ready'; provider: ExecutionProviderName; fallbacks: { provider: string; reason: string }[]; loadMs: number }
  | { type: 'loadFailed'; message: string; fallbacks: { provider: string; reason: string }[] }
  | {
      type: 'frame';
      /** Transferred: RGBA8, width*height*4 bytes. */
      buffer: ArrayBuffer;
      lookId: number;
      sequence: number;
      showTimeMs: number;
      /** Time inside session.run, ms. */
      inferMs: number;
      /** Engine-clock ms when the frame was complete. */
      doneAtMs: number;
      requestId: number | null;
    }
  | { type: 'runFailed'; message: string; lookId: number };
