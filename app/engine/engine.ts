/**
 * The engine: the runner that joins the data path
 *   show state -> generator (worker) -> program frames -> output clock -> sinks
 * It is the only place that reads the clock for show logic. It knows nothing of
 * transports: consoles and control surfaces reach it through `dispatch` and its
 * events (see control/client-hub.ts). No electron import, ever: the same engine
 * runs headless from the CLI and inside Electron's utility process.
 */
import { EventEmitter } from 'node:events';
import type { Command } from '../contract/commands.js';
import type { CommandResult } from '../contract/connection.js';
import { engineError, type EngineError } from '../contract/errors.js';
import { CONTRACT_VERSION, type EngineEvent } from '../contract/messages.js';
import type { ExecutionProviderName } from '../contract/providers.js';
import type { EngineState, ModelStatus } from '../contract/state.js';
import type { AttachedDisplay } from '../contract/display.js';
import { initialProgram, outputLevel, type ProgramState } from '../show/program.js';
import { loadSafePlate } from './show-files/safe-plate.js';
import { ShowSession } from './show-files/show-session.js';
import { defaultConfigDir } from './show-files/show-store.js';
import type { TakenFrame } from './frames/program-frames.js';
import { engineNowMs } from './clock.js';
import { ProgramFrames } from './frames/program-frames.js';
import { Generator, type GeneratedFrame } from './generate/generator.js';
import { builtinModelDir, loadModelFolder, type ModelFolder } from './generate/model-folder.js';
import { ok, type Result } from './result.js';
import { OutputClock, RATE_29_97, sinkFailure, type FrameRate } from './outputs/output-clock.js';
import type { FrameSink } from './outputs/frame-sink.js';
import { PreviewSink } from './outputs/preview-sink.js';
import { NdiOutputs, type NdiSettings } from './outputs/ndi-outputs.js';
import { freemem, totalmem } from 'node:os';
import * as ort from 'onnxruntime-node';
import type { PreflightReport } from '../contract/preflight.js';
import { providerCandidates } from './generate/execution-providers.js';
import { gpuDevicePresent } from './generate/gpu-probe.js';
import { providerLibraryInstalled, runPreflight, type PreflightInputs } from './preflight/preflight.js';
import { StandbyPreview } from './preview/standby-preview.js';
import { CueThumbnails } from './preview/cue-thumbnails.js';
import { DisplayOutputs } from './outputs/display-outputs.js';
import { dispatchOutputCommand, type OutputGroups } from './outputs/output-commands.js';
import { reopenSavedOutputs, saveOutputs } from './outputs/output-rig.js';
import { lookTarget } from '../show/show-state.js';

export const ENGINE_VERSION = '0.1.0';
/** How many recent errors the state snapshot keeps. */
const RECENT_ERRORS = 20;
/** Stats go out at this period even when nothing else changed, ms. */
const STATS_PERIOD_MS = 500;
/** The show runner's tick: auto-continue/follow and timeline segments land within this, ms. */
const SHOW_TICK_MS = 10;

export interface EngineOptions {
  /** Model folder; the built-in model when absent or when this one fails to load. */
  modelDir?: string;
  /** Generated frame size; defaults to the model's native size (1920x1080 for the built-in). */
  width?: number;
  height?: number;
  /** Output clock rate; 29.97 by default. */
  rate?: FrameRate;
  provider?: ExecutionProviderName;
  /** Cap on live model frames per second; the output clock's rate by default (benchmarks lift it). */
  generatorMaxFps?: number;
  /** Tests only: see GeneratorOptions.faultInjection. */
  faultInjection?: { afterFrames: number; count: number };
  initialPrompt?: string;
  initialSeed?: number;
  /** NDI outputs to open at start, discovery settings, runtime folder (outputs/ndi-outputs.ts). libndi loads on the first output. */
  ndi?: NdiSettings;
  /** Show file to open (created on first save); autosaved next to it. Absent = an untitled show. */
  showPath?: string;
  /** Where the recent-shows list and the output rig live; null keeps them in memory (tests). Default: the user's config folder. */
  configDir?: string | null;
  /** Reopen the outputs saved in the config folder at start, and save every change (outputs/output-rig.ts). Default true. */
  savedOutputs?: boolean;
}

