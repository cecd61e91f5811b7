/**
 * The engine: the parts of the data path and their connections
 *   show session (program) -> live model (worker) -> program frames -> program feed -> output clocks -> sinks
 * with stats, the cue previews and preflight beside them. Each part is its own
 * module with one job; this file only builds them, connects them and routes
 * commands to them. It knows nothing of transports: consoles and control surfaces
 * reach it through `dispatch` and its events (see control/client-hub.ts). No
 * electron import, ever: the same engine runs headless from the CLI and inside
 * Electron's utility process.
 */
import { EventEmitter } from 'node:events';
import type { Command } from '../contract/commands.js';
import type { CommandResult } from '../contract/connection.js';
import type { AttachedDisplay } from '../contract/display.js';
import { engineError, type EngineError } from '../contract/errors.js';
import { CONTRACT_VERSION, type EngineEvent } from '../contract/messages.js';
import type { FrameRate } from '../contract/ndi.js';
import type { ExecutionProviderName } from '../contract/providers.js';
import type { EngineState } from '../contract/state.js';
import { initialProgram, timedLook, type ProgramState } from '../show/program.js';
import { injectedClockOffsetFromEnv, SyncedClock, systemClock, withInjectedRealtimeOffset, type EngineClock } from './clock.js';
import { commandRoutes, routeCommand, type CommandRoutes } from './command-routes.js';
import { CommandScheduler, type ScheduledTick } from './cluster/command-scheduler.js';
import { firstTickAtOrAfter, periodMs } from './frame-grid.js';
import { EngineStats } from './engine-stats.js';
import { ProgramFeed } from './frames/program-feed.js';
import { ProgramFrames } from './frames/program-frames.js';
import { ttffTrace } from './frames/ttff-trace.js';
import type { GeneratedFrame } from './generate/generator.js';
import { LiveModel } from './live-model.js';
import { InputReports } from './input-reports.js';
import { NdiSourceList } from './ndi/ndi-source-list.js';
import { loadNdiRuntime } from './ndi/runtime.js';
import { DEFAULT_NDI_FIND_MS } from '../contract/input-control.js';
import { readCatalog } from './models/catalog.js';
import { findInCache, hubSettingsFromEnv, listRepoFiles, pullModel } from './models/hub-pull.js';
import { ModelLibrary, type HubPort } from './models/library.js';
import { DisplayOutputs } from './outputs/display-outputs.js';
import type { FrameSink } from './outputs/frame-sink.js';
import { NdiOutputs, type NdiSettings } from './outputs/ndi-outputs.js';
import { OutputClock, RATE_29_97 } from './outputs/output-clock.js';
import type { OutputGroups } from './outputs/output-commands.js';
import { OutputBudget, type OutputBudgetOptions, type OutputLoad } from './outputs/output-budget.js';
import { reopenSavedOutputs, saveOutputs } from './outputs/output-rig.js';
import { PreviewSink } from './outputs/preview-sink.js';
import { intendedProvider } from './preflight/intended-provider.js';
import { PreflightRunner } from './preflight/preflight-runner.js';
import { CuePreviews } from './preview/cue-previews.js';
import { inputSettingsFrom, withInputPath, withInputPaths } from './inputs/input-options.js';
import { RecentErrors } from './recent-errors.js';
import type { Result } from './result.js';
import { openLastSession, type LastSessionKeeper } from './show-files/last-session.js';
import { ShowSession } from './show-files/show-session.js';
import { defaultConfigDir } from './show-files/show-store.js';
import { openSystemMidi, type MidiPorts } from './midi/midi-ports.js';
import { TimecodeChase } from './timecode/timecode-chase.js';
import { ok } from './result.js';

