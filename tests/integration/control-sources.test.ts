/**
 * DMX in and MIDI Show Control wired into the real engine, configured by the
 * machine's control.json: real sender libraries (sacn, dmxnet) on loopback UDP
 * drive GO (rising edge, cue select by position), the master and panic; wrong
 * universes, a source outside the allow list, malformed packets and signal loss
 * change nothing; everything is counted in the state the console gets. MSC comes
 * from a stand-in for MidiPorts (no ALSA sequencer on this machine), with the
 * engine's own parser, device-id filter and mapping.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sender as SacnSender } from 'sacn';
import { dmxnet as Dmxnet } from 'dmxnet';
import type { EngineState } from '../../app/contract/state.js';
import { ClientHub } from '../../app/engine/control/client-hub.js';
import { readControlConfig } from '../../app/engine/control/control-config.js';
import { ControlSources } from '../../app/engine/control/control-sources.js';
import { DmxSource } from '../../app/engine/control/dmx-source.js';
import { startNetworkControl, type NetworkControl } from '../../app/engine/control/network-control.js';
import { RateLimiter } from '../../app/engine/control/rate-limit.js';
import { controlConfigSchema } from '../../app/contract/control-sources.js';
import { Engine } from '../../app/engine/engine.js';
import { connectTestClient, type TestClient } from '../helpers/engine-client.js';
import { standInMidiPorts, type StandInMidi } from '../helpers/midi-stand-in.js';
import { waitUntil } from '../helpers/wait.js';

const MASTER = 1;
const CUE_SELECT = 2;
const CUE16_COARSE = 3;
const CUE16_FINE = 4;
const GO = 5;
const PANIC = 6;
/** The personality patched at start address 101: channel N of it is slot 100 + N. */
const START = 101;
const at = (channel: number) => START - 1 + channel;

let engine: Engine;
let hub: ClientHub;
let control: NetworkControl;
let sources: ControlSources;
let client: TestClient;
let midi: StandInMidi;
let configDir: string;
let sacnPort: number;
const logLines: string[] = [];
const cleanups: (() => unknown)[] = [];

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

beforeAll(async () => {
  sacnPort = await freeUdpPort();
  configDir = mkdtempSync(join(tmpdir(), 'control-sources-'));
  writeFileSync(
    join(configDir, 'control.json'),
    JSON.stringify({
      dmx: { enabled: true, protocol: 'sacn', universe: 9, startAddress: START, port: sacnPort, sourceTimeoutMs: 800 },
      msc: { enabled: true, input: 'QLab MSC', deviceId: 5, groupIds: [0x71] },
      midi: {
        enabled: true,
        input: 'Launchpad',
        output: 'Launchpad',
        mappings: [
          { kind: 'note', channel: 1, number: 36, action: 'go' },
          { kind: 'note', channel: 1, number: 40, action: 'fireCue', cue: '3' },
          { kind: 'note', channel: 1, number: 41, action: 'standbyDown' },
          { kind: 'cc', channel: 1, number: 64, action: 'panic' },
          { kind: 'cc', channel: 1, number: 7, action: 'master' },
        ],
      },
    }),
  );
  midi = standInMidiPorts(['IAC Driver QLab MSC', 'Launchpad Mini MIDI 1', 'Other Port'], ['Launchpad Mini MIDI 1']);
  engine = await Engine.start({ initialPrompt: 'soft grey studio', configDir: null });
  hub = new ClientHub(engine, (line) => logLines.push(line));
  sources = await ControlSources.start({
    config: readControlConfig(configDir, (l) => logLines.push(l)),
    hub,
    engine,
    midi: () => ({ ok: true, value: midi }),
    log: (l) => logLines.push(l),
    dmxTickMs: 50,
  });
  control = await startNetworkControl({ engine, hub, staticDir: 'dist/renderer', port: 0, sources, log: (line) => logLines.push(line) });
  client = await connectTestClient(`ws://127.0.0.1:${control.server.port}/ws`);
  await client.connection.send({ type: 'updateShow', settings: { goGuardMs: 0 } });
  for (const [prompt, name] of [
    ['snow white winter morning', 'Snow'],
    ['neon night city', 'Neon'],
    ['deep green forest', 'Forest'],
  ] as const) {
    expect(await client.connection.send({ type: 'addCue', patch: { prompt, name, transition: { durationMs: 0, curve: 'linear' } } })).toEqual({ ok: true });
  }
  await client.waitFor(() => client.latestState().show?.document.cues.length === 3);
});

afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  client?.close();
  await control?.close();
  await engine?.stop();
});

const state = (): EngineState => client.latestState();
const show = () => state().show!;
const dmxStatus = () => state().control?.sources?.dmx;
const refresh = async () => {
  await client.connection.send({ type: 'getState' });
};

function sacnSender(universe: number, priority: number, name: string) {
  const s = new SacnSender({
    universe,
    port: sacnPort,
    useUnicastDestination: '127.0.0.1',
    defaultPacketOptions: { sourceName: name, priority, useRawDmxValues: true, cid: randomBytes(16) },
  });
  cleanups.push(() => s.close());
  return s;
}

describe('DMX in over sACN, configured by control.json (sacn library as the desk)', () => {
  it('reports the patch from control.json in the state; nothing received yet', async () => {
    await refresh();
    await client.waitFor(() => dmxStatus());
    expect(dmxStatus()).toMatchObject({ protocol: 'sacn', universe: 9, startAddress: START, port: sacnPort, signal: 'none', values: null });
  });

  it('GO on a rising edge only; cue select by position (8-bit and the 16-bit pair); the master; panic and restore', async () => {
    const desk = sacnSender(9, 100, 'desk');
    const send = (levels: Record<number, number>) => desk.send({ payload: Object.fromEntries(Object.entries(levels).map(([ch, v]) => [at(Number(ch)), v])) });
    await send({ [MASTER]: 255, [GO]: 255 }); // the first universe: GO high is a baseline, not a GO
    await refresh();
    await client.waitFor(() => dmxStatus()?.signal === 'live' && dmxStatus()?.values?.master === 1);
    expect(show().currentCueId).toBeNull();
    await send({ [MASTER]: 255, [GO]: 0 });
    await send({ [MASTER]: 255, [GO]: 200 });
    await client.waitFor(() => show().currentCueId === 'c1');
    await send({ [MASTER]: 255, [GO]: 255 }); // still high: no second GO
    await send({ [MASTER]: 128, [GO]: 255, [CUE_SELECT]: 3 });
    await sources.dmx!.settled();
    await refresh();
    await client.waitFor(() => dmxStatus()?.values?.master === 128 / 255);
    expect(show().currentCueId).toBe('c1');
    // Select position 3, then a rise: fires the third cue.
    await send({ [MASTER]: 128, [GO]: 0, [CUE_SELECT]: 3 });
    await send({ [MASTER]: 128, [GO]: 255, [CUE_SELECT]: 3 });
    await client.waitFor(() => show().currentCueId === 'c3');
    // The 16-bit pair (0, 2) overrides the 8-bit select.
    await send({ [MASTER]: 128, [GO]: 0, [CUE_SELECT]: 3, [CUE16_COARSE]: 0, [CUE16_FINE]: 2 });
    await send({ [MASTER]: 128, [GO]: 255, [CUE_SELECT]: 3, [CUE16_COARSE]: 0, [CUE16_FINE]: 2 });
    await client.waitFor(() => show().currentCueId === 'c2');
    // Past the end of the list: named in the log, nothing fires.
    await send({ [MASTER]: 128, [GO]: 0, [CUE_SELECT]: 200 });
    await send({ [MASTER]: 128, [GO]: 255, [CUE_SELECT]: 200 });
    await waitUntil(() => logLines.some((l) => /cue select 200: the cue list has no cue at that position/.test(l)));
    expect(show().currentCueId).toBe('c2');
    // Panic band 64-127 is black; back to 0 restores.
    await send({ [MASTER]: 128, [GO]: 0, [PANIC]: 100 });
    await client.waitFor(() => state().program.panic === 'black');
    await send({ [MASTER]: 128, [GO]: 0, [PANIC]: 0 });
    await client.waitFor(() => state().program.panic === 'none');
    await refresh();
    await client.waitFor(() => (dmxStatus()?.counters.dispatched ?? 0) >= 5);
    expect(dmxStatus()!.counters).toMatchObject({ rejected: 0, rateLimited: 0 });
  });

  it('another universe and malformed packets change nothing and are counted', async () => {
    const before = { cue: show().currentCueId, dispatched: sources.dmx!.sink.counters.dispatched };
    const other = sacnSender(10, 100, 'other desk');
    await other.send({ payload: { [at(GO)]: 0, [at(PANIC)]: 255 } });
    await other.send({ payload: { [at(GO)]: 255, [at(PANIC)]: 255 } });
    const raw = createSocket('udp4');
    await new Promise<void>((r) => raw.send(Buffer.from('definitely not E1.31'), sacnPort, '127.0.0.1', () => r()));
    await new Promise<void>((r) => raw.send(randomBytes(638), sacnPort, '127.0.0.1', () => r()));
    raw.close();
    await refresh();
    await client.waitFor(() => (dmxStatus()?.packets.corrupt ?? 0) >= 2);
    expect(show().currentCueId).toBe(before.cue);
    expect(state().program.panic).toBe('none');
    expect(sources.dmx!.sink.counters.dispatched).toBe(before.dispatched);
  });

  it('two sources: a higher sACN priority takes over the master', async () => {
    const desk = sacnSender(9, 100, 'desk 2');
    await desk.send({ payload: { [at(MASTER)]: 200 } });
    await refresh();
    await client.waitFor(() => dmxStatus()?.values?.master === 200 / 255);
    const backup = sacnSender(9, 150, 'backup');
    await backup.send({ payload: { [at(MASTER)]: 20 } });
    await desk.send({ payload: { [at(MASTER)]: 200 } });
    await refresh();
    await client.waitFor(() => dmxStatus()?.values?.master === 20 / 255);
  });

  it('signal loss holds the values; a GO still high when the signal returns does not fire', async () => {
    await refresh();
    await client.waitFor(() => dmxStatus()?.signal === 'lost', 15_000);
    expect(dmxStatus()?.values?.master).toBe(20 / 255);
    expect(logLines.some((l) => /DMX signal lost .*holding the last values/.test(l))).toBe(true);
    const cueBefore = show().currentCueId;
    const dispatched = sources.dmx!.sink.counters.dispatched;
    const desk = sacnSender(9, 100, 'desk back');
    await desk.send({ payload: { [at(MASTER)]: 90, [at(GO)]: 255 } });
    await desk.send({ payload: { [at(MASTER)]: 90, [at(GO)]: 255 } });
    await refresh();
    await client.waitFor(() => dmxStatus()?.signal === 'live' && dmxStatus()?.values?.master === 90 / 255);
    await sources.dmx!.settled();
    // No GO: the one command is the master that moved during the loss (the wall follows it, contract/levels.ts).
    await waitUntil(() => sources.dmx!.sink.counters.dispatched > dispatched, { what: 'the master sent' });
    expect(sources.dmx!.sink.counters.dispatched).toBe(dispatched + 1);
    expect(state().levels?.master ?? engine.state().levels?.master).toBeCloseTo(90 / 255, 9);
    expect(show().currentCueId).toBe(cueBefore);
  });
});

