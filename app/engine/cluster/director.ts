/**
 * The director: the engine the operator's console is connected to drives the nodes
 * of a cluster (contract/cluster.ts). It links to every node over the existing
 * contract (node-link.ts) and
 *  - pushes its show document to every node on connect and on every change (the
 *    director's show is the truth; in parts, show-transfer.ts);
 *  - turns each operator action into ONE `scheduled` command with one id, sent to
 *    every node and applied by the director itself, for an instant a few frame
 *    periods ahead chosen from the links' latency (clock-offset.ts);
 *  - estimates each node's clock offset from clockProbe round trips and flags one
 *    beyond half a frame;
 *  - rejoins a node that dropped or restarted: the show again, then only what
 *    differs from the director's position (cue on air, standby, panic, timeline),
 *    so nothing is fired twice; actions sent while a node was away are never replayed.
 */
import { randomBytes } from 'node:crypto';
import { isSchedulable, type ClusterAction, type ClusterNodeSpec, type ClusterNodeStatus, type ClusterStatus, type ScheduleReply } from '../../contract/cluster.js';
import type { Command } from '../../contract/commands.js';
import type { CommandResult } from '../../contract/connection.js';
import { engineError } from '../../contract/errors.js';
import type { Show } from '../../contract/show.js';
import type { EngineState } from '../../contract/state.js';
import type { EngineClock } from '../clock.js';
import { beyondHalfFrame, estimateClock, scheduleLeadMs, type ClockEstimate, type ClockSample } from './clock-offset.js';
import { NodeLink } from './node-link.js';
import { showParts } from './show-transfer.js';

type Scheduled = Extract<Command, { type: 'scheduled' }>;
type SchedulableCommand = Scheduled['command'];

/** Probes per clock estimate (the minimum round trip of these is used). */
export const CLOCK_PROBES = 5;
/** How often each open link's clock is probed again, ms. */
const CLOCK_PROBE_PERIOD_MS = 5000;
/** Recent actions and late applications kept for the console. */
const MAX_ACTIONS = 20;
const MAX_LATE = 20;
/** Edits come in bursts (a typed prompt, a drag): the show is pushed once they settle, ms. */
const SHOW_PUSH_DEBOUNCE_MS = 30;

/** What the director reads of its own engine. */
export interface DirectorEngine {
  clock: EngineClock;
  framePeriodMs: number;
  /** The director's show document now. */
  show: () => Show;
  /** The director's own state (its position in the show, its program). */
  state: () => EngineState;
  /** Holds an action for its instant on the director itself (cluster/command-scheduler.ts). */
  applyLocal: (scheduled: Scheduled) => ScheduleReply;
  onChange: () => void;
  log: (line: string) => void;
}

interface NodeEntry {
  link: NodeLink;
  clock: ClockEstimate | null;
  /** The show document this node last acknowledged; compared by reference with the director's. */
  pushedShow: Show | null;
  pushing: boolean;
  /** A push is wanted once the one in flight is done. */
  pushAgain: boolean;
  probing: boolean;
}

export class Director {
  private readonly nodes = new Map<string, NodeEntry>();
  private readonly actions: ClusterAction[] = [];
  private readonly late: ClusterStatus['late'] = [];
  /** Ids are this director's: a restarted director never reuses one a node remembers. */
  private readonly idPrefix = randomBytes(4).toString('hex');
  private nextId = 1;
  private lastShow: Show | null = null;
  private pushTimer: NodeJS.Timeout | null = null;
  private readonly probeTimer: NodeJS.Timeout;

  constructor(
    nodes: readonly ClusterNodeSpec[],
    private readonly engine: DirectorEngine,
  ) {
    for (const spec of nodes) this.add(spec);
    this.probeTimer = setInterval(() => {
      for (const entry of this.nodes.values()) if (entry.link.isOpen) void this.probeClock(entry);
    }, CLOCK_PROBE_PERIOD_MS);
    this.probeTimer.unref();
  }