export const ENGINE_VERSION = '0.1.0';
/** Stats go out at this period even when nothing else changed, ms. */
const STATS_PERIOD_MS = 500;
/** The show runner's tick: auto-continue/follow and timeline segments land within this, ms. */
const SHOW_TICK_MS = 10;
/** Frame lock: a scheduled action is applied at most this long before its tick (ms), and the TTFFs its pre-roll is judged from. */
const PREROLL_CAP_MS = 5000;
const RECENT_TTFFS = 8;

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
  /** Where the engine, its parts and the output clocks read the time (clock.ts); the real clock by default, a test clock in tests. */
  clock?: EngineClock;
  /** Keep last-session.json in the config folder and resume from it when started without showPath/modelDir (show-files/last-session.ts). The CLI turns it on; default off. */
  lastSession?: boolean;
  /** What the outputs may send together (outputs/output-budget.ts); default from the machine's cores. */
  outputBudget?: OutputBudgetOptions;
  /** A second, idle inference loop that makes each new look's first frame at once, not after the old look's frame in flight (generate/cut-lane.ts). Default: CYCLORAMA_CUT_LANE=1 in the environment, else off. */
  cutLane?: boolean;
  /** The model hub the library downloads from; default: the real downloader with HF_ENDPOINT, HF_TOKEN, HF_HUB_CACHE, ... from the environment (models/hub-pull.ts). */
  hub?: HubPort;
  /** MIDI ports for MTC chase; default: the system's (RtMidi), opened when first needed. Tests pass a stand-in. */
  midiPorts?: MidiPorts;
  /**
   * TEST INJECTION: ms added to this node's realtime clock, a node whose PTP/NTP failed on
   * purpose (cluster tests). Default: CYCLORAMA_TEST_CLOCK_OFFSET_MS from the environment.
   * Logged loudly and shown in state.frameLock.injectedOffsetMs.
   */
  testClockOffsetMs?: number;
}

interface EngineEvents {
  event: [EngineEvent];
  /** Binary preview frame for consoles (see contract/frame-wire.ts). */
  preview: [Uint8Array];
  /** Binary standby still for consoles' Preview monitor ('standby' stream, preview/standby-preview.ts). */
  standby: [Uint8Array];
  /** A cue thumbnail for consoles' cue list ('CYT1' message, preview/cue-thumbnails.ts). */
  thumbnail: [Uint8Array];
  /** The live input's thumbnail for consoles ('input' stream, input-reports.ts). */
  input: [Uint8Array];
  /** A display output's frame (output id, binary message on the 'output' stream), for the pages subscribed to it. */
  display: [string, Uint8Array];
  /** Operational lines for the process log (NDI runtime chosen, outputs opened); not sent to consoles. */
  log: [string];
}