interface EngineEvents {
  event: [EngineEvent];
  /** Binary preview frame for consoles (see contract/frame-wire.ts). */
  preview: [Uint8Array];
  /** Binary standby still for consoles' Preview monitor ('standby' stream, preview/standby-preview.ts). */
  standby: [Uint8Array];
  /** A cue thumbnail for consoles' cue list ('CYT1' message, preview/cue-thumbnails.ts). */
  thumbnail: [Uint8Array];
  /** A display output's frame (output id, binary message on the 'output' stream), for the pages subscribed to it. */
  display: [string, Uint8Array];
  /** Operational lines for the process log (NDI runtime chosen, outputs opened); not sent to consoles. */
  log: [string];
}

export class Engine extends EventEmitter<EngineEvents> {
  private generator: Generator | null = null;
  private readonly frameOwners = new WeakMap<GeneratedFrame, Generator>();
  /** True while a loadModel is under way: one switch at a time. */
  private switching = false;
  private readonly frames: ProgramFrames;
  private clock: OutputClock | null = null;
  private modelStatus: ModelStatus;
  private readonly recentErrors: EngineState['recentErrors'] = [];
  private readonly frameTimes: number[] = [];
  /** Look id whose first frame we are waiting for, and when its command arrived. */
  private ttffPending: { lookId: number; receivedAtMs: number } | null = null;
  private lastTtffMs: number | null = null;
  private generatedFrames = 0;
  private statsTimer: NodeJS.Timeout | null = null;
  private readonly startedAtMs: number;
  private readonly rate: FrameRate;
  /** Cue list, timeline, show file, autosave, wall log (engine/show-files/show-session.ts). */
  readonly show: ShowSession;
  private showTimer: NodeJS.Timeout | null = null;
  private safePlate: { path: string; frame: TakenFrame['frame']; taken: boolean } | null = null;
  /** NDI senders, each on its own output clock (outputs/ndi-outputs.ts). */
  readonly ndi: NdiOutputs;
  /** The live model's folder (preflight's intended provider, the standby preview's model). */
  private liveFolder: ModelFolder | null = null;
  /** The last show-ready preflight (preflight/preflight.ts); absent until one ran. */
  private preflightReport: PreflightReport | undefined;
  /** Second small generator rendering the standby cue (preview/standby-preview.ts); null until started or when it failed. */
  private standbyPreview: StandbyPreview | null = null;
  private standbyStarting: Promise<void> | null = null;
  /** Every cue's look as a small still, made by the standby preview's renderer in its idle time. */
  private readonly thumbnails = new CueThumbnails((message) => this.emit('thumbnail', message));
  /** Display outputs (full-screen pages / Electron windows), each on its own output clock (outputs/display-outputs.ts). */
  readonly displays: DisplayOutputs;

  /** Displays attached to the app's machine (Electron main reports them); null on a headless node. */
  private attachedDisplays: AttachedDisplay[] | null = null;
  /** Config folder the output rig is saved in; null = outputs are not saved or restored. */
  private readonly rigDir: string | null;

