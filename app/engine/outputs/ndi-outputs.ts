/**
 * The engine's NDI(R) outputs: any number of named senders, each on ITS OWN output
 * clock at its own rate (an OutputClock with one NdiFrameSink), all taking from the
 * same ProgramFrames: each tick sends the newest program frame or the last one
 * again, whatever the model's pace. The console preview keeps the engine's clock.
 * One clock per output (rather than one clock feeding all sinks) because outputs
 * differ in rate (23.976 for a film camera's wall, 50 for a PAL studio, 59.94 for
 * US broadcast) and a slow or failing output must not shift another's ticks.
 *
 * libndi is loaded lazily, on the first output: an engine without NDI outputs never
 * touches it, and one without a runtime starts fine. When no runtime is found, the
 * outputs stay listed as 'failed' with the one message saying what to install or
 * set (recorded once); every other output keeps running.
 */
import { rmSync } from 'node:fs';
import { engineError, type EngineError } from '../../contract/errors.js';
import type { FrameRate, NdiOutputSpec } from '../../contract/ndi.js';
import type { OutputStatus } from '../../contract/state.js';
import type { OutputFeed } from '../frames/program-feed.js';
import { applyNdiDiscovery, type NdiDiscoverySettings } from '../ndi/discovery.js';
import { uyvyConverter } from '../ndi/pixels.js';
import { loadNdiRuntime, type NdiRuntime } from '../ndi/runtime.js';
import { systemClock, type EngineClock } from '../clock.js';
import { fail, ok, type Result } from '../result.js';
import { NdiFrameSink, type NdiOutputConfig } from './ndi-frame-sink.js';
import { NdiWorkerSink } from './ndi-worker-sink.js';
import { OutputClock } from './output-clock.js';
import type { RigEntry } from './rig-entry.js';
import type { OutputLoad } from './output-budget.js';

export type { NdiOutputSpec };

export interface NdiSettings extends NdiDiscoverySettings {
  /** Only this runtime folder is tried (CLI --ndi-runtime); see ndi/runtime.ts. */
  runtimeDir?: string;
  /** Outputs to open at start (CLI --ndi NAME, repeatable). */
  outputs?: NdiOutputSpec[];
}

export interface NdiOutputsOptions {
  settings: NdiSettings;
  defaults: () => { width: number; height: number; rate: FrameRate };
  /** What every NDI output sends, and where their failures go (frames/program-feed.ts). */
  feed: OutputFeed;
  /** Where the output clocks read the time, and the senders their start timecode (clock.ts). */
  clock?: EngineClock;
  log: (line: string) => void;
  /** The machine's output budget (outputs/output-budget.ts): null admits the output, an error refuses it. Absent = no limit. */
  admit?: (candidate: OutputLoad) => EngineError | null;
}

/**
 * Whether each output converts and sends on a worker thread of its own
 * (CYCLORAMA_NDI_WORKERS=1) or on the engine thread (the default for now).
 * Why not the default yet: measured here at load ~4, one 1080p59.94 output reached the
 * receiver at 47-48 fps through its worker against 51+ on the engine thread
 * (tests/integration/ndi-loopback.test.ts, same run), and 2160p was slower too; the
 * worker isolates a heavy output from the others (ndi-output-workers.test.ts) but costs
 * the light one's cadence until the cause is found.
 */
export function ndiWorkersOn(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CYCLORAMA_NDI_WORKERS === '1';
}

interface Entry {
  config: NdiOutputConfig;
  clock: OutputClock | null;
  sink: NdiFrameSink | NdiWorkerSink | null;
  /** Why it is not sending (no runtime, sender refused). */
  message: string | null;
  /** Selected (carries the program) or blanked; kept across a sender re-creation. */
  live: boolean;
}

export class NdiOutputs {
  private readonly entries = new Map<string, Entry>();
  private runtime: Result<NdiRuntime> | null = null;
  private nextId = 1;
  private stopped = false;
  /** The per-process NDI config folder we made (removed at stop), if any. */
  private madeConfigDir: string | null = null;

  private readonly clock: EngineClock;