export class Engine extends EventEmitter<EngineEvents> {
  /** Cue list, timeline, show file, autosave, wall log; the owner of the program on air (show-files/show-session.ts). */
  readonly show: ShowSession;
  /** The model whose frames go to the wall: start, fallback, switch (live-model.ts). */
  private readonly model: LiveModel;
  /** The hand-over from the model's pace to the outputs' clocks (frames/program-frames.ts). */
  private readonly frames: ProgramFrames;
  /** What every output sends: program frame or safe plate, level, failures (frames/program-feed.ts). */
  private readonly feed: ProgramFeed;
  /** The console preview's clock (the engine's rate); null until the model started. */
  private previewClock: OutputClock | null = null;
  /** NDI senders, each on its own output clock (outputs/ndi-outputs.ts). */
  readonly ndi: NdiOutputs;
  /** Display outputs (full-screen pages / Electron windows), each on its own output clock (outputs/display-outputs.ts). */
  readonly displays: DisplayOutputs;
  /** fps, TTFF, frame counters, memory (engine-stats.ts). */
  private readonly stats: EngineStats;
  private readonly errors: RecentErrors;
  /** The standby still and the cue thumbnails (preview/cue-previews.ts). */
  private readonly previews: CuePreviews;
  /** Show-ready checks (preflight/preflight-runner.ts). */
  private readonly preflight: PreflightRunner;
  /** Cluster: a director's actions held for their instant (cluster/command-scheduler.ts). */
  private readonly scheduler: CommandScheduler;
  /** The live inputs' rows, thumbnail and alerts, as the inference loop reports them (input-reports.ts). */
  private readonly inputs: InputReports;
  /** NDI sources found for the console's input picker (ndi/ndi-source-list.ts). */
  private readonly ndiSources: NdiSourceList;
  /** Displays attached to the app's machine (Electron main reports them); null on a headless node. */
  private attachedDisplays: AttachedDisplay[] | null = null;
  /** Config folder the output rig is saved in; null = outputs are not saved or restored. */
  private readonly rigDir: string | null;
  private readonly rate: FrameRate;
  private readonly startedAtMs: number;
  private readonly clock: EngineClock;
  /** Every command type and the part that applies it (command-routes.ts). */
  private readonly routes: CommandRoutes;
  private statsTimer: NodeJS.Timeout | null = null;
  private showTimer: NodeJS.Timeout | null = null;
  /** last-session.json keeper (show-files/last-session.ts); null when off. */
  private lastSession: LastSessionKeeper | null = null;
  /** What the machine can carry in outputs (outputs/output-budget.ts): every output added or changed passes it. */
  private readonly outputBudget: OutputBudget;
  /** Installed models, the catalog, downloads (models/library.ts). */
  private readonly library: ModelLibrary;
  /** Timecode chase: the MTC/LTC reader the show's timeline follows (timecode/timecode-chase.ts). */
  private readonly timecode: TimecodeChase;
  /** Frame lock: the realtime clock the output grid is on (clock.ts), shared with the scheduler and clockProbe. */
  private readonly synced: SyncedClock;
  /** TEST INJECTION in force (ms), if any. */
  private readonly injectedOffsetMs: number | undefined;
  /** The scheduled action being applied now (its tick): the program feed holds the old look until then. */
  private applyingScheduled: ScheduledTick | null = null;
  /** Scheduled new looks whose first frame missed their tick, and by how many frames the last one did. */
  private readonly onAirLate = { count: 0, lastFrames: null as number | null };
  /** The last few TTFFs (ms): a scheduled action's pre-roll. */
  private readonly recentTtffMs: number[] = [];
  /** The TTFF trace only (frames/ttff-trace.ts): when the last command reached dispatch. */
  private dispatchedAtMs: { receivedAtMs: number; atMs: number } | null = null;

