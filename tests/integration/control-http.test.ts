/**
 * The HTTP one-shot API and token handling with real sockets: endpoints drive the
 * show, bad requests get {code,message} with 400/401/404/405/413/429 and change
 * nothing, the token is required on a network-facing listener and rotating it
 * drops WebSocket connections that used the old one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EngineState } from '../../app/contract/state.js';
import { ClientHub } from '../../app/engine/control/client-hub.js';
import { startNetworkControl, type NetworkControl } from '../../app/engine/control/network-control.js';
import { Engine } from '../../app/engine/engine.js';
import { connectTestClient } from '../helpers/engine-client.js';

let engine: Engine;
let local: NetworkControl;
let base: string;

beforeAll(async () => {
  engine = await Engine.start({ initialPrompt: 'soft grey studio', configDir: null });
  local = await startNetworkControl({ engine, hub: new ClientHub(engine), staticDir: 'dist/renderer', port: 0, rateLimit: { perSecond: 5, burst: 10 } });
  base = `http://127.0.0.1:${local.server.port}`;
});

afterAll(async () => {
  await local?.close();
  await engine?.stop();
});

const post = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
const state = async (): Promise<EngineState> => (await (await fetch(`${base}/api/state`)).json()) as EngineState;

describe('HTTP API', () => {
  it('drives the show with one-shot requests and reports state', async () => {
    for (const prompt of ['snow', 'neon', 'forest']) {
      expect((await post('/api/command', { type: 'addCue', patch: { prompt, transition: { durationMs: 0 } } })).status).toBe(200);
    }
    expect((await post('/api/command', { type: 'updateShow', settings: { goGuardMs: 0 } })).status).toBe(200);
    expect(await (await post('/api/go')).json()).toEqual({ ok: true });
    expect((await state()).show?.currentCueId).toBe('c1');
    expect((await post('/api/cue/3/fire')).status).toBe(200);
    expect((await state()).program.prompt).toBe('forest');
    expect((await post('/api/back')).status).toBe(200);
    expect((await state()).show?.currentCueId).toBe('c2');
    expect((await post('/api/prompt', { prompt: 'golden dunes', transitionMs: 300 })).status).toBe(200);
    expect((await post('/api/seed', { seed: 9 })).status).toBe(200);
    let s = await state();
    expect([s.program.prompt, s.program.seed]).toEqual(['golden dunes', 9]);
    // The live look's input: an NDI source by name (never found here: reported, the look runs text-only), then cleared.
    expect((await post('/api/input', { source: { kind: 'ndi', name: 'NOWHERE (Plate)' }, fit: 'crop', strength: 0.4 })).status).toBe(200);
    expect((await state()).program.input).toEqual({ source: { kind: 'ndi', name: 'NOWHERE (Plate)' }, fit: 'crop' });
    expect((await post('/api/input', { source: { kind: 'ndi', name: '' } })).status).toBe(400);
    expect((await post('/api/input/clear')).status).toBe(200);
    s = await state();
    expect(s.program.input).toBeNull();
    expect((await post('/api/panic/black', { fadeMs: 100 })).status).toBe(200);
    expect((await state()).program.panic).toBe('black');
    expect((await post('/api/restore')).status).toBe(200);
    s = await state();
    expect(s.program.panic).toBe('none');
    expect(s.control?.network).toBe(false);
    expect(s.control?.tokenRequired).toBe(false);
    // Output selection by name in the path (URL-encoded).
    expect((await post('/api/command', { type: 'addDisplayOutput', name: 'Wall A' })).status).toBe(200);
    const live = async () => (await state()).outputs.find((o) => o.name === 'Wall A')?.live;
    expect((await post('/api/output/Wall%20A/blank')).status).toBe(200);
    expect(await live()).toBe(false);
    expect((await post('/api/output/Wall%20A/toggle')).status).toBe(200);
    expect(await live()).toBe(true);
    const missing = await post('/api/output/Floor/select');
    expect(missing.status).toBe(409);
    expect(((await missing.json()) as { message: string }).message).toMatch(/No NDI or display output "Floor"/);
  });

  it('refuses bad requests with a JSON {code, message} and changes nothing', async () => {
    const before = await state();
    const cases: [Promise<Response>, number, string][] = [
      [post('/api/prompt', '{not json'), 400, 'invalid-message'],
      [post('/api/prompt', { prompt: 42 }), 400, 'invalid-message'],
      [post('/api/seed', { seed: -1 }), 400, 'invalid-message'],
      [post('/api/command', { type: 'selfDestruct' }), 400, 'unknown-command'],
      [post('/api/nothing-here'), 404, 'not-found'],
      [fetch(`${base}/api/go`), 405, 'invalid-message'],
      [post('/api/prompt', { prompt: 'x'.repeat(20_000) }), 413, 'too-large'],
      [post('/api/token/rotate'), 409, 'show-edit'], // network control is off: nothing to rotate
    ];
    for (const [request, status, code] of cases) {
      const response = await request;
      const body = (await response.json()) as { code: string; message: string };
      expect([response.status, body.code]).toEqual([status, code]);
      expect(body.message.length).toBeGreaterThan(5);
    }
    const after = await state();
    expect(after.program).toEqual(before.program);
    expect(after.show?.document).toEqual(before.show?.document);
  });

  it('rate limits a stuck trigger with 429 per source and endpoint', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await post('/api/restore')).status);
    const ok = statuses.filter((s) => s === 200).length;
    const limited = statuses.filter((s) => s === 429).length;
    expect(ok).toBeGreaterThanOrEqual(9); // burst 10, one spent by the first test
    expect(ok).toBeLessThan(16);
    expect(limited).toBe(30 - ok);
    expect((await post('/api/go')).status).not.toBe(429); // another endpoint has its own bucket
    expect((await state()).control?.http.rateLimited).toBeGreaterThanOrEqual(limited);
  });
});

describe('network control token', () => {
  it('requires the token on HTTP and WebSocket, and rotating it drops old connections', async () => {
    const hub = new ClientHub(engine);
    // Bound to every interface (as `serve --host 0.0.0.0` does) but only reached on loopback here.
    const open = await startNetworkControl({ engine, hub, staticDir: 'dist/renderer', host: '0.0.0.0', port: 0, token: 'sesame-1234' });
    const url = `http://127.0.0.1:${open.server.port}`;
    try {
      const denied = await fetch(`${url}/api/state`);
      expect(denied.status).toBe(401);
      expect(((await denied.json()) as { code: string }).code).toBe('unauthorized');
      expect((await fetch(`${url}/api/go`, { method: 'POST', headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      const ok = await fetch(`${url}/api/state`, { headers: { authorization: 'Bearer sesame-1234' } });
      expect(ok.status).toBe(200);
      const s = (await ok.json()) as EngineState;
      expect(s.control?.network).toBe(true);
      expect(s.control?.tokenRequired).toBe(true);
      // The token is never in the state (every client and /api/state see it): the URL goes without it.
      expect(JSON.stringify(s)).not.toContain('sesame-1234');
      expect(s.control?.remoteUrl).toMatch(/^http:\/\/.+:\d+\/$/);
      const refused = await new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${open.server.port}/ws`);
        ws.on('open', () => resolve('open'));
        ws.on('error', () => resolve('refused'));
      });
      expect(refused).toBe('refused');

      const operator = await connectTestClient(`ws://127.0.0.1:${open.server.port}/ws?token=sesame-1234`);
      const bystander = await connectTestClient(`ws://127.0.0.1:${open.server.port}/ws?token=sesame-1234`);
      await bystander.waitFor(() => bystander.events.find((e) => e.kind === 'hello'));
      const closed = new Promise<number>((resolve) => bystander.socket.once('close', (code) => resolve(code)));
      const rotated = await operator.connection.send({ type: 'rotateToken' });
      expect(await closed).toBe(4001);
      const fresh = open.tokens.current!;
      expect(fresh).not.toBe('sesame-1234');
      // The console that asked stays, and gets the new token in its reply (and nobody else does).
      expect(rotated).toEqual({ ok: true, data: { token: fresh } });
      expect(operator.socket.readyState).toBe(WebSocket.OPEN);
      expect(JSON.stringify(operator.events)).not.toContain(fresh);
      expect((await fetch(`${url}/api/state`, { headers: { authorization: 'Bearer sesame-1234' } })).status).toBe(401);
      expect((await fetch(`${url}/api/state?token=${fresh}`)).status).toBe(200);
      operator.close();
    } finally {
      await open.close();
    }
  });
});
