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
 *
 * Inputs: the worker opens a look's input as the live model's does (the same options,
 * cue-previews.ts) and never waits for it. A still rendered while its input had no
 * frame yet (a file still decoding, an NDI source not found yet) is text only; it is
 * kept, and rendered again once the worker's input report (every ~250 ms) says that
 * input has a frame, up to MAX_INPUT_RETRIES times. An input that never comes (a name
 * that never appears, a file that is not an image) leaves the text-only still.
 */
import { EventEmitter } from 'node:events';
import { FRAME_HEADER_BYTES, writeFrameHeader } from '../../contract/frame-wire.js';
import type { EngineError } from '../../contract/errors.js';
import { inputKey, type InputStatus } from '../../contract/inputs.js';
import type { ExecutionProviderName } from '../../contract/providers.js';
import type { LookTarget } from '../../show/look-resolver.js';
import { systemClock, type EngineClock } from '../clock.js';
import { Generator } from '../generate/generator.js';
import type { ModelFolder } from '../generate/model-folder.js';
import type { InputSettings } from '../generate/worker-protocol.js';
import type { Result } from '../result.js';
import { ok } from '../result.js';
import { StillQueue, type ThumbnailJob } from './still-queue.js';

/** Standby still size: the console's monitor tile size (same as the program preview). */
export const STANDBY_WIDTH = 384;
export const STANDBY_HEIGHT = 216;

/** The standby still's entry in awaitingInput (thumbnails use their look key, 16 hex digits). */
const STANDBY_SLOT = 'standby';

export interface StandbyRequest {
  /** Identity of what is asked for (cue id + look); a repeat of the last key is ignored. */
  key: string;
  /** Null = nothing on standby: the preview is cleared (no frame is sent). */
  look: LookTarget | null;
  /** Show time to render the look at (the built-in model moves with time). */
  showTimeMs: number;
}

/** Renders again, at most, of a still whose input had no frame yet: a still file decodes once; a source that keeps failing is left text only. */
export const MAX_INPUT_RETRIES = 3;

/** A rendered still at the renderer's size; the pixel view is only valid during the call (its buffer goes back to the worker). */
export interface RenderedStill {
  pixels: Uint8Array;
  width: number;
  height: number;
  showTimeMs: number;
  /** The look names an input that had no frame yet: this still is text only, and will be rendered again when the input has one. */
  inputMissing: boolean;
}

/** A still made text-only because its input had no frame yet, waiting for that input. */
interface AwaitingInput {
  /** inputKey of the look's input: the worker's status row to watch. */
  input: string;
  retries: number;
  still: { kind: 'standby'; request: StandbyRequest } | { kind: 'thumbnail'; job: ThumbnailJob };
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
  /** Stills made before their input had a frame, by look key ('standby' for the standby still). */
  private readonly awaitingInput = new Map<string, AwaitingInput>();

  private constructor(
    private readonly generator: Generator,
    /** The model's id (state.model.id): part of every thumbnail's look key. */
    readonly modelId: string,
    /** Reads time for the thumbnails' pacing and the render timings (the engine's clock). */
    private readonly clock: EngineClock,
  ) {
    super();
    generator.on('inputs', ({ rows }) => this.inputsReported(rows));
  }

  static async start(options: {
    model: ModelFolder;
    showEpochMs: number;
    provider?: ExecutionProviderName;
    width?: number;
    height?: number;
    clock?: EngineClock;
    /** Input options (the live model's); absent = looks are rendered from text only. */
    inputs?: InputSettings;
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
      ...(options.inputs ? { inputs: options.inputs } : {}),
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
    this.awaitingInput.delete(STANDBY_SLOT);
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
    for (const key of keys) this.awaitingInput.delete(key);
  }

  get waitingThumbnails(): number {
    return this.queue.waitingThumbnails;
  }

  /** Renders one still now and resolves with it (bench, tests); goes through the same path. */
  async renderOnce(look: LookTarget, showTimeMs: number): Promise<Result<Uint8Array>> {
    const still = await this.renderMessage(look, showTimeMs);
    return still.ok ? ok(still.value.message) : still;
  }

  /** One still as a 'standby' frame message, and whether its input had no frame yet. */
  private async renderMessage(look: LookTarget, showTimeMs: number): Promise<Result<{ message: Uint8Array; inputMissing: boolean }>> {
    const started = this.clock.nowMs();
    const frame = await this.render(look, showTimeMs);
    if (!frame.ok) return frame;
    const { width, height } = frame.value;
    const message = new Uint8Array(FRAME_HEADER_BYTES + width * height * 4);
    writeFrameHeader(message, { sequence: this.sequence, lookId: this.sequence, width, height, showTimeMs, stream: 'standby' });
    message.set(frame.value.pixels, FRAME_HEADER_BYTES);
    const inputMissing = frame.value.inputMissing === true;
    this.generator.release(frame.value);
    this.lastRenderMs = this.clock.nowMs() - started;
    return ok({ message, inputMissing });
  }

  /** A still came out text only while its look names an input: wait for that input's first frame (retries left). */
  private awaitInput(slot: string, look: LookTarget, still: AwaitingInput['still']): void {
    const previous = this.awaitingInput.get(slot);
    const retries = (previous?.retries ?? 0) + 1;
    if (!look.input || retries > MAX_INPUT_RETRIES) {
      this.awaitingInput.delete(slot);
      return;
    }
    this.awaitingInput.set(slot, { input: inputKey(look.input.source), retries, still });
  }

  /** The worker's input rows (every ~250 ms while inputs are open): stills whose input now has a frame are rendered again. */
  private inputsReported(rows: readonly InputStatus[]): void {
    if (this.stopped || this.awaitingInput.size === 0) return;
    const framed = new Set(rows.filter((row) => row.width !== null).map((row) => row.key));
    const again: ThumbnailJob[] = [];
    for (const [slot, waiting] of this.awaitingInput) {
      if (!framed.has(waiting.input)) continue;
      if (waiting.still.kind === 'standby') {
        // Still the standby cue: render it again (its entry stays, counting the retries, until it comes out with its input).
        if (waiting.still.request.key === this.lastKey) this.queue.setStandby(waiting.still.request);
        else this.awaitingInput.delete(slot);
      } else again.push(waiting.still.job);
    }
    if (again.length > 0) this.queue.addThumbnails(again);
    void this.pump();
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
      const inputMissing = frame.value.inputMissing === true;
      if (inputMissing) this.awaitInput(job.key, job.look, { kind: 'thumbnail', job });
      else this.awaitingInput.delete(job.key);
      try {
        this.emit('thumbnail', job.key, { ...frame.value, inputMissing });
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
    const still = await this.renderMessage(look, showTimeMs);
    if (this.stopped) return;
    if (!still.ok) {
      this.emit('error', still.error);
      return;
    }
    // A newer request (or a cleared standby) replaced this one while it rendered.
    if (this.lastKey !== key) return;
    if (still.value.inputMissing) this.awaitInput(STANDBY_SLOT, look, { kind: 'standby', request: { key, look, showTimeMs } });
    else this.awaitingInput.delete(STANDBY_SLOT);
    this.latest = still.value.message;
    this.emit('still', still.value.message);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.removeAllListeners();
    await this.generator.stop();
  }
}
