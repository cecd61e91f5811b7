/**
 * The engine's display outputs: each a DisplayFrameSink on ITS OWN output clock at
 * its own rate (as the NDI outputs: a slow page must not shift another output's
 * ticks), all taking from the same ProgramFrames. Pages subscribe per output (the
 * hub counts them); frames go only to those pages.
 */
import { DISPLAY_TRANSPORT_HEIGHT, DISPLAY_TRANSPORT_WIDTH, type DisplayOutputSpec } from '../../contract/display.js';
import type { FrameRate } from '../../contract/ndi.js';
import { engineError, type EngineError } from '../../contract/errors.js';
import type { OutputStatus } from '../../contract/state.js';
import { systemClock, type EngineClock } from '../clock.js';
import type { OutputFeed } from '../frames/program-feed.js';
import { fail, ok, type Result } from '../result.js';
import { DisplayFrameSink } from './display-frame-sink.js';
import { OutputClock } from './output-clock.js';
import type { RigEntry } from './rig-entry.js';
import type { OutputLoad } from './output-budget.js';

export type { DisplayOutputSpec };

export interface DisplayOutputsOptions {
  rate: () => FrameRate;
  /** What every display output sends, and where their failures go (frames/program-feed.ts). */
  feed: OutputFeed;
  /** Where the output clocks and sinks read the time (clock.ts). */
  clock?: EngineClock;
  deliver: (id: string, message: Uint8Array) => void;
  /** The machine's output budget (outputs/output-budget.ts): null admits the output, an error refuses it. Absent = no limit. */
  admit?: (candidate: OutputLoad) => EngineError | null;
}

export class DisplayOutputs {
  private readonly entries = new Map<string, { sink: DisplayFrameSink; clock: OutputClock }>();
  private nextId = 1;

  private readonly clock: EngineClock;

  constructor(private readonly options: DisplayOutputsOptions) {
    this.clock = options.clock ?? systemClock;
  }

  add(spec: DisplayOutputSpec): Result<string> {
    for (const { sink } of this.entries.values()) {
      if (sink.name === spec.name) return fail(engineError('output-failed', `A display output is already called "${spec.name}".`, { output: sink.id }));
    }
    const id = `display-${this.nextId}`;
    const config = {
      id,
      name: spec.name,
      width: spec.width ?? DISPLAY_TRANSPORT_WIDTH,
      height: spec.height ?? DISPLAY_TRANSPORT_HEIGHT,
      rate: spec.rate ?? this.options.rate(),
      ...(spec.crop ? { crop: spec.crop } : {}),
      ...(spec.display ? { display: spec.display } : {}),
    };
    // Display frames are scaled to the transport size on the engine's CPU: they count against the budget as NDI frames do.
    const refused = this.options.admit?.(config);
    if (refused) return fail(refused);
    this.nextId++;
    const sink = new DisplayFrameSink(config, this.options.deliver, () => this.clock.nowMs());
    const clock = new OutputClock({ rate: sink.config.rate, feed: this.options.feed, clock: this.clock });
    clock.addSink(sink);
    clock.start();
    this.entries.set(id, { sink, clock });
    return ok(id);
  }

  remove(id: string): Result<void> {
    const entry = this.entries.get(id);
    if (!entry) return fail(engineError('output-failed', `No display output with id "${id}".`, { output: id }));
    entry.clock.stop();
    this.entries.delete(id);
    return ok(undefined);
  }

  /** A page started (or stopped) showing an output; false when there is no such output. */
  subscribe(id: string, delta: 1 | -1): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    entry.sink.clients = Math.max(0, entry.sink.clients + delta);
    return true;
  }

  /** Selects or blanks an output (contract/outputs.ts); false when there is no such output. */
  setLive(id: string, live: boolean): boolean {
    const entry = this.entries.get(id);
    entry?.clock.setLive(live);
    return entry !== undefined;
  }

  /** What the output rig saves (outputs/output-rig.ts), in creation order. */
  rigEntries(): RigEntry[] {
    return [...this.entries.values()].map(({ sink, clock }) => {
      const { name, width, height, rate, crop, display } = sink.config;
      return { kind: 'display' as const, name, width, height, rate, ...(crop ? { crop } : {}), ...(display ? { display } : {}), live: clock.isLive };
    });
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  sink(id: string): DisplayFrameSink | undefined {
    return this.entries.get(id)?.sink;
  }

  /** What each output sends (for the output budget). */
  loads(): OutputLoad[] {
    return [...this.entries.values()].map(({ sink }) => ({ id: sink.id, name: sink.name, width: sink.config.width, height: sink.config.height, rate: sink.config.rate }));
  }

  statuses(): OutputStatus[] {
    return [...this.entries.values()].map(({ clock }) => clock.statuses()[0]).filter((s): s is OutputStatus => s !== undefined);
  }

  stop(): void {
    for (const { clock } of this.entries.values()) clock.stop();
    this.entries.clear();
  }
}
