/**
 * The standby preview: what GO will put on the wall, rendered before GO; and, in
 * its idle time, the cue list's thumbnails (cue-thumbnails.ts).
 *
 * A second, small Generator (its own inference worker, the live model's folder, at
 * 384x216) in stepped mode: whenever the standby cue or its look changes, one still
 * of that look is rendered (`renderAt`, at the show time the request names) and sent
 * to consoles as a binary frame on the 'standby' stream (contract/frame-wire.ts).
 * Stills, not a stream: the standby look changes a few times a minute, and a still
 * costs one small inference (~3-5 ms on a laptop CPU with the built-in model, see
 * `npm run bench:preview`), while a second live stream would compete with the wall's
 * model for the same cores. Requests are latest-wins: at most one render in flight,
 * and only the newest waiting request is rendered after it.
 *
 * The same worker renders cue thumbnails (a thumbnail is a still of a cue's look,
 * downscaled): one more model thread would compete with the live model, and this one
 * is idle between standby changes. still-queue.ts decides the order: the standby
 * still always first, thumbnails after it, paced to half the thread.
 */
import { EventEmitter } from 'node:events';
import { FRAME_HEADER_BYTES, writeFrameHeader } from '../../contract/frame-wire.js';
import type { EngineError } from '../../contract/errors.js';
import type { ExecutionProviderName } from '../../contract/providers.js';
import type { LookTarget } from '../../show/look-resolver.js';
import { systemClock, type EngineClock } from '../clock.js';
import { Generator } from '../generate/generator.js';
import type { ModelFolder } from '../generate/model-folder.js';
import type { Result } from '../result.js';
import { ok } from '../result.js';
import { StillQueue, type ThumbnailJob } from './still-queue.js';

/** Standby still size: the console's monitor tile size (same as the program preview). */
export const STANDBY_WIDTH = 384;
export const STANDBY_HEIGHT = 216;

export interface StandbyRequest {
  /** Identity of what is asked for (cue id + look); a repeat of the last key is ignored. */
  key: string;
  /** Null = nothing on standby: the preview is cleared (no frame is sent). */
  look: LookTarget | null;
  /** Show time to render the look at (the built-in model moves with time). */
  showTimeMs: number;
}

/** A rendered still at the renderer's size; the pixel view is only valid during the call (its buffer goes back to the worker). */
export interface RenderedStill {
  pixels: Uint8Array;
  width: number;
  height: number;
  showTimeMs: number;
}

interface StandbyEvents {
  /** A finished still as a binary frame message ('standby' stream). */
  still: [Uint8Array];
  /** A thumbnail job's still, under its look key (cue-thumbnails.ts downscales it). */
  thumbnail: [string, RenderedStill];
  error: [EngineError];
}

export class StandbyPreview extends EventEmitter<StandbyEvents> {
  private busy = false;
  private readonly queue = new StillQueue<StandbyRequest>();
  /** Wakes the pump when paced thumbnails may go on. */
  private wakeTimer: NodeJS.Timeout | null = null;
  private lastKey: string | null = null;
  private sequence = 0;
  private latest: Uint8Array | null = null;
  /** Milliseconds the last still took, request to message (inference + copy). */
  lastRenderMs: number | null = null;
  /** Milliseconds the last thumbnail took, render start to its listeners done (inference + downscale + message). */
  lastThumbnailMs: number | null = null;
  private stopped = false;

  private constructor(
    private readonly generator: Generator,
    /** The model's id (state.model.id): part of every thumbnail's look key. */
    readonly modelId: string,
    /** Reads time for the thumbnails' pacing and the render timings (the engine's clock). */
    private readonly clock: EngineClock,
  ) {
    super();
  }

  static async start(options: {
    model: ModelFolder;
    showEpochMs: number;
    provider?: ExecutionProviderName;
    width?: number;
    height?: number;
    clock?: EngineClock;
  }): Promise<Result<StandbyPreview>> {
    const started = await Generator.start({
      model: options.model,
      width: options.width ?? STANDBY_WIDTH,
      height: options.height ?? STANDBY_HEIGHT,
      showEpochMs: options.showEpochMs,
      // One thread: the live model keeps the rest of the machine.
      intraOpThreads: 1,
      maxFps: 1,
      ...(options.provider ? { onlyProvider: options.provider } : {}),
    });
    return started.ok ? ok(new StandbyPreview(started.value, options.model.manifest.id, options.clock ?? systemClock)) : started;
  }

