/**
 * The engine clock: integer-ish milliseconds that every thread of the process
 * agrees on (performance.timeOrigin is per thread, the sum is not). Only the
 * runner, the generator worker and the output clock read it; show logic gets
 * `nowMs` as an argument.
 */
import { performance } from 'node:perf_hooks';

export function engineNowMs(): number {
  return performance.timeOrigin + performance.now();
}