  private constructor(private readonly options: EngineOptions) {
    super();
    const configDir = options.configDir === undefined ? defaultConfigDir() : options.configDir;
    this.rigDir = options.savedOutputs === false ? null : configDir;
    this.startedAtMs = engineNowMs();
    this.rate = options.rate ?? RATE_29_97;
    this.show = new ShowSession({
      path: options.showPath ?? null,
      nowMs: this.startedAtMs,
      program: initialProgram(this.startedAtMs, options.initialPrompt, options.initialSeed),
      rate: this.rate,
      configDir,
      // Deferred: the session reports problems found while the engine is still being built.
      onError: (error) => queueMicrotask(() => this.recordError(error)),
      onChange: () => this.publishState(),
    });
    this.ndi = new NdiOutputs({
      settings: options.ndi ?? {},
      defaults: () => ({ width: this.modelStatus.width || 1920, height: this.modelStatus.height || 1080, rate: this.rate }),
      take: () => this.takeFrame(),
      level: () => this.outputLevelNow(),
      onError: (error) => this.recordError(error),
      log: (line) => this.emit('log', line),
    });
    this.displays = new DisplayOutputs({
      rate: () => this.rate,
      take: () => this.takeFrame(),
      level: () => this.outputLevelNow(),
      deliver: (id, message) => this.emit('display', id, message),
      onError: (error) => this.recordError(error),
    });
    // The first look's "time to first frame" is the cold start.
    this.ttffPending = { lookId: this.program.lookId, receivedAtMs: this.startedAtMs };
    // Each frame goes back to the generator that made it (a model switch leaves frames of the old one on air).
    this.frames = new ProgramFrames((frame) => this.frameOwners.get(frame)?.release(frame));
    this.modelStatus = { id: 'none', name: 'No model', status: 'loading', provider: null, fallbacks: [], width: 0, height: 0 };
  }

  /** Starts the engine. It always comes up: a model that fails is reported in the state, not thrown. */
  static async start(options: EngineOptions = {}): Promise<Engine> {
    const engine = new Engine(options);
    await engine.loadModel();
    // Next turn of the loop, so callers of start() have their log/event listeners on
    // for the NDI runtime's lines (or its one "not found" message).
    setImmediate(() => {
      for (const spec of options.ndi?.outputs ?? []) {
        const added = engine.ndi.add(spec);
        if (!added.ok) engine.recordError(added.error);
      }
      engine.restoreOutputRig();
    });
    engine.statsTimer = setInterval(() => engine.publishState(), STATS_PERIOD_MS);
    engine.showTimer = setInterval(() => engine.tickShow(), SHOW_TICK_MS);
    return engine;
  }

  /** Applies a validated command. `receivedAtMs` is when it reached the engine (for TTFF). */
  dispatch(command: Command, receivedAtMs = engineNowMs()): CommandResult {
    if (command.type === 'loadModel') return this.beginModelSwitch(command.dir, command.provider);
    if (command.type === 'preflight') return this.beginPreflight();
    const outputResult = dispatchOutputCommand(command, this.outputGroups());
    if (outputResult) {
      if (outputResult.ok) this.saveOutputRig();
      this.publishState();
      return outputResult.ok ? { ok: true } : { ok: false, error: outputResult.error };
    }
    const before = this.program;
    const outcome = this.show.dispatch(command, receivedAtMs);
    this.applyProgram(before, receivedAtMs);
    if (this.program !== before || outcome.changed || command.type === 'getState') this.publishState();
    return outcome.error ? { ok: false, error: outcome.error } : { ok: true };
  }

  /** The show runner: time alone moves the show (automation, timeline); only here and in dispatch is the clock read for it. */
  private tickShow(): void {
    const before = this.program;
    const now = engineNowMs();
    if (this.show.tick(now)) {
      this.applyProgram(before, now);
      this.publishState();
    }
  }

  /** The program on air: the show session owns it (show/show-state.ts); the engine only reads it. */
  private get program(): ProgramState {
    return this.show.program;
  }

  /** Hands a changed program to the generator and the program frames. */
  private applyProgram(before: ProgramState, atMs: number): void {
    if (this.program.lookId !== before.lookId) {
      this.ttffPending = { lookId: this.program.lookId, receivedAtMs: atMs };
      this.frames.flush(this.program.lookId);
      this.pushLook();
    }
    this.frames.setFrozen(this.program.panic.mode === 'freeze');
    if (this.program.panic.mode === 'safe-plate' && before.panic.mode !== 'safe-plate') this.prepareSafePlate();
  }

