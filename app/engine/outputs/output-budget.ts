/**
 * What the machine can carry in outputs: the one limiter every output passes
 * (added by a command, a CLI flag or the saved rig). Each output frame is scaled,
 * converted and sent on the CPU (on that output's own send thread,
 * ndi-worker-sink.ts, and libndi's encoder threads), so the cost grows with the
 * pixels sent per second, summed over all outputs. A rig beyond what the cores
 * carry would not fail cleanly (seen: one 3840x2160 @ 59.94 received at 15 fps on
 * 2 cores, dragging the preview down with it), so an output that would take the
 * rig's CPU past the share of the cores the outputs may take (the model and the
 * engine need the rest) is refused with the rig and the figures, never opened or
 * saved.
 *
 * The figures are measured, not guessed: MEASURED_OUTPUT_COST below is what
 * `npm run bench:wire-outputs` printed as outputs_cost_<size>_cpu_ms_per_frame
 * (whole-process CPU per output frame sent, every frame a new picture: scaling,
 * conversion and libndi's send), and that bench prints the table beside what it
 * measures, so a stale table shows. Between and beyond the measured sizes the cost
 * is linear in the pixels (a fixed part per frame plus a part per pixel).
 * An operator whose outputs cost less (a GPU path, a faster CPU) raises the budget
 * with `outputBudget.pixelsPerSecond` (CLI --output-budget, in Mpx/s of 1080p
 * frames: 1 Mpx/s = the CPU a million 1080p pixels a second cost by the table).
 */
import { availableParallelism } from 'node:os';
import { engineError, type EngineError } from '../../contract/errors.js';
import type { FrameRate } from '../../contract/ndi.js';

export interface MeasuredFrameCost {
  width: number;
  height: number;
  /** Whole-process CPU per output frame sent, ms (every frame converted). */
  cpuMs: number;
}

export interface OutputCostTable {
  /** What printed the figures, and where and when: shown with every refusal. */
  source: string;
  /** At least two sizes, ascending in pixels. */
  frames: readonly MeasuredFrameCost[];
}

/**
 * The development machine's figures (2 cores, shared by 7 engineers: at load, so
 * upper bounds rather than a quiet machine's cost). 1080p: `ndi_send_ms_per_frame`
 * 4.41-4.55 ms (bench/ndi.ts, session 5: conversion and libndi's send of a new frame)
 * plus ~1.5 ms for the copy into the output's send worker; bench/wire-outputs.ts's
 * cost phase read 12.9 ms at load average 16-23 (2026-12-01), the CPU inflated by
 * the load. 2160p (the 1080p program scaled up): four times the 1080p frame (4x the
 * pixels to convert and encode; the scaling adds to it), the 2160p rig measured
 * 20-26 ms a frame sent at load 10-30 the same day. So 2 cores carry two
 * 1080p59.94 outputs (0.72 cores), not three (1.08), and not one 2160p59.94 (1.44).
 * Replace them with a quiet machine's outputs_cost_* when there is one.
 */
export const MEASURED_OUTPUT_COST: OutputCostTable = {
  source: 'bench:wire-outputs and bench:ndi on 2 cores, 2026-12-01',
  frames: [
    { width: 1920, height: 1080, cpuMs: 6 },
    { width: 3840, height: 2160, cpuMs: 24 },
  ],
};

/** Share of the machine's cores the outputs may take together. */
export const OUTPUT_CORE_SHARE = 0.5;
/** Fastest output rate accepted, fps: beyond this no stage display or receiver benefits, and the cost only grows. */
export const MAX_OUTPUT_FPS = 120;

export interface OutputLoad {
  id: string;
  name: string;
  width: number;
  height: number;
  rate: FrameRate;
}

export interface OutputBudgetOptions {
  /** Operator override: what all outputs may send together, in pixels per second of 1080p frames; default from the cores and the table. */
  pixelsPerSecond?: number;
  /** Cores to plan for; default availableParallelism(). */
  cores?: number;
  /** The measured costs; default MEASURED_OUTPUT_COST (tests pass their own). */
  table?: OutputCostTable;
}

/** CPU ms one output frame of this size costs, from the table: linear in pixels through the two nearest measured sizes. */
export function cpuMsPerFrame(width: number, height: number, table: OutputCostTable = MEASURED_OUTPUT_COST): number {
  const pixels = width * height;
  const points = table.frames;
  let lo = points[0] as MeasuredFrameCost;
  let hi = points[1] as MeasuredFrameCost;
  for (let i = 1; i < points.length - 1 && pixels > (points[i] as MeasuredFrameCost).width * (points[i] as MeasuredFrameCost).height; i++) {
    lo = points[i] as MeasuredFrameCost;
    hi = points[i + 1] as MeasuredFrameCost;
  }
  const loPx = lo.width * lo.height;
  const perPixel = (hi.cpuMs - lo.cpuMs) / (hi.width * hi.height - loPx);
  return Math.max(0.05, lo.cpuMs + (pixels - loPx) * perPixel);
}

