/**
 * A LiveInput whose source runs in a worker thread (NDI receiver, still-image decoder):
 * pictures and counters are read from shared memory, so picture() and status() answer
 * at once whatever the worker is doing.
 */
import type { InputFit, InputSource, InputStatus } from '../../contract/inputs.js';
import { inputKey } from '../../contract/inputs.js';
import { epochNowMs, nextPictureVersion, type FittedPicture, type LiveInput } from './live-input.js';
import { SourceWorker, type SourceWorkerState } from './source-worker.js';
import {
  STAT_FPS,
  STAT_FRAMES_DROPPED,
  STAT_FRAMES_RECEIVED,
  STAT_HEIGHT,
  STAT_LAST_FRAME_EPOCH_MS,
  STAT_RATE_DEN,
  STAT_RATE_NUM,
  STAT_WIDTH,
  type SourceWorkerSpec,
} from './worker-protocol.js';

export class WorkerInput implements LiveInput {
  readonly key: string;
  private readonly worker: SourceWorker;
  /** Per fit and size: the worker's frame number last seen and the version given to it. */
  private readonly versions = new Map<string, { frame: number; version: number }>();
  private newestRead = 0;
  /** Frames the worker published that no picture() call ever returned (the reader was slower). */
  private unread = 0;

  constructor(
    readonly source: InputSource,
    data: SourceWorkerSpec,
    initial: SourceWorkerState,
    nowMs?: () => number,
  ) {
    this.key = inputKey(source);
    this.worker = new SourceWorker(data, initial, nowMs);
  }

  picture(fit: InputFit, width: number, height: number): FittedPicture | null {
    const got = this.worker.picture(fit, width, height);
    if (!got) return null;
    const key = `${fit}:${width}x${height}`;
    let seen = this.versions.get(key);
    if (!seen || seen.frame !== got.frame) {
      seen = { frame: got.frame, version: nextPictureVersion() };
      this.versions.set(key, seen);
    }
    if (got.frame > this.newestRead) {
      if (this.newestRead > 0) this.unread += got.frame - this.newestRead - 1;
      this.newestRead = got.frame;
    }
    return { rgba: got.rgba, width, height, version: seen.version, receivedAtMs: got.arrivedAtEpochMs - performance.timeOrigin };
  }

  status(): InputStatus {
    const s = this.worker.stats;
    const last = s[STAT_LAST_FRAME_EPOCH_MS] as number;
    const rateNum = s[STAT_RATE_NUM] as number;
    const rateDen = s[STAT_RATE_DEN] as number;
    return {
      key: this.key,
      source: this.source,
      state: this.worker.current.state,
      width: (s[STAT_WIDTH] as number) || null,
      height: (s[STAT_HEIGHT] as number) || null,
      rate: rateNum > 0 && rateDen > 0 ? { num: rateNum, den: rateDen } : null,
      fpsReceived: s[STAT_FPS] as number,
      framesReceived: s[STAT_FRAMES_RECEIVED] as number,
      framesDropped: (s[STAT_FRAMES_DROPPED] as number) + this.unread,
      lastFrameAgeMs: last > 0 ? Math.max(0, epochNowMs() - last) : null,
      error: this.worker.current.error,
    };
  }

  close(): void {
    this.worker.close();
  }
}
