/**
 * The whole data path with real parts: the built-in ONNX model in onnxruntime-node
 * (worker thread), the output clock, the preview sink and the WebSocket API, driven
 * through the console's own client code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ClientHub } from '../../app/engine/control/client-hub.js';
import { startConsoleServer, type ConsoleServer } from '../../app/engine/control/console-server.js';
import { Engine } from '../../app/engine/engine.js';
import { connectTestClient, meanAbsDiff, meanRgb, rgbDistance, type TestClient } from '../helpers/engine-client.js';
import { CONTRACT_VERSION } from '../../app/contract/messages.js';

let engine: Engine;
let server: ConsoleServer;
let client: TestClient;
const logLines: string[] = [];

beforeAll(async () => {
  engine = await Engine.start({ initialPrompt: 'snow white winter morning', initialSeed: 3 });
  const hub = new ClientHub(engine, (line) => logLines.push(line));
  server = await startConsoleServer({ hub, staticDir: 'dist/renderer', port: 0 });
  client = await connectTestClient(`ws://127.0.0.1:${server.port}/ws`);
});

afterAll(async () => {
  client?.close();
  await server?.close();
  await engine?.stop();
});

const lastState = () => client.latestState();

describe('engine over WebSocket', () => {
  it('greets with the contract version and a state naming the model and provider', async () => {
    const hello = await client.waitFor(() => client.events.find((e) => e.kind === 'hello'));
    expect(hello.kind === 'hello' && hello.contractVersion).toBe(CONTRACT_VERSION);
    const state = await client.waitFor(() => (lastState().model.status === 'running' ? lastState() : null));
    expect(state.model.provider).toBe('cpu');
    expect(state.model.width).toBe(1920);
    expect(state.model.height).toBe(1080);
  });

  it('streams live preview frames that move', async () => {
    await client.waitFor(() => client.frames.length >= 2);
    const first = client.frames.at(-1)!;
    const later = await client.waitFor(() => {
      const f = client.frames.at(-1)!;
      return f.atMs - first.atMs > 1500 ? f : null;
    });
    expect(first.header.width).toBe(384);
    expect(later.header.sequence).toBeGreaterThan(first.header.sequence);
    expect(meanAbsDiff(first.rgba, later.rgba)).toBeGreaterThan(0.05); // motion, not a still
  });

  it('puts a new prompt on air: every frame after the change carries the new look id and looks different', async () => {
    const before = client.frames.at(-1)!;
    const lookBefore = lastState().program.lookId;
    const result = await client.connection.send({ type: 'setPrompt', prompt: 'neon night city, magenta and cyan' });
    expect(result).toEqual({ ok: true });
    const onAir = await client.waitFor(() => client.events.find((e) => e.kind === 'lookOnAir' && e.lookId === lookBefore + 1));
    expect(onAir.kind === 'lookOnAir' && onAir.ttffMs).toBeGreaterThan(0);
    const after = await client.waitFor(() => client.frames.find((f) => f.header.lookId === lookBefore + 1));
    expect(rgbDistance(meanRgb(before.rgba), meanRgb(after.rgba))).toBeGreaterThan(30);
    // No stale frame after the first new one.
    const index = client.frames.indexOf(after);
    await new Promise((r) => setTimeout(r, 300));
    expect(client.frames.slice(index).every((f) => f.header.lookId >= lookBefore + 1)).toBe(true);
  });

  it('black panic takes the preview to black and restore brings the picture back', async () => {
    await client.connection.send({ type: 'panic', mode: 'black', fadeMs: 0 });
    const black = await client.waitFor(() => {
      const f = client.frames.at(-1)!;
      const [r, g, b] = meanRgb(f.rgba);
      return r + g + b < 1 ? f : null;
    });
    expect(black).toBeTruthy();
    expect(lastState().program.panic).toBe('black');
    await client.connection.send({ type: 'restore' });
    const back = await client.waitFor(() => {
      const [r, g, b] = meanRgb(client.frames.at(-1)!.rgba);
      return r + g + b > 30;
    });
    expect(back).toBe(true);
  });

  it('rejects malformed input with a named problem and changes nothing', async () => {
    const programBefore = lastState().program;
    const replies = client.rawReplies.length;
    client.socket.send('{ not json');
    client.socket.send(JSON.stringify({ kind: 'command', id: 900, command: { type: 'selfDestruct' } }));
    client.socket.send(JSON.stringify({ kind: 'command', id: 901, command: { type: 'setSeed', seed: 'seven' } }));
    client.socket.send(JSON.stringify({ kind: 'command', id: 902, command: { type: 'setPrompt', prompt: 'x'.repeat(5000) } }));
    client.socket.send(JSON.stringify([1, 2, 3]));
    await client.waitFor(() => client.rawReplies.length >= replies + 5);
    const got = client.rawReplies.slice(replies) as { ok: boolean; id: number | null; error: { code: string; message: string } }[];
    expect(got.every((r) => r.ok === false)).toBe(true);
    expect(got[0]?.error.message).toMatch(/JSON/);
    expect(got.find((r) => r.id === 900)?.error.message).toMatch(/command\.type/);
    expect(got.find((r) => r.id === 901)?.error.message).toMatch(/command\.seed/);
    expect(got.find((r) => r.id === 902)?.error.message).toMatch(/command\.prompt/);
    const state = await client.connection.send({ type: 'getState' });
    expect(state.ok).toBe(true);
    expect(lastState().program).toEqual(programBefore);
    expect(logLines.filter((l) => l.startsWith('rejected')).length).toBeGreaterThanOrEqual(5);
  });

  it('keeps the output clock ticking while the model works', () => {
    const preview = lastState().outputs.find((o) => o.id === 'preview');
    expect(preview?.status).toBe('running');
    expect(preview?.fps).toBeGreaterThan(20);
    expect(lastState().stats.modelFps).toBeGreaterThan(0);
  });
});

describe('network access', () => {
  it('refuses to listen beyond loopback without a token', async () => {
    const hub = new ClientHub(engine);
    await expect(startConsoleServer({ hub, staticDir: 'dist/renderer', host: '0.0.0.0', port: 0 })).rejects.toThrow(/token/);
  });

  it('needs the token on a network-facing listener', async () => {
    const hub = new ClientHub(engine);
    const open = await startConsoleServer({ hub, staticDir: 'dist/renderer', host: '0.0.0.0', port: 0, token: 'sesame-1234' });
    try {
      const denied = await fetch(`http://127.0.0.1:${open.port}/healthz`);
      expect(denied.status).toBe(401);
      const allowed = await fetch(`http://127.0.0.1:${open.port}/healthz`, { headers: { authorization: 'Bearer sesame-1234' } });
      expect(allowed.status).toBe(200);
      const rejected = await new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${open.port}/ws?token=wrong`);
        ws.on('open', () => resolve('open'));
        ws.on('error', () => resolve('refused'));
      });
      expect(rejected).toBe('refused');
      const accepted = await connectTestClient(`ws://127.0.0.1:${open.port}/ws?token=sesame-1234`);
      await accepted.waitFor(() => accepted.events.find((e) => e.kind === 'hello'));
      accepted.close();
    } finally {
      await open.close();
    }
  });
});