const fpsOf = (rate: FrameRate) => rate.num / rate.den;
/** CPU ms a second an output costs. */
const cpuMsPerSecond = (load: Pick<OutputLoad, 'width' | 'height' | 'rate'>, table: OutputCostTable) => cpuMsPerFrame(load.width, load.height, table) * fpsOf(load.rate);
const describe = (o: Pick<OutputLoad, 'name' | 'width' | 'height' | 'rate'>) => `"${o.name}" ${o.width}x${o.height} at ${fpsOf(o.rate).toFixed(2)} fps`;
const HD_PIXELS = 1920 * 1080;

/** The default budget in pixels per second of 1080p frames (what --output-budget overrides): 2 cores -> 346 Mpx/s, two 1080p59.94 outputs at 6 ms a frame. */
export function defaultPixelBudget(cores = availableParallelism(), table: OutputCostTable = MEASURED_OUTPUT_COST): number {
  return Math.round((cores * OUTPUT_CORE_SHARE * 1000 * HD_PIXELS) / cpuMsPerFrame(1920, 1080, table));
}

export class OutputBudget {
  /** What all outputs may send together, pixels per second of 1080p frames. */
  readonly pixelsPerSecond: number;
  /** The same budget as CPU ms per second (of the cores' 1000 ms each). */
  readonly cpuMsPerSecond: number;
  private readonly table: OutputCostTable;
  private readonly cores: number;

  constructor(options: OutputBudgetOptions = {}) {
    this.table = options.table ?? MEASURED_OUTPUT_COST;
    this.cores = options.cores ?? availableParallelism();
    this.pixelsPerSecond = options.pixelsPerSecond ?? defaultPixelBudget(this.cores, this.table);
    this.cpuMsPerSecond = (this.pixelsPerSecond * cpuMsPerFrame(1920, 1080, this.table)) / HD_PIXELS;
  }

  /** The figures the limiter uses, in one line (logged at start, printed by the bench, quoted by refusals). */
  figures(): string {
    const sizes = this.table.frames.map((f) => `${f.width}x${f.height} ${f.cpuMs} ms`).join(', ');
    return (
      `output budget: ${(this.cpuMsPerSecond / 1000).toFixed(2)} cores of CPU (${(this.pixelsPerSecond / 1e6).toFixed(0)} Mpx/s of 1080p) for ${this.cores} cores; ` +
      `CPU per output frame ${sizes} (${this.table.source})`
    );
  }

  /**
   * Null when `candidate` fits beside `current` (an output being changed is passed
   * in both, with the same id, and counts once: as the candidate); else the error
   * that names the rig, says what does not fit and what to do.
   */
  admit(candidate: OutputLoad, current: readonly OutputLoad[]): EngineError | null {
    const fps = fpsOf(candidate.rate);
    if (fps > MAX_OUTPUT_FPS) {
      return engineError('output-failed', `Output "${candidate.name}" at ${fps.toFixed(2)} fps is refused: outputs run at ${MAX_OUTPUT_FPS} fps at most.`, {
        output: candidate.id,
      });
    }
    const frameMs = cpuMsPerFrame(candidate.width, candidate.height, this.table);
    const wantedMs = frameMs * fps;
    const details = { output: candidate.id, cpuMsPerFrame: Number(frameMs.toFixed(2)), budgetCpuMsPerSecond: Math.round(this.cpuMsPerSecond) };
    const others = current.filter((o) => o.id !== candidate.id);
    const usedMs = others.reduce((sum, o) => sum + cpuMsPerSecond(o, this.table), 0);
    if (usedMs + wantedMs <= this.cpuMsPerSecond) return null;
    const toMpx = (ms: number) => `${((ms * HD_PIXELS) / cpuMsPerFrame(1920, 1080, this.table) / 1e6).toFixed(0)} Mpx/s`;
    const rig = [...others.map(describe), `${describe(candidate)} (new)`].join(', ');
    return engineError(
      'output-failed',
      `Output "${candidate.name}" (${candidate.width}x${candidate.height} at ${fps.toFixed(2)} fps, ${toMpx(wantedMs)}) is refused: ` +
        `the rig ${rig} would need ${((usedMs + wantedMs) / 1000).toFixed(2)} cores of CPU (${toMpx(usedMs + wantedMs)}), past what this machine can send without dropping frames ` +
        `(${(this.cpuMsPerSecond / 1000).toFixed(2)} cores, ${toMpx(this.cpuMsPerSecond)}). ` +
        `Use a smaller size or rate, remove an output, or raise the budget with --output-budget if measurement shows the machine carries more (${this.figures()}).`,
      { ...details, usedCpuMsPerSecond: Math.round(usedMs), pixelsPerSecond: Math.round(candidate.width * candidate.height * fps), budgetPixelsPerSecond: this.pixelsPerSecond },
    );
  }
}
