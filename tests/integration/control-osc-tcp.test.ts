/**
 * OSC over TCP with real sockets on loopback and the real engine: cues fired from
 * a TCP client (state follows, feedback arrives on the connection), /ping and
 * errors answered on the connection, packets split across arbitrary chunk
 * boundaries or packed several to a chunk, garbage and oversized frames that
 * change nothing, the allow list and connection limit, and a 2000-message burst
 * held by the same rate limiter as UDP. No timing assertions: every wait is a
 * condition with a generous timeout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineState } from '../../app/contract/state.js';
import { ClientHub } from '../../app/engine/control/client-hub.js';
import { startNetworkControl, type NetworkControl } from '../../app/engine/control/network-control.js';
import { OscServer } from '../../app/engine/control/osc-server.js';
import { slipEncode, type OscTcpFraming } from '../../app/engine/control/osc-tcp-framing.js';
import { Engine } from '../../app/engine/engine.js';
import { connectTestClient, type TestClient } from '../helpers/engine-client.js';
import { encode, oscPeer } from '../helpers/osc-client.js';
import { oscTcpPeer, type OscTcpPeer } from '../helpers/osc-tcp-client.js';

let engine: Engine;
let hub: ClientHub;
let control: NetworkControl;
let client: TestClient;
const peers: OscTcpPeer[] = [];
const logLines: string[] = [];
const P = '/cyclorama';

beforeAll(async () => {
  engine = await Engine.start({ initialPrompt: 'soft grey studio', configDir: null });
  hub = new ClientHub(engine, (line) => logLines.push(line));
  // OSC as the CLI starts it: no `tcp` option, so TCP is on, on the UDP port's number.
  control = await startNetworkControl({ engine, hub, staticDir: 'dist/renderer', port: 0, osc: { port: 0 }, log: (line) => logLines.push(line) });
  client = await connectTestClient(`ws://127.0.0.1:${control.server.port}/ws`);
});

afterAll(async () => {
  client?.close();
  for (const peer of peers) await peer.close();
  await control?.close();
  await engine?.stop();
});

async function connect(port = control.osc!.status().tcp!.port, framing: OscTcpFraming = 'slip'): Promise<OscTcpPeer> {
  const peer = await oscTcpPeer(port, framing);
  peers.push(peer);
  return peer;
}

const lastState = (): EngineState => client.latestState();
const show = () => lastState().show!;

/** The last value sent to `address` on this connection. */
function lastValue(peer: OscTcpPeer, address: string): unknown {
  for (let i = peer.received.length - 1; i >= 0; i--) {
    const m = peer.received[i];
    if (m?.address === address) return m.args[0]?.value;
  }
  return undefined;
}

/** What must not change when bad input arrives. */
function showSnapshot() {
  const state = lastState();
  return { program: state.program, document: state.show?.document, currentCueId: state.show?.currentCueId, standbyCueId: state.show?.standbyCueId };
}

/** Deterministic pseudo-random numbers in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
}

/** Writes `bytes` in pieces cut at random points, pausing between pieces so they travel as separate segments. */
async function writeInPieces(peer: OscTcpPeer, bytes: Uint8Array, rand: () => number): Promise<void> {
  let at = 0;
  while (at < bytes.length) {
    const size = 1 + Math.floor(rand() * 7);
    peer.sendRaw(bytes.slice(at, at + size));
    at += size;
    await new Promise((r) => setTimeout(r, rand() < 0.3 ? 2 : 0));
  }
}

