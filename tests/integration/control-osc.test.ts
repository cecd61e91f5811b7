/**
 * OSC control with real sockets on loopback and the real engine: a three-cue show
 * fired from an OSC client (state and preview frames follow, feedback arrives),
 * errors answered on /cyclorama/error, a fuzz run that changes nothing, the source
 * allow list, and a flood held by the rate limit while the output clock keeps time.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineState } from '../../app/contract/state.js';
import { ClientHub } from '../../app/engine/control/client-hub.js';
import { startNetworkControl, type NetworkControl } from '../../app/engine/control/network-control.js';
import { OscServer } from '../../app/engine/control/osc-server.js';
import { Engine } from '../../app/engine/engine.js';
import { connectTestClient, type TestClient } from '../helpers/engine-client.js';
import { encode, lastValue, oscPeer, type OscPeer } from '../helpers/osc-client.js';

let engine: Engine;
let hub: ClientHub;
let control: NetworkControl;
let client: TestClient;
let osc: OscPeer;
let feedback: OscPeer;
const logLines: string[] = [];

beforeAll(async () => {
  engine = await Engine.start({ initialPrompt: 'soft grey studio', configDir: null });
  hub = new ClientHub(engine, (line) => logLines.push(line));
  feedback = await oscPeer(0);
  control = await startNetworkControl({
    engine,
    hub,
    staticDir: 'dist/renderer',
    port: 0,
    osc: { port: 0, feedback: [{ host: '127.0.0.1', port: feedback.port }] },
    log: (line) => logLines.push(line),
  });
  client = await connectTestClient(`ws://127.0.0.1:${control.server.port}/ws`);
  osc = await oscPeer(control.osc!.port);
});

afterAll(async () => {
  client?.close();
  await osc?.close();
  await feedback?.close();
  await control?.close();
  await engine?.stop();
});

const lastState = (): EngineState => client.latestState();
const show = () => lastState().show!;
const P = '/cyclorama';

describe('OSC control', () => {
  it('fires a three-cue show from an OSC client; state, preview frames and feedback follow', async () => {
    await client.waitFor(() => lastState().model.status === 'running', 30_000);
    await client.connection.send({ type: 'updateShow', settings: { goGuardMs: 0 } });
    for (const [prompt, name] of [
      ['snow white winter morning', 'Snow'],
      ['neon night city', 'Neon'],
      ['deep green forest', 'Forest'],
    ] as const) {
      expect(await client.connection.send({ type: 'addCue', patch: { prompt, name, transition: { durationMs: 0, curve: 'linear' } } })).toEqual({ ok: true });
    }
    await client.waitFor(() => show().document.cues.length === 3 && show().standbyCueId === 'c1');
    await feedback.waitFor(() => lastValue(feedback, `${P}/standby/name`) === 'Snow');
    for (const [id, name] of [
      ['c1', 'Snow'],
      ['c2', 'Neon'],
      ['c3', 'Forest'],
    ] as const) {
      const lookBefore = lastState().program.lookId;
      osc.send(`${P}/go`, [{ type: 'integer', value: 1 }]);
      osc.send(`${P}/go`, [{ type: 'integer', value: 0 }]); // the button's release: not a second GO
      await client.waitFor(() => show().currentCueId === id);
      await client.waitFor(() => client.frames.some((f) => f.header.lookId > lookBefore), 15_000);
      await feedback.waitFor(() => lastValue(feedback, `${P}/current/name`) === name);
    }
    expect(lastState().program.prompt).toBe('deep green forest');
    expect(show().standbyCueId).toBeNull();
    await feedback.waitFor(() => lastValue(feedback, `${P}/standby/id`) === '' && lastValue(feedback, `${P}/prompt`) === 'deep green forest');

    osc.send(`${P}/cue/fire`, [{ type: 'string', value: '2' }]);
    await client.waitFor(() => show().currentCueId === 'c2');
    osc.send(`${P}/cue/1/fire`);
    await client.waitFor(() => show().currentCueId === 'c1');
    osc.send(`${P}/back`);
    osc.send(`${P}/prompt`, [
      { type: 'string', value: 'golden desert dunes' },
      { type: 'integer', value: 500 },
    ]);
    await client.waitFor(() => lastState().program.prompt === 'golden desert dunes');
    osc.send(`${P}/seed`, [{ type: 'integer', value: 42 }]);
    await client.waitFor(() => lastState().program.seed === 42);
    osc.send(`${P}/panic/black`, [{ type: 'float', value: 200 }]);
    await client.waitFor(() => lastState().program.panic === 'black');
    await feedback.waitFor(() => lastValue(feedback, `${P}/panic`) === 'black' && lastValue(feedback, `${P}/panic/active`) === 1);
    osc.send(`${P}/restore`);
    await client.waitFor(() => lastState().program.panic === 'none');
    await feedback.waitFor(() => lastValue(feedback, `${P}/panic/active`) === 0);
    expect(typeof lastValue(feedback, `${P}/fps`)).toBe('number');
  });

  it('answers bad input with /cyclorama/error and changes nothing', async () => {
    const before = lastState();
    osc.send('/cyclorama/nope');
    osc.send(`${P}/seed`, [{ type: 'string', value: 'many' }]);
    osc.send(`${P}/seed`, [{ type: 'integer', value: -5 }]); // valid OSC, refused by the command schema
    osc.send(`${P}/timeline/rate`, [{ type: 'float', value: 100 }]); // above the schema's 16x
    const errors = await osc
      .waitFor(() => {
        const e = osc.received.filter((m) => m.address === `${P}/error`);
        return e.length >= 4 ? e : null;
      }, 3000)
      .catch((error) => {
        console.log(JSON.stringify(osc.received), logLines.slice(-10));
        throw error;
      });
    expect(errors.map((e) => e.args[0]?.value)).toEqual(['not-found', 'invalid-message', 'invalid-message', 'invalid-message']);
    await new Promise((r) => setTimeout(r, 100));
    const after = lastState();
    expect(after.program).toEqual(before.program);
    expect(after.show?.currentCueId).toBe(before.show?.currentCueId);
    expect(logLines.some((l) => /rejected \/cyclorama\/nope: unknown address/.test(l))).toBe(true);
  });

  it('survives a fuzz run of malformed and random packets; the show is unchanged and the engine still answers', async () => {
    const before = lastState();
    let seed = 1234567;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
    const addresses = ['go', 'back', 'restore', 'prompt', 'seed', 'panic/black', 'cue/fire', 'timeline/seek', 'timeline/rate', 'cue/x/fire'];
    // Mutated copies of a well-formed message to an address that changes nothing (a mutated /prompt can be a valid prompt).
    const valid = encode({
      address: `${P}/nope`,
      args: [
        { type: 'string', value: 'x'.repeat(40) },
        { type: 'integer', value: 7 },
      ],
    });
    const started = performance.now();
    const COUNT = 3000;
    for (let i = 0; i < COUNT; i++) {
      const kind = i % 8;
      let bytes: Uint8Array;
      if (kind === 0) bytes = randomBytes(1 + Math.floor(rand() * 200));
      else if (kind === 1)
        bytes = valid.slice(0, Math.floor(rand() * valid.length)); // truncated
      else if (kind === 2) {
        bytes = valid.slice();
        bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256); // one corrupted byte
      } else if (kind === 3) bytes = encode({ address: `${P}/${addresses[i % addresses.length]}`, args: [{ type: 'blob', value: randomBytes(8) }] });
      else if (kind === 4) bytes = encode({ address: `${P}/fuzz/${Math.floor(rand() * 1e6)}`, args: [{ type: 'integer', value: i }] });
      else if (kind === 5)
        bytes = randomBytes(9000); // oversized
      else if (kind === 6) {
        const deep = (d: number): Parameters<typeof encode>[0] => (d === 0 ? { address: `${P}/nope` } : { timetag: new Date(), elements: [deep(d - 1)] });
        bytes = encode(deep(6)); // nested too deep
      } else bytes = encode({ address: `${P}/seed`, args: [{ type: i % 2 ? 'true' : 'null' } as never] }); // wrong type for seed
      osc.sendRaw(bytes);
      if (i % 50 === 49) await new Promise((r) => setTimeout(r, 5)); // let the receive side breathe (UDP drops what does not fit)
    }
    const pongsBefore = osc.received.filter((m) => m.address === `${P}/pong`).length;
    await new Promise((r) => setTimeout(r, 300));
    osc.send(`${P}/ping`);
    await osc.waitFor(() => osc.received.filter((m) => m.address === `${P}/pong`).length > pongsBefore, 5000);
    expect(await client.connection.send({ type: 'getState' })).toEqual({ ok: true });
    const elapsed = performance.now() - started;
    const after = lastState();
    expect(after.program).toEqual(before.program);
    expect(after.show?.document).toEqual(before.show?.document);
    expect(after.show?.currentCueId).toBe(before.show?.currentCueId);
    const counters = control.osc!.counters;
    console.log(`fuzz: ${COUNT} packets in ${elapsed.toFixed(0)} ms; osc counters ${JSON.stringify(counters)}`);
    expect(counters.received).toBeGreaterThan(COUNT * 0.5); // UDP may drop some on a busy box
    expect(elapsed).toBeLessThan(15_000);
  });

  it('ignores OSC from a source outside the allow list', async () => {
    const guarded = await OscServer.start({ hub, engine, port: 0, allow: ['10.20.30.40'] });
    const outsider = await oscPeer(guarded.port);
    try {
      const before = lastState().program.seed;
      outsider.send(`${P}/seed`, [{ type: 'integer', value: 777 }]);
      outsider.send(`${P}/ping`);
      (await guarded.counters.received) >= 2 ? undefined : outsider.waitFor(() => guarded.counters.received >= 2, 3000);
      await new Promise((r) => setTimeout(r, 100));
      expect(guarded.counters.rejected).toBe(2);
      expect(guarded.counters.dispatched).toBe(0);
      expect(outsider.received).toHaveLength(0); // not even an error reply
      expect(lastState().program.seed).toBe(before);
    } finally {
      await outsider.close();
      await guarded.stop();
    }
  });

  it('a flood from one button is held by the rate limit and the output clock misses no ticks', async () => {
    const preview = () => lastState().outputs.find((o) => o.kind === 'preview')!;
    // Baseline: ticks this machine misses anyway over a quiet window as long as the
    // flood, so background load (a shared 2-core machine) is not blamed on the flood.
    await client.connection.send({ type: 'getState' });
    const quietStart = preview().missedTicks;
    await new Promise((r) => setTimeout(r, 2500));
    await client.connection.send({ type: 'getState' });
    const missedQuiet = preview().missedTicks - quietStart;
    const missedBefore = preview().missedTicks;
    const counters = control.osc!.counters;
    const start = { ...counters };
    const FLOOD = 5000;
    const started = performance.now();
    const packet = encode({ address: `${P}/restore`, args: [] });
    // ~4000 messages/s, a stuck button on a fast surface (far beyond a human), sent from
    // another process as a real surface would, so the sender's own work does not land
    // on the engine's event loop and the missed-tick count measures the engine alone.
    await floodFromAnotherProcess(control.osc!.port, packet, FLOOD);
    await new Promise((r) => setTimeout(r, 600));
    const seconds = (performance.now() - started) / 1000;
    await client.connection.send({ type: 'getState' });
    await client.waitFor(() => lastState().control?.osc?.counters.received === counters.received || true);
    const received = counters.received - start.received;
    const dispatched = counters.dispatched - start.dispatched;
    const limited = counters.rateLimited - start.rateLimited;
    const missed = preview().missedTicks - missedBefore;
    console.log(
      `flood: ${FLOOD} sent, ${received} received in ${seconds.toFixed(2)} s (${(received / seconds).toFixed(0)}/s), ${dispatched} dispatched, ${limited} rate limited, missed ticks ${missed} (quiet window: ${missedQuiet})`,
    );
    expect(received).toBeGreaterThan(FLOOD * 0.8);
    // Burst 40 plus 20/s for the flood's duration.
    expect(dispatched).toBeLessThanOrEqual(40 + Math.ceil(20 * seconds) + 2);
    expect(limited).toBe(received - dispatched);
    expect(missed).toBeLessThanOrEqual(missedQuiet + 2);
    expect(lastState().control?.osc?.counters.rateLimited).toBeGreaterThan(0);
  });
});

/** Sends `count` copies of `packet` to 127.0.0.1:`port` over UDP from a child process, 40 every 10 ms. */
function floodFromAnotherProcess(port: number, packet: Uint8Array, count: number): Promise<void> {
  const script = `
    const socket = require('node:dgram').createSocket('udp4');
    const packet = Buffer.from(process.argv[1], 'hex');
    const [port, count] = [Number(process.argv[2]), Number(process.argv[3])];
    let sent = 0;
    const burst = () => {
      for (let i = 0; i < 40 && sent < count; i++, sent++) socket.send(packet, port, '127.0.0.1');
      if (sent < count) setTimeout(burst, 10); else setTimeout(() => socket.close(), 50);
    };
    burst();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, Buffer.from(packet).toString('hex'), String(port), String(count)], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`flood sender exited with ${code}`))));
  });
}
