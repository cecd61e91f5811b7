/**
 * A real engine started inside the Playwright process, from dist/ as built, for the
 * few e2e tests that must reach the engine object itself: to tell it what only the
 * Electron host would (the attached displays), or to read its access tokens. Served
 * exactly as `cyclorama serve` serves it (startNetworkControl), in its own config folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NetworkControl } from '../../app/engine/control/network-control.js';
import type { Engine, EngineOptions } from '../../app/engine/engine.js';

const dist = path.resolve('dist/app/engine');

export interface InProcessEngine {
  engine: Engine;
  control: NetworkControl;
  /** The console's URL on loopback (add `?token=` when network control is on). */
  url: string;
  stop(): Promise<void>;
}

export async function startInProcessEngine(options: { engine?: EngineOptions; host?: string; token?: string } = {}): Promise<InProcessEngine> {
  const configDir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-e2e-inproc-'));
  // From dist/: the engine's worker threads and native parts load from the built files.
  const { Engine: EngineClass } = (await import(path.join(dist, 'engine.js'))) as typeof import('../../app/engine/engine.js');
  const { ClientHub } = (await import(path.join(dist, 'control/client-hub.js'))) as typeof import('../../app/engine/control/client-hub.js');
  const { startNetworkControl } = (await import(path.join(dist, 'control/network-control.js'))) as typeof import('../../app/engine/control/network-control.js');
  const engine = await EngineClass.start({ width: 160, height: 90, ...options.engine, configDir });
  try {
    const control = await startNetworkControl({
      engine,
      hub: new ClientHub(engine),
      staticDir: path.resolve('dist/renderer'),
      port: 0,
      ...(options.host ? { host: options.host } : {}),
      ...(options.token ? { token: options.token } : {}),
    });
    return {
      engine,
      control,
      url: `http://127.0.0.1:${control.server.port}/`,
      async stop() {
        await control.close();
        await engine.stop();
        rmSync(configDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await engine.stop();
    rmSync(configDir, { recursive: true, force: true });
    throw error;
  }
}