describe('DMX in over Art-Net (dmxnet library as the desk)', () => {
  async function artnetSender(port: number, portAddress: number) {
    const lib = new Dmxnet({ listen: await freeUdpPort(), log: { level: 'error' } });
    const s = lib.newSender({ ip: '127.0.0.1', port, net: (portAddress >> 8) & 0x7f, subnet: (portAddress >> 4) & 0xf, universe: portAddress & 0xf, base_refresh_interval: 100 });
    cleanups.push(() => {
      s.stop();
      lib.listener4.close();
      lib.socket.close();
    });
    return s;
  }

  it('drives GO and panic through the engine; a source outside the allow list is refused', async () => {
    const port = await freeUdpPort();
    const config = controlConfigSchema.parse({ dmx: { enabled: true, protocol: 'artnet', universe: 0x21, startAddress: 1, port, allow: ['127.0.0.1'] } }).dmx;
    const log: string[] = [];
    const source = await DmxSource.start({ config, hub, limiter: new RateLimiter(), log: (l) => log.push(l), tickMs: 50 });
    cleanups.push(() => source.stop());
    await client.connection.send({ type: 'standby', cueId: 'c1' });
    await client.waitFor(() => show().standbyCueId === 'c1');
    const desk = await artnetSender(port, 0x21);
    desk.prepChannel(GO - 1, 0);
    desk.transmit();
    await waitUntil(() => source.status().signal === 'live');
    desk.setChannel(GO - 1, 255);
    await client.waitFor(() => show().currentCueId === 'c1');
    desk.setChannel(PANIC - 1, 200);
    await client.waitFor(() => state().program.panic === 'safe-plate');
    desk.setChannel(PANIC - 1, 0);
    await client.waitFor(() => state().program.panic === 'none');
    // GO, panic, restore, and the master (channel 1 at 0: followed from the first packet).
    expect(source.status().counters).toMatchObject({ dispatched: 4, rejected: 0 });
    await hub.submit({ type: 'setMasterLevel', level: 1 }, 'test'); // the wall back to full for the tests that follow

    const fenced = await DmxSource.start({
      config: { ...config, port: await freeUdpPort(), allow: ['10.1.2.3'] },
      hub,
      limiter: new RateLimiter(),
      log: (l) => log.push(l),
      tickMs: 50,
    });
    cleanups.push(() => fenced.stop());
    const stranger = await artnetSender(fenced.status().port, 0x21);
    stranger.setChannel(PANIC - 1, 100);
    await waitUntil(() => fenced.status().packets.refusedSources >= 2);
    expect(fenced.status()).toMatchObject({ signal: 'none', values: null });
    expect(state().program.panic).toBe('none');
  });
});