  /** Adds a node (cluster file or the console's addClusterNode); a name already linked is refused. */
  add(spec: ClusterNodeSpec): CommandResult {
    if (this.nodes.has(spec.name))
      return {
        ok: false,
        error: engineError('invalid-message', `A node named ${spec.name} is already in the cluster; remove it first or choose another name.`, { field: 'name' }),
      };
    if (spec.role === 'primary' && [...this.nodes.values()].some((e) => e.link.spec.role === 'primary')) {
      return { ok: false, error: engineError('invalid-message', 'The cluster has a primary already; add this node as backup or node.', { field: 'role' }) };
    }
    const entry: NodeEntry = { link: null as unknown as NodeLink, clock: null, pushedShow: null, pushing: false, pushAgain: false, probing: false };
    entry.link = new NodeLink(spec, {
      onOpen: () => void this.rejoin(entry),
      onState: () => this.engine.onChange(),
      onChange: () => this.engine.onChange(),
      log: this.engine.log,
    });
    this.nodes.set(spec.name, entry);
    this.engine.onChange();
    return { ok: true };
  }

  remove(name: string): CommandResult {
    const entry = this.nodes.get(name);
    if (!entry)
      return { ok: false, error: engineError('not-found', `No node named ${name} in the cluster (nodes: ${[...this.nodes.keys()].join(', ') || 'none'}).`, { field: 'name' }) };
    entry.link.close();
    this.nodes.delete(name);
    this.engine.onChange();
    return { ok: true };
  }

  /** How far ahead an action is scheduled now, ms. */
  leadMs(): number {
    const rtts = [...this.nodes.values()].flatMap((e) => (e.link.isOpen && e.clock ? [e.clock.rttMs] : []));
    return scheduleLeadMs(this.engine.framePeriodMs, rtts);
  }

  /**
   * An operator action for the whole cluster: one `scheduled` command with one id,
   * applied by the director itself and sent to every node. The reply is the director's own.
   */
  fanOut(command: SchedulableCommand): CommandResult {
    const scheduled: Scheduled = { type: 'scheduled', id: `${this.idPrefix}-${this.nextId++}`, at: this.engine.clock.wallMs() + this.leadMs(), command };
    const action: ClusterAction = { id: scheduled.id, type: command.type, at: scheduled.at, nodes: {} };
    this.remember(this.actions, action, MAX_ACTIONS);
    for (const entry of this.nodes.values()) this.sendScheduled(entry, scheduled, action);
    const own = this.engine.applyLocal(scheduled);
    this.engine.onChange();
    return { ok: true, data: { schedule: own } };
  }

  /** The engine published a state: a changed show document is pushed to every node. */
  showMaybeChanged(): void {
    const show = this.engine.show();
    if (show === this.lastShow) return;
    this.lastShow = show;
    if (this.pushTimer) clearTimeout(this.pushTimer);
    this.pushTimer = setTimeout(() => {
      this.pushTimer = null;
      for (const entry of this.nodes.values()) if (entry.link.isOpen) void this.pushShow(entry);
    }, SHOW_PUSH_DEBOUNCE_MS);
  }

  status(): ClusterStatus {
    const nodes = [...this.nodes.values()];
    const up = (role: string) => nodes.find((e) => e.link.spec.role === role && e.link.isOpen);
    // The wall shows the primary while it is up, else the backup (libndi's failover does the switch at the receivers).
    const onAirName = (up('primary') ?? up('backup'))?.link.name ?? null;
    const show = this.engine.show();
    return {
      nodes: nodes.map((entry) => this.nodeStatus(entry, show, onAirName)),
      leadMs: this.leadMs(),
      framePeriodMs: this.engine.framePeriodMs,
      actions: [...this.actions],
      late: [...this.late],
    };
  }

  close(): void {
    clearInterval(this.probeTimer);
    if (this.pushTimer) clearTimeout(this.pushTimer);
    for (const entry of this.nodes.values()) entry.link.close();
    this.nodes.clear();
  }