  /** Decodes the show's safe plate (once per file) at the program size; without one, safe plate shows black. */
  private prepareSafePlate(): void {
    const file = this.show.safePlatePath();
    if (!file) {
      this.safePlate = null;
      return;
    }
    if (this.safePlate?.path !== file) {
      const { width, height } = this.modelStatus;
      const plate = loadSafePlate(file, width, height);
      if (!plate.ok) {
        this.safePlate = null;
        this.recordError(plate.error);
        return;
      }
      const frame = { pixels: plate.value, width, height, lookId: 0, sequence: 0, showTimeMs: 0, inferMs: 0, doneAtMs: engineNowMs(), requestId: null };
      this.safePlate = { path: file, frame, taken: false };
    }
    this.safePlate.taken = false;
  }

  /** The output level now: a safe-plate panic without a plate shows black. */
  private outputLevelNow(): number {
    return this.program.panic.mode === 'safe-plate' && !this.safePlate ? 0 : outputLevel(this.program, engineNowMs());
  }

  /** The app's displays changed (plugged, unplugged, moved): consoles offer them for display outputs. */
  setAttachedDisplays(displays: AttachedDisplay[]): void {
    this.attachedDisplays = displays;
    this.publishState();
  }

  /** Reopens the outputs saved in the config folder (outputs/output-rig.ts), then saves what is open now. */
  private restoreOutputRig(): void {
    if (!this.rigDir) return;
    const reopened = reopenSavedOutputs(this.rigDir, this.outputGroups(), { onError: (error) => this.recordError(error) });
    if (reopened === 0) return;
    this.emit('log', `outputs: reopened ${reopened} saved output(s) from ${this.rigDir}`);
    this.saveOutputRig();
    this.publishState();
  }

  private saveOutputRig(): void {
    const error = this.rigDir ? saveOutputs(this.rigDir, this.outputGroups()) : null;
    if (error) this.recordError(error);
  }

  private outputGroups(): OutputGroups {
    return { ndi: this.ndi, displays: this.displays };
  }

  /** What the outputs send this tick: the safe plate in a safe-plate panic, else the program frame. */
  private takeFrame(): TakenFrame | null {
    if (this.program.panic.mode === 'safe-plate' && this.safePlate) {
      const fresh = !this.safePlate.taken;
      this.safePlate.taken = true;
      return { frame: this.safePlate.frame, fresh };
    }
    return this.frames.take();
  }

  state(): EngineState {
    const now = engineNowMs();
    while (this.frameTimes.length > 0 && (this.frameTimes[0] as number) < now - 1000) this.frameTimes.shift();
    return {
      contractVersion: CONTRACT_VERSION,
      engineVersion: ENGINE_VERSION,
      model: this.modelStatus,
      program: {
        prompt: this.program.to.prompt,
        seed: this.program.to.seed,
        lookId: this.program.lookId,
        panic: this.program.panic.mode,
      },
      stats: {
        modelFps: this.frameTimes.length,
        generatedFrames: this.generatedFrames,
        lastTtffMs: this.lastTtffMs,
        droppedFrames: this.frames.dropped,
        staleFrames: this.frames.stale,
        memory: memoryNow(),
      },
      outputs: [...(this.clock?.statuses() ?? []), ...this.ndi.statuses(), ...this.displays.statuses()],
      recentErrors: [...this.recentErrors],
      show: this.show.status(now),
      ...(this.preflightReport ? { preflight: this.preflightReport } : {}),
      ...(this.attachedDisplays ? { displays: this.attachedDisplays } : {}),
    };
  }

  /** Adds an output (NDI, display, files). The console preview is always there. */
  addSink(sink: FrameSink): void {
    this.clock?.addSink(sink);
  }

