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
import { isLevelCommand } from '../contract/levels.js';
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
import { Director } from './cluster/director.js';
import { ShowAssembler } from './cluster/show-transfer.js';
import { isSchedulable, type ClusterNodeSpec } from '../contract/cluster.js';
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
import { StillWriter, type StillDescription } from './stills/still-writer.js';
import { Recorder, type RecordingSource } from './recording/recorder.js';
import { RecordingJournal } from './recording/recording-journal.js';
import { findEncoder } from './recording/ffmpeg-binary.js';
import type { DiskFree, DiskLimits } from './recording/disk-space.js';
import type { RecordingSettings } from '../contract/recording.js';
import { ok } from './result.js';

export const ENGINE_VERSION = '0.1.0';
/** Stats go out at this period even when nothing else changed, ms. */
const STATS_PERIOD_MS = 500;
/** The show runner's tick: auto-continue/follow and timeline segments land within this, ms. */
const SHOW_TICK_MS = 10;
/** Fader commands (contract/levels.ts) publish the state at most this often, ms: a desk's 44 packets/s must not become 44 snapshots. */
const FADER_PUBLISH_MS = 100;
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
  /** Direct these nodes (a cluster file, cluster/cluster-file.ts): this engine is the director (cluster/director.ts). Absent: it directs none until a console adds a node. */
  cluster?: ClusterNodeSpec[];
  /**
   * Recording (recording/recorder.ts): `ffmpegPath` tries only that FFmpeg (default: the shipped one, else PATH);
   * `diskFree`/`limits` replace the statfs reading and the space kept free (tests: a disk that fills up);
   * `queueFrames` the frames the encoder queue holds (benchmarks). The journal of a recording in progress lives in the config folder.
   */
  recording?: { ffmpegPath?: string; diskFree?: DiskFree; limits?: DiskLimits; queueFrames?: number };
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
  /** Cluster: the nodes this engine directs; null until it directs one (cluster/director.ts). */
  private director: Director | null = null;
  /** Cluster node side: the director's show arriving in parts (cluster/show-transfer.ts). */
  private readonly showAssembler = new ShowAssembler();
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
  /** A state snapshot due after fader commands (publishSoon); null when none is pending. */
  private faderPublish: NodeJS.Timeout | null = null;
  private showTimer: NodeJS.Timeout | null = null;
  /** last-session.json keeper (show-files/last-session.ts); null when off. */
  private lastSession: LastSessionKeeper | null = null;
  /** What the machine can carry in outputs (outputs/output-budget.ts): every output added or changed passes it. */
  private readonly outputBudget: OutputBudget;
  /** Installed models, the catalog, downloads (models/library.ts). */
  private readonly library: ModelLibrary;
  /** Timecode chase: the MTC/LTC reader the show's timeline follows (timecode/timecode-chase.ts). */
  private readonly timecode: TimecodeChase;
  /** saveStill: full-resolution PNGs of the program, encoded off the engine thread (stills/still-writer.ts). */
  private readonly stills: StillWriter;
  /** Sinks on the preview clock that copy the program for stills and the viewer stream: not outputs, not in state.outputs. */
  private readonly tapIds = new Set<string>();
  /** Recording to video files (recording/recorder.ts). */
  private readonly recorder: Recorder;
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
      ndiSourceNames: () => this.ndiSources.status().names,
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
      // The model's pace: the fastest of the engine's rate and the --ndi outputs' rates given at start
      // (`serve --ndi-rate 59.94` used to cap it at the engine's 29.97). Set once, in the inference worker's init.
      maxFps: options.generatorMaxFps ?? Math.max(this.rate.num / this.rate.den, ...(options.ndi?.outputs ?? []).map((o) => (o.rate ? o.rate.num / o.rate.den : 0))),
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
    const recording = options.recording ?? {};
    this.recorder = new Recorder({
      feed: this.feed,
      clock,
      encoder: findEncoder(recording.ffmpegPath),
      resolveSource: (source) => this.recordingSource(source),
      names: () => ({ show: this.show.show.name, cueNumber: this.show.currentCue()?.number ?? null }),
      timecodeNow: () => this.show.timecodeNow(clock.nowMs()),
      journal: new RecordingJournal(configDir),
      ...(recording.diskFree ? { diskFree: recording.diskFree } : {}),
      ...(recording.limits ? { limits: recording.limits } : {}),
      ...(recording.queueFrames ? { queueFrames: recording.queueFrames } : {}),
      onChange: () => this.publishState(),
      // Deferred: the recorder may report while the engine is still being built.
      onError: (error) => queueMicrotask(() => this.recordError(error)),
      log: (line) => queueMicrotask(() => this.emit('log', line)),
    });
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
    this.stills = new StillWriter(() => this.stillDescription());
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
      cluster: {
        addNode: ({ name, url, token, role }) => this.directorOf([]).add({ name, url, role, ...(token ? { token } : {}) }),
        removeNode: (name) =>
          this.director
            ? this.director.remove(name)
            : { ok: false, error: engineError('not-found', `This engine directs no cluster, so there is no node ${name} to remove.`, { field: 'name' }) },
        showPart: (command) => this.receiveShowPart(command),
      },
      saveStill: (folder) => this.stills.save(folder),
      recording: {
        start: (settings) => this.startRecording(settings),
        stop: async () => {
          const stopped = await this.recorder.stop();
          this.publishState();
          return stopped.ok ? { ok: true } : { ok: false, error: stopped.error };
        },
      },
    });
    if (options.cluster) this.directorOf(options.cluster);
  }

  private async startRecording(choice: Partial<RecordingSettings>): Promise<CommandResult> {
    const started = await this.recorder.startWith(choice);
    this.publishState();
    return started.ok ? { ok: true } : { ok: false, error: started.error };
  }

  /**
   * What a recording is taken from: 'program' at the engine's rate and the model's size, or an output
   * (NDI or display) at its rate and size, after its crop, black while it is blanked.
   */
  private recordingSource(source: string): Result<RecordingSource> {
    const width = this.model.status.width;
    const height = this.model.status.height;
    if (!width || !height) return { ok: false, error: engineError('recording', 'Nothing to record yet: the model has not made a frame.') };
    if (source === 'program') return ok({ id: 'program', name: 'Program', width, height, rate: this.rate, live: () => true });
    const output = [...this.ndi.statuses(), ...this.displays.statuses()].find((o) => o.id === source);
    if (!output) {
      const ids = ['program', ...this.ndi.statuses().map((o) => o.id), ...this.displays.statuses().map((o) => o.id)];
      return { ok: false, error: engineError('recording', `No output "${source}" to record; record one of: ${ids.join(', ')}.`) };
    }
    const isLive = () => [...this.ndi.statuses(), ...this.displays.statuses()].find((o) => o.id === source)?.live !== false;
    const crop = output.crop ? { x: output.crop.x * width, y: output.crop.y * height, width: output.crop.width * width, height: output.crop.height * height } : undefined;
    return ok({
      id: output.id,
      name: output.name,
      width,
      height,
      rate: output.rate,
      ...(crop ? { crop } : {}),
      ...(output.width ? { outWidth: output.width } : {}),
      ...(output.height ? { outHeight: output.height } : {}),
      live: isLive,
    });
  }

  /** The director, made on first use (a cluster file at start, or the first node a console adds). */
  private directorOf(nodes: ClusterNodeSpec[]): Director {
    this.director ??= new Director(nodes, {
      clock: this.clock,
      framePeriodMs: (1000 * this.rate.den) / this.rate.num,
      show: () => this.show.show,
      state: () => this.state(),
      applyLocal: (scheduled) => this.scheduler.schedule(scheduled),
      onChange: () => this.publishState(),
      log: (line) => this.emit('log', line),
    });
    return this.director;
  }

  /** Node side of the show push: the director's document is adopted when its last part arrives. */
  private receiveShowPart(command: Extract<Command, { type: 'clusterShowPart' }>): CommandResult {
    const step = this.showAssembler.receive(command);
    if (!step.done) return { ok: true };
    if ('error' in step) return { ok: false, error: step.error };
    const before = this.program;
    const now = this.clock.nowMs();
    const changed = this.show.adoptShow(step.show, now);
    this.applyProgram(before, now);
    if (changed || this.program !== before) this.publishState();
    return { ok: true };
  }

  /**
   * A scheduled action at its pre-roll (cluster/command-scheduler.ts): dispatched like
   * any command, with its tick's engine instant as the command's time, while
   * `applyingScheduled` tells applyProgram to hold the outputs on the old program until
   * that tick. Its reply reaches nobody, so a refusal is logged.
   */
  private applyScheduled(command: Command, at: ScheduledTick): void {
    this.applyingScheduled = at;
    let reply: CommandResult | Promise<CommandResult>;
    try {
      // route, not dispatch: on a director, dispatch would fan the held action out again.
      reply = this.route(command, Math.max(at.atEngineMs, this.clock.nowMs()));
    } finally {
      // Show commands apply synchronously inside dispatch; nothing after it is held.
      this.applyingScheduled = null;
    }
    // Its reply reaches nobody, so a refusal is logged.
    void Promise.resolve(reply).then((result) => {
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
    this.addTap(this.stills.sink);
    clock.start();
  }

  /**
   * Applies a validated command through its route (command-routes.ts) and resolves
   * with the reply: at once for most, when the new model is live or failed for
   * loadModel. `receivedAtMs` is when it reached the engine (for TTFF).
   */
  async dispatch(command: Command, receivedAtMs = this.clock.nowMs()): Promise<CommandResult> {
    // A director turns an operator action into one scheduled action for the whole cluster, itself included.
    if (this.director && command.type !== 'scheduled' && isSchedulable(command.type)) return this.director.fanOut(command as Extract<Command, { type: 'scheduled' }>['command']);
    return this.route(command, receivedAtMs);
  }

  /** Applies a command through its route, here only. */
  private route(command: Command, receivedAtMs: number): CommandResult | Promise<CommandResult> {
    if (ttffTrace.on) this.dispatchedAtMs = { receivedAtMs, atMs: this.clock.nowMs() };
    return routeCommand(this.routes, command, receivedAtMs);
  }

  /** A show command: applied by the show session, then the changed program handed to the parts that follow it. */
  private applyShowCommand(command: Command, receivedAtMs: number): CommandResult {
    const before = this.program;
    const outcome = this.show.dispatch(command, receivedAtMs);
    this.applyProgram(before, receivedAtMs);
    const changed = this.program !== before || outcome.changed;
    // A fader moving sends many commands a second: consoles get its state at most every FADER_PUBLISH_MS (a take, a new look: at once).
    if (changed && isLevelCommand(command.type) && this.program.lookId === before.lookId) this.publishSoon();
    else if (changed) this.publishState();
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

  /** "Record while this cue is on": the current cue starts or stops a recording (recording/recorder.ts). */
  private followRecordingCue(): void {
    this.recorder.followCue(this.show.currentCue());
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
    // A fader moved the look on air in place (strength, the crossfade's mix): the same look id, so no frame is thrown away.
    else if (program.to !== before.to || program.from !== before.from || program.holdMix !== before.holdMix) this.model.updateLook();
    this.followRecordingCue();
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
      outputs: [...(this.previewClock?.statuses() ?? []).filter((o) => !this.tapIds.has(o.id)), ...this.ndi.statuses(), ...this.displays.statuses()],
      recentErrors: this.errors.list(),
      show: this.show.status(now),
      ...(preflight ? { preflight } : {}),
      ...(this.attachedDisplays ? { displays: this.attachedDisplays } : {}),
      inputs: this.inputs.rows(),
      ndiSources: this.ndiSources.status(),
      models: this.library.status(),
      timecode: this.timecode.status(now, this.clock.wallMs()),
      levels: this.show.levels(),
      ...(this.director ? { cluster: this.director.status() } : {}),
      recording: this.recorder.status(),
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

  /**
   * A sink that copies program frames from the console preview's clock without being an
   * output (stills, the viewer stream): it is fed every tick, must return at once, and is
   * not listed in state.outputs. `removeTap` takes it off.
   */
  addTap(sink: FrameSink): void {
    this.tapIds.add(sink.id);
    this.previewClock?.addSink(sink);
  }

  removeTap(id: string): void {
    this.tapIds.delete(id);
    this.previewClock?.removeSink(id);
  }

  /** What a still's metadata says now (stills/still-writer.ts): the look, the cue on air, the wall log's timecode. */
  private stillDescription(): StillDescription {
    const status = this.show.status(this.clock.nowMs());
    const cue = status.document.cues.find((c) => c.id === status.onAirCueId);
    return {
      showName: status.document.name,
      prompt: this.program.to.prompt,
      negativePrompt: this.program.to.negativePrompt ?? '',
      seed: this.program.to.seed,
      cue: cue ? `${cue.number}${cue.name ? ` ${cue.name}` : ''}` : '',
      timecode: this.show.timecodeNow(this.clock.nowMs()),
      model: this.model.status.name,
      software: `Cyclorama ${ENGINE_VERSION}`,
      createdAt: new Date(this.clock.wallMs()).toISOString(),
    };
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
    if (this.faderPublish) clearTimeout(this.faderPublish);
    if (this.showTimer) clearInterval(this.showTimer);
    this.timecode.close();
    this.director?.close();
    this.scheduler.close();
    await this.recorder.close();
    await this.library.stop();
    await this.previews.stop();
    await this.stills.close();
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

  /** One state snapshot within FADER_PUBLISH_MS, however many fader commands arrive meanwhile. */
  private publishSoon(): void {
    if (this.faderPublish) return;
    this.faderPublish = setTimeout(() => {
      this.faderPublish = null;
      this.publishState();
    }, FADER_PUBLISH_MS);
    this.faderPublish.unref();
  }

  private publishState(): void {
    this.director?.showMaybeChanged();
    const state = this.state();
    this.previews.update(state);
    this.emit('event', { kind: 'state', state });
  }
}
