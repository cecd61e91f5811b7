/**
 * A headless render node: the engine plus the console server, until SIGINT or
 * SIGTERM. Prints the console URL once ready (tests and scripts read that line).
 */
import { randomBytes } from 'node:crypto';
import { ClientHub } from './control/client-hub.js';
import { isLoopbackHost } from './control/access.js';
import { startConsoleServer } from './control/console-server.js';
import { Engine, type EngineOptions } from './engine.js';

export interface HeadlessOptions {
  host: string;
  port: number;
  token?: string;
  staticDir: string;
  engine: EngineOptions;
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
  const server = await startConsoleServer({ hub, staticDir: options.staticDir, host: options.host, port: options.port, log, ...(token ? { token } : {}) });
  console.log(`Cyclorama console: ${server.url}${token ? `?token=${token}` : ''}`);

  await new Promise<void>((resolve) => {
    const shutdown = () => resolve();
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  log('shutting down');
  await server.close();
  await engine.stop();
}
