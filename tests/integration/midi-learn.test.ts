/**
 * MIDI learn through the contract on a real engine, with a stand-in for MidiPorts
 * (no ALSA sequencer on this machine): choose the ports (a wrong name is refused in
 * words), learn GO and the master fader from the controller, remove a control; the
 * mappings land in the machine's control.json, and after the engine is stopped and
 * started again on the same config folder they are still there and GO still fires,
 * with the LEDs sent again byte for byte.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientHub } from '../../app/engine/control/client-hub.js';
import { readControlConfig } from '../../app/engine/control/control-config.js';
import { ControlSources } from '../../app/engine/control/control-sources.js';
import { startNetworkControl, type NetworkControl } from '../../app/engine/control/network-control.js';
import { Engine } from '../../app/engine/engine.js';
import { connectTestClient, type TestClient } from '../helpers/engine-client.js';
import { standInMidiPorts, type StandInMidi } from '../helpers/midi-stand-in.js';
import { waitUntil } from '../helpers/wait.js';

const PAD = 'APC mini mk2 MIDI 1';

interface Node {
  engine: Engine;
  control: NetworkControl;
  client: TestClient;
  stop(): Promise<void>;
}

const running: Node[] = [];
afterEach(async () => {
  for (const node of running.splice(0)) await node.stop();
});

/** An engine, its control sources on `midi` and `configDir` (as `serve` starts them), and a console client. */
async function startNode(configDir: string, midi: StandInMidi, logLines: string[]): Promise<Node> {
  const log = (line: string) => logLines.push(line);
  const engine = await Engine.start({ initialPrompt: 'soft grey studio', configDir: null });
  const hub = new ClientHub(engine, log);
  const sources = await ControlSources.start({ config: readControlConfig(configDir, log), configDir, hub, engine, midi: () => ({ ok: true, value: midi }), log });
  const control = await startNetworkControl({ engine, hub, staticDir: 'dist/renderer', port: 0, sources, log });
  const client = await connectTestClient(`ws://127.0.0.1:${control.server.port}/ws`);
  const node: Node = {
    engine,
    control,
    client,
    async stop() {
      client.close();
      await control.close();
      hub.close();
      await engine.stop();
    },
  };
  running.push(node);
  return node;
}

