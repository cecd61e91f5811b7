/**
 * The console's look-ahead pictures: the standby cue's still (standby-preview.ts, a
 * second small generator on the live model's folder) and every cue's thumbnail
 * (cue-thumbnails.ts, made by the same renderer in its idle time). It follows the
 * live model (a switch restarts the renderer on the new folder) and the state (the
 * standby cue, the cue list). Failures are reported; the wall is never affected.
 *
 * A cue whose look names an input is previewed with that input, as the wall will show
 * it: the renderer's inference loop opens inputs with the same options as the live
 * model's (engine.ts builds them once, inputs/input-options.ts), and image paths are
 * resolved against the show file before a look is handed over. It never waits for an
 * input: one with no picture yet gives a text-only still, rendered again once the input
 * has a frame (standby-preview.ts).
 */
import type { EngineError } from '../../contract/errors.js';
import type { ExecutionProviderName } from '../../contract/providers.js';
import type { EngineState } from '../../contract/state.js';
import type { LookTarget } from '../../show/look-resolver.js';
import { lookTarget } from '../../show/show-state.js';
import type { EngineClock } from '../clock.js';
import type { ModelFolder } from '../generate/model-folder.js';
import type { InputSettings } from '../generate/worker-protocol.js';
import { CueThumbnails } from './cue-thumbnails.js';
import { StandbyPreview } from './standby-preview.js';

export interface CuePreviewsOptions {
  clock: EngineClock;
  /** Engine-clock ms of show time zero. */
  showEpochMs: number;
  /** The engine's state now (asked for when the renderer comes up). */
  state: () => EngineState;
  /** The renderer's input options: the same as the live model's (inputs/input-options.ts). */
  inputs: InputSettings;
  /** A look as the renderer must open its input (an image path resolved against the show file). */
  resolveInput: (target: LookTarget) => LookTarget;
  /** A standby still ('standby' stream message). */
  onStandby: (still: Uint8Array) => void;
  /** A cue thumbnail ('CYT1' message). */
  onThumbnail: (message: Uint8Array) => void;
  onError: (error: EngineError) => void;
}

export class CuePreviews {
  /** Null until started, while restarting for a new model, or when it failed. */
  private standby: StandbyPreview | null = null;
  private starting: Promise<void> | null = null;
  /** The folder the renderer should be on: the live model's. */
  private folder: ModelFolder | null = null;
  private readonly thumbnails: CueThumbnails;

  constructor(private readonly options: CuePreviewsOptions) {
    this.thumbnails = new CueThumbnails(options.onThumbnail, options.resolveInput);
  }

  /** The live model is now `folder` on `provider`: (re)starts the renderer on it. */
  follow(folder: ModelFolder, provider: ExecutionProviderName): void {
    this.folder = folder;
    const previous = this.standby;
    this.standby = null;
    const before = this.starting;
    this.starting = (async () => {
      await before;
      await previous?.stop();
      const started = await StandbyPreview.start({ model: folder, showEpochMs: this.options.showEpochMs, provider, clock: this.options.clock, inputs: this.options.inputs });
      if (!started.ok) {
        this.options.onError({ ...started.error, message: `Standby preview unavailable: ${started.error.message} The wall is unaffected.` });
        return;
      }
      if (this.folder !== folder) {
        await started.value.stop();
        return;
      }
      this.standby = started.value;
      started.value.on('still', (still) => this.options.onStandby(still));
      started.value.on('error', (error) => this.options.onError({ ...error, message: `Standby preview: ${error.message}` }));
      this.update(this.options.state());
    })();
  }

  /**
   * Asks for a still of the standby cue when it (or its look) changed since the last
   * request; then lets the cue thumbnails follow the cue list (queued behind it).
   */
  update(state: EngineState): void {
    if (!this.standby) return;
    const show = state.show;
    const cue = show?.standbyCueId ? show.document.cues.find((c) => c.id === show.standbyCueId) : undefined;
    this.standby.request({
      key: cue ? `${cue.id}\u0000${JSON.stringify(cue.look)}` : 'none',
      look: cue ? this.options.resolveInput(lookTarget(cue.look)) : null,
      showTimeMs: this.options.clock.nowMs() - this.options.showEpochMs,
    });
    this.thumbnails.update(this.standby, show?.document.cues ?? []);
  }

  /** The standby cue's still, for a console that connects after it was rendered. */
  standbyStill(): Uint8Array | null {
    return this.standby?.current() ?? null;
  }

  /** Every cue's current thumbnail, for a console that connects later. */
  cueThumbnails(): Uint8Array[] {
    return this.thumbnails.messages();
  }

  async stop(): Promise<void> {
    await this.starting;
    await this.standby?.stop();
    this.standby = null;
  }
}
