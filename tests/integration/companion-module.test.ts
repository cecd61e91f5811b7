/**
 * The Companion module's logic against a real headless engine on loopback: its
 * client, every action's command (validated by the engine's real schemas), the
 * feedback predicates on live state, and presets that only name real actions and
 * feedbacks. companion-module/src/main.ts (the InstanceBase glue) runs as Companion
 * runs it, in a child process on Companion's IPC protocol, in companion-host.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandSchema } from '../../app/contract/commands.js';
import { ClientHub } from '../../app/engine/control/client-hub.js';
import { startConsoleServer, type ConsoleServer } from '../../app/engine/control/console-server.js';
import { Engine } from '../../app/engine/engine.js';
import { ACTIONS, actionDefinitions } from '../../companion-module/src/actions.js';
import { CycloramaClient, type ConnectionStatus } from '../../companion-module/src/cyclorama-client.js';
import { FEEDBACKS, feedbackDefinitions } from '../../companion-module/src/feedbacks.js';
import { presetDefinitions } from '../../companion-module/src/presets.js';
import type { CycloramaState } from '../../companion-module/src/protocol.js';
import { waitUntil, type Probe } from '../helpers/wait.js';

let engine: Engine;
let server: ConsoleServer;
let client: CycloramaClient;
const statuses: ConnectionStatus[] = [];
const rejected: string[] = [];

const waitFor = <T>(predicate: Probe<T>, timeoutMs = 10_000) => waitUntil(predicate, { timeoutMs });

/** Runs a Companion action the way Companion would: its callback with the button's options. */
async function press(id: keyof typeof ACTIONS, options: Record<string, unknown> = {}) {
  const definitions = actionDefinitions(
    (command) => client.send(command),
    (name, reply) => rejected.push(`${name}: ${reply.error?.message}`),
  );
  const definition = definitions[id];
  if (!definition) throw new Error(`no action ${id}`);
  await definition.callback({ id: 'x', actionId: id, controlId: 'c', options } as never, {} as never);
}

const state = (): CycloramaState | null => client.state;

beforeAll(async () => {
  engine = await Engine.start({ width: 320, height: 180, configDir: null });
  server = await startConsoleServer({ hub: new ClientHub(engine), staticDir: 'dist/renderer', port: 0 });
  for (const prompt of ['snow', 'neon night', 'underwater']) {
    engine.dispatch(commandSchema.parse({ type: 'addCue', patch: { prompt, transition: { durationMs: 0, curve: 'linear' } } }));
  }
  client = new CycloramaClient(CycloramaClient.url('127.0.0.1', server.port), { status: (s) => statuses.push(s), state: () => {} });
  await waitFor(() => statuses.includes('ok'));
});

afterAll(async () => {
  client?.close();
  await server?.close();
  await engine?.stop();
});