  private constructor(options: EngineOptions) {
    super();
    const injected = options.testClockOffsetMs ?? injectedClockOffsetFromEnv();
    this.injectedOffsetMs = typeof injected === 'number' && injected !== 0 ? injected : undefined;
    const baseClock = options.clock ?? systemClock;
    const clock = this.injectedOffsetMs !== undefined ? withInjectedRealtimeOffset(baseClock, this.injectedOffsetMs) : baseClock;
    this.clock = clock;
    this.synced = new SyncedClock({ clock });
    queueMicrotask(() => {
      if (this.injectedOffsetMs !== undefined)
        this.emit(
          'log',
          `TEST INJECTION: this node's realtime clock is offset by ${this.injectedOffsetMs} ms on purpose (CYCLORAMA_TEST_CLOCK_OFFSET_MS). Never on a show machine.`,
        );
      else if (typeof injected === 'object') this.emit('log', injected.error);
    });
    const configDir = options.configDir === undefined ? defaultConfigDir() : options.configDir;
    const onError = (error: EngineError) => this.recordError(error);
    this.rigDir = options.savedOutputs === false ? null : configDir;
    this.outputBudget = new OutputBudget(options.outputBudget);
    const admit = (candidate: OutputLoad) => this.outputBudget.admit(candidate, this.outputLoads());
    this.startedAtMs = clock.nowMs();
    this.rate = options.rate ?? RATE_29_97;
    this.errors = new RecentErrors(clock);
    this.library = new ModelLibrary({
      configDir,
      catalog: readCatalog(),
      hub: options.hub ?? { settings: hubSettingsFromEnv(), pullModel, findInCache, listRepoFiles },
      intendedProvider: (preferred) => intendedProvider(preferred, undefined),
      liveDir: () => this.model.folder?.dir ?? null,
      onChange: () => this.publishState(),
      onError: (error) => queueMicrotask(() => this.recordError(error)),
    });
    let systemMidi: ReturnType<typeof openSystemMidi> | null = null;
    this.timecode = new TimecodeChase({
      configDir,
      clock,
      midi: () => (options.midiPorts ? ok(options.midiPorts) : (systemMidi ??= openSystemMidi(clock))),
      ndi: () => {
        const probe = this.ndi.probeRuntime();
        if (!probe.ok) return probe.message;
        const runtime = loadNdiRuntime(options.ndi?.runtimeDir ? { runtimeDir: options.ndi.runtimeDir } : {});
        if (!runtime.ok) return runtime.error.message;
        return { lib: runtime.value.lib, ...(options.ndi?.extraIps ? { extraIps: options.ndi.extraIps } : {}) };
      },
      onChange: () => this.publishState(),
      onError,
    });
    this.show = new ShowSession({
      path: options.showPath ?? null,
      nowMs: this.startedAtMs,
      program: initialProgram(this.startedAtMs, options.initialPrompt, options.initialSeed),
      rate: this.rate,
      configDir,
      wallNow: () => clock.wallMs(),
      // Deferred: the session reports problems found while the engine is still being built.
      onError: (error) => queueMicrotask(() => this.recordError(error)),
      onChange: () => this.publishState(),
      timecode: () => this.timecode.input(),
      frameTick: () => this.applyingScheduled?.tick ?? firstTickAtOrAfter(this.synced.realtimeMs(), this.rate),
    });
    this.stats = new EngineStats(clock, this.program.lookId, this.startedAtMs);
    this.inputs = new InputReports({
      nowMs: () => clock.nowMs(),
      onError,
      onChange: () => this.publishState(),
      onThumbnail: (message) => this.emit('input', message),
    });
    const ndiSettings = options.ndi ?? {};
    // One set of input options for both inference loops that open inputs: the live model's and the previews'.
    const inputSettings = inputSettingsFrom(ndiSettings);
    this.ndiSources = new NdiSourceList({
      lib: () => {
        // The outputs' loader first: it applies the discovery settings before libndi initializes.
        const probe = this.ndi.probeRuntime();
        if (!probe.ok) return probe.message;
        const runtime = loadNdiRuntime(ndiSettings.runtimeDir ? { runtimeDir: ndiSettings.runtimeDir } : {});
        return runtime.ok ? runtime.value.lib : runtime.error.message;
      },
      ...(ndiSettings.extraIps ? { extraIps: ndiSettings.extraIps } : {}),
      wallMs: () => clock.wallMs(),
    });
    this.model = new LiveModel({
      ...(options.modelDir !== undefined ? { modelDir: options.modelDir } : {}),
      ...(options.width !== undefined ? { width: options.width } : {}),
      ...(options.height !== undefined ? { height: options.height } : {}),
      ...(options.provider !== undefined ? { provider: options.provider } : {}),
      ...(options.faultInjection ? { faultInjection: options.faultInjection } : {}),
      maxFps: options.generatorMaxFps ?? this.rate.num / this.rate.den,
      showEpochMs: this.startedAtMs,
      look: () => withInputPaths(timedLook(this.program), (p) => this.show.resolveShowPath(p)),
      inputs: inputSettings,
      onInputs: ({ rows, thumbnail }) => this.inputs.report(rows, thumbnail),
      onFrame: (frame) => this.onFrame(frame),
      onError,
      onLive: (folder, provider) => this.previews.follow(folder, provider),
      onChange: () => this.publishState(),
      cutLane: options.cutLane ?? process.env.CYCLORAMA_CUT_LANE === '1',
    });
    // Each frame goes back to the generator that made it (a model switch leaves frames of the old one on air).
    this.frames = new ProgramFrames((frame) => this.model.release(frame));
    this.feed = new ProgramFeed({ frames: this.frames, program: () => this.program, clock, onError });
    this.ndi = new NdiOutputs({
      settings: options.ndi ?? {},
      defaults: () => ({ width: this.model.status.width || 1920, height: this.model.status.height || 1080, rate: this.rate }),
      feed: this.feed,
      clock,
      log: (line) => this.emit('log', line),
      admit,
    });
    this.displays = new DisplayOutputs({ rate: () => this.rate, feed: this.feed, clock, deliver: (id, message) => this.emit('display', id, message), admit });
    this.previews = new CuePreviews({
      clock,
      showEpochMs: this.startedAtMs,
      state: () => this.state(),
      inputs: inputSettings,
      resolveInput: (target) => withInputPath(target, (p) => this.show.resolveShowPath(p)),
      onStandby: (still) => this.emit('standby', still),
      onThumbnail: (message) => this.emit('thumbnail', message),
      onError,
    });
    this.scheduler = new CommandScheduler({
      clock: this.synced,
      rate: this.rate,
      prerollMs: () => this.schedulePrerollMs(),
      apply: (command, at) => this.applyScheduled(command, at),
    });
    this.preflight = new PreflightRunner({
      clock,
      probeNdi: () => this.ndi.probeRuntime(),
      state: () => this.state(),
      intendedProvider: () => (this.model.folder ? intendedProvider(this.model.folder.manifest.preferredProviders, options.provider) : null),
      ttff: {
        program: () => this.program,
        state: () => this.state(),
        retake: () => this.applyShowCommand({ type: 'setPrompt', prompt: this.program.to.prompt, transition: { durationMs: 0, curve: 'linear' } }, this.clock.nowMs()),
        subscribe: (listener) => {
          this.on('event', listener);
          return () => this.off('event', listener);
        },
      },
      onChange: () => this.publishState(),
      onError,
    });
    this.routes = commandRoutes({
      show: (command, receivedAtMs) => this.applyShowCommand(command, receivedAtMs),
      openShow: (file) => this.openShow(file),
      publishState: () => this.publishState(),
      switchModel: (dir, provider) => this.model.switchTo(dir, provider),
      preflight: () => this.preflight.begin(),
      outputs: this.outputGroups(),
      outputChanged: (result) => this.outputChanged(result),
      listNdiSources: (timeoutMs) => this.listNdiSources(timeoutMs),
      models: {
        list: async () => {
          await this.library.refresh();
          this.publishState();
          return { ok: true };
        },
        pull: (name) => this.library.startPull(name),
        cancel: (name) => this.library.cancelPull(name),
        importFolder: (dir, name) => {
          const imported = this.library.importFolder(dir, name);
          return imported.ok ? { ok: true } : { ok: false, error: imported.error };
        },
        remove: async (name) => {
          const removed = await this.library.remove(name);
          return removed.ok ? { ok: true } : { ok: false, error: removed.error };
        },
        acceptLicence: (name) => this.library.acceptLicence(name),
      },
      timecodeInputs: (patch) => this.timecode.setInputs(patch),
      schedule: (command) => ({ ok: true, data: { schedule: this.scheduler.schedule(command) } }),
      clockProbe: () => ({ ok: true, data: { clock: this.synced.reading() } }),
    });
  }