  constructor(private readonly options: NdiOutputsOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** The loaded runtime, loading it on first use. */
  private ensureRuntime(): Result<NdiRuntime> {
    if (this.runtime) return this.runtime;
    const configDir = applyNdiDiscovery(this.options.settings);
    if (configDir && !this.options.settings.configDir) this.madeConfigDir = configDir;
    if (configDir)
      this.options.log(
        `NDI discovery: ${configDir}/ndi-config.v1.json (extra IPs ${this.options.settings.extraIps ?? 'none'}, discovery servers ${this.options.settings.discoveryServers ?? 'none'})`,
      );
    this.runtime = loadNdiRuntime(this.options.settings.runtimeDir ? { runtimeDir: this.options.settings.runtimeDir } : {});
    if (this.runtime.ok) {
      const { path, source, version } = this.runtime.value;
      this.options.log(`NDI runtime: ${version} (${source}: ${path})`);
      if (source === 'bundled') this.options.log('NDI runtime: using the bundled NDI SDK 5.5.2 (2022); install a current NDI Runtime to use it instead');
      this.options.log(uyvyConverter().note);
      this.options.log(
        ndiWorkersOn()
          ? 'NDI outputs: each converts and sends on a worker thread of its own (a slow output drops its own ticks)'
          : 'NDI outputs: converting and sending on the engine thread (CYCLORAMA_NDI_WORKERS=1 gives each output a send worker)',
      );
    } else {
      // The one clear message: console (recent errors) and logs.
      this.options.feed.onError(this.runtime.error);
    }
    return this.runtime;
  }

  /** Runtime status for diagnostics: the loaded version, or the message why not. */
  runtimeInfo(): { ok: true; version: string; path: string; source: string } | { ok: false; message: string } | null {
    if (!this.runtime) return null;
    return this.runtime.ok
      ? { ok: true, version: this.runtime.value.version, path: this.runtime.value.path, source: this.runtime.value.source }
      : { ok: false, message: this.runtime.error.message };
  }

  /** Loads the runtime now if no output has yet (preflight) and says what was found. */
  probeRuntime(): { ok: true; version: string; path: string; source: string } | { ok: false; message: string } {
    this.ensureRuntime();
    return this.runtimeInfo() ?? { ok: false, message: 'NDI runtime not loaded.' };
  }

  add(spec: NdiOutputSpec): Result<string> {
    if (this.stopped) return fail(engineError('output-failed', 'The engine is stopping.'));
    const clash = this.nameClash(spec.name, null);
    if (clash) return fail(clash);
    const id = `ndi-${this.nextId}`;
    const config = this.configFor(id, spec);
    const refused = this.options.admit?.(config);
    if (refused) return fail(refused);
    this.nextId++;
    const entry: Entry = { config, clock: null, sink: null, message: null, live: true };
    this.entries.set(id, entry);
    this.open(entry);
    return ok(id);
  }

  /** Changes an output (rename, size, rate, groups). NDI fixes these at sender creation, so the sender is recreated. */
  update(id: string, patch: Partial<NdiOutputSpec>): Result<void> {
    const entry = this.entries.get(id);
    if (!entry) return fail(this.unknown(id));
    if (patch.name !== undefined) {
      const clash = this.nameClash(patch.name, id);
      if (clash) return fail(clash);
    }
    const { config } = entry;
    const next = this.configFor(id, {
      name: patch.name ?? config.name,
      width: patch.width ?? config.width,
      height: patch.height ?? config.height,
      rate: patch.rate ?? config.rate,
      ...((patch.groups ?? config.groups) ? { groups: patch.groups ?? config.groups } : {}),
      ...((patch.filter ?? config.filter) ? { filter: patch.filter ?? config.filter } : {}),
    });
    const refused = this.options.admit?.(next);
    if (refused) return fail(refused); // the output keeps running as it was
    this.closeEntry(entry);
    entry.config = next;
    this.open(entry);
    return ok(undefined);
  }

  /** What each output sends (for the output budget). */
  loads(): OutputLoad[] {
    return [...this.entries.values()].map(({ config }) => ({ id: config.id, name: config.name, width: config.width, height: config.height, rate: config.rate }));
  }

  /** Frames an output handed to libndi so far (converted or sent again), for benches; 0 when it is not sending. */
  framesSent(id: string): number {
    const sink = this.entries.get(id)?.sink;
    return sink ? sink.converted + sink.resent : 0;
  }

  remove(id: string): Result<void> {
    const entry = this.entries.get(id);
    if (!entry) return fail(this.unknown(id));
    this.closeEntry(entry);
    this.entries.delete(id);
    return ok(undefined);
  }

  /** Selects or blanks an output (contract/outputs.ts); false when there is no such output. */
  setLive(id: string, live: boolean): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    entry.live = live;
    entry.clock?.setLive(live);
    return true;
  }