describe('MIDI Show Control from a MIDI input (with a stand-in for MidiPorts: no ALSA sequencer here)', () => {
  const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
  const msc = (device: number, command: number, data: number[] = [], format = 0x01) => [0xf0, 0x7f, device, 0x02, format, command, ...data, 0xf7];
  const send = (bytes: number[]) => midi.inject('IAC Driver QLab MSC', bytes);
  const mscStatus = () => state().control?.sources?.msc;

  it('opens the configured input by part of its name and shows it in the state', async () => {
    expect(midi.openInputs()).toEqual(['IAC Driver QLab MSC', 'Launchpad Mini MIDI 1']);
    await refresh();
    await client.waitFor(() => mscStatus()?.open);
    expect(mscStatus()).toMatchObject({ input: 'IAC Driver QLab MSC', deviceId: 5, problem: null });
  });

  it('GO with a cue number, LOAD, GO, TIMED_GO, STOP and RESUME; other devices are filtered', async () => {
    send(msc(5, 0x01, ascii('3')));
    await client.waitFor(() => show().currentCueId === 'c3');
    send(msc(5, 0x05, ascii('2'))); // LOAD 2: standby
    await client.waitFor(() => show().standbyCueId === 'c2');
    send(msc(0x7f, 0x01)); // all-call GO: the standby cue
    await client.waitFor(() => show().currentCueId === 'c2');
    send(msc(0x71, 0x04, [0x21, 0x02, 0x03, 0x04, 0x00, ...ascii('1')])); // group 0x71 TIMED_GO 1 (25 fps, 01:02:03:04)
    await client.waitFor(() => show().currentCueId === 'c1');
    send(msc(5, 0x03)); // RESUME: the timeline plays
    await client.waitFor(() => show().timeline?.playing === true);
    send(msc(5, 0x02)); // STOP: pauses it
    await client.waitFor(() => show().timeline?.playing === false);
    const counted = sources.msc!.status().counters.dispatched;
    send(msc(6, 0x01, ascii('3'))); // another device
    send(msc(0x72, 0x01, ascii('3'))); // a group we are not in
    send(msc(5, 0x01, ascii('3'), 0x10)); // sound, not our department
    send([0xf0, 0x7f, 5, 0x02, 0x01, 0x01, 0x41, 0xf7]); // GO with a letter as the cue number: malformed
    await sources.msc!.settled();
    expect(sources.msc!.status().messages).toMatchObject({ filtered: 3, malformed: 1 });
    expect(sources.msc!.status().counters.dispatched).toBe(counted);
    expect(show().currentCueId).toBe('c1');
    send(msc(5, 0x05, ascii('9'))); // LOAD of a cue that is not there
    await waitUntil(() => logLines.some((l) => /MSC LOAD: no cue numbered "9"/.test(l)));
  });

  it('a flood of GOs is held by the rate limiter and counted', async () => {
    const before = { ...sources.msc!.status().counters };
    for (let i = 0; i < 200; i++) send(msc(5, 0x01));
    await sources.msc!.settled();
    const after = sources.msc!.status().counters;
    expect(after.received - before.received).toBe(200);
    expect(after.rateLimited - before.rateLimited).toBeGreaterThanOrEqual(200 - sources.limiter.burst - 5);
    await refresh();
    await client.waitFor(() => (mscStatus()?.counters.rateLimited ?? 0) >= after.rateLimited);
  });
});

