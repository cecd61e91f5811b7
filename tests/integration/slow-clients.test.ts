/**
 * WebSocket clients that never read, against a real engine and real sockets
 * (issue 13: three such clients grew the engine by 115 MB a minute once the state
 * was large). A client that is behind gets the newest state when it catches up
 * (latest wins, the ones between are skipped), and one that stays behind is
 * dropped with a reason; a client that reads keeps getting every change.
 */
import type { Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { commandSchema } from '../../app/contract/commands.js';
import { ClientHub } from '../../app/engine/control/client-hub.js';
import { SLOW_CLIENT_CLOSE_CODE, startConsoleServer, type ConsoleServer } from '../../app/engine/control/console-server.js';
import { Engine } from '../../app/engine/engine.js';
import { connectTestClient } from '../helpers/engine-client.js';
import { waitUntil } from '../helpers/wait.js';

let engine: Engine;
let hub: ClientHub;
let server: ConsoleServer;

beforeAll(async () => {
  engine = await Engine.start({ configDir: null, width: 160, height: 90 });
  hub = new ClientHub(engine, () => {}, { dropAfterMs: 1500 });
  server = await startConsoleServer({ hub, staticDir: 'dist/renderer', port: 0 });
  // A large show: 200 cues with long prompts make every state snapshot ~250 KB.
  for (let i = 0; i < 200; i++) {
    const prompt = `cue ${i} ${'painted canvas backdrop with warm light and soft haze '.repeat(17)}`.slice(0, 1000);
    expect((await engine.dispatch(commandSchema.parse({ type: 'addCue', patch: { prompt } }))).ok).toBe(true);
  }
});

afterAll(async () => {
  hub?.close();
  await server?.close();
  await engine?.stop();
});

it('holds back state for a client that stopped reading, then drops it with a reason; a reading client is unaffected', async () => {
  const url = `ws://127.0.0.1:${server.port}/ws`;
  const reader = await connectTestClient(url);
  await reader.waitFor(() => reader.events.find((e) => e.kind === 'hello'));

  const stalled = new WebSocket(url);
  await new Promise((resolve) => stalled.once('open', resolve));
  // Stop reading at the TCP level, as a frozen browser tab or a wedged script does.
  (stalled as unknown as { _socket: Socket })._socket.pause();
  const closed = new Promise<number>((resolve) => stalled.once('close', (code) => resolve(code)));

  // Publish state as fast as edits can come: each getState broadcasts a full snapshot.
  const publish = setInterval(() => void engine.dispatch({ type: 'getState' }), 5);
  try {
    await waitUntil(() => hub.droppedClients >= 1, { timeoutMs: 20_000 });
  } finally {
    clearInterval(publish);
  }
  expect(hub.skippedStates).toBeGreaterThan(0);
  // The dropped client learns why once it reads again.
  (stalled as unknown as { _socket: Socket })._socket.resume();
  expect(await closed).toBe(SLOW_CLIENT_CLOSE_CODE);

  // The reader is still connected and gets the next change.
  await engine.dispatch(commandSchema.parse({ type: 'setPrompt', prompt: 'after the flood' }));
  await reader.waitFor(() => reader.events.some((e) => e.kind === 'state' && e.state.program.prompt === 'after the flood'), 10_000);
  expect(reader.socket.readyState).toBe(WebSocket.OPEN);
  expect(hub.clientCount).toBe(1);
  reader.close();
});
