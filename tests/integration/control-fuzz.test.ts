/**
 * Property-based fuzzing of every network edge (issue 13), bounded so it runs in
 * CI in well under a minute: random and mutated HTTP requests (request line,
 * headers, paths, bodies) on raw TCP, random WebSocket text messages, and random
 * or mutated OSC datagrams, all against one real engine on loopback. The
 * properties: the node never dies, never answers 5xx, always answers a WebSocket
 * message with a reply and keeps the connection, and counts OSC garbage as rejected.
 */
import dgram from 'node:dgram';
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ClientHub } from '../../app/engine/control/client-hub.js';
import { startNetworkControl, type NetworkControl } from '../../app/engine/control/network-control.js';
import { Engine } from '../../app/engine/engine.js';
import { encode } from '../helpers/osc-client.js';
import { waitUntil } from '../helpers/wait.js';

let engine: Engine;
let control: NetworkControl;
let port: number;

beforeAll(async () => {
  engine = await Engine.start({ configDir: null, width: 160, height: 90 });
  // Rate limits high enough that the fuzz reaches the handlers instead of the limiter.
  control = await startNetworkControl({
    engine,
    hub: new ClientHub(engine),
    staticDir: 'dist/renderer',
    port: 0,
    osc: { port: 0, tcp: false },
    rateLimit: { perSecond: 10_000, burst: 10_000 },
  });
  port = control.server.port;
});

afterAll(async () => {
  await control?.close();
  await engine?.stop();
});

/** Sends bytes on a fresh connection and resolves with the reply's status line ('' when the server just closed). */
function exchange(bytes: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    let reply = '';
    socket.setTimeout(3000, () => socket.destroy());
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (reply += chunk));
    socket.on('close', () => resolve(reply.split('\r\n')[0] ?? ''));
    socket.on('error', () => resolve(reply.split('\r\n')[0] ?? ''));
  });
}

const healthy = async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;

const ENDPOINTS = ['/api/go', '/api/cue/1/fire', '/api/cue/c1/standby', '/api/prompt', '/api/seed', '/api/output/x/select', '/api/command', '/api/state', '/ws', '/', '/healthz'];
const percentJunk = fc.constantFrom('%', '%f', '%ff', '%2f', '%00', '%c0%af', '%e2%82', '//', '/../', '?token=', '#', ':', '@');
const pathArb = fc.oneof(
  fc.string({ maxLength: 60 }).map((s) => `/${s}`),
  fc.tuple(fc.constantFrom(...ENDPOINTS), fc.array(percentJunk, { maxLength: 4 }), fc.string({ maxLength: 10 })).map(([e, junk, tail]) => `${e}${junk.join('')}${tail}`),
  fc.constantFrom('*', 'http://a:b@c/', '//a:b', ''),
);
const headerArb = fc.oneof(
  fc.tuple(
    fc.constantFrom('Host', 'Origin', 'Content-Length', 'Content-Type', 'Authorization', 'Sec-Fetch-Site', 'Transfer-Encoding', 'Upgrade', 'Connection'),
    fc.string({ maxLength: 40 }),
  ),
  fc.tuple(fc.stringMatching(/^[A-Za-z-]{1,20}$/), fc.string({ maxLength: 40 })),
);
const bodyArb = fc.oneof(fc.constant(''), fc.string({ maxLength: 200 }), fc.json({ maxDepth: 4 }), fc.constant('['.repeat(5000)));

describe('fuzzing the network edges (bounded)', () => {
  it('HTTP: random request lines, headers, paths and bodies never kill the node or earn a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'G\u00e9T'),
        pathArb,
        fc.array(headerArb, { maxLength: 6 }),
        bodyArb,
        async (method, target, headers, body) => {
          const head = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', ...headers.map(([k, v]) => `${k}: ${v}`)].join('\r\n');
          const status = await exchange(Buffer.from(`${head}\r\n\r\n${body}`, 'latin1'));
          // Either an answer that is not a server error, or a closed connection (Node's parser may hang up).
          expect(status === '' || /^HTTP\/1\.1 [1-4]\d\d/.test(status), `${method} ${target} -> ${status}`).toBe(true);
        },
      ),
      { numRuns: 250, interruptAfterTimeLimit: 20_000 },
    );
    expect(await healthy()).toBe(true);
  });

  it('WebSocket: every random text message gets a reply and the connection stays open', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    const replies: unknown[] = [];
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const message = JSON.parse(data.toString()) as { kind: string };
      if (message.kind === 'reply') replies.push(message);
    });
    await new Promise((resolve) => ws.once('open', resolve));
    const commandLike = fc.record({
      kind: fc.constantFrom('command', 'cmd', 42),
      id: fc.oneof(fc.nat(), fc.integer(), fc.string()),
      command: fc.oneof(
        fc.json({ maxDepth: 3 }),
        fc.record(
          {
            type: fc.constantFrom('setPrompt', 'fireCue', 'addNdiOutput', 'openShow', 'loadModel', 'x'),
            prompt: fc.string(),
            number: fc.string(),
            name: fc.string(),
            width: fc.integer(),
          },
          { requiredKeys: ['type'] },
        ),
      ),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.json({ maxDepth: 5 }),
          commandLike.map((c) => JSON.stringify(c)),
        ),
        async (text) => {
          const before = replies.length;
          ws.send(text);
          await waitUntil(() => replies.length > before, { timeoutMs: 5000, what: `a reply to ${text.slice(0, 80)}` });
          expect(ws.readyState).toBe(WebSocket.OPEN);
        },
      ),
      { numRuns: 200, interruptAfterTimeLimit: 15_000 },
    );
    ws.close();
    expect(await healthy()).toBe(true);
  });

  it('OSC: random and mutated datagrams are counted and refused, the node keeps answering', async () => {
    const osc = control.osc!;
    const target = osc.status().port;
    const sender = dgram.createSocket('udp4');
    const valid = encode({ address: '/cyclorama/prompt', args: [{ type: 'string', value: 'fuzzed' }] });
    const received = () => osc.status().counters.received;
    const before = received();
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 600 }),
          fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, b]) => Uint8Array.from(valid, (v, j) => (j === i ? b : v))),
        ),
        async (bytes) => {
          await new Promise<void>((resolve) => sender.send(bytes.length > 0 ? bytes : new Uint8Array([0]), target, '127.0.0.1', () => resolve()));
          sent++;
        },
      ),
      { numRuns: 300, interruptAfterTimeLimit: 10_000 },
    );
    await waitUntil(() => received() - before >= sent * 0.9, { timeoutMs: 10_000, what: 'the OSC listener to count the datagrams' });
    sender.close();
    expect(osc.status().counters.rejected).toBeGreaterThan(0);
    expect(await healthy()).toBe(true);
  });
});
