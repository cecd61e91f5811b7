/**
 * A real engine started inside the Playwright process, from dist/ as built, for the
 * few e2e tests that must reach the engine object itself: to tell it what only the
 * Electron host would (the attached displays), or to read its access tokens. Served
 * exactly as `cyclorama serve` serves it (startNetworkControl), in its own config folder.
 *
 * `midiPorts` (tests only: no flag, setting or environment variable reaches it) starts
 * the node's control sources (DMX, MSC, MIDI control from control.json, MIDI learn) on
 * the MidiPorts given, a stand-in where this machine has no MIDI, instead of the
 * system's: what `serve` does with RtMidi's ports.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ControlSources } from '../../app/engine/control/control-sources.js';
import type { NetworkControl } from '../../app/engine/control/network-control.js';
import type { Engine, EngineOptions } from '../../app/engine/engine.js';
import type { MidiPorts } from '../../app/engine/midi/midi-ports.js';

const dist = path.resolve('dist/app/engine');

export interface InProcessEngine {
  engine: Engine;
  control: NetworkControl;
  /** The control sources, when started with `midiPorts`. */
  sources: ControlSources | null;
  /** Its config folder (control.json is here). */
  configDir: string;
  /** The console's URL on loopback (add `?token=` when network control is on). */
  url: string;
  stop(): Promise<void>;
}

export async function startInProcessEngine(options: { engine?: EngineOptions; host?: string; token?: string; midiPorts?: MidiPorts } = {}): Promise<InProcessEngine> {
  const configDir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-e2e-inproc-'));
  // From dist/: the engine's worker threads and native parts load from the built files.
  const { Engine: EngineClass } = (await import(path.join(dist, 'engine.js'))) as typeof import('../../app/engine/engine.js');
  const { ClientHub } = (await import(path.join(dist, 'control/client-hub.js'))) as typeof import('../../app/engine/control/client-hub.js');
  const { startNetworkControl } = (await import(path.join(dist, 'control/network-control.js'))) as typeof import('../../app/engine/control/network-control.js');
  const engine = await EngineClass.start({ width: 160, height: 90, ...options.engine, configDir });
  let sources: ControlSources | null = null;
  try {
    const hub = new ClientHub(engine);
    const midiPorts = options.midiPorts;
    if (midiPorts) {
      const { ControlSources: Sources } = (await import(path.join(dist, 'control/control-sources.js'))) as typeof import('../../app/engine/control/control-sources.js');
      const { readControlConfig } = (await import(path.join(dist, 'control/control-config.js'))) as typeof import('../../app/engine/control/control-config.js');
      const log = () => {};
      sources = await Sources.start({ config: readControlConfig(configDir, log), configDir, hub, engine, midi: () => ({ ok: true, value: midiPorts }), log });
    }
    const control = await startNetworkControl({
      engine,
      hub,
      ...(sources ? { sources } : {}),
      staticDir: path.resolve('dist/renderer'),
      port: 0,
      ...(options.host ? { host: options.host } : {}),
      ...(options.token ? { token: options.token } : {}),
    });
    return {
      engine,
      control,
      sources,
      configDir,
      url: `http://127.0.0.1:${control.server.port}/`,
      async stop() {
        await control.close();
        await engine.stop();
        rmSync(configDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await sources?.stop();
    await engine.stop();
    rmSync(configDir, { recursive: true, force: true });
    throw error;
  }
}