  /** What the output rig saves (outputs/output-rig.ts), in creation order. */
  rigEntries(): RigEntry[] {
    return [...this.entries.values()].map(({ config, live }) => ({
      kind: 'ndi' as const,
      name: config.name,
      width: config.width,
      height: config.height,
      rate: config.rate,
      ...(config.groups ? { groups: config.groups } : {}),
      ...(config.filter ? { filter: config.filter } : {}),
      live,
    }));
  }

  /** Ids and configs, in creation order. */
  list(): NdiOutputConfig[] {
    return [...this.entries.values()].map((e) => e.config);
  }

  statuses(): OutputStatus[] {
    return [...this.entries.values()].map((entry) => {
      const fromClock = entry.clock?.statuses()[0];
      if (fromClock && !entry.message) return fromClock;
      return {
        id: entry.config.id,
        kind: 'ndi',
        name: entry.config.name,
        status: 'failed',
        rate: entry.config.rate,
        fps: 0,
        freshFrames: 0,
        repeatedFrames: 0,
        missedTicks: 0,
        live: entry.live,
        width: entry.config.width,
        height: entry.config.height,
        connections: 0,
        ...(entry.config.groups ? { groups: entry.config.groups } : {}),
        ...(entry.message ? { message: entry.message } : {}),
      };
    });
  }

  stop(): void {
    this.stopped = true;
    for (const entry of this.entries.values()) this.closeEntry(entry);
    if (this.madeConfigDir) rmSync(this.madeConfigDir, { recursive: true, force: true });
    this.madeConfigDir = null;
  }

  private open(entry: Entry): void {
    const runtime = this.ensureRuntime();
    if (!runtime.ok) {
      entry.message = runtime.error.message;
      return;
    }
    let opened: Result<NdiFrameSink | NdiWorkerSink> = ndiWorkersOn()
      ? NdiWorkerSink.open(runtime.value.lib, runtime.value.path, entry.config)
      : NdiFrameSink.open(runtime.value.lib, entry.config, uyvyConverter().converter);
    if (!opened.ok && ndiWorkersOn() && /send thread/.test(opened.error.message)) {
      // A runtime where worker threads cannot run: the output still runs, converting on the engine thread.
      this.options.log(`${opened.error.message} Converting on the engine thread instead.`);
      opened = NdiFrameSink.open(runtime.value.lib, entry.config, uyvyConverter().converter);
    }
    if (!opened.ok) {
      entry.message = opened.error.message;
      this.options.feed.onError(opened.error);
      return;
    }
    const sink = opened.value;
    const clock = new OutputClock({ rate: entry.config.rate, feed: this.options.feed, clock: this.clock });
    clock.addSink(sink);
    clock.setLive(entry.live);
    entry.sink = sink;
    entry.clock = clock;
    entry.message = null;
    clock.start();
    const { width, height, rate } = entry.config;
    this.options.log(`NDI output "${sink.sourceName}" ${width}x${height} at ${rate.num}/${rate.den} fps${entry.config.groups ? ` in ${entry.config.groups}` : ''}`);
  }

  private closeEntry(entry: Entry): void {
    entry.clock?.stop(); // stops ticking and closes the sink (flush, destroy, free)
    entry.clock = null;
    entry.sink = null;
  }

  private configFor(id: string, spec: NdiOutputSpec): NdiOutputConfig {
    const defaults = this.options.defaults();
    return {
      id,
      name: spec.name,
      width: spec.width ?? defaults.width,
      height: spec.height ?? defaults.height,
      rate: spec.rate ?? defaults.rate,
      ...(spec.groups ? { groups: spec.groups } : {}),
      ...(spec.filter ? { filter: spec.filter } : {}),
    };
  }

  private nameClash(name: string, exceptId: string | null): EngineError | null {
    for (const entry of this.entries.values()) {
      if (entry.config.id !== exceptId && entry.config.name === name) {
        return engineError('output-failed', `An NDI output is already called "${name}"; NDI source names must be unique on a machine.`, { output: entry.config.id });
      }
    }
    return null;
  }

  private unknown(id: string): EngineError {
    return engineError('output-failed', `No NDI output with id "${id}".`, { output: id });
  }
}