  private nodeStatus(entry: NodeEntry, show: Show, onAirName: string | null): ClusterNodeStatus {
    const { link, clock } = entry;
    const state = link.state;
    const outputs = state?.outputs.filter((o) => o.kind !== 'preview') ?? [];
    return {
      name: link.name,
      url: link.spec.url,
      role: link.spec.role,
      link: link.status,
      problem: link.problem,
      linkLatencyMs: clock ? round(clock.latencyMs) : null,
      clockOffsetMs: clock ? round(clock.offsetMs) : null,
      clockBeyondHalfFrame: clock ? beyondHalfFrame(clock, this.engine.framePeriodMs) : false,
      model: state?.model.name ?? null,
      modelFps: state ? round(state.stats.modelFps) : null,
      outputs: outputs.length,
      outputsRunning: outputs.filter((o) => o.status === 'running').length,
      showInSync: link.isOpen && entry.pushedShow === show,
      onAirCueId: state?.show?.onAirCueId ?? null,
      onAir: link.isOpen && (link.spec.role === 'node' ? true : link.name === onAirName),
      reconnects: link.reconnects,
    };
  }

  private sendScheduled(entry: NodeEntry, scheduled: Scheduled, action: ClusterAction): void {
    const name = entry.link.name;
    if (!entry.link.isOpen) {
      action.nodes[name] = 'missed';
      return;
    }
    action.nodes[name] = 'sent';
    void entry.link.send(scheduled).then((result) => {
      if (!result.ok) {
        // A reply lost with the link is not resent: the rejoin compares positions and sends only what differs.
        action.nodes[name] = entry.link.isOpen ? 'refused' : 'missed';
        if (entry.link.isOpen) this.engine.log(`cluster: ${name} refused ${scheduled.command.type} ${scheduled.id}: ${result.error.message}`);
      } else {
        const reply = result.data?.schedule;
        action.nodes[name] = reply?.duplicate ? 'duplicate' : reply && reply.lateMs > 0 ? 'late' : 'scheduled';
        if (reply && !reply.duplicate && reply.lateMs > 0) {
          const framesLate = Math.ceil(reply.lateMs / this.engine.framePeriodMs);
          this.remember(this.late, { id: scheduled.id, node: name, type: scheduled.command.type, lateMs: round(reply.lateMs), framesLate }, MAX_LATE);
          this.engine.log(`cluster: ${name} applied ${scheduled.command.type} ${scheduled.id} ${framesLate} frame(s) late (${Math.round(reply.lateMs)} ms)`);
        }
      }
      this.engine.onChange();
    });
  }

  /** A link came up (first time or again): clock, show, then the director's position. */
  private async rejoin(entry: NodeEntry): Promise<void> {
    entry.pushedShow = null;
    await this.probeClock(entry);
    const pushed = await this.pushShow(entry);
    if (pushed && entry.link.isOpen) await this.resync(entry);
    this.engine.onChange();
  }

  private async probeClock(entry: NodeEntry): Promise<void> {
    if (entry.probing) return;
    entry.probing = true;
    const samples: ClockSample[] = [];
    for (let i = 0; i < CLOCK_PROBES && entry.link.isOpen; i++) {
      const t0 = this.engine.clock.wallMs();
      const result = await entry.link.send({ type: 'clockProbe' });
      const t1 = this.engine.clock.wallMs();
      if (result.ok && result.data?.clock) samples.push({ t0, t1, nodeRealtimeMs: result.data.clock.realtimeMs });
    }
    entry.probing = false;
    const estimate = estimateClock(samples);
    if (!estimate) return;
    const wasBeyond = entry.clock ? beyondHalfFrame(entry.clock, this.engine.framePeriodMs) : false;
    entry.clock = estimate;
    const beyond = beyondHalfFrame(estimate, this.engine.framePeriodMs);
    if (beyond && !wasBeyond) {
      this.engine.log(
        `cluster: ${entry.link.name}'s clock is ${Math.round(estimate.offsetMs)} ms (+-${Math.round(estimate.latencyMs)}) off the director's, more than half a frame (${(this.engine.framePeriodMs / 2).toFixed(1)} ms): check PTP/NTP on it`,
      );
    }
    this.engine.onChange();
  }