describe('MIDI learn (with a stand-in for MidiPorts: no ALSA sequencer here)', () => {
  it('learns from the controller, saves to control.json, and the mappings survive a restart', async () => {
    const configDir = mkdtempSync(join(tmpdir(), 'midi-learn-'));
    const midi = standInMidiPorts([PAD, 'Midi Through Port-0'], [PAD]);
    const leds = () => midi.sent.get(PAD) ?? [];
    const logLines: string[] = [];
    const a = await startNode(configDir, midi, logLines);
    const send = a.client.connection.send;
    const midiStatus = () => a.client.latestState().control?.sources?.midi ?? null;

    // The ports on offer; learning before an input is chosen is refused in words.
    expect(await send({ type: 'listMidiPorts' })).toEqual({ ok: true });
    await a.client.waitFor(() => a.client.latestState().control?.sources?.midiPorts?.inputs.length === 2);
    expect(a.client.latestState().control?.sources?.midiPorts).toEqual({ inputs: [PAD, 'Midi Through Port-0'], outputs: [PAD], problem: null });
    const early = await send({ type: 'midiLearn', action: 'go' });
    expect(early.ok ? null : early.error.message).toMatch(/choose the controller's input port first/);

    // A port that is not there: refused, named, and shown in the status.
    const wrong = await send({ type: 'setMidiPorts', input: 'Launchpad', output: 'Nope' });
    expect(wrong.ok ? null : wrong.error.message).toMatch(/No MIDI input named "Launchpad".*MIDI feedback is off: No MIDI output named "Nope"/);
    await a.client.waitFor(() => midiStatus()?.open === false);
    expect(midiStatus()?.problem).toMatch(/No MIDI input named "Launchpad"/);

    expect(await send({ type: 'setMidiPorts', input: PAD, output: PAD })).toEqual({ ok: true });
    await a.client.waitFor(() => midiStatus()?.open === true);
    expect(midiStatus()).toMatchObject({ input: PAD, output: PAD, problem: null, learning: null, mappings: [] });

    // Two cues, the first on standby.
    for (const prompt of ['misty harbour', 'night market']) {
      expect(await send({ type: 'addCue', patch: { prompt, transition: { durationMs: 0, curve: 'linear' } } })).toEqual({ ok: true });
    }
    await send({ type: 'updateShow', settings: { goGuardMs: 0 } });
    await a.client.waitFor(() => a.client.latestState().show?.document.cues.length === 2);
    const first = a.client.latestState().show!.document.cues[0];
    await send({ type: 'standby', cueId: first!.id });

    // Learn GO: the state says what it waits for; the pad binds it (the press does not fire).
    expect(await send({ type: 'midiLearn', action: 'go' })).toEqual({ ok: true });
    await a.client.waitFor(() => midiStatus()?.learning === 'go');
    midi.inject(PAD, [0x90, 56, 127]);
    await a.client.waitFor(() => midiStatus()?.learning === null);
    expect(midiStatus()?.mappings).toEqual([{ kind: 'note', channel: 1, number: 56, action: 'go' }]);
    expect(a.client.latestState().show?.currentCueId).toBeNull();
    expect(leds()).toEqual([[0x90, 56, 127]]);

    // Learn the master fader (CC 48 on channel 1), cancel a learn, remove one that is not there.
    await send({ type: 'midiLearn', action: 'master' });
    midi.inject(PAD, [0xb0, 48, 90]);
    await a.client.waitFor(() => midiStatus()?.mappings.length === 2);
    midi.inject(PAD, [0xb0, 48, 127]);
    await send({ type: 'getState' });
    await a.client.waitFor(() => midiStatus()?.levels.master === 1);
    await send({ type: 'midiLearn', action: 'back' });
    await a.client.waitFor(() => midiStatus()?.learning === 'back');
    await send({ type: 'midiCancelLearn' });
    await a.client.waitFor(() => midiStatus()?.learning === null);
    const missing = await send({ type: 'midiRemoveMapping', kind: 'note', channel: 2, number: 56 });
    expect(missing.ok ? null : missing.error.message).toMatch(/No MIDI mapping on note 56, channel 2/);

    // Saved with the machine, not the show.
    const saved = JSON.parse(readFileSync(join(configDir, 'control.json'), 'utf8')) as { midi: unknown; dmx: { enabled: boolean } };
    expect(saved.midi).toEqual({
      enabled: true,
      input: PAD,
      output: PAD,
      mappings: [
        { kind: 'note', channel: 1, number: 56, action: 'go' },
        { kind: 'cc', channel: 1, number: 48, action: 'master' },
      ],
    });
    expect(saved.dmx.enabled).toBe(false);
    expect(logLines.some((l) => /MIDI learn: note 56 on channel 1 -> go/.test(l))).toBe(true);

    // Stop the engine; start another on the same config folder.
    await running.splice(0)[0]!.stop();
    midi.sent.clear();
    const b = await startNode(configDir, midi, logLines);
    const after = () => b.client.latestState().control?.sources?.midi ?? null;
    expect(after()).toMatchObject({ input: PAD, output: PAD, open: true, mappings: (saved.midi as { mappings: unknown[] }).mappings });
    // On open every LED once (no show yet: nothing on standby, GO dark).
    expect(leds()).toEqual([[0x90, 56, 0]]);
    for (const prompt of ['misty harbour', 'night market']) await b.client.connection.send({ type: 'addCue', patch: { prompt } });
    await b.client.connection.send({ type: 'updateShow', settings: { goGuardMs: 0 } });
    await b.client.waitFor(() => b.client.latestState().show?.document.cues.length === 2);
    const cues = b.client.latestState().show!.document.cues;
    await b.client.connection.send({ type: 'standby', cueId: cues[0]!.id });
    await waitUntil(() => leds().length === 2, { what: () => `GO lit; sent ${JSON.stringify(leds())}` });
    expect(leds()).toEqual([
      [0x90, 56, 0],
      [0x90, 56, 127],
    ]);
    midi.inject(PAD, [0x90, 56, 127]); // GO, learnt before the restart
    await b.client.waitFor(() => b.client.latestState().show?.currentCueId === cues[0]!.id);

    // Remove it from the new engine: its LED goes dark, control.json follows.
    expect(await b.client.connection.send({ type: 'midiRemoveMapping', kind: 'note', channel: 1, number: 56 })).toEqual({ ok: true });
    expect(leds().at(-1)).toEqual([0x90, 56, 0]);
    const last = JSON.parse(readFileSync(join(configDir, 'control.json'), 'utf8')) as { midi: { mappings: unknown[] } };
    expect(last.midi.mappings).toEqual([{ kind: 'cc', channel: 1, number: 48, action: 'master' }]);
    expect(existsSync(join(configDir, 'control.json.broken'))).toBe(false);
  }, 120_000);
});
