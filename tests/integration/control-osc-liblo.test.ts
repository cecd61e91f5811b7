/**
 * OSC with liblo (the most common C OSC library) as the real client: Debian
 * liblo-tools' `oscsend` over UDP and over TCP (`osc.tcp://`, which frames each
 * packet behind a 4-byte big-endian length), a liblo client sending SLIP over TCP
 * and reading what comes back on its connection, and `oscdump` receiving the
 * feedback. The listener runs as the CLI starts it (no framing given): it must tell
 * the framing per connection from the first bytes. The seen bug: over TCP the
 * message was dropped without a word, because the listener expected SLIP.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineState } from '../../app/contract/state.js';
import { ClientHub } from '../../app/engine/control/client-hub.js';
import { startNetworkControl, type NetworkControl } from '../../app/engine/control/network-control.js';
import { OscServer } from '../../app/engine/control/osc-server.js';
import { Engine } from '../../app/engine/engine.js';
import { connectTestClient, type TestClient } from '../helpers/engine-client.js';
import { buildLibloTcpClient, oscdump, oscsend, type LibloTcpClient, type OscDump } from '../helpers/liblo-tools.js';
import { waitUntil } from '../helpers/wait.js';

let engine: Engine;
let hub: ClientHub;
let control: NetworkControl;
let client: TestClient;
let dump: OscDump;
let liblo: LibloTcpClient;
const logLines: string[] = [];
const P = '/cyclorama';

/** A free UDP port for oscdump to listen on. */
async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  liblo = buildLibloTcpClient();
  const dumpPort = await freeUdpPort();
  dump = oscdump(dumpPort);
  engine = await Engine.start({ initialPrompt: 'soft grey studio', configDir: null });
  hub = new ClientHub(engine, (line) => logLines.push(line));
  control = await startNetworkControl({
    engine,
    hub,
    staticDir: 'dist/renderer',
    port: 0,
    osc: { port: 0, feedback: [{ host: '127.0.0.1', port: dumpPort }] },
    log: (line) => logLines.push(line),
  });
  client = await connectTestClient(`ws://127.0.0.1:${control.server.port}/ws`);
});

afterAll(async () => {
  dump?.stop();
  liblo?.dispose();
  client?.close();
  await control?.close();
  await engine?.stop();
});

const lastState = (): EngineState => client.latestState();
const seed = () => lastState().program.seed;
const tcpPort = () => control.osc!.status().tcp!.port;