  /** Pushes the director's show to one node; true once the node has it. */
  private async pushShow(entry: NodeEntry): Promise<boolean> {
    if (entry.pushing) {
      entry.pushAgain = true;
      return false;
    }
    entry.pushing = true;
    try {
      for (;;) {
        entry.pushAgain = false;
        const show = this.engine.show();
        if (entry.pushedShow === show) return true;
        const parts = showParts(show, `${this.idPrefix}-show-${this.nextId++}`);
        let failed: string | null = null;
        for (const part of parts) {
          const result = await entry.link.send(part);
          if (!result.ok) {
            failed = result.error.message;
            break;
          }
        }
        if (failed) {
          if (entry.link.isOpen) this.engine.log(`cluster: ${entry.link.name} did not take the show: ${failed}`);
          return false;
        }
        entry.pushedShow = show;
        this.engine.onChange();
        if (!entry.pushAgain && this.engine.show() === show) return true;
      }
    } finally {
      entry.pushing = false;
    }
  }

  /**
   * Brings a (re)joined node to the director's position: only what differs is sent,
   * as scheduled actions of their own, so a node that came back where it was fires nothing.
   */
  private async resync(entry: NodeEntry): Promise<void> {
    const node = entry.link.state;
    const own = this.engine.state();
    if (!node?.show || !own.show) return;
    const at = this.engine.clock.wallMs() + this.leadMs();
    const commands = resyncCommands(own, node, this.engine.show(), at);
    if (commands.length === 0) return;
    this.engine.log(`cluster: resync ${entry.link.name}: ${commands.map((c) => c.type).join(', ')}`);
    for (const command of commands) {
      const scheduled: Scheduled = { type: 'scheduled', id: `${this.idPrefix}-resync-${this.nextId++}`, at, command };
      const action: ClusterAction = { id: scheduled.id, type: `resync ${command.type}`, at, nodes: {} };
      this.remember(this.actions, action, MAX_ACTIONS);
      this.sendScheduled(entry, scheduled, action);
    }
  }

  private remember<T>(list: T[], item: T, max: number): void {
    list.push(item);
    if (list.length > max) list.shift();
  }
}

/** What a node must be sent to stand where the director stands at realtime `at` (pure: the two states and the director's show). */
export function resyncCommands(director: EngineState, node: EngineState, show: Show, at: number): SchedulableCommand[] {
  const commands: SchedulableCommand[] = [];
  const own = director.show;
  const theirs = node.show;
  if (!own || !theirs) return commands;
  const onAir = own.onAirCueId ?? null;
  const cue = onAir ? show.cues.find((c) => c.id === onAir) : undefined;
  if (cue && theirs.onAirCueId !== onAir) commands.push({ type: 'fireCue', number: cue.number });
  else if (!onAir && own.driver === 'cues') {
    // A live edit on air: the same prompt and seed.
    if (node.program.prompt !== director.program.prompt) commands.push({ type: 'setPrompt', prompt: director.program.prompt });
    if (node.program.seed !== director.program.seed) commands.push({ type: 'setSeed', seed: director.program.seed });
  }
  if (own.standbyCueId && own.standbyCueId !== theirs.standbyCueId) commands.push({ type: 'standby', cueId: own.standbyCueId });
  if (own.driver === 'timeline') {
    // Where the director's timeline will be at the resync's instant.
    const positionMs = own.timeline.positionMs + (own.timeline.playing ? Math.max(0, at - own.timeline.atMs) * own.timeline.rate : 0);
    commands.push({ type: 'timelineSeek', positionMs: Math.max(0, Math.round(positionMs)) });
    commands.push({ type: own.timeline.playing ? 'timelinePlay' : 'timelinePause' });
  } else if (theirs.timeline.playing) commands.push({ type: 'timelinePause' });
  const panic = director.program.panic;
  if (panic !== node.program.panic) {
    if (panic === 'none') commands.push({ type: 'restore' });
    else commands.push({ type: 'panic', mode: panic, fadeMs: 0 });
  }
  return commands.filter((command) => isSchedulable(command.type));
}

const round = (value: number) => Math.round(value * 10) / 10;
