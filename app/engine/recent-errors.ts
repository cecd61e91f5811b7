/** The last errors for the state snapshot (the console's alerts), stamped with the wall clock. */
import type { EngineError } from '../contract/errors.js';
import type { EngineState } from '../contract/state.js';
import type { EngineClock } from './clock.js';

/** How many recent errors the state snapshot keeps. */
export const RECENT_ERRORS = 20;

export class RecentErrors {
  private readonly errors: EngineState['recentErrors'] = [];

  constructor(private readonly clock: EngineClock) {}

  add(error: EngineError): void {
    this.errors.push({ ...error, atMs: this.clock.wallMs() });
    if (this.errors.length > RECENT_ERRORS) this.errors.shift();
  }

  list(): EngineState['recentErrors'] {
    return [...this.errors];
  }
}
