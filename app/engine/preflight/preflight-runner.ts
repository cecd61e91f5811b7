/**
 * Runs the show-ready preflight (preflight.ts) against the engine: one run at a
 * time, its report (running, then finished) kept for the state snapshot, and the
 * TTFF probe (a no-op look change timed to its first output-ready frame).
 */
import type { CommandResult } from '../../contract/connection.js';
import { engineError, type EngineError } from '../../contract/errors.js';
import type { EngineEvent } from '../../contract/messages.js';
import type { PreflightReport } from '../../contract/preflight.js';
import type { EngineState } from '../../contract/state.js';
import type { ProgramState } from '../../show/program.js';
import type { EngineClock } from '../clock.js';
import { runPreflight, type PreflightInputs, type PreflightPort } from './preflight.js';

/** What the TTFF probe needs from the engine. */
export interface TtffPort {
  program(): ProgramState;
  state(): EngineState;
  /** Puts the prompt on air again, as a cut: a new look id with the same picture. */
  retake(): CommandResult;
  /** Listens to the engine's events (lookOnAir ends the probe); returns the unsubscribe. */
  subscribe(listener: (event: EngineEvent) => void): () => void;
}

export interface PreflightRunnerOptions extends Pick<PreflightPort, 'probeNdi' | 'state' | 'intendedProvider'> {
  clock: EngineClock;
  ttff: TtffPort;
  /** The report changed: publish state. */
  onChange: () => void;
  onError: (error: EngineError) => void;
}

export class PreflightRunner {
  private last: PreflightReport | undefined;

  constructor(private readonly options: PreflightRunnerOptions) {}

  /** The last run's report; absent until one ran. */
  get report(): PreflightReport | undefined {
    return this.last;
  }

  /** Starts the checks (one run at a time); the report arrives in the state, running and then finished. */
  begin(): CommandResult {
    if (this.last?.running) return { ok: true };
    const { clock } = this.options;
    const startedAtMs = clock.wallMs();
    this.last = { running: true, startedAtMs, finishedAtMs: null, checks: this.last?.checks ?? [] };
    this.options.onChange();
    void runPreflight({
      probeNdi: this.options.probeNdi,
      state: this.options.state,
      intendedProvider: this.options.intendedProvider,
      measureTtff: (timeoutMs) => measureTtff(this.options.ttff, timeoutMs),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      nowMs: () => clock.nowMs(),
    })
      .then((checks) => {
        this.last = { running: false, startedAtMs, finishedAtMs: clock.wallMs(), checks };
      })
      .catch((error: Error) => {
        this.last = { running: false, startedAtMs, finishedAtMs: clock.wallMs(), checks: [] };
        this.options.onError(engineError('internal', `Preflight failed to run: ${error.message}`));
      })
      .finally(() => this.options.onChange());
    return { ok: true };
  }
}

/**
 * TTFF now: a no-op look change (the prompt on air again, as a cut) timed from here
 * to its first output-ready frame (the lookOnAir event). Not while a panic holds the
 * wall or the timeline drives it (the change would pause the timeline).
 */
export function measureTtff(port: TtffPort, timeoutMs: number): Promise<PreflightInputs['ttff']> {
  const program = port.program();
  const state = port.state();
  if (program.panic.mode !== 'none') return Promise.resolve({ ok: false, reason: `Not measured: a ${program.panic.mode} panic is on.` });
  if (state.show?.driver === 'timeline') return Promise.resolve({ ok: false, reason: 'Not measured: the timeline drives the wall (a look change would pause it).' });
  if (state.model.status !== 'running') return Promise.resolve({ ok: false, reason: `Not measured: the model is ${state.model.status}.` });
  return new Promise((resolve) => {
    const outcome = port.retake();
    if (!outcome.ok) {
      resolve({ ok: false, reason: `Not measured: ${outcome.error.message}` });
      return;
    }
    const lookId = port.program().lookId;
    const timer = setTimeout(() => {
      unsubscribe();
      resolve({ ok: false, reason: `No frame of the new look within ${timeoutMs} ms: the model is stalled or far too slow.` });
    }, timeoutMs);
    const unsubscribe = port.subscribe((event) => {
      if (event.kind !== 'lookOnAir' || event.lookId < lookId) return;
      clearTimeout(timer);
      unsubscribe();
      resolve({ ok: true, ms: event.ttffMs });
    });
  });
}
