/**
 * The live inputs of one inference loop: the InputSet (inputs/input-set.ts) that
 * receives NDI sources, stills and the program feedback, asked once per frame for
 * the picture the look restyles. It lives in the inference process (or the worker
 * thread), next to the pipeline, so a received frame is converted once, at the
 * model's working size, and never crosses a pipe.
 *
 * Never waits: `pictureFor` returns what the inputs hold now (the last frame of a
 * source that stopped, null before the first), so input loss never touches the
 * output cadence. The set is created on the first look that names an input (a
 * text-only show never loads libndi here). Every STATUS_PERIOD_MS the status rows
 * go to the engine, with a small thumbnail when the picture changed.
 */
import type { LookInput } from '../../contract/inputs.js';
import { resolveLookAt, type LookTarget } from '../../show/look-resolver.js';
import { Downscaler } from '../frames/downscale.js';
import type { InputFeed, InputPicture } from '../inputs/input-picture.js';
import { InputSet } from '../inputs/input-set.js';
import { applyNdiDiscovery } from '../ndi/discovery.js';
import type { LibNdi } from '../ndi/libndi.js';
import { loadNdiRuntime } from '../ndi/runtime.js';
import type { FromWorker, InputSettings, InputThumbnail, WorkerLook } from './worker-protocol.js';

/** Status rows and thumbnails go to the engine this often, ms. */
export const STATUS_PERIOD_MS = 250;
/** Width of the input thumbnail (the console's monitors are 160 px wide, as cue thumbnails). */
export const INPUT_THUMBNAIL_WIDTH = 160;

export interface LiveInputsOptions {
  settings: InputSettings;
  post: (message: Extract<FromWorker, { type: 'inputs' }>) => void;
  /** Tests: a feed of their own instead of the InputSet. */
  feed?: InputFeed;
}

const namesInput = (target: LookTarget | null | undefined): target is LookTarget & { input: LookInput } => target?.input !== undefined;

export class LiveInputs {
  private feed: InputFeed | null;
  private timer: NodeJS.Timeout | null = null;
  private lastPicture: InputPicture | null = null;
  /** The last shared-memory picture, copied into a plain buffer (see ownBuffer). */
  private plainCopy: InputPicture | null = null;
  private thumbnailVersion = -1;
  private downscaler: Downscaler | null = null;
  private closed = false;

  constructor(private readonly options: LiveInputsOptions) {
    this.feed = options.feed ?? null;
  }

  /** The picture for `look` at engine-clock `clockMs` (its transition's crossfade resolved), or null for text only. */
  pictureFor(look: WorkerLook, clockMs: number, width: number, height: number): InputPicture | null {
    const resolved = resolveLookAt(look, clockMs);
    const from = resolved.from;
    if (!namesInput(from) && !namesInput(resolved.to) && !this.feed) return null;
    const feed = this.ensureFeed();
    const picture = feed.pictureFor(from?.input, resolved.to.input, resolved.mix, width, height);
    this.lastPicture = picture;
    return picture ? this.ownBuffer(picture) : null;
  }

  /**
   * onnxruntime-node refuses a tensor over a SharedArrayBuffer ("Invalid argument"), and
   * the NDI and image inputs fit their frames into shared memory (filled on their own
   * threads). Such a picture is copied into a plain buffer once per version (a new frame),
   * not once per model frame.
   */
  private ownBuffer(picture: InputPicture): InputPicture {
    if (!(picture.rgba.buffer instanceof SharedArrayBuffer)) return picture;
    const copy = this.plainCopy;
    if (copy && copy.version === picture.version && copy.rgba.length === picture.rgba.length && copy.width === picture.width) return copy;
    const rgba = copy && copy.rgba.length === picture.rgba.length ? copy.rgba : new Uint8Array(picture.rgba.length);
    rgba.set(picture.rgba);
    this.plainCopy = { ...picture, rgba };
    return this.plainCopy;
  }

  /** After a frame: the program frame goes back in for looks whose input is the program itself. */
  afterFrame(look: WorkerLook, rgba: Uint8Array, width: number, height: number): void {
    if (!this.feed) return;
    const usesProgram = (t: LookTarget | null) => t?.input?.source.kind === 'program';
    if (usesProgram(look.to) || usesProgram(look.from)) this.feed.noteProgramFrame(rgba, width, height);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.feed?.close();
  }

  private ensureFeed(): InputFeed {
    if (this.feed) return this.feed;
    const feed = new InputSet({ ndi: loadNdiHere(this.options.settings), ...(this.options.settings.ndi.extraIps ? { extraIps: this.options.settings.ndi.extraIps } : {}) });
    this.feed = feed;
    this.startReporting();
    return feed;
  }

  private startReporting(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => this.report(), STATUS_PERIOD_MS);
    this.timer.unref?.();
  }

  /** One status message: the rows, and a thumbnail when the picture changed since the last one. */
  report(): void {
    if (!this.feed) return;
    this.options.post({ type: 'inputs', rows: this.feed.status(), thumbnail: this.thumbnail() });
  }

  private thumbnail(): InputThumbnail | null {
    const picture = this.lastPicture;
    if (!picture || picture.version === this.thumbnailVersion) return null;
    const width = INPUT_THUMBNAIL_WIDTH;
    const height = Math.max(2, Math.round((width * picture.height) / picture.width / 2) * 2);
    const scaler = this.downscaler;
    const fits = scaler && scaler.sourceWidth === picture.width && scaler.sourceHeight === picture.height && scaler.height === height;
    const downscaler = fits ? scaler : new Downscaler(picture.width, picture.height, width, height);
    this.downscaler = downscaler;
    const rgba = new Uint8Array(width * height * 4);
    downscaler.run(picture.rgba, rgba);
    this.thumbnailVersion = picture.version;
    return { rgba, width, height, version: picture.version };
  }
}

/**
 * libndi in this process, with the engine's discovery settings applied first (libndi
 * reads its config when it initializes); null when no runtime loads (NDI inputs then
 * report 'failed' with the reason, the other inputs work).
 */
function loadNdiHere(settings: InputSettings): LibNdi | null {
  const { extraIps, discoveryServers, runtimeDir } = settings.ndi;
  if (!process.env.NDI_CONFIG_DIR) applyNdiDiscovery({ ...(extraIps ? { extraIps } : {}), ...(discoveryServers ? { discoveryServers } : {}) });
  const runtime = loadNdiRuntime(runtimeDir ? { runtimeDir } : {});
  return runtime.ok ? runtime.value.lib : null;
}
