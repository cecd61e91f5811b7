/**
 * Transition curves: progress in [0, 1] -> weight in [0, 1]. Pure; used by the
 * generator to blend conditioning (a morph), never pixels.
 */
import type { TransitionCurve } from '../contract/commands.js';

export function applyCurve(curve: TransitionCurve, progress: number): number {
  const p = progress <= 0 ? 0 : progress >= 1 ? 1 : progress;
  switch (curve) {
    case 'linear':
      return p;
    case 'ease-in':
      return p * p * p;
    case 'ease-out':
      return 1 - (1 - p) ** 3;
    case 'ease-in-out':
      // smootherstep: C2-continuous, so a morph has no visible kink at either end
      return p * p * p * (p * (p * 6 - 15) + 10);
  }
}

/** Weight of the new look `elapsedMs` into a transition of `durationMs` (0 = cut). */
export function transitionWeight(curve: TransitionCurve, elapsedMs: number, durationMs: number): number {
  if (durationMs <= 0) return 1;
  return applyCurve(curve, elapsedMs / durationMs);
}
