/**
 * When main restarts the engine: after a crash (any exit it did not ask for), at
 * most MAX_RESTARTS times in RESTART_WINDOW_MS (a crash loop helps nobody); never
 * after a deliberate stop (the app quitting, every window closed, the engine
 * asked to stop). Pure: the clock is passed in.
 */

/** Restarts allowed inside RESTART_WINDOW_MS before giving up. */
export const MAX_RESTARTS = 5;
export const RESTART_WINDOW_MS = 60_000;

export type ExitDecision = { restart: true; message: string } | { restart: false; message: string };

export class RestartPolicy {
  private readonly exits: number[] = [];
  private stopping = false;

  constructor(private readonly limits: { maxRestarts: number; windowMs: number } = { maxRestarts: MAX_RESTARTS, windowMs: RESTART_WINDOW_MS }) {}

  /** A stop main asked for: the exit that follows is not a crash. */
  deliberateStop(): void {
    this.stopping = true;
  }

  get stopRequested(): boolean {
    return this.stopping;
  }

  /** The engine process exited with `code` at `nowMs`: restart it or not, and the line to log. */
  onExit(code: number | null, nowMs: number): ExitDecision {
    if (this.stopping) return { restart: false, message: `Cyclorama engine stopped (code ${code}).` };
    this.exits.push(nowMs);
    while (this.exits.length > 0 && (this.exits[0] as number) <= nowMs - this.limits.windowMs) this.exits.shift();
    if (this.exits.length > this.limits.maxRestarts) {
      return {
        restart: false,
        message: `Cyclorama engine exited (code ${code}) ${this.exits.length} times in ${Math.round(this.limits.windowMs / 1000)} s; not restarting. Quit and start Cyclorama again.`,
      };
    }
    return { restart: true, message: `Cyclorama engine exited (code ${code}); restarting it where it was (show, cue, model, prompt; outputs from the saved rig).` };
  }
}
