/**
 * A headless render node: the engine plus the console server, until SIGINT or
 * SIGTERM. Prints the console URL once ready (tests and scripts read that line).
 */
import { randomBytes } from 'node:crypto';
import { ClientHub } from './control/client-hub.js';
import { isLoopbackHost } from './control/access.js';
import { startNetworkControl } from './control/network-control.js';
import type { OscDestination } from './control/osc-feedback.js';
import type { OscTcpOptions } from './control/osc-tcp-listener.js';
import { Engine, type EngineOptions } from './engine.js';

export interface HeadlessOptions {
  host: string;
  port: number;
  token?: string;
  staticDir: string;
  engine: EngineOptions;
  /** OSC listener (control/osc-server.ts); absent = no OSC. */
  osc?: { host?: string; port: number; allow?: string[]; feedback?: OscDestination[]; tcp?: OscTcpOptions | false };
}

export async function runHeadless(options: HeadlessOptions): Promise<void> {
  const log = (line: string) => console.log(`[engine] ${line}`);
  // Opening the node to the network without a token would let anyone on the LAN drive the wall.
  const token = options.token ?? (isLoopbackHost(options.host) ? undefined : randomBytes(16).toString('hex'));
  const engine = await Engine.start(options.engine);
  engine.on('event', (event) => {
    if (event.kind === 'error') log(`${event.error.code}: ${event.error.message}`);
  });
  engine.on('log', log);
  const state = engine.state();
  log(`model ${state.model.name} ${state.model.status} on ${state.model.provider ?? 'no provider'} at ${state.model.width}x${state.model.height}`);
  const hub = new ClientHub(engine, log);
  const control = await startNetworkControl({
    engine,
    hub,
    staticDir: options.staticDir,
    host: options.host,
    port: options.port,
    log,
    ...(token ? { token } : {}),
    ...(options.osc ? { osc: options.osc } : {}),
  });
  const server = control.server;
  console.log(`Cyclorama console: ${server.url}${token ? `?token=${token}` : ''}`);
  if (control.osc) {
    const osc = control.osc.status();
    const tcp = osc.tcp ? `, tcp ${osc.host}:${osc.tcp.port} (${osc.tcp.framing})` : '';
    console.log(`Cyclorama OSC: udp ${osc.host}:${osc.port}${tcp}${osc.allow.length ? ` from ${osc.allow.join(',')}` : ''}${osc.feedback.length ? `, feedback to ${osc.feedback.join(',')}` : ''}`);
  }

  await new Promise<void>((resolve) => {
    const shutdown = () => resolve();
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  log('shutting down');
  await control.close();
  await engine.stop();
}