describe('Companion module', () => {
  it('maps every action to a command the engine accepts', () => {
    const samples: Record<string, Record<string, unknown>> = {
      selectOutput: { output: 'Wall A', mode: 'blank' },
      fireCue: { number: '2' },
      prompt: { prompt: 'fog', transitionMs: 500 },
      seed: { seed: 9 },
      black: { fadeMs: 250 },
      input: { kind: 'ndi', name: 'STAGE-PC (Unreal Plate)', fit: 'crop', strength: 0.4 },
      pullModel: { name: 'sd-turbo' },
      cancelPull: { name: 'sd-turbo' },
    };
    for (const [id, spec] of Object.entries(ACTIONS)) {
      const command = spec.command(samples[id] ?? {});
      expect(commandSchema.safeParse(command).success, `${id} -> ${JSON.stringify(command)}`).toBe(true);
    }
    for (const options of [{ kind: 'program', strength: 2 }, { kind: 'none' }, { kind: 'image', name: '/plates/a.png', fit: 'fit' }]) {
      const command = ACTIONS.input.command(options);
      expect(commandSchema.safeParse(command).success, JSON.stringify(command)).toBe(true);
    }
    expect(ACTIONS.input.command({ kind: 'none' })).toEqual({ type: 'setInput', input: null });
  });

  it('runs a three-cue show with GO and BACK, and cue feedbacks follow', async () => {
    await waitFor(() => state()?.show?.document.cues.length === 3);
    expect(FEEDBACKS.cueStandby(state(), '1')).toBe(true);
    await press('go');
    await waitFor(() => FEEDBACKS.cueLive(state(), '1'));
    expect(FEEDBACKS.cueStandby(state(), '2')).toBe(true);
    expect(engine.state().program.prompt).toBe('snow');
    await new Promise((r) => setTimeout(r, 600)); // past the show's double-GO guard
    await press('fireCue', { number: '3' });
    await waitFor(() => FEEDBACKS.cueLive(state(), '3'));
    expect(engine.state().program.prompt).toBe('underwater');
    await new Promise((r) => setTimeout(r, 600));
    await press('back');
    await waitFor(() => FEEDBACKS.cueLive(state(), '2'));
    expect(engine.state().program.prompt).toBe('neon night');
  });

  it('panic and restore, with the panic feedback per mode', async () => {
    await press('black', { fadeMs: 0 });
    await waitFor(() => FEEDBACKS.panicActive(state(), 'black'));
    expect(FEEDBACKS.panicActive(state(), 'freeze')).toBe(false);
    expect(FEEDBACKS.panicActive(state(), 'any')).toBe(true);
    await press('restore');
    await waitFor(() => !FEEDBACKS.panicActive(state(), 'any'));
    const feedback = feedbackDefinitions(state).panicActive!;
    expect(feedback.type === 'boolean' && (await feedback.callback({ options: { mode: 'any' } } as never, {} as never))).toBe(false);
  });

  it('selects and blanks an output by name, with the blanked feedback following', async () => {
    engine.dispatch(commandSchema.parse({ type: 'addDisplayOutput', name: 'Wall A' }));
    await waitFor(() => state()?.outputs.some((o) => o.name === 'Wall A'));
    expect(FEEDBACKS.outputBlanked(state(), 'Wall A')).toBe(false);
    await press('selectOutput', { output: 'Wall A', mode: 'blank' });
    await waitFor(() => FEEDBACKS.outputBlanked(state(), 'Wall A'));
    expect(engine.state().outputs.find((o) => o.name === 'Wall A')?.live).toBe(false);
    await press('selectOutput', { output: 'Wall A', mode: 'toggle' });
    await waitFor(() => !FEEDBACKS.outputBlanked(state(), 'Wall A'));
    expect(engine.state().outputs.find((o) => o.name === 'Wall A')?.live).toBe(true);
    await press('selectOutput', { output: 'Floor', mode: 'select' });
    expect(rejected.at(-1)).toMatch(/Output: select \/ blank: No NDI or display output "Floor"/);
  });

  it('logs a refused command instead of failing silently', async () => {
    await press('prompt', { prompt: 'x'.repeat(5000), transitionMs: 0 });
    expect(rejected.at(-1)).toMatch(/Set prompt: .*prompt/);
    await press('fireCue', { number: '99' });
    expect(rejected.at(-1)).toMatch(/Fire cue by number: No cue numbered 99 in this show \(cues: 1, 2, 3\)/);
  });

  it('Model: download of the real catalog SD-Turbo is refused until its licence is accepted, and the refusal is logged (no request leaves the machine)', async () => {
    await waitFor(() => state()?.models !== undefined);
    await press('pullModel', { name: 'sd-turbo' });
    expect(rejected.at(-1)).toMatch(/Model: download: SD-Turbo .* Stability AI Non-Commercial Research Community License .*accept it before the first download/);
    expect(FEEDBACKS.modelDownloading(state(), 'sd-turbo')).toBe(false);
    expect(FEEDBACKS.modelDownloadProgress(state(), 'sd-turbo')).toBe('');
    await press('cancelPull', { name: 'sd-turbo' });
    expect(rejected.at(-1)).toMatch(/Model: cancel download: No download of "sd-turbo" is running/);
  });

  it('presets use only actions and feedbacks the module defines', () => {
    const feedbackIds = Object.keys(feedbackDefinitions(() => null));
    for (const [name, preset] of Object.entries(presetDefinitions())) {
      if (preset?.type !== 'button') continue;
      for (const step of preset.steps) for (const action of step.down) expect(Object.keys(ACTIONS), name).toContain(action.actionId);
      for (const feedback of preset.feedbacks) expect(feedbackIds, name).toContain(feedback.feedbackId);
    }
  });
});
