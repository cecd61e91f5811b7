/**
 * The control edge as an attacker and a careless user meet it, with real sockets
 * on loopback against a real engine (issue 13): a web page in the operator's
 * browser must not drive the engine (Origin, Host / DNS rebinding), a token given
 * is always required, malformed requests get a 4xx and never kill the node,
 * percent-encoded paths share one rate-limit bucket, refusals cannot flood the log,
 * an oversized WebSocket message gets an error reply, and an output rig the machine
 * cannot carry is refused and never saved.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EngineState } from '../../app/contract/state.js';
import { ClientHub } from '../../app/engine/control/client-hub.js';
import { startNetworkControl, type NetworkControl } from '../../app/engine/control/network-control.js';
import { Engine } from '../../app/engine/engine.js';
import { commandSchema } from '../../app/contract/commands.js';
import { connectTestClient } from '../helpers/engine-client.js';

let engine: Engine;
let local: NetworkControl;
let port: number;
let base: string;
const logged: string[] = [];

beforeAll(async () => {
  engine = await Engine.start({ initialPrompt: 'soft grey studio', configDir: null, width: 320, height: 180 });
  local = await startNetworkControl({
    engine,
    hub: new ClientHub(engine),
    staticDir: 'dist/renderer',
    port: 0,
    rateLimit: { perSecond: 2, burst: 4 },
    allowedHosts: ['director.studio.lan'],
    log: (line) => logged.push(line),
  });
  port = local.server.port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await local?.close();
  await engine?.stop();
});

const state = async (): Promise<EngineState> => (await (await fetch(`${base}/api/state`)).json()) as EngineState;

/** A raw HTTP request with exactly these headers (fetch() will not let a test set Host or Origin). */
function raw(options: { method?: string; path: string; headers?: Record<string, string>; body?: string; port?: number }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: options.port ?? port, method: options.method ?? 'GET', path: options.path, headers: options.headers ?? {}, setHost: !options.headers?.host },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Bytes straight onto a TCP socket: for request lines no HTTP client would send. */
function rawBytes(text: string, toPort = port): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(toPort, '127.0.0.1', () => socket.end(text));
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (reply += c));
    socket.on('close', () => resolve(reply));
    socket.on('error', () => resolve(reply));
  });
}

/** How a WebSocket connection attempt ends: 'open', or the HTTP status it was refused with. */
function wsOutcome(url: string, options: WebSocket.ClientOptions = {}, protocols?: string[]): Promise<{ opened: boolean; status: number | null; protocol?: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocols, options);
    ws.on('open', () => {
      resolve({ opened: true, status: null, protocol: ws.protocol });
      ws.close();
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve({ opened: false, status: res.statusCode ?? null });
      res.resume();
    });
    ws.on('error', () => resolve({ opened: false, status: null }));
  });
}

const alive = async (toPort = port) => (await raw({ path: '/healthz', port: toPort })).status;

