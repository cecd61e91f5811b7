/**
 * The live model: the Generator (inference worker) whose frames go to the wall, and
 * its lifecycle. At start the operator's model folder, falling back to the built-in
 * model when it fails (the wall always comes up); on loadModel the new model starts
 * beside the running one and replaces it when ready, at the running output size, so
 * the outputs never stop or change size. One switch at a time.
 *
 * Frames go back to the generator that made them (a switch leaves frames of the old
 * one on air for a tick or two): `release` finds the owner.
 */
import type { CommandResult } from '../contract/connection.js';
import { engineError, type EngineError } from '../contract/errors.js';
import type { ExecutionProviderName } from '../contract/providers.js';
import type { ModelStatus } from '../contract/state.js';
import { CutLane } from './generate/cut-lane.js';
import { Generator, type GeneratedFrame } from './generate/generator.js';
import { engineNowMs } from './clock.js';
import type { InputSettings, InputThumbnail } from './generate/worker-protocol.js';
import type { InputStatus } from '../contract/inputs.js';
import { builtinModelDir, loadModelFolder, type ModelFolder } from './generate/model-folder.js';
import { ok, type Result } from './result.js';

/** What the live model renders: the program's look (the generator's WorkerLook). */
export type LiveModelLook = Parameters<Generator['setLook']>[0];

export interface LiveModelOptions {
  /** The operator's model folder; the built-in model when absent or when it fails. */
  modelDir?: string;
  /** Generated frame size; the model's native size by default. */
  width?: number;
  height?: number;
  /** Run only on this provider (CLI --provider). */
  provider?: ExecutionProviderName;
  /** Cap on frames per second (the output clock's rate). */
  maxFps: number;
  faultInjection?: { afterFrames: number; count: number };
  /** Engine-clock ms of show time zero. */
  showEpochMs: number;
  /** The look to render now (from the program on air). */
  look: () => LiveModelLook;
  onFrame: (frame: GeneratedFrame) => void;
  onError: (error: EngineError) => void;
  /** A model went live (at start or after a switch): its folder and the provider it runs on. */
  onLive: (folder: ModelFolder, provider: ExecutionProviderName) => void;
  /** The status changed outside a command reply (a switch began or ended). */
  onChange: () => void;
  /** Live inputs for looks that name one: the NDI discovery settings the inference loop applies. */
  inputs?: InputSettings;
  /** The live model's input rows and thumbnail (every ~250 ms while inputs are open). */
  onInputs?: (report: { rows: InputStatus[]; thumbnail: InputThumbnail | null }) => void;
  /** A second, idle loop that makes a new look's first frame at once (generate/cut-lane.ts). Default off. */
  cutLane?: boolean;
}

export class LiveModel {
  private generator: Generator | null = null;
  private readonly owners = new WeakMap<GeneratedFrame, Generator>();
  /** True while a loadModel is under way: one switch at a time. */
  private switching = false;
  private current: ModelStatus = { id: 'none', name: 'No model', status: 'loading', provider: null, fallbacks: [], width: 0, height: 0 };
  /** The live model's folder (preflight's intended provider, the standby preview's model). */
  private liveFolder: ModelFolder | null = null;
  /** The cut lane of the live model (generate/cut-lane.ts); null when off or not started yet. */
  private lane: CutLane | null = null;
  /** Newest look id the live loop delivered a frame of (a lane frame of an older or the same look is not wanted). */
  private liveLookId = 0;

  constructor(private readonly options: LiveModelOptions) {}

  get status(): ModelStatus {
    return this.current;
  }

  get folder(): ModelFolder | null {
    return this.liveFolder;
  }

  /** Whether the cut lane is started and takes cuts (generate/cut-lane.ts); false when off. */
  get cutLaneReady(): boolean {
    return this.lane !== null;
  }

  /** Starts the operator's model, or the built-in one when it fails; the Generator, or null when neither runs (reported). */
  async start(): Promise<Generator | null> {
    const requestedDir = this.options.modelDir;
    let started = requestedDir ? await this.startGenerator(requestedDir) : null;
    if (started && !started.ok) {
      // The operator's model failed: say why, and keep the wall alive on the built-in one.
      this.options.onError({ ...started.error, message: `${started.error.message} Running the built-in model instead.` });
    }
    if (!started?.ok) started = await this.startGenerator(builtinModelDir());
    if (!started.ok) {
      this.options.onError(started.error);
      this.current = { ...this.current, status: 'failed' };
      return null;
    }
    this.attach(started.value, this.options.provider);
    return started.value.generator;
  }

  /**
   * Switches to the model in `dir`; resolves when the new model is live ({ ok: true })
   * or failed to start (its error; the running model stays). Refused while a switch is under way.
   */
  async switchTo(dir: string, provider?: ExecutionProviderName): Promise<CommandResult> {
    const refused = this.switchRefusal();
    if (refused) return { ok: false, error: refused };
    this.switching = true;
    this.current = { ...this.current, switchingTo: dir };
    this.options.onChange();
    const size = { width: this.current.width, height: this.current.height };
    const started = await this.startGenerator(dir, size, provider);
    this.switching = false;
    const { switchingTo: _done, ...running } = this.current;
    this.current = running;
    if (!started.ok) {
      const error = { ...started.error, message: `${started.error.message} Still running ${running.name}.` };
      this.options.onError(error);
      return { ok: false, error };
    }
    const old = this.generator;
    old?.removeAllListeners();
    this.attach(started.value, provider);
    this.options.onChange();
    await old?.stop();
    return { ok: true };
  }