describe('MIDI control from a controller (with a stand-in for MidiPorts: no ALSA sequencer here)', () => {
  const press = (bytes: number[]) => midi.inject('Launchpad Mini MIDI 1', bytes);
  const leds = () => midi.sent.get('Launchpad Mini MIDI 1') ?? [];

  it('mappings from control.json drive GO, standby and panic; LEDs follow, byte for byte', async () => {
    // On open, every LED once: nothing was on standby before the cues were added, no panic.
    expect(leds().slice(0, 4)).toEqual([
      [0x90, 36, 0],
      [0x90, 40, 0],
      [0x90, 41, 0],
      [0xb0, 64, 0],
    ]);
    await client.connection.send({ type: 'standby', cueId: 'c2' });
    await client.waitFor(() => show().standbyCueId === 'c2');
    let seen = leds().length;
    press([0x90, 41, 127]); // standby down: c3
    await client.waitFor(() => show().standbyCueId === 'c3');
    await waitUntil(
      () =>
        leds()
          .slice(seen)
          .some((m) => m[1] === 40 && m[2] === 127),
      { what: () => `the cue 3 LED on; sent ${JSON.stringify(leds().slice(seen))}` },
    );
    expect(leds().slice(seen)).toContainEqual([0x90, 40, 127]);
    seen = leds().length;
    press([0x90, 36, 100]); // GO: fires c3, nothing left on standby
    press([0x80, 36, 0]);
    await client.waitFor(() => show().currentCueId === 'c3');
    await waitUntil(() =>
      leds()
        .slice(seen)
        .some((m) => m[0] === 0x90 && m[1] === 40 && m[2] === 0),
    );
    seen = leds().length;
    press([0xb0, 64, 127]); // panic button (a CC)
    await client.waitFor(() => state().program.panic === 'black');
    await waitUntil(
      () =>
        leds()
          .slice(seen)
          .some((m) => m[0] === 0xb0 && m[1] === 64 && m[2] === 127),
      { what: () => `the panic LED on; sent ${JSON.stringify(leds().slice(seen))}` },
    );
    press([0xb0, 64, 0]);
    await client.connection.send({ type: 'restore' });
    await client.waitFor(() => state().program.panic === 'none');
    press([0xb0, 7, 127]); // the master fader
    await refresh();
    await client.waitFor(() => state().control?.sources?.midi?.levels.master === 1);
    expect(state().control?.sources?.midi).toMatchObject({ input: 'Launchpad Mini MIDI 1', output: 'Launchpad Mini MIDI 1', open: true, learning: null });
    // GO, standby down, panic, and the master fader (setMasterLevel).
    await waitUntil(() => engine.state().levels?.master === 1, { what: 'the master fader applied' });
    expect(sources.midi!.status().counters).toMatchObject({ dispatched: 4, rejected: 0 });
  });

  it('learn: the next control moved is bound to the action', async () => {
    sources.midi!.control.learn('back');
    press([0x90, 50, 90]);
    expect(sources.midi!.status().mappings).toContainEqual({ kind: 'note', channel: 1, number: 50, action: 'back' });
    expect(logLines.some((l) => /MIDI learn: note 50 on channel 1 -> back/.test(l))).toBe(true);
  });
});

describe('control.json', () => {
  it('absent: everything off; broken: moved aside with a line, everything off', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'control-config-'));
    const log: string[] = [];
    expect(readControlConfig(dir, (l) => log.push(l))).toMatchObject({ dmx: { enabled: false }, msc: { enabled: false } });
    writeFileSync(join(dir, 'control.json'), JSON.stringify({ dmx: { enabled: true, startAddress: 509 } }));
    expect(readControlConfig(dir, (l) => log.push(l)).dmx.enabled).toBe(false);
    expect(log.join('\n')).toMatch(/control\.json cannot be used \(field "dmx\.startAddress": .*\); moved to .*control\.json\.broken/);
    expect(existsSync(join(dir, 'control.json'))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'control.json.broken'), 'utf8'))).toEqual({ dmx: { enabled: true, startAddress: 509 } });
    const off = await ControlSources.start({ config: readControlConfig(dir, () => {}), hub, midi: () => ({ ok: true, value: standInMidiPorts([]) }), log: () => {} });
    expect(off.status()).toEqual({ dmx: null, msc: null, midi: null });
  });
});