  /**
   * A scheduled action at its pre-roll (cluster/command-scheduler.ts): dispatched like
   * any command, with its tick's engine instant as the command's time, while
   * `applyingScheduled` tells applyProgram to hold the outputs on the old program until
   * that tick. Its reply reaches nobody, so a refusal is logged.
   */
  private applyScheduled(command: Command, at: ScheduledTick): void {
    this.applyingScheduled = at;
    let reply: Promise<CommandResult>;
    try {
      reply = this.dispatch(command, Math.max(at.atEngineMs, this.clock.nowMs()));
    } finally {
      // Show commands apply synchronously inside dispatch; nothing after it is held.
      this.applyingScheduled = null;
    }
    void reply.then((result) => {
      if (!result.ok) this.emit('log', `scheduled ${command.type} refused: ${result.error.message}`);
    });
  }

  /**
   * How long before its tick a scheduled action is applied: the longest of the last few
   * TTFFs (two periods before any) x 1.5, plus a period, at most PREROLL_CAP_MS. Longer
   * holds the old look's last frame longer; shorter risks the new look missing its tick.
   */
  private schedulePrerollMs(): number {
    const period = periodMs(this.rate);
    const ttff = this.recentTtffMs.length > 0 ? Math.max(...this.recentTtffMs) : 2 * period;
    return Math.min(PREROLL_CAP_MS, ttff * 1.5 + period);
  }