describe('a web page cannot drive the engine', () => {
  it('refuses a text/plain POST from a foreign Origin (no CORS preflight needed) and changes nothing', async () => {
    const before = (await state()).program;
    const attack = await raw({ method: 'POST', path: '/api/prompt', headers: { origin: 'http://evil.example', 'content-type': 'text/plain' }, body: '{"prompt":"pwned"}' });
    expect(attack.status).toBe(403);
    expect(JSON.parse(attack.body)).toMatchObject({ code: 'forbidden' });
    expect(JSON.parse(attack.body).message).toMatch(/evil\.example/);
    const command = await raw({ method: 'POST', path: '/api/command', headers: { origin: 'http://evil.example', 'content-type': 'text/plain' }, body: '{"type":"go"}' });
    expect(command.status).toBe(403);
    expect((await state()).program).toEqual(before);
  });

  it('refuses another local server\'s pages, "null" origins and cross-site fetches without an Origin', async () => {
    for (const origin of [`http://127.0.0.1:${port + 1}`, 'http://localhost:3000', 'null', 'file://', `https://evil.example:${port}`]) {
      expect((await raw({ method: 'POST', path: '/api/restore', headers: { origin } })).status, origin).toBe(403);
    }
    // A no-cors GET from another page carries no Origin but does carry Sec-Fetch-Site.
    expect((await raw({ path: '/api/state', headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
  });

  it("lets the console's own origin and clients without an Origin through", async () => {
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      expect((await raw({ method: 'POST', path: '/api/restore', headers: { origin } })).status, origin).toBe(200);
    }
    expect((await raw({ path: '/api/state', headers: { 'sec-fetch-site': 'same-origin' } })).status).toBe(200);
    expect((await raw({ path: '/api/state' })).status).toBe(200); // curl, Companion, QLab
    // The console's files load from another page's link (a navigation), but its API does not.
    expect((await raw({ path: '/', headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(200);
  });

  it('refuses DNS rebinding: a foreign Host on HTTP and on the WebSocket; an allowed name gets in', async () => {
    const rebound = await raw({ path: '/api/state', headers: { host: `evil.example:${port}` } });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).message).toMatch(/--allow-host/);
    expect(rebound.body).not.toContain('soft grey studio');
    expect((await raw({ path: '/', headers: { host: `evil.example:${port}` } })).status).toBe(403);
    expect(await wsOutcome(`ws://127.0.0.1:${port}/ws`, { headers: { host: `evil.example:${port}` } })).toMatchObject({ opened: false, status: 403 });
    expect(await wsOutcome(`ws://127.0.0.1:${port}/ws`, { origin: 'http://evil.example' })).toMatchObject({ opened: false, status: 403 });
    expect((await raw({ path: '/api/state', headers: { host: `director.studio.lan:${port}` } })).status).toBe(200);
    expect(await wsOutcome(`ws://127.0.0.1:${port}/ws`, { origin: `http://127.0.0.1:${port}` })).toMatchObject({ opened: true });
  });
});

describe('an HTTP edge that cannot be crashed', () => {
  it('answers malformed percent-encoding in every path parameter with 400 and keeps running', async () => {
    for (const p of ['/api/cue/%ff/fire', '/api/cue/%ff/standby', '/api/output/%ff/select', '/api/cue/%/fire', '/%ff', '/api/cue/%2f/fire']) {
      const reply = await raw({ method: 'POST', path: p });
      expect(reply.status, p).toBe(400);
      expect(JSON.parse(reply.body).code, p).toBe('invalid-message');
    }
    expect(await alive()).toBe(200);
  });

  it('answers request lines no client should send with 400, before authentication, in token mode too', async () => {
    const guarded = await startNetworkControl({ engine, hub: new ClientHub(engine), staticDir: 'dist/renderer', port: 0, token: 'sesame-1234' });
    try {
      for (const target of [local.server.port, guarded.server.port]) {
        for (const line of ['GET //a:b HTTP/1.1', 'GET http://a:b@c HTTP/1.1', 'GET * HTTP/1.1', 'GET /%00 HTTP/1.1', `GET /${'a'.repeat(9000)} HTTP/1.1`]) {
          const reply = await rawBytes(`${line}\r\nHost: 127.0.0.1\r\n\r\n`, target);
          expect(reply, line).toMatch(/^HTTP\/1\.1 4\d\d/);
        }
        expect(await rawBytes('\u0000\u0001garbage\r\n\r\n', target)).toMatch(/^HTTP\/1\.1 400/);
      }
      expect(await alive()).toBe(200);
      expect((await raw({ path: '/healthz', port: guarded.server.port, headers: { authorization: 'Bearer sesame-1234' } })).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});

describe('tokens', () => {
  it('a token given on loopback is always required, over HTTP and WebSocket, and never appears in the state', async () => {
    const guarded = await startNetworkControl({ engine, hub: new ClientHub(engine), staticDir: 'dist/renderer', host: '127.0.0.1', port: 0, token: 'S3cret-token' });
    const at = guarded.server.port;
    try {
      expect((await raw({ path: '/api/state', port: at })).status).toBe(401);
      expect((await raw({ method: 'POST', path: '/api/go', port: at })).status).toBe(401);
      expect((await wsOutcome(`ws://127.0.0.1:${at}/ws`)).opened).toBe(false);
      const ok = await raw({ path: '/api/state', port: at, headers: { authorization: 'Bearer S3cret-token' } });
      expect(ok.status).toBe(200);
      expect(ok.body).not.toContain('S3cret-token');
      expect((JSON.parse(ok.body) as EngineState).control?.tokenRequired).toBe(true);
      // The console's way: the token in the WebSocket subprotocol, never in the URL; the server selects the plain protocol.
      const viaProtocol = await wsOutcome(`ws://127.0.0.1:${at}/ws`, {}, ['cyclorama', `cyclorama.token.${Buffer.from('S3cret-token').toString('base64url')}`]);
      expect(viaProtocol).toMatchObject({ opened: true, protocol: 'cyclorama' });
      const wrong = await wsOutcome(`ws://127.0.0.1:${at}/ws`, {}, ['cyclorama', `cyclorama.token.${Buffer.from('guess').toString('base64url')}`]);
      expect(wrong).toMatchObject({ opened: false, status: 401 });
    } finally {
      await guarded.close();
    }
  });
});

describe('bounded and clear answers', () => {
  it('rate limits percent-encoded variants of one path as one endpoint', async () => {
    const variants = ['/api/restore', '/api/%72estore', '/api/re%73tore', '/api/%72%65store'];
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++) statuses.push((await raw({ method: 'POST', path: variants[i % variants.length] as string })).status);
    const served = statuses.filter((s) => s === 200).length;
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(served).toBeLessThanOrEqual(4 + 2); // burst 4, plus what 2/s refills during the loop
  });

  it('logs a flood of refusals in a few lines, not one per request', async () => {
    const before = logged.length;
    const startedAt = Date.now();
    await Promise.all(Array.from({ length: 300 }, () => raw({ path: '/api/state', headers: { origin: 'http://evil.example' } })));
    // One more refusal after the throttle's window has passed: it brings the "N suppressed" summary.
    await new Promise((r) => setTimeout(r, 1100));
    await raw({ path: '/api/state', headers: { origin: 'http://evil.example' } });
    const seconds = (Date.now() - startedAt) / 1000;
    const lines = logged.slice(before);
    // One line a second, plus one "N similar lines suppressed" line as each window closes.
    expect(lines.length).toBeLessThanOrEqual(2 * Math.ceil(seconds) + 2);
    const suppressed = lines.map((l) => Number(/\((\d+) similar lines suppressed\)/.exec(l)?.[1] ?? 0)).reduce((a, n) => a + n, 0);
    // Nothing is lost silently: the lines not written are counted.
    expect(suppressed + lines.filter((l) => l.includes('403')).length).toBeGreaterThanOrEqual(301);
  });

  it('answers a WebSocket message over the contract limit with an error reply and keeps the connection', async () => {
    const client = await connectTestClient(`ws://127.0.0.1:${port}/ws`);
    try {
      await client.waitFor(() => client.events.find((e) => e.kind === 'hello'));
      client.socket.send(JSON.stringify({ kind: 'command', id: 7, command: { type: 'setPrompt', prompt: 'x'.repeat(100 * 1024) } }));
      const reply = (await client.waitFor(() => client.rawReplies.find((r) => (r as { ok?: boolean }).ok === false))) as { error: { message: string } };
      expect(reply.error.message).toMatch(/too large.*limit 65536/i);
      expect(client.socket.readyState).toBe(WebSocket.OPEN);
      expect(await client.connection.send({ type: 'getState' })).toEqual({ ok: true });
    } finally {
      client.close();
    }
  });
});

describe('outputs the machine cannot carry', () => {
  it('refuses an 8K 240 fps NDI output and an over-budget rig with a clear error, and never saves them', async () => {
    const configDir = mkdtempSync(path.join(tmpdir(), 'cyclorama-budget-'));
    const rigEngine = await Engine.start({ configDir, width: 160, height: 90, ndi: { extraIps: '127.0.0.1' }, outputBudget: { pixelsPerSecond: 250e6 } });
    try {
      const send = (raw: unknown) => rigEngine.dispatch(commandSchema.parse(raw));
      const huge = await send({ type: 'addNdiOutput', name: 'Cyclorama budget 8K', width: 7680, height: 4320, rate: { num: 240, den: 1 } });
      expect(huge.ok).toBe(false);
      if (!huge.ok) expect(huge.error.message).toMatch(/240\.00 fps is refused/);
      const uhd = await send({ type: 'addNdiOutput', name: 'Cyclorama budget UHD', width: 3840, height: 2160, rate: { num: 60000, den: 1001 } });
      expect(uhd.ok).toBe(false);
      if (!uhd.ok) expect(uhd.error.message).toMatch(/3840x2160 at 59\.94 fps.*Mpx\/s.*--output-budget/);
      // Two 1080p59.94 outputs fit in 250 Mpx/s; a third does not, and changing one to UHD is refused while it keeps running.
      expect((await send({ type: 'addDisplayOutput', name: 'Wall A', width: 1920, height: 1080, rate: { num: 60000, den: 1001 } })).ok).toBe(true);
      expect((await send({ type: 'addDisplayOutput', name: 'Wall B', width: 1920, height: 1080, rate: { num: 60000, den: 1001 } })).ok).toBe(true);
      expect((await send({ type: 'addDisplayOutput', name: 'Wall C', width: 1920, height: 1080, rate: { num: 60000, den: 1001 } })).ok).toBe(false);
      expect(
        rigEngine
          .state()
          .outputs.filter((o) => o.kind !== 'preview')
          .map((o) => o.name),
      ).toEqual(['Wall A', 'Wall B']);
      const rig = path.join(configDir, 'outputs.json');
      expect(existsSync(rig)).toBe(true);
      const saved = readFileSync(rig, 'utf8');
      expect(saved).not.toMatch(/budget 8K|budget UHD|Wall C/);
    } finally {
      await rigEngine.stop();
    }
  });
});