describe('OSC with liblo as the client (listener as the CLI starts it)', () => {
  it('oscsend over UDP changes the seed and the feedback reaches oscdump', async () => {
    await oscsend(`osc.udp://127.0.0.1:${control.osc!.port}`, `${P}/seed`, 'i', '4101');
    await client.waitFor(() => seed() === 4101);
    await waitUntil(() => dump.lines.some((l) => l.endsWith(`${P}/seed i 4101`)), { what: () => `oscdump to print ${P}/seed i 4101; got ${dump.lines.slice(-5).join(' | ')}` });
  });

  it('oscsend over TCP (osc.tcp://, 4-byte length framing) changes the seed and the feedback reaches oscdump', async () => {
    await oscsend(`osc.tcp://127.0.0.1:${tcpPort()}`, `${P}/seed`, 'i', '4102');
    await client.waitFor(() => seed() === 4102, 10_000);
    await waitUntil(() => dump.lines.some((l) => l.endsWith(`${P}/seed i 4102`)));
    expect(logLines.some((l) => /osc tcp .*: length-prefixed framing \(OSC 1\.0\)/.test(l))).toBe(true);
  });

  it.each([
    ['length', 4103],
    ['slip', 4104],
  ] as const)('a liblo client over TCP with %s framing is understood', async (framing, value) => {
    await liblo.send(tcpPort(), framing, `${P}/seed`, value, 0);
    await client.waitFor(() => seed() === value);
    expect(logLines.some((l) => new RegExp(`osc tcp .*: ${framing === 'slip' ? 'SLIP framing \\(OSC 1\\.1\\)' : 'length-prefixed framing \\(OSC 1\\.0\\)'}`).test(l))).toBe(true);
  });

  it('a liblo client reads its /ping reply and the feedback back on its length-framed connection', async () => {
    const replies = await liblo.send(tcpPort(), 'length', `${P}/ping`, undefined, 1500);
    expect(replies).toContain(`${P}/pong `);
    expect(replies).toContain(`${P}/seed i 4104`);
  });

  it('answers a SLIP sender (bytes as liblo writes them: no leading END) in SLIP', async () => {
    const socket = net.connect({ port: tcpPort(), host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    // liblo's own bytes for `/cyclorama/ping` with lo_address_set_stream_slip (captured from osc-tcp-client.c).
    socket.write(Buffer.from('2f6379636c6f72616d612f70696e67002c000000c0', 'hex'));
    const pong = Buffer.concat([Buffer.from([0xc0]), Buffer.from('/cyclorama/pong\0,\0\0\0'), Buffer.from([0xc0])]);
    await waitUntil(() => Buffer.concat(chunks).includes(pong), { what: 'a SLIP-framed /cyclorama/pong' });
    expect(
      Buffer.concat(chunks)
        .subarray(0, 4)
        .equals(Buffer.from([0, 0, 0, 0])),
    ).toBe(false); // nothing length-framed before it
    expect(Buffer.concat(chunks)[0]).toBe(0xc0);
    socket.destroy();
  });

  it('counts and logs a connection whose first bytes fit neither framing, and still answers the next one', async () => {
    const before = control.osc!.status().tcp!.unrecognised ?? 0;
    // The OSC log is throttled (10 lines a second); let the previous tests' connect/disconnect lines age out of its window.
    await new Promise((r) => setTimeout(r, 1100));
    const socket = net.connect({ port: tcpPort(), host: '127.0.0.1' });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    // At least one more: a connection of an earlier test may be judged late too; the log line below names this one's bytes.
    await waitUntil(() => (control.osc!.status().tcp!.unrecognised ?? 0) >= before + 1);
    await waitUntil(() => logLines.some((l) => /osc tcp .*: first bytes 47 45 54 20 fit neither OSC TCP framing/.test(l)), { what: 'the unrecognised-framing log line' });
    socket.destroy();
    await client.connection.send({ type: 'getState' });
    await client.waitFor(() => (lastState().control?.osc?.tcp?.unrecognised ?? 0) >= before + 1);
    await oscsend(`osc.tcp://127.0.0.1:${tcpPort()}`, `${P}/seed`, 'i', '4105');
    await client.waitFor(() => seed() === 4105);
  });
});

describe('--osc-tcp-framing overrides detection', () => {
  it.each(['slip', 'length'] as const)('%s: a liblo client in that framing is understood; the other framing is not', async (framing) => {
    const log: string[] = [];
    const server = await OscServer.start({ hub, engine, port: 0, tcp: { port: 0, framing }, log: (line) => log.push(line) });
    try {
      expect(server.status().tcp?.framing).toBe(framing);
      const port = server.status().tcp!.port;
      const value = framing === 'slip' ? 4201 : 4202;
      await liblo.send(port, framing, `${P}/seed`, value, 0);
      await waitUntil(() => seed() === value, { what: () => `seed ${value}; log: ${log.join(' | ')}` });
      const other = framing === 'slip' ? 'length' : 'slip';
      await liblo.send(port, other, `${P}/seed`, 4300, 0);
      await liblo.send(port, framing, `${P}/ping`, undefined, 300); // after the other one, in order
      await new Promise((r) => setTimeout(r, 300));
      expect(seed()).toBe(value); // forced framing: the other framing is not detected, its message is not applied
    } finally {
      await server.stop();
    }
  });
});
