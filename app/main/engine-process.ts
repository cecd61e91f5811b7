/**
 * The engine's utility process as main runs it: started with the user's flags,
 * handed a fresh port pair each time (one end to the engine, one to the console
 * window), restarted after a crash by the restart policy (without the starting
 * point flags: the engine resumes from its last session, engine-flags.ts), and
 * stopped deliberately on quit (asked to stop cleanly, killed if it does not, and
 * not restarted). Electron's parts (utilityProcess.fork, MessageChannelMain) come
 * in as arguments; tests use stand-ins (tests/helpers/electron-stand-ins.ts).
 */
import type { NodeFlags } from '../engine/engine-args.js';
import { readDisplaysReport, type DisplayOutputReport } from './display-windows.js';
import { firstStartArgs, restartArgs } from './engine-flags.js';
import type { RestartPolicy } from './restart-policy.js';

/** What main uses of Electron's UtilityProcess (the real one satisfies it), over its port type P. */
export interface UtilityProcessLike<P> {
  postMessage(message: unknown, transfer?: P[]): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export interface EngineProcessOptions<P> {
  /** Starts the utility process with these arguments (utilityProcess.fork). */
  fork: (args: string[]) => UtilityProcessLike<P>;
  /** A new port pair (MessageChannelMain). */
  channel: () => { port1: P; port2: P };
  /** The flags `cyclorama start` was given. */
  startFlags: NodeFlags;
  policy: RestartPolicy;
  now: () => number;
  /** The console window's end of each new engine's port. */
  onConsolePort: (port: P) => void;
  /** A new engine process is up (after the console port): report screens, reconnect display windows. */
  onStarted: () => void;
  /** The engine's display outputs changed. */
  onDisplays: (outputs: DisplayOutputReport[]) => void;
  log: (line: string) => void;
  /** How long a deliberate stop waits for a clean exit before killing, ms. */
  stopTimeoutMs?: number;
}

/** The utility process reports a startup problem (one line, engine/startup-problems.ts) before it exits. */
function readStartupFailure(message: unknown): string | null {
  const m = message as { type?: unknown; message?: unknown } | null;
  return m?.type === 'startup-failed' && typeof m.message === 'string' ? m.message.slice(0, 500) : null;
}

/** A clean stop writes the show's pending autosave and closes the outputs; a few seconds is plenty (a loaded machine is slower). */
const STOP_TIMEOUT_MS = 10_000;

export class EngineProcess<P> {
  private child: UtilityProcessLike<P> | null = null;
  private exited: Promise<void> = Promise.resolve();
  /** Arguments of each start, oldest first (tests, the log). */
  readonly starts: string[][] = [];

  constructor(private readonly options: EngineProcessOptions<P>) {}

  get running(): boolean {
    return this.child !== null;
  }

  start(): void {
    const args = this.starts.length === 0 ? firstStartArgs(this.options.startFlags) : restartArgs(this.options.startFlags);
    this.starts.push(args);
    const child = this.options.fork(args);
    this.child = child;
    child.on('message', (message) => {
      const displays = readDisplaysReport(message);
      if (displays) this.options.onDisplays(displays);
      const failed = readStartupFailure(message);
      if (failed !== null) {
        // The same flags would fail again (a port in use, a bad host): say so once, do not restart.
        this.options.policy.deliberateStop();
        this.options.log(`Cyclorama engine could not start: ${failed} Not restarting; fix the flag and start Cyclorama again.`);
      }
    });
    this.exited = new Promise((resolve) =>
      child.on('exit', (code) => {
        if (this.child === child) this.child = null;
        resolve();
        const decision = this.options.policy.onExit(code, this.options.now());
        this.options.log(decision.message);
        if (decision.restart) this.start();
      }),
    );
    const { port1, port2 } = this.options.channel();
    child.postMessage({ type: 'console-port' }, [port1]);
    this.options.onConsolePort(port2);
    this.options.onStarted();
  }

  post(message: unknown): void {
    this.child?.postMessage(message);
  }

  /** A port for one display output's window (the engine gets the other end); null while no engine runs. */
  outputPort(outputId: string): P | null {
    if (!this.child) return null;
    const { port1, port2 } = this.options.channel();
    this.child.postMessage({ type: 'console-port', outputId }, [port1]);
    return port2;
  }

  /** Deliberate stop (quit, every window closed): ask for a clean stop, kill after the timeout; no restart. */
  async stop(): Promise<void> {
    this.options.policy.deliberateStop();
    const child = this.child;
    if (!child) return;
    child.postMessage({ type: 'stop' });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.options.stopTimeoutMs ?? STOP_TIMEOUT_MS)));
    const outcome = await Promise.race([this.exited.then(() => 'exited' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.options.log('Cyclorama engine did not stop in time; killing it.');
      child.kill();
      await this.exited;
    }
  }
}