  /** A short find of NDI sources (state.ndiSources); the reply comes when it is done. */
  private async listNdiSources(timeoutMs: number | undefined): Promise<CommandResult> {
    const find = this.ndiSources.find(timeoutMs ?? DEFAULT_NDI_FIND_MS);
    this.publishState();
    const found = await find;
    this.publishState();
    return found.ok ? { ok: true } : { ok: false, error: engineError('input-failed', `Cannot look for NDI sources: ${found.message}`) };
  }

  /** The look as the inference loop gets it: a still input's path made absolute (relative to the show file's folder). */
  /** Starts the engine. It always comes up: a model that fails is reported in the state, not thrown. */
  static async start(options: EngineOptions = {}): Promise<Engine> {
    // Last session (show-files/last-session.ts): a start after a crash or kill comes back where it was.
    const lastSession = openLastSession(options);
    const engine = new Engine(lastSession.options);
    engine.lastSession = lastSession.attach({
      session: engine.show,
      onState: (listener) => engine.on('event', (event) => event.kind === 'state' && listener(event.state)),
      modelDir: () => engine.model.folder?.dir ?? null,
      onError: (error) => engine.recordError(error),
      log: (line) => engine.emit('log', line),
    });
    await engine.startOutputs();
    // Next turn of the loop, so callers of start() have their log/event listeners on
    // for the NDI runtime's lines (or its one "not found" message).
    setImmediate(() => {
      engine.lastSession?.announce();
      for (const spec of options.ndi?.outputs ?? []) {
        const added = engine.ndi.add(spec);
        if (!added.ok) engine.recordError(added.error);
      }
      engine.restoreOutputRig();
    });
    // What is installed: the hub cache is checked off the start path (a first check hashes files).
    void engine.library.refresh().then(() => engine.publishState());
    engine.statsTimer = setInterval(() => engine.publishState(), STATS_PERIOD_MS);
    engine.showTimer = setInterval(() => engine.tickShow(), SHOW_TICK_MS);
    return engine;
  }

  /** Starts the live model, then the console preview's clock at its size. */
  private async startOutputs(): Promise<void> {
    const generator = await this.model.start();
    if (!generator) return;
    const clock = new OutputClock({ rate: this.rate, feed: this.feed, clock: this.clock, synced: this.synced, selectable: false });
    clock.addSink(new PreviewSink(generator.width, generator.height, (message) => this.emit('preview', message)));
    this.previewClock = clock;
    clock.start();
  }

  /**
   * Applies a validated command through its route (command-routes.ts) and resolves
   * with the reply: at once for most, when the new model is live or failed for
   * loadModel. `receivedAtMs` is when it reached the engine (for TTFF).
   */
  async dispatch(command: Command, receivedAtMs = this.clock.nowMs()): Promise<CommandResult> {
    if (ttffTrace.on) this.dispatchedAtMs = { receivedAtMs, atMs: this.clock.nowMs() };
    return routeCommand(this.routes, command, receivedAtMs);
  }