  async stop(): Promise<void> {
    if (this.statsTimer) clearInterval(this.statsTimer);
    if (this.showTimer) clearInterval(this.showTimer);
    await this.standbyStarting;
    await this.standbyPreview?.stop();
    this.standbyPreview = null;
    await this.show.flush();
    this.ndi.stop();
    this.displays.stop();
    this.clock?.stop();
    this.frames.clear();
    await this.generator?.stop();
    this.generator = null;
  }

  private async loadModel(): Promise<void> {
    const requestedDir = this.options.modelDir;
    let started = requestedDir ? await this.startGenerator(requestedDir) : null;
    if (started && !started.ok) {
      // The operator's model failed: say why, and keep the wall alive on the built-in one.
      this.recordError({ ...started.error, message: `${started.error.message} Running the built-in model instead.` });
    }
    if (!started?.ok) started = await this.startGenerator(builtinModelDir());
    if (!started.ok) {
      this.recordError(started.error);
      this.modelStatus = { ...this.modelStatus, status: 'failed' };
      return;
    }
    const { generator } = started.value;
    this.attachGenerator(started.value);

    const clock = new OutputClock({
      rate: this.rate,
      take: () => this.takeFrame(),
      // A safe-plate panic without a plate shows black.
      level: () => this.outputLevelNow(),
      onSinkError: (sink, error) => this.recordError(sinkFailure(sink, error)),
      selectable: false,
    });
    clock.addSink(new PreviewSink(generator.width, generator.height, (message) => this.emit('preview', message)));
    this.clock = clock;
    clock.start();
  }

  /** Makes a started generator the live one: status, events, the current look, streaming. */
  private attachGenerator({ folder, generator }: { folder: ModelFolder; generator: Generator }, provider = this.options.provider): void {
    const { manifest } = folder;
    this.generator = generator;
    this.liveFolder = folder;
    this.startStandbyPreview(folder, generator.ready.provider);
    this.modelStatus = {
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
      this.recordError(engineError('provider-fallback', `${manifest.name} runs on the CPU. Passed over: ${passed}.`));
    }
    generator.on('frame', (frame) => {
      this.frameOwners.set(frame, generator);
      this.onFrame(frame);
    });
    generator.on('runFailed', (error) => this.recordError(error));
    this.pushLook();
    generator.stream(true);
  }

  /**
   * loadModel: starts the new model beside the running one and swaps when it is
   * ready, at the engine's output size, so outputs never stop or change size. The
   * reply says the switch began; success or failure arrives in the state and errors.
   */
  private beginModelSwitch(dir: string, provider?: ExecutionProviderName): CommandResult {
    if (this.switching) return { ok: false, error: engineError('model-load-failed', `A model is already being loaded (${this.modelStatus.switchingTo}); wait for it to finish.`) };
    this.switching = true;
    this.modelStatus = { ...this.modelStatus, switchingTo: dir };
    this.publishState();
    const size = { width: this.modelStatus.width, height: this.modelStatus.height };
    void this.startGenerator(dir, size, provider).then(async (started) => {
      this.switching = false;
      const { switchingTo: _done, ...current } = this.modelStatus;
      this.modelStatus = current;
      if (!started.ok) {
        this.recordError({ ...started.error, message: `${started.error.message} Still running ${current.name}.` });
        return;
      }
      const old = this.generator;
      old?.removeAllListeners();
      this.attachGenerator(started.value, provider);
      this.publishState();
      await old?.stop();
    });
    return { ok: true };
  }

  /** Loads a model folder and starts its worker; a Result, so the caller decides what a failure means. */
  private async startGenerator(
    dir: string,
    size?: { width: number; height: number },
    provider = this.options.provider,
  ): Promise<Result<{ folder: ModelFolder; generator: Generator }>> {
    const folder = loadModelFolder(dir);
    if (!folder.ok) return folder;
    const { manifest } = folder.value;
    const generator = await Generator.start({
      model: folder.value,
      width: size?.width ?? this.options.width ?? manifest.nativeSize.width,
      height: size?.height ?? this.options.height ?? manifest.nativeSize.height,
      showEpochMs: this.startedAtMs,
      maxFps: this.options.generatorMaxFps ?? this.rate.num / this.rate.den,
      ...(this.options.faultInjection ? { faultInjection: this.options.faultInjection } : {}),
      ...(provider ? { onlyProvider: provider } : {}),
    });
    return generator.ok ? ok({ folder: folder.value, generator: generator.value }) : generator;
  }