  get provider(): ExecutionProviderName {
    return this.generator.ready.provider;
  }

  /** The newest still, for a console that connects later (null = nothing on standby). */
  current(): Uint8Array | null {
    return this.latest;
  }

  request(request: StandbyRequest): void {
    if (this.stopped || request.key === this.lastKey) return;
    this.lastKey = request.key;
    if (!request.look) {
      this.latest = null;
      this.queue.setStandby(null);
      return;
    }
    this.queue.setStandby(request);
    void this.pump();
  }

  /** Thumbnails to make in idle time, ahead of those already waiting; each arrives as a 'thumbnail' event. */
  requestThumbnails(jobs: readonly ThumbnailJob[]): void {
    if (this.stopped || jobs.length === 0) return;
    this.queue.addThumbnails(jobs);
    void this.pump();
  }

  /** Thumbnails no longer wanted (their cue was edited or deleted): dropped if not started yet. */
  cancelThumbnails(keys: readonly string[]): void {
    this.queue.cancelThumbnails(keys);
  }

  get waitingThumbnails(): number {
    return this.queue.waitingThumbnails;
  }

  /** Renders one still now and resolves with it (bench, tests); goes through the same path. */
  async renderOnce(look: LookTarget, showTimeMs: number): Promise<Result<Uint8Array>> {
    const started = this.clock.nowMs();
    const frame = await this.render(look, showTimeMs);
    if (!frame.ok) return frame;
    const { width, height } = frame.value;
    const message = new Uint8Array(FRAME_HEADER_BYTES + width * height * 4);
    writeFrameHeader(message, { sequence: this.sequence, lookId: this.sequence, width, height, showTimeMs, stream: 'standby' });
    message.set(frame.value.pixels, FRAME_HEADER_BYTES);
    this.generator.release(frame.value);
    this.lastRenderMs = this.clock.nowMs() - started;
    return ok(message);
  }

  /** One frame of `look` at `showTimeMs`, owned by the caller until released. */
  private render(look: LookTarget, showTimeMs: number) {
    this.sequence++;
    this.generator.setLook({ lookId: this.sequence, from: null, to: look, transition: { durationMs: 0, curve: 'linear' }, startedAtMs: 0 });
    return this.generator.renderAt(showTimeMs);
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (!this.stopped) {
        const next = this.queue.next(this.clock.nowMs());
        if (next.kind === 'idle') break;
        if (next.kind === 'wait') {
          this.wakeAt(next.untilMs);
          break;
        }
        if (next.kind === 'thumbnail') await this.renderThumbnail(next.job);
        else await this.renderStandby(next.request);
      }
    } finally {
      this.busy = false;
    }
  }

  private wakeAt(untilMs: number): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = setTimeout(
      () => {
        this.wakeTimer = null;
        void this.pump();
      },
      Math.max(1, untilMs - this.clock.nowMs()),
    );
  }

  private async renderThumbnail(job: ThumbnailJob): Promise<void> {
    const started = this.clock.nowMs();
    const frame = await this.render(job.look, job.showTimeMs);
    if (this.stopped) return;
    if (!frame.ok) this.emit('error', frame.error);
    else {
      try {
        this.emit('thumbnail', job.key, frame.value);
      } finally {
        this.generator.release(frame.value);
      }
    }
    const done = this.clock.nowMs();
    this.lastThumbnailMs = done - started;
    this.queue.thumbnailDone(done - started, done);
  }

  private async renderStandby({ key, look, showTimeMs }: StandbyRequest): Promise<void> {
    if (!look) return;
    const still = await this.renderOnce(look, showTimeMs);
    if (this.stopped) return;
    if (!still.ok) {
      this.emit('error', still.error);
      return;
    }
    // A newer request (or a cleared standby) replaced this one while it rendered.
    if (this.lastKey !== key) return;
    this.latest = still.value;
    this.emit('still', still.value);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.removeAllListeners();
    await this.generator.stop();
  }
}