  /** A show command: applied by the show session, then the changed program handed to the parts that follow it. */
  private applyShowCommand(command: Command, receivedAtMs: number): CommandResult {
    const before = this.program;
    const outcome = this.show.dispatch(command, receivedAtMs);
    this.applyProgram(before, receivedAtMs);
    if (this.program !== before || outcome.changed) this.publishState();
    return outcome.error ? { ok: false, error: outcome.error } : { ok: true };
  }

  /** openShow: read and parsed off the engine thread, so a large or hostile file never stalls the outputs (show-files/show-parse.ts). */
  private async openShow(file: string): Promise<CommandResult> {
    const before = this.program;
    const outcome = await this.show.openShowAsync(file, () => this.clock.nowMs());
    this.applyProgram(before, this.clock.nowMs());
    if (this.program !== before || outcome.changed) this.publishState();
    return outcome.error ? { ok: false, error: outcome.error } : { ok: true };
  }

  /** An output command's result: the rig saved when it changed, the state published. */
  private outputChanged(result: Result<unknown>): CommandResult {
    if (result.ok) this.saveOutputRig();
    this.publishState();
    return result.ok ? { ok: true } : { ok: false, error: result.error };
  }

  /** The show runner: time alone moves the show (automation, timeline); only here and in dispatch is the clock read for it (the show timer only asks). */
  private tickShow(): void {
    const before = this.program;
    const now = this.clock.nowMs();
    this.timecode.follow(this.show.show.settings.timecode);
    const chaseChanged = this.timecode.tick(now);
    if (this.show.tick(now) || chaseChanged) {
      this.applyProgram(before, now);
      this.publishState();
    }
  }

  /** The program on air: the show session owns it (show/show-state.ts); the engine only reads it. */
  private get program(): ProgramState {
    return this.show.program;
  }

  /** Hands a changed program to the stats (TTFF), the program feed and the live model. */
  private applyProgram(before: ProgramState, atMs: number): void {
    const program = this.program;
    const newLook = program.lookId !== before.lookId;
    const scheduled = this.applyingScheduled;
    // TTFF counts from when the generator was asked (now), also for a look scheduled for a later tick.
    if (newLook) this.stats.lookChanged(program.lookId, scheduled ? this.clock.nowMs() : atMs);
    if (newLook && ttffTrace.on) {
      const dispatched = this.dispatchedAtMs?.receivedAtMs === atMs ? this.dispatchedAtMs.atMs : undefined;
      ttffTrace.begin(program.lookId, { received: atMs, ...(dispatched !== undefined ? { dispatched } : {}), applied: this.clock.nowMs() });
    }
    const plate = () => ({ path: this.show.safePlatePath(), width: this.model.status.width, height: this.model.status.height });
    if (scheduled) this.feed.follow(before, plate, { untilMs: scheduled.atRealtimeMs, onAir: (lateMs) => this.scheduledOnAir(lateMs) });
    else this.feed.follow(before, plate);
    if (newLook) this.model.pushLook();
  }

  /** A scheduled new look went on air, `lateMs` after its tick: counted when that is a frame or more. */
  private scheduledOnAir(lateMs: number): void {
    const frames = Math.round(lateMs / periodMs(this.rate));
    if (frames < 1) return;
    this.onAirLate.count++;
    this.onAirLate.lastFrames = frames;
  }

  /** Frame lock on this node (contract/frame-lock.ts). */
  private frameLockStatus(): NonNullable<EngineState['frameLock']> {
    const { correctionMs } = this.synced.correction();
    const counts = this.scheduler.counts();
    return {
      nextTick: firstTickAtOrAfter(this.synced.realtimeMs(), this.rate),
      clockCorrectionMs: correctionMs,
      clockSteps: this.synced.steps,
      ...(this.injectedOffsetMs !== undefined ? { injectedOffsetMs: this.injectedOffsetMs } : {}),
      scheduled: { ...counts, lateOnAir: this.onAirLate.count, lastOnAirLateFrames: this.onAirLate.lastFrames },
    };
  }

