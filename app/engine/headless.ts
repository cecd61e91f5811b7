/**
 * A headless render node: the engine plus the console server, until SIGINT or
 * SIGTERM. Prints the console URL once ready (tests and scripts read that line).
 */
import { randomBytes } from 'node:crypto';
import { ClientHub } from './control/client-hub.js';
import { readControlConfig } from './control/control-config.js';
import { ControlSources } from './control/control-sources.js';
import { isLoopbackHost } from './control/access.js';
import { startNetworkControl, type NetworkControl } from './control/network-control.js';
import type { OscDestination } from './control/osc-feedback.js';
import type { OscTcpOptions } from './control/osc-tcp-listener.js';
import { Engine, type EngineOptions } from './engine.js';
import { systemClock } from './clock.js';
import { openSystemMidi } from './midi/midi-ports.js';
import { defaultConfigDir } from './show-files/show-store.js';
import { explainListenError, startupErrorLine, StartupProblem, type Listener } from './startup-problems.js';

export interface HeadlessOptions {
  host: string;
  port: number;
  token?: string;
  /** Extra Host names and page origins the access checks allow (control/access.ts). */
  allowedHosts?: string[];
  allowedOrigins?: string[];
  staticDir: string;
  engine: EngineOptions;
  /** OSC listener (control/osc-server.ts); absent = no OSC. */
  osc?: { host?: string; port: number; allow?: string[]; feedback?: OscDestination[]; tcp?: OscTcpOptions | false };
  /** Where control.json (DMX in, MSC) is read; absent or null = none (all off). runHeadless passes the engine's config folder. */
  configDir?: string | null;
}

export async function runHeadless(options: HeadlessOptions): Promise<void> {
  const log = (line: string) => console.log(`[engine] ${line}`);
  // Opening the node to the network without a token would let anyone on the LAN drive the wall.
  const token = options.token ?? (isLoopbackHost(options.host) ? undefined : randomBytes(16).toString('hex'));
  const engine = await Engine.start(options.engine);
  const { control, stopLogging } = await startControl(
    engine,
    { ...options, configDir: options.engine.configDir === undefined ? defaultConfigDir() : options.engine.configDir, ...(token ? { token } : {}) },
    log,
  );
  const server = control.server;
  console.log(`Cyclorama console: ${server.url}${token ? `?token=${token}` : ''}`);
  if (control.osc) {
    const osc = control.osc.status();
    const tcp = osc.tcp ? `, tcp ${osc.host}:${osc.tcp.port} (${osc.tcp.framing})` : '';
    console.log(
      `Cyclorama OSC: udp ${osc.host}:${osc.port}${tcp}${osc.allow.length ? ` from ${osc.allow.join(',')}` : ''}${osc.feedback.length ? `, feedback to ${osc.feedback.join(',')}` : ''}`,
    );
  }
  stopLogging();

  await new Promise<void>((resolve) => {
    const shutdown = () => resolve();
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  log('shutting down');
  await control.close();
  await engine.stop();
}

/**
 * Logs the engine (every startup error with what to do), then opens the control
 * listeners. A listener that cannot open stops the engine cleanly (its worker
 * threads, onnxruntime, libndi: exiting with them alive aborts natively) and
 * becomes a StartupProblem: one line for the CLI to print.
 */
export async function startControl(
  engine: Engine,
  options: Omit<HeadlessOptions, 'engine'>,
  log: (line: string) => void,
  hub: ClientHub = new ClientHub(engine, log),
): Promise<{ control: NetworkControl; stopLogging: () => void }> {
  const stopLogging = logStartupErrors(engine, log);
  engine.on('log', log);
  const state = engine.state();
  log(`model ${state.model.name} ${state.model.status} on ${state.model.provider ?? 'no provider'} at ${state.model.width}x${state.model.height}`);
  // DMX in, MIDI Show Control and MIDI control: the machine's control.json, each off unless enabled there (MIDI learn writes it back).
  const configDir = options.configDir ?? null;
  const sources = await ControlSources.start({ config: readControlConfig(configDir, log), configDir, hub, engine, midi: () => openSystemMidi(systemClock), log });
  try {
    const control = await startNetworkControl({
      engine,
      hub,
      staticDir: options.staticDir,
      host: options.host,
      port: options.port,
      log,
      ...(options.token ? { token: options.token } : {}),
      ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
      ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
      ...(options.osc ? { osc: options.osc } : {}),
      sources,
    });
    return { control, stopLogging };
  } catch (error) {
    await sources.stop();
    await engine.stop();
    throw new StartupProblem(explainListenError(error, failedListener(error, options)));
  }
}

/**
 * Every engine error goes to the log. Those recorded while the engine started
 * (before anyone listened: a show file that cannot be read, a model folder that
 * fails) are taken from the state, and until `stop` is called (the node is up)
 * each line also says what to do. They stay in the state for the console.
 */
export function logStartupErrors(engine: Engine, log: (line: string) => void): () => void {
  let starting = true;
  for (const error of engine.state().recentErrors) log(startupErrorLine(error));
  engine.on('event', (event) => {
    if (event.kind === 'error') log(starting ? startupErrorLine(event.error) : `${event.error.code}: ${event.error.message}`);
  });
  return () => {
    // NDI outputs and the saved rig open on the engine's next turn: still startup.
    setImmediate(() => (starting = false));
  };
}

/** Which listener an error came from: OSC binds UDP ('bind') and its TCP port is its own; the rest is the console. */
function failedListener(error: unknown, options: Omit<HeadlessOptions, 'engine'>): Listener {
  const { syscall, port } = error as { syscall?: string; port?: number };
  const osc = options.osc;
  if (osc && syscall === 'bind') return { kind: 'osc-udp', host: osc.host ?? '127.0.0.1', port: osc.port };
  if (osc && osc.tcp !== false && port !== undefined && port !== options.port && port === (osc.tcp?.port ?? osc.port)) {
    return { kind: 'osc-tcp', host: osc.host ?? '127.0.0.1', port };
  }
  return { kind: 'console', host: options.host, port: options.port };
}