  /** Why a switch cannot start now (one at a time), or null. */
  switchRefusal(): EngineError | null {
    return this.switching ? engineError('model-load-failed', `A model is already being loaded (${this.current.switchingTo}); wait for it to finish.`) : null;
  }

  /** The program's look changed: the live model renders it from its next frame. */
  pushLook(): void {
    const look = this.options.look();
    this.generator?.setLook(look);
    const lane = this.lane;
    lane?.cut(
      look,
      (frame) => frame.lookId > this.liveLookId,
      (frame) => {
        this.owners.set(frame, lane.generator);
        this.options.onFrame(frame);
      },
    );
  }

  /** The look on air changed in place (same look id: a fader's strength or crossfade mix): the live model renders it from its next frame; no cut. */
  updateLook(): void {
    this.generator?.setLook(this.options.look());
  }

  /** Gives a frame's buffer back to the generator that made it. */
  release(frame: GeneratedFrame): void {
    this.owners.get(frame)?.release(frame);
  }

  async stop(): Promise<void> {
    const lane = this.lane;
    this.lane = null;
    await Promise.all([this.generator?.stop(), lane?.stop()]);
    this.generator = null;
  }

  /** Starts the cut lane beside a live generator (same model, size, provider); until it is ready cuts wait as before. */
  private startLane(folder: ModelFolder, generator: Generator): void {
    const old = this.lane;
    this.lane = null;
    void old?.stop();
    // Frame models only: a diffusion pipeline's second copy would double its (GPU) memory for one frame a cut.
    if (!this.options.cutLane || folder.kind !== 'frame-model') return;
    void this.startGenerator(folder.dir, { width: generator.width, height: generator.height }, generator.ready.provider, false).then((started) => {
      if (!started.ok) {
        this.options.onError({ ...started.error, message: `The cut lane did not start (${started.error.message}); cuts wait for the frame in flight.` });
        return;
      }
      if (this.generator !== generator) {
        void started.value.generator.stop(); // switched or stopped meanwhile
        return;
      }
      this.lane = new CutLane(started.value.generator, this.options.showEpochMs, engineNowMs);
    });
  }

  /** Makes a started generator the live one: status, events, the current look, streaming. */
  private attach({ folder, generator }: { folder: ModelFolder; generator: Generator }, provider: ExecutionProviderName | undefined): void {
    const { manifest } = folder;
    this.generator = generator;
    this.liveFolder = folder;
    this.options.onLive(folder, generator.ready.provider);
    this.current = {
      id: manifest.id,
      name: manifest.name,
      status: 'running',
      provider: generator.ready.provider,
      fallbacks: generator.ready.fallbacks,
      width: generator.width,
      height: generator.height,
    };
    if (generator.ready.fallbacks.length > 0 && generator.ready.provider === 'cpu' && provider === undefined) {
      // Visible, not silent: the operator should know the GPU path was not taken.
      const passed = generator.ready.fallbacks.map((f) => `${f.provider}: ${f.reason}`).join('; ');
      this.options.onError(engineError('provider-fallback', `${manifest.name} runs on the CPU. Passed over: ${passed}.`));
    }
    generator.on('frame', (frame) => {
      this.owners.set(frame, generator);
      if (frame.lookId > this.liveLookId) this.liveLookId = frame.lookId;
      this.options.onFrame(frame);
    });
    generator.on('runFailed', (error) => this.options.onError(error));
    generator.on('notice', (error) => this.options.onError(error));
    // A new generator opens its own inputs: the old one's rows go with it.
    this.options.onInputs?.({ rows: [], thumbnail: null });
    generator.on('inputs', (report) => this.options.onInputs?.(report));
    this.pushLook();
    generator.stream(true);
    this.startLane(folder, generator);
  }

  /** Loads a model folder and starts its worker; a Result, so the caller decides what a failure means. */
  private async startGenerator(
    dir: string,
    size?: { width: number; height: number },
    provider = this.options.provider,
    /** False for the cut lane: text-only frames, no inputs of its own. */
    withInputs = true,
  ): Promise<Result<{ folder: ModelFolder; generator: Generator }>> {
    const folder = loadModelFolder(dir);
    if (!folder.ok) return folder;
    const { manifest } = folder.value;
    const generator = await Generator.start({
      model: folder.value,
      width: size?.width ?? this.options.width ?? manifest.nativeSize.width,
      height: size?.height ?? this.options.height ?? manifest.nativeSize.height,
      showEpochMs: this.options.showEpochMs,
      maxFps: this.options.maxFps,
      ...(this.options.faultInjection ? { faultInjection: this.options.faultInjection } : {}),
      ...(provider ? { onlyProvider: provider } : {}),
      ...(this.options.inputs && withInputs ? { inputs: this.options.inputs } : {}),
    });
    return generator.ok ? ok({ folder: folder.value, generator: generator.value }) : generator;
  }
}