  private pushLook(): void {
    this.generator?.setLook({
      lookId: this.program.lookId,
      from: this.program.from,
      to: this.program.to,
      transition: this.program.transition,
      startedAtMs: this.program.startedAtMs,
      // A paused timeline holds its blend (absent = the transition runs with the clock).
      ...(this.program.holdMix !== undefined && this.program.holdMix !== null ? { holdMix: this.program.holdMix } : {}),
    });
  }

  private onFrame(frame: GeneratedFrame): void {
    this.frameTimes.push(frame.doneAtMs);
    this.generatedFrames++;
    if (this.ttffPending && frame.lookId >= this.ttffPending.lookId && this.program.panic.mode !== 'freeze') {
      // Output-ready: the frame is in the program hand-over the next tick takes from.
      this.lastTtffMs = engineNowMs() - this.ttffPending.receivedAtMs;
      this.emit('event', { kind: 'lookOnAir', lookId: frame.lookId, ttffMs: this.lastTtffMs });
      this.ttffPending = null;
    }
    this.frames.offer(frame);
  }

  private recordError(error: EngineError): void {
    this.recentErrors.push({ ...error, atMs: Date.now() });
    if (this.recentErrors.length > RECENT_ERRORS) this.recentErrors.shift();
    this.emit('event', { kind: 'error', error });
    this.publishState();
  }

  private publishState(): void {
    const state = this.state();
    this.requestStandbyStill(state);
    this.emit('event', { kind: 'state', state });
  }

  /** The standby cue's still, for a console that connects after it was rendered. */
  standbyStill(): Uint8Array | null {
    return this.standbyPreview?.current() ?? null;
  }

  /** Every cue's current thumbnail, for a console that connects later. */
  cueThumbnails(): Uint8Array[] {
    return this.thumbnails.messages();
  }

  /** (Re)starts the standby preview generator on the live model's folder; failures are reported, the wall is unaffected. */
  private startStandbyPreview(folder: ModelFolder, provider: ExecutionProviderName): void {
    const previous = this.standbyPreview;
    this.standbyPreview = null;
    const starting = (async () => {
      await this.standbyStarting;
      await previous?.stop();
      const started = await StandbyPreview.start({ model: folder, showEpochMs: this.startedAtMs, provider });
      if (!started.ok) {
        this.recordError({ ...started.error, message: `Standby preview unavailable: ${started.error.message} The wall is unaffected.` });
        return;
      }
      if (this.liveFolder !== folder) {
        await started.value.stop();
        return;
      }
      this.standbyPreview = started.value;
      started.value.on('still', (still) => this.emit('standby', still));
      started.value.on('error', (error) => this.recordError({ ...error, message: `Standby preview: ${error.message}` }));
      this.requestStandbyStill(this.state());
    })();
    this.standbyStarting = starting;
  }

  /**
   * Asks for a still of the standby cue when it (or its look) changed since the last
   * request; then lets the cue thumbnails follow the cue list (queued behind it).
   */
  private requestStandbyStill(state: EngineState): void {
    if (!this.standbyPreview) return;
    const show = state.show;
    const cue = show?.standbyCueId ? show.document.cues.find((c) => c.id === show.standbyCueId) : undefined;
    this.standbyPreview.request({
      key: cue ? `${cue.id}\u0000${JSON.stringify(cue.look)}` : 'none',
      look: cue ? lookTarget(cue.look) : null,
      showTimeMs: engineNowMs() - this.startedAtMs,
    });
    this.thumbnails.update(this.standbyPreview, show?.document.cues ?? []);
  }

