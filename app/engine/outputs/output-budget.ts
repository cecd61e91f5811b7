/**
 * What the machine can carry in outputs: the one limiter every output passes
 * (added by a command, a CLI flag or the saved rig). Each output frame is scaled,
 * converted and sent on the CPU, so the cost grows with the pixels sent per
 * second, summed over all outputs. A rig beyond that would not fail cleanly: every
 * output would slow down together (seen: one 7680x4320 at 240 fps dropped every
 * output to 3 fps). So an output that would take the total past the budget is
 * refused with the figures, and a refused output is never opened or saved.
 *
 * The budget is measured, not guessed: `npm run bench:ndi` on a 2-core machine
 * gave 6.3 to 9.1 ms of whole-process CPU per 1080p UYVY frame sent (conversion,
 * scaling and libndi's send), about 4 ns per pixel. Outputs may use half of the
 * machine's cores (the model and the engine need the rest), so the default is
 * cores x 0.5 / 4 ns per pixel: 250 Mpx/s on 2 cores (two 1080p59.94 outputs),
 * 2 Gpx/s on 16. An operator whose outputs cost less (a GPU path, a faster CPU)
 * raises it with `outputBudget.pixelsPerSecond` (CLI --output-budget, in Mpx/s).
 */
import { availableParallelism } from 'node:os';
import { engineError, type EngineError } from '../../contract/errors.js';
import type { FrameRate } from '../../contract/ndi.js';

/** Measured CPU per output pixel sent, seconds (bench/ndi.ts: ~6.3-9.1 ms per 1920x1080 frame). */
export const CPU_SECONDS_PER_OUTPUT_PIXEL = 4e-9;
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
  /** Total pixels per second all outputs may send; default from the cores (see above). */
  pixelsPerSecond?: number;
}

export function defaultPixelBudget(cores = availableParallelism()): number {
  return Math.round((cores * OUTPUT_CORE_SHARE) / CPU_SECONDS_PER_OUTPUT_PIXEL);
}

const pixelRate = (load: Pick<OutputLoad, 'width' | 'height' | 'rate'>) => (load.width * load.height * load.rate.num) / load.rate.den;
const mpx = (pixelsPerSecond: number) => `${(pixelsPerSecond / 1e6).toFixed(0)} Mpx/s`;

export class OutputBudget {
  readonly pixelsPerSecond: number;

  constructor(options: OutputBudgetOptions = {}) {
    this.pixelsPerSecond = options.pixelsPerSecond ?? defaultPixelBudget();
  }

  /**
   * Null when `candidate` fits beside `current` (an output being changed is passed
   * in both, with the same id, and counts once: as the candidate); else the error
   * that says what does not fit and what to do.
   */
  admit(candidate: OutputLoad, current: readonly OutputLoad[]): EngineError | null {
    const fps = candidate.rate.num / candidate.rate.den;
    if (fps > MAX_OUTPUT_FPS) {
      return engineError('output-failed', `Output "${candidate.name}" at ${fps.toFixed(2)} fps is refused: outputs run at ${MAX_OUTPUT_FPS} fps at most.`, {
        output: candidate.id,
      });
    }
    const others = current.filter((o) => o.id !== candidate.id);
    const used = others.reduce((sum, o) => sum + pixelRate(o), 0);
    const wanted = pixelRate(candidate);
    if (used + wanted <= this.pixelsPerSecond) return null;
    return engineError(
      'output-failed',
      `Output "${candidate.name}" (${candidate.width}x${candidate.height} at ${fps.toFixed(2)} fps, ${mpx(wanted)}) is refused: ` +
        `with the ${others.length} other output(s) (${mpx(used)}) it would pass what this machine can send without dropping frames (${mpx(this.pixelsPerSecond)}). ` +
        'Use a smaller size or rate, remove an output, or raise the budget with --output-budget if measurement shows the machine carries more.',
      { output: candidate.id, pixelsPerSecond: Math.round(wanted), usedPixelsPerSecond: Math.round(used), budgetPixelsPerSecond: this.pixelsPerSecond },
    );
  }
}