  private onFrame(frame: GeneratedFrame): void {
    const ttffMs = this.stats.frameGenerated(frame, this.program.panic.mode === 'freeze');
    if (ttffMs !== null) {
      this.recentTtffMs.push(ttffMs);
      if (this.recentTtffMs.length > RECENT_TTFFS) this.recentTtffMs.shift();
    }
    // Output-ready: the frame is in the program hand-over the next tick takes from.
    if (ttffMs !== null) this.emit('event', { kind: 'lookOnAir', lookId: frame.lookId, ttffMs });
    this.frames.offer(frame);
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

  /** What every NDI and display output sends now (the output budget's input). */
  private outputLoads(): OutputLoad[] {
    return [...this.ndi.loads(), ...this.displays.loads()];
  }

  private outputGroups(): OutputGroups {
    return { ndi: this.ndi, displays: this.displays };
  }

  state(): EngineState {
    const now = this.clock.nowMs();
    const preflight = this.preflight.report;
    return {
      contractVersion: CONTRACT_VERSION,
      engineVersion: ENGINE_VERSION,
      model: this.model.status,
      program: {
        prompt: this.program.to.prompt,
        seed: this.program.to.seed,
        lookId: this.program.lookId,
        panic: this.program.panic.mode,
        input: this.program.to.input ?? null,
        // Engine ms -> wall-clock ms at this instant, for "since 14:02:11" on the console.
        panicSinceMs: this.program.panic.mode === 'none' ? null : this.clock.wallMs() - (now - this.program.panic.sinceMs),
        held: this.program.panic.mode === 'none' ? null : (this.program.panic.held ?? null),
      },
      stats: this.stats.snapshot(this.frames),
      outputs: [...(this.previewClock?.statuses() ?? []), ...this.ndi.statuses(), ...this.displays.statuses()],
      recentErrors: this.errors.list(),
      show: this.show.status(now),
      ...(preflight ? { preflight } : {}),
      ...(this.attachedDisplays ? { displays: this.attachedDisplays } : {}),
      inputs: this.inputs.rows(),
      ndiSources: this.ndiSources.status(),
      models: this.library.status(),
      timecode: this.timecode.status(now, this.clock.wallMs()),
      frameLock: this.frameLockStatus(),
    };
  }

  /** The live input's last thumbnail, for a console that connects later. */
  inputThumbnail(): Uint8Array | null {
    return this.inputs.thumbnail();
  }

  /** Adds an output (NDI, display, files). The console preview is always there. */
  addSink(sink: FrameSink): void {
    this.previewClock?.addSink(sink);
  }

  /** The standby cue's still, for a console that connects after it was rendered. */
  standbyStill(): Uint8Array | null {
    return this.previews.standbyStill();
  }

  /** Every cue's current thumbnail, for a console that connects later. */
  cueThumbnails(): Uint8Array[] {
    return this.previews.cueThumbnails();
  }

  async stop(): Promise<void> {
    if (this.statsTimer) clearInterval(this.statsTimer);
    if (this.showTimer) clearInterval(this.showTimer);
    this.timecode.close();
    this.scheduler.close();
    await this.library.stop();
    await this.previews.stop();
    await this.show.flush();
    await this.lastSession?.close();
    this.ndiSources.close();
    this.ndi.stop();
    this.displays.stop();
    this.previewClock?.stop();
    this.frames.clear();
    await this.model.stop();
  }

  private recordError(error: EngineError): void {
    this.errors.add(error);
    this.emit('event', { kind: 'error', error });
    this.publishState();
  }

  private publishState(): void {
    const state = this.state();
    this.previews.update(state);
    this.emit('event', { kind: 'state', state });
  }
}
