/**
 * The standby preview: what GO will put on the wall, rendered before GO.
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
 */
import { EventEmitter } from 'node:events';
import { FRAME_HEADER_BYTES, writeFrameHeader } from '../../contract/frame-wire.js';
import type { EngineError } from '../../contract/errors.js';
import type { ExecutionProviderName } from '../../contract/providers.js';
import type { LookTarget } from '../../show/program.js';
import { engineNowMs } from '../clock.js';
import { Generator } from '../generate/generator.js';
import type { ModelFolder } from '../generate/model-folder.js';
import type { Result } from '../result.js';
import { ok } from '../result.js';

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

interface StandbyEvents {
  /** A finished still as a binary frame message ('standby' stream). */
  still: [Uint8Array];
  error: [EngineError];
}

export class StandbyPreview extends EventEmitter<StandbyEvents> {
  private busy = false;
  private waiting: StandbyRequest | null = null;
  private lastKey: string | null = null;
  private sequence = 0;
  private latest: Uint8Array | null = null;
  /** Milliseconds the last still took, request to message (inference + copy). */
  lastRenderMs: number | null = null;
  private stopped = false;

  private constructor(private readonly generator: Generator) {
    super();
  }

  static async start(options: { model: ModelFolder; showEpochMs: number; provider?: ExecutionProviderName; width?: number; height?: number }): Promise<Result<StandbyPreview>> {
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
    return started.ok ? ok(new StandbyPreview(started.value)) : started;
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
      this.waiting = null;
      return;
    }
    this.waiting = request;
    void this.pump();
  }

  /** Renders one still now and resolves with it (bench, tests); goes through the same path. */
  async renderOnce(look: LookTarget, showTimeMs: number): Promise<Result<Uint8Array>> {
    const started = engineNowMs();
    this.sequence++;
    this.generator.setLook({ lookId: this.sequence, from: null, to: look, transition: { durationMs: 0, curve: 'linear' }, startedAtMs: 0 });
    const frame = await this.generator.renderAt(showTimeMs);
    if (!frame.ok) return frame;
    const { width, height } = frame.value;
    const message = new Uint8Array(FRAME_HEADER_BYTES + width * height * 4);
    writeFrameHeader(message, { sequence: this.sequence, lookId: this.sequence, width, height, showTimeMs, stream: 'standby' });
    message.set(frame.value.pixels, FRAME_HEADER_BYTES);
    this.generator.release(frame.value);
    this.lastRenderMs = engineNowMs() - started;
    return ok(message);
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.waiting && !this.stopped) {
        const { key, look, showTimeMs } = this.waiting;
        this.waiting = null;
        if (!look) continue;
        const still = await this.renderOnce(look, showTimeMs);
        if (this.stopped) return;
        if (!still.ok) {
          this.emit('error', still.error);
          continue;
        }
        // A newer request (or a cleared standby) replaced this one while it rendered.
        if (this.lastKey !== key) continue;
        this.latest = still.value;
        this.emit('still', still.value);
      }
    } finally {
      this.busy = false;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.removeAllListeners();
    await this.generator.stop();
  }
}