  /** preflight: starts the checks; the report (running, then finished) arrives in the state. One run at a time. */
  private beginPreflight(): CommandResult {
    if (this.preflightReport?.running) return { ok: true };
    this.preflightReport = { running: true, startedAtMs: Date.now(), finishedAtMs: null, checks: this.preflightReport?.checks ?? [] };
    this.publishState();
    void runPreflight({
      probeNdi: () => this.ndi.probeRuntime(),
      state: () => this.state(),
      intendedProvider: () => this.intendedProvider(),
      measureTtff: (timeoutMs) => this.measureTtff(timeoutMs),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    })
      .then((checks) => {
        this.preflightReport = { running: false, startedAtMs: this.preflightReport?.startedAtMs ?? Date.now(), finishedAtMs: Date.now(), checks };
      })
      .catch((error: Error) => {
        this.preflightReport = { running: false, startedAtMs: this.preflightReport?.startedAtMs ?? Date.now(), finishedAtMs: Date.now(), checks: [] };
        this.recordError(engineError('internal', `Preflight failed to run: ${error.message}`));
      })
      .finally(() => this.publishState());
    return { ok: true };
  }

  /** The provider the live model should run on here: the first usable one of its manifest's list (or the one asked for). */
  private intendedProvider(): ExecutionProviderName | null {
    if (!this.liveFolder) return null;
    // "In this build": bundled providers, and those whose provider library was installed (CUDA/TensorRT download at install).
    const supported = ort.listSupportedBackends().filter((b) => b.bundled || providerLibraryInstalled(b.name));
    const { candidates } = providerCandidates(this.liveFolder.manifest.preferredProviders, supported, this.options.provider, gpuDevicePresent());
    return candidates[0] ?? null;
  }

  /**
   * TTFF now: a no-op look change (the prompt on air again, as a cut) timed from here
   * to its first output-ready frame (the lookOnAir event). Not while a panic holds the
   * wall or the timeline drives it (the change would pause the timeline).
   */
  private measureTtff(timeoutMs: number): Promise<PreflightInputs['ttff']> {
    if (this.program.panic.mode !== 'none') return Promise.resolve({ ok: false, reason: `Not measured: a ${this.program.panic.mode} panic is on.` });
    if (this.show.status(engineNowMs()).driver === 'timeline') return Promise.resolve({ ok: false, reason: 'Not measured: the timeline drives the wall (a look change would pause it).' });
    if (this.modelStatus.status !== 'running') return Promise.resolve({ ok: false, reason: `Not measured: the model is ${this.modelStatus.status}.` });
    return new Promise((resolve) => {
      const outcome = this.dispatch({ type: 'setPrompt', prompt: this.program.to.prompt, transition: { durationMs: 0, curve: 'linear' } });
      if (!outcome.ok) {
        resolve({ ok: false, reason: `Not measured: ${outcome.error.message}` });
        return;
      }
      const lookId = this.program.lookId;
      const onEvent = (event: EngineEvent) => {
        if (event.kind !== 'lookOnAir' || event.lookId < lookId) return;
        clearTimeout(timer);
        this.off('event', onEvent);
        resolve({ ok: true, ms: event.ttffMs });
      };
      const timer = setTimeout(() => {
        this.off('event', onEvent);
        resolve({ ok: false, reason: `No frame of the new look within ${timeoutMs} ms: the model is stalled or far too slow.` });
      }, timeoutMs);
      this.on('event', onEvent);
    });
  }
}

/** Memory for the health strip: the engine process and the machine. GPU memory: no bundled provider reports it (null, shown as n/a). */
function memoryNow(): NonNullable<EngineState['stats']['memory']> {
  const usage = process.memoryUsage();
  const total = totalmem();
  return { rssBytes: usage.rss, heapUsedBytes: usage.heapUsed, systemUsedBytes: total - freemem(), systemTotalBytes: total, gpuBytes: null };
}
