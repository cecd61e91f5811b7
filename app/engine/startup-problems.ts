/**
 * Startup problems of a node, said in one line: what is wrong and what to do.
 * A listener that cannot open (port in use, an address that is not this
 * machine's, a port below 1024 without the right) becomes a StartupProblem the
 * CLI prints as `cyclorama: LINE` before a clean exit; problems the engine
 * records while it starts (a show file that cannot be read, a model folder that
 * fails) get the operator's next step added for the log.
 */
import type { EngineError } from '../contract/errors.js';

/** A problem that stops the node from starting; its message is the whole line to print. */
export class StartupProblem extends Error {
  override readonly name = 'StartupProblem';
}

/** Which listener failed, to name the flag that changes it. */
export type Listener = { kind: 'console'; host: string; port: number } | { kind: 'osc-udp'; host: string; port: number } | { kind: 'osc-tcp'; host: string; port: number };

const flagFor: Record<Listener['kind'], string> = {
  console: '--port N (0 picks a free one)',
  'osc-udp': '--osc-port N',
  'osc-tcp': '--osc-tcp-port N, or --no-osc-tcp',
};
const nameOf = (listener: Listener) =>
  listener.kind === 'console' ? `port ${listener.port}` : listener.kind === 'osc-udp' ? `OSC port ${listener.port} (UDP)` : `OSC port ${listener.port} (TCP)`;
const hostFlagFor: Record<Listener['kind'], string> = { console: '--host', 'osc-udp': '--osc-host', 'osc-tcp': '--osc-host' };

/** The one line for a listener that failed to open (Node's listen/bind errors carry a code). */
export function explainListenError(error: unknown, listener: Listener): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  const host = listener.host;
  const hostFlag = hostFlagFor[listener.kind];
  switch (code) {
    case 'EADDRINUSE':
      return `${nameOf(listener)} on ${host} is in use by another program (another Cyclorama node?): stop it or pass ${flagFor[listener.kind]}`;
    case 'EACCES':
      return `${nameOf(listener)} on ${host} needs administrator rights on this system (ports below 1024): pass ${flagFor[listener.kind]} with N of 1024 or more`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine: pass ${hostFlag} 127.0.0.1 (this machine only), 0.0.0.0 (every network) or one of this machine's own addresses`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${host} is neither an address nor a name this machine can resolve: pass ${hostFlag} 127.0.0.1, 0.0.0.0 or one of this machine's addresses`;
    default: {
      const message = (error as Error)?.message ?? String(error);
      // Messages of our own (the token refusal) already say what to do.
      return code ? `cannot open ${nameOf(listener)} on ${host}: ${message}` : message;
    }
  }
}

/** The startup flag behind an engine error recorded while the engine started, with the operator's next step. */
export function startupAdvice(error: EngineError): string | null {
  switch (error.code) {
    case 'show-file':
      return 'Fix the file (or restore a backup) and open it again, or pass another --show.';
    case 'model-load-failed':
      return 'Check the folder (it needs a model.json), or pass another --model; without one the built-in model runs.';
    case 'output-failed':
      return 'Check the --ndi / --ndi-* flags and the NDI runtime (--ndi-runtime), or open outputs from the console.';
    case 'provider-fallback':
      return 'Install the GPU runtime for this provider, or pass --provider cpu to choose the CPU on purpose.';
    default:
      return null;
  }
}

/** A log line for an engine error seen at startup: `CODE: MESSAGE NEXT-STEP`. */
export function startupErrorLine(error: EngineError): string {
  const advice = startupAdvice(error);
  return `${error.code}: ${error.message}${advice ? ` ${advice}` : ''}`;
}
