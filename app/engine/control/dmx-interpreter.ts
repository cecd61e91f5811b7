/**
 * DMX in -> Cyclorama: universes at explicit instants in, commands out. Pure; the
 * Art-Net / sACN receivers hand it packets, the engine sends what it returns
 * through its usual command validation.
 *
 * Policy:
 *  - GO fires on a rising edge through GO_FIRE_LEVEL and re-arms only below
 *    GO_REARM_LEVEL. A level never fires: the first universe ever, and the first
 *    after a loss of signal, only set the baseline, so a GO channel still high
 *    when the signal returns does not fire again.
 *  - GO with a cue selected fires that cue (by its position in the list); with
 *    none it is a plain GO (the standby cue).
 *  - Panic is a state: entering a panic band sends that panic, leaving to "none"
 *    sends restore.
 *  - The continuous channels send the faders' commands (contract/levels.ts) when they
 *    change, before the GO of the same universe (so a crossfade time set with a GO
 *    applies to it): master -> setMasterLevel, also on the first universe (the wall
 *    follows its intensity channel like a fixture: a desk at 50 % dims it at once);
 *    crossfade time -> setTransitionTime, prompt blend -> crossfade (the T-bar), strength
 *    -> setStrength, input select -> selectInput, and the seed pair -> setSeed, only on a
 *    change (a desk connecting with them at 0 does not reset the show's). On the
 *    universe that sets GO's baseline after a loss, a moved prompt blend is sent as a
 *    `baseline` position: it rests the bar there and never takes. Changed values also
 *    come back as `controls` for the status.
 *  - Loss of signal (no live source): hold everything, send nothing.
 */
import type { CommandInput } from '../../contract/commands.js';
import { GO_FIRE_LEVEL, GO_REARM_LEVEL, decodeValues, mergeRules, validatePatch, type DmxPatch, type DmxValues } from './dmx-personality.js';
import { DmxMerger, type DmxPacket } from './dmx-merge.js';

export interface DmxControls {
  master: number;
  crossfadeMs: number;
  promptBlend: number;
  strength: number;
  input: number;
}

export type DmxSignal = 'none' | 'live' | 'lost';

export interface DmxStep {
  commands: CommandInput[];
  /** Continuous values that changed (all of them on the first universe). */
  controls: Partial<DmxControls>;
  /** Things worth a line in the log (a cue position past the end of the list, a wrong universe). */
  problems: string[];
  signal: DmxSignal;
}

export interface DmxInterpreterOptions {
  patch: DmxPatch;
  /** The cue number at a 1-based list position, or null past the end. */
  cueNumberAt: (position: number) => string | null;
  /** Source timeout, ms; default 2500 (E1.31). */
  sourceTimeoutMs?: number;
}

export interface DmxInterpreterStats {
  packets: number;
  rejected: number;
  fires: number;
  losses: number;
}

const CONTROL_KEYS: readonly (keyof DmxControls)[] = ['master', 'crossfadeMs', 'promptBlend', 'strength', 'input'];

export class DmxInterpreter {
  private readonly patch: DmxPatch;
  private readonly cueNumberAt: (position: number) => string | null;
  private readonly merger: DmxMerger;
  private last: DmxValues | null = null;
  private armed = false;
  /** The next universe only sets the baseline for GO (first ever, or after a loss). */
  private baseline = true;
  private signal: DmxSignal = 'none';
  private readonly statsValue: DmxInterpreterStats = { packets: 0, rejected: 0, fires: 0, losses: 0 };

  constructor(options: DmxInterpreterOptions) {
    validatePatch(options.patch);
    this.patch = options.patch;
    this.cueNumberAt = options.cueNumberAt;
    this.merger = new DmxMerger({
      universe: options.patch.universe,
      rules: mergeRules(options.patch),
      ...(options.sourceTimeoutMs !== undefined ? { sourceTimeoutMs: options.sourceTimeoutMs } : {}),
    });
  }

  get stats(): Readonly<DmxInterpreterStats> {
    return this.statsValue;
  }

  get signalState(): DmxSignal {
    return this.signal;
  }

  /** The values in force (held through a loss); null before the first universe. */
  get values(): DmxValues | null {
    return this.last;
  }

  receive(packet: DmxPacket, nowMs: number): DmxStep {
    const r = this.merger.receive(packet, nowMs);
    if (!r.accepted) {
      this.statsValue.rejected++;
      return { commands: [], controls: {}, problems: [`DMX packet ignored: ${r.reason}`], signal: this.signal };
    }
    this.statsValue.packets++;
    return this.step(nowMs);
  }

  /** A source that terminated its stream (sACN) leaves at once. */
  removeSource(sourceId: string, nowMs: number): DmxStep {
    this.merger.removeSource(sourceId);
    return this.step(nowMs);
  }

  /** Call on every output tick: notices loss of signal. */
  tick(nowMs: number): DmxStep {
    return this.step(nowMs);
  }

  private step(nowMs: number): DmxStep {
    const merged = this.merger.merged(nowMs);
    const out: DmxStep = { commands: [], controls: {}, problems: [], signal: this.signal };
    if (!merged.live) {
      if (this.signal === 'live') {
        this.signal = 'lost';
        this.baseline = true;
        this.statsValue.losses++;
      }
      out.signal = this.signal;
      return out;
    }
    this.signal = 'live';
    out.signal = 'live';
    const v = decodeValues(merged.slots, this.patch);
    const prev = this.last;
    this.last = v;

    for (const k of CONTROL_KEYS) if (prev === null || prev[k] !== v[k]) out.controls[k] = v[k];
    if (prev === null || prev.master !== v.master) out.commands.push({ type: 'setMasterLevel', level: v.master });
    if (prev !== null) {
      if (prev.crossfadeMs !== v.crossfadeMs) out.commands.push({ type: 'setTransitionTime', durationMs: v.crossfadeMs });
      if (prev.strength !== v.strength) out.commands.push({ type: 'setStrength', strength: v.strength });
      if (prev.input !== v.input) out.commands.push({ type: 'selectInput', index: v.input });
      if (prev.promptBlend !== v.promptBlend) out.commands.push({ type: 'crossfade', position: v.promptBlend, ...(this.baseline ? { baseline: true } : {}) });
      // The seed only on a change: a desk connecting with the pair at 0 does not reseed the show.
      if (prev.seed !== v.seed) out.commands.push({ type: 'setSeed', seed: v.seed });
    }

    if (this.baseline) {
      this.baseline = false;
      this.armed = v.goLevel < GO_REARM_LEVEL;
    } else if (this.armed && v.goLevel >= GO_FIRE_LEVEL) {
      this.armed = false;
      this.statsValue.fires++;
      if (v.cuePosition === 0) out.commands.push({ type: 'go' });
      else {
        const number = this.cueNumberAt(v.cuePosition);
        if (number === null) out.problems.push(`DMX GO with cue select ${v.cuePosition}: the cue list has no cue at that position`);
        else out.commands.push({ type: 'fireCue', number });
      }
    } else if (v.goLevel < GO_REARM_LEVEL) this.armed = true;

    // Panic last, so a GO and a panic in the same universe leave the wall in panic.
    const prevPanic = prev?.panic ?? 'none';
    if (v.panic !== prevPanic) out.commands.push(v.panic === 'none' ? { type: 'restore' } : { type: 'panic', mode: v.panic });
    return out;
  }
}
