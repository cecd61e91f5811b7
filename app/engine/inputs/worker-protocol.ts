/**
 * Messages between an input's worker thread (input-worker.ts: an NDI receiver or an
 * image decoder) and its owner on the inference thread (source-worker.ts). Pixels never
 * travel in messages: they go through shared triple buffers (shared-picture.ts), and the
 * counters through a shared Float64Array (STAT_* slots), so reading either needs no
 * event-loop turn.
 */
import type { InputFit, InputStatus } from '../../contract/inputs.js';
import type { FitTargets } from './fit-targets.js';
import type { SharedPictureBuffers } from './shared-picture.js';

/** What the worker runs. */
export type SourceWorkerSpec = { kind: 'image'; path: string } | { kind: 'ndi'; name: string; extraIps: string | null; libPath: string };
/** workerData: the spec plus the shared counters (STAT_* slots). */
export type SourceWorkerData = SourceWorkerSpec & { stats: SharedArrayBuffer };

export type ToSourceWorker = { type: 'target'; id: number; fit: InputFit; buffers: SharedPictureBuffers } | { type: 'untarget'; id: number } | { type: 'close' };

export interface SourceStateMessage {
  type: 'state';
  state: InputStatus['state'];
  error: string | null;
}
export type FromSourceWorker = SourceStateMessage;

/** Float64 slots of the shared stats array. */
export const STAT_FRAMES_RECEIVED = 0;
/** Frames skipped by latest-wins in the worker plus frames libndi reports dropped. */
export const STAT_FRAMES_DROPPED = 1;
export const STAT_FPS = 2;
/** Epoch ms of the newest frame; 0 = none yet. */
export const STAT_LAST_FRAME_EPOCH_MS = 3;
export const STAT_WIDTH = 4;
export const STAT_HEIGHT = 5;
/** 0/0 = unknown (a still). */
export const STAT_RATE_NUM = 6;
export const STAT_RATE_DEN = 7;
export const STAT_COUNT = 8;

/** What a source running in the worker gets: where to put pictures, counters and state. */
export interface WorkerContext {
  targets: FitTargets;
  stats: Float64Array;
  send(message: FromSourceWorker): void;
  isClosed(): boolean;
  /** Called once when the owner closes the input. */
  onClose(handler: () => void): void;
  /** Lets the worker thread end (closes its port). */
  end(): void;
}