const concat = (parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('OSC over TCP', () => {
  it('listens on the UDP port number by default and reports the listener and its connections in the state', async () => {
    await client.waitFor(() => lastState().model.status === 'running', 30_000);
    const status = control.osc!.status();
    expect(status.tcp).toMatchObject({ port: status.port, framing: 'auto', maxConnections: 16 });
    await connect();
    await client.connection.send({ type: 'getState' });
    await client.waitFor(() => (lastState().control?.osc?.tcp?.connections ?? 0) >= 1);
  });

  it('fires a three-cue show from a TCP client; state and feedback on the connection follow', async () => {
    await client.connection.send({ type: 'updateShow', settings: { goGuardMs: 0 } });
    for (const [prompt, name] of [
      ['snow white winter morning', 'Snow'],
      ['neon night city', 'Neon'],
      ['deep green forest', 'Forest'],
    ] as const) {
      expect(await client.connection.send({ type: 'addCue', patch: { prompt, name, transition: { durationMs: 0, curve: 'linear' } } })).toEqual({ ok: true });
    }
    await client.waitFor(() => show().document.cues.length === 3 && show().standbyCueId === 'c1');
    // A surface that connects now is sent every feedback value at once.
    const desk = await connect();
    await desk.waitFor(() => lastValue(desk, `${P}/standby/name`) === 'Snow' && lastValue(desk, `${P}/panic`) === 'none');
    expect(typeof lastValue(desk, `${P}/fps`)).toBe('number');
    for (const [id, name] of [
      ['c1', 'Snow'],
      ['c2', 'Neon'],
      ['c3', 'Forest'],
    ] as const) {
      desk.send(`${P}/go`, [{ type: 'integer', value: 1 }]);
      desk.send(`${P}/go`, [{ type: 'integer', value: 0 }]); // the button's release: not a second GO
      await client.waitFor(() => show().currentCueId === id);
      await desk.waitFor(() => lastValue(desk, `${P}/current/name`) === name);
    }
    expect(lastState().program.prompt).toBe('deep green forest');
    await desk.waitFor(() => lastValue(desk, `${P}/standby/id`) === '' && lastValue(desk, `${P}/prompt`) === 'deep green forest');
    desk.send(`${P}/panic/black`);
    await desk.waitFor(() => lastValue(desk, `${P}/panic`) === 'black' && lastValue(desk, `${P}/panic/active`) === 1);
    desk.send(`${P}/restore`);
    await desk.waitFor(() => lastValue(desk, `${P}/panic/active`) === 0);
    expect(lastState().program.panic).toBe('none');
  });

  it('answers /ping and bad addresses on the connection they came on', async () => {
    const a = await connect();
    const b = await connect();
    a.send(`${P}/ping`);
    await a.waitFor(() => a.count(`${P}/pong`) === 1);
    a.send(`${P}/nope`);
    const error = await a.waitFor(() => a.received.find((m) => m.address === `${P}/error`));
    expect(error.args.map((x) => x.value)).toEqual(['not-found', '/cyclorama/nope: unknown address /cyclorama/nope']);
    b.send(`${P}/ping`);
    await b.waitFor(() => b.count(`${P}/pong`) === 1);
    expect(a.count(`${P}/pong`)).toBe(1);
    expect(b.count(`${P}/error`)).toBe(0); // another surface's mistakes are not sent to b
  });

  it('reads messages split across arbitrary chunk boundaries, and several messages in one chunk', async () => {
    const peer = await connect();
    const counters = control.osc!.counters;
    const seeds = [101, 102, 103, 104, 105, 106, 107, 108];
    for (const [round, seed] of [1, 2, 3].entries()) {
      const dispatchedBefore = counters.dispatched;
      const pongsBefore = peer.count(`${P}/pong`);
      const stream = concat(
        seeds.flatMap((s) => [peer.frame({ address: `${P}/seed`, args: [{ type: 'integer', value: s + round * 100 }] }), peer.frame({ address: `${P}/ping`, args: [] })]),
      );
      await writeInPieces(peer, stream, lcg(seed));
      await peer.waitFor(() => peer.count(`${P}/pong`) === pongsBefore + seeds.length);
      await client.waitFor(() => lastState().program.seed === 108 + round * 100);
      expect(counters.dispatched - dispatchedBefore).toBe(seeds.length); // every seed, none lost or doubled
    }
    // Several messages in one write, with the double-END framing's empty frames between them.
    const pongsBefore = peer.count(`${P}/pong`);
    peer.sendRaw(
      concat([
        peer.frame({ address: `${P}/cue/fire`, args: [{ type: 'string', value: '2' }] }),
        peer.frame({ address: `${P}/seed`, args: [{ type: 'integer', value: 7 }] }),
        peer.frame({ address: `${P}/ping`, args: [] }),
      ]),
    );
    await peer.waitFor(() => peer.count(`${P}/pong`) === pongsBefore + 1);
    await client.waitFor(() => show().currentCueId === 'c2' && lastState().program.seed === 7);
  });

  it('garbage, malformed and oversized frames change nothing; the server still answers a new connection', async () => {
    await client.connection.send({ type: 'getState' });
    await new Promise((r) => setTimeout(r, 200));
    const before = showSnapshot();
    const rand = lcg(4242);
    const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
    const noisy = await connect();
    const valid = encode({
      address: `${P}/nope`,
      args: [
        { type: 'string', value: 'x'.repeat(40) },
        { type: 'integer', value: 7 },
      ],
    });
    for (let i = 0; i < 300; i++) {
      const kind = i % 5;
      if (kind === 0)
        noisy.sendRaw(randomBytes(1 + Math.floor(rand() * 200))); // raw garbage, END bytes included at random
      else if (kind === 1)
        noisy.sendRaw(slipEncode(valid.slice(0, 1 + Math.floor(rand() * (valid.length - 1))))); // truncated
      else if (kind === 2) {
        const corrupted = valid.slice();
        corrupted[Math.floor(rand() * corrupted.length)] = Math.floor(rand() * 256);
        noisy.sendRaw(slipEncode(corrupted)); // one corrupted byte
      } else if (kind === 3)
        noisy.send(`${P}/seed`, [{ type: 'true' } as never]); // wrong type for seed
      else noisy.sendRaw(slipEncode(randomBytes(1 + Math.floor(rand() * 100)))); // well framed, not OSC
    }
    // Whatever the garbage left half-finished is closed by an END; the connection is still in sync after it.
    noisy.sendRaw(Uint8Array.of(0xc0));
    const pongs = noisy.count(`${P}/pong`);
    noisy.send(`${P}/ping`);
    await noisy.waitFor(() => noisy.count(`${P}/pong`) > pongs);
    expect(noisy.isClosed()).toBe(false);
    expect(noisy.count(`${P}/error`)).toBeGreaterThan(0);

    const huge = await connect();
    huge.sendRaw(Uint8Array.of(0xc0, ...new Uint8Array(9000).fill(0x41))); // no END within 8192 bytes
    await huge.closed;

    const fresh = await connect();
    fresh.send(`${P}/ping`);
    await fresh.waitFor(() => fresh.count(`${P}/pong`) === 1);
    await client.connection.send({ type: 'getState' });
    await new Promise((r) => setTimeout(r, 200));
    expect(showSnapshot()).toEqual(before);
  });

  it('a burst of 2000 GO messages in one write is held by the rate limiter shared with UDP', async () => {
    const peer = await connect();
    const counters = control.osc!.counters;
    const start = { ...counters };
    const limiter = control.osc!.limiter;
    const COUNT = 2000;
    const go = peer.frame({ address: `${P}/go`, args: [] });
    const started = performance.now();
    peer.sendRaw(concat(Array.from({ length: COUNT }, () => go)));
    await peer.waitFor(() => counters.received - start.received >= COUNT, 30_000);
    const seconds = (performance.now() - started) / 1000;
    const received = counters.received - start.received;
    const dispatched = counters.dispatched - start.dispatched;
    const limited = counters.rateLimited - start.rateLimited;
    const rejected = counters.rejected - start.rejected;
    console.log(`tcp burst: ${COUNT} sent, ${received} received, ${dispatched} dispatched, ${limited} rate limited in ${seconds.toFixed(2)} s`);
    expect(received).toBe(COUNT); // TCP loses nothing
    expect(dispatched + rejected + limited).toBe(COUNT);
    // At most a full bucket plus what it refills while the burst is read.
    expect(dispatched).toBeLessThanOrEqual(limiter.burst + Math.ceil(limiter.perSecond * seconds) + 2);
    expect(limited).toBeGreaterThanOrEqual(COUNT - limiter.burst - Math.ceil(limiter.perSecond * seconds) - 2);
    await client.connection.send({ type: 'getState' });
    await client.waitFor(() => (lastState().control?.osc?.counters.rateLimited ?? 0) >= start.rateLimited + limited);
    // Still answering.
    peer.send(`${P}/ping`);
    await peer.waitFor(() => peer.count(`${P}/pong`) === 1);
  });

  it('one source sending over UDP and TCP at once draws on one bucket per address', async () => {
    const tcp = await connect();
    const udp = await oscPeer(control.osc!.port);
    try {
      const limiter = control.osc!.limiter;
      const counters = control.osc!.counters;
      const start = { received: counters.received, allowed: limiter.allowed };
      const started = performance.now();
      // An address nothing else in this file sends, so its bucket starts full; each transport alone could spend all of it.
      const EACH = 100;
      for (let i = 0; i < EACH; i++) udp.send(`${P}/timeline/stop`);
      tcp.sendRaw(concat(Array.from({ length: EACH }, () => tcp.frame({ address: `${P}/timeline/stop`, args: [] }))));
      // UDP may drop some on a busy machine; what arrived is what counts.
      await tcp.waitFor(() => counters.received - start.received >= EACH + EACH * 0.5, 30_000);
      await new Promise((r) => setTimeout(r, 300));
      const seconds = (performance.now() - started) / 1000;
      const passed = limiter.allowed - start.allowed;
      console.log(`udp+tcp: ${counters.received - start.received} received, ${passed} passed the limiter in ${seconds.toFixed(2)} s`);
      // Separate buckets would let through up to two bursts (80).
      expect(passed).toBeLessThanOrEqual(limiter.burst + Math.ceil(limiter.perSecond * seconds) + 2);
    } finally {
      await udp.close();
    }
  });
});

describe('OSC over TCP limits (a listener of its own)', () => {
  async function withServer(options: Omit<Parameters<typeof OscServer.start>[0], 'hub' | 'engine' | 'port'>, body: (server: OscServer, log: string[]) => Promise<void>) {
    const log: string[] = [];
    const server = await OscServer.start({ hub, engine, port: 0, log: (line) => log.push(line), ...options });
    try {
      await body(server, log);
    } finally {
      await server.stop();
    }
  }

  it.each(['slip', 'length'] as OscTcpFraming[])('%s: answers /ping, and closes a connection whose frame is over 8192 bytes with a too-large error', async (framing) => {
    await withServer({ tcp: { port: 0, framing } }, async (server, log) => {
      expect(server.status().tcp?.framing).toBe(framing);
      const peer = await connect(server.status().tcp!.port, framing);
      peer.send(`${P}/ping`);
      await peer.waitFor(() => peer.count(`${P}/pong`) === 1);
      const oversized = framing === 'slip' ? Uint8Array.of(0xc0, ...new Uint8Array(9000).fill(0x41)) : Uint8Array.of(0x00, 0x00, 0x30, 0x00); // declares 12288 bytes
      const seedBefore = lastState().program.seed;
      peer.sendRaw(oversized);
      await peer.closed;
      expect(peer.received.find((m) => m.address === `${P}/error`)?.args[0]?.value).toBe('too-large');
      expect(log.some((l) => /rejected: .*(SLIP frame longer than 8192 bytes|declares 12288 bytes \(limit 8192\)); connection closed/.test(l))).toBe(true);
      expect(server.counters.dispatched).toBe(0);
      const next = await connect(server.status().tcp!.port, framing);
      next.send(`${P}/ping`);
      await next.waitFor(() => next.count(`${P}/pong`) === 1);
      expect(lastState().program.seed).toBe(seedBefore);
    });
  });

  it('closes a connection from a source outside the allow list without reading it', async () => {
    await withServer({ allow: ['10.20.30.40'], tcp: { port: 0 } }, async (server, log) => {
      const outsider = await connect(server.status().tcp!.port);
      outsider.send(`${P}/seed`, [{ type: 'integer', value: 777 }]);
      await outsider.closed;
      expect(outsider.received).toHaveLength(0); // not even feedback or an error
      expect(server.counters).toMatchObject({ received: 0, dispatched: 0, rejected: 1 });
      expect(log.filter((l) => /connection refused, not in the OSC allow list/.test(l))).toHaveLength(1);
      expect(server.status().tcp?.connections).toBe(0);
    });
  });

  it('refuses connections beyond the limit; the ones it holds keep working', async () => {
    await withServer({ tcp: { port: 0, maxConnections: 2 } }, async (server, log) => {
      const port = server.status().tcp!.port;
      const [a, b] = [await connect(port), await connect(port)];
      await a.waitFor(() => server.status().tcp?.connections === 2);
      const c = await connect(port);
      await c.closed;
      expect(log.some((l) => /connection refused, already 2 OSC TCP connections \(limit 2\)/.test(l))).toBe(true);
      for (const peer of [a, b]) {
        peer.send(`${P}/ping`);
        await peer.waitFor(() => peer.count(`${P}/pong`) === 1);
      }
      await a.close();
      await b.waitFor(() => server.status().tcp?.connections === 1);
      const d = await connect(port);
      d.send(`${P}/ping`);
      await d.waitFor(() => d.count(`${P}/pong`) === 1);
    });
  });

  it('can be turned off (UDP only)', async () => {
    await withServer({ tcp: false }, async (server) => {
      expect(server.status().tcp).toBeNull();
    });
  });
});
