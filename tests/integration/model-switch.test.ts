/**
 * Switching the live model over the real WebSocket API (`loadModel`): the wall stays
 * on the running model while the new one loads, then carries on with the new one at
 * the same output size; a folder that does not load changes nothing and says why, in
 * the reply (which comes when the load has succeeded or failed) and the errors.
 * Uses the built-in model and a random-weight SD-Turbo fixture (no real weights here).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientHub } from '../../app/engine/control/client-hub.js';
import { startConsoleServer, type ConsoleServer } from '../../app/engine/control/console-server.js';
import { Engine } from '../../app/engine/engine.js';
import { buildTurboFixture } from '../../models/fixtures/build-turbo-fixtures.js';
import { connectTestClient, type TestClient } from '../helpers/engine-client.js';

let engine: Engine;
let server: ConsoleServer;
let client: TestClient;
const dirs: string[] = [];

beforeAll(async () => {
  engine = await Engine.start({ width: 320, height: 180, configDir: null });
  server = await startConsoleServer({ hub: new ClientHub(engine), staticDir: 'dist/renderer', port: 0 });
  client = await connectTestClient(`ws://127.0.0.1:${server.port}/ws`);
});

afterAll(async () => {
  client?.close();
  await server?.close();
  await engine?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function latestState() {
  for (let i = client.events.length - 1; i >= 0; i--) {
    const event = client.events[i];
    if (event && (event.kind === 'state' || event.kind === 'hello')) return event.state;
  }
  throw new Error('no state');
}

describe('loadModel', () => {
  it('keeps the running model and names the problem when the folder does not load', async () => {
    const missing = path.join(tmpdir(), 'cyclorama-no-such-model');
    // The reply waits for the load and says that it failed (it used to be ok:true for a folder that then failed).
    const reply = await client.connection.send({ type: 'loadModel', dir: missing });
    expect(reply.ok).toBe(false);
    expect(reply.ok === false && reply.error.message).toMatch(/Still running Cyclorama built-in/);
    await client.waitFor(() => client.events.find((e) => e.kind === 'error' && e.error.message.includes(missing)));
    // The state that follows the error shows the switch over (it may arrive a message later).
    const state = await client.waitFor(() => (latestState().model.switchingTo === undefined ? latestState() : null));
    expect(state.model.id).toBe('cyclorama-builtin');
    expect(state.model.status).toBe('running');
    expect(state.model.switchingTo).toBeUndefined();
    const error = client.events.find((e) => e.kind === 'error' && e.error.message.includes(missing));
    expect(error?.kind === 'error' && error.error.message).toMatch(/Still running Cyclorama built-in/);
  });

  it('switches to another model without the outputs stopping or changing size', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cyclorama-switch-'));
    dirs.push(dir);
    buildTurboFixture(dir, { variant: 'sd', precision: 'fp32' });
    await client.waitFor(() => client.frames.length > 5);
    const before = latestState().outputs.find((o) => o.id === 'preview')!;
    // The reply comes when the new model is live (and the old one stopped); the outputs are measured from the switch on, as before.
    const reply = client.connection.send({ type: 'loadModel', dir });
    const switched = await client.waitFor(() => (latestState().model.id !== 'cyclorama-builtin' ? latestState() : null), 20_000);
    expect(switched.model.status).toBe('running');
    expect([switched.model.width, switched.model.height]).toEqual([320, 180]);
    const framesAtSwitch = client.frames.length;
    await client.waitFor(() => client.frames.length > framesAtSwitch + 5, 10_000); // the new model's frames reach the console
    const after = latestState().outputs.find((o) => o.id === 'preview')!;
    // The output clock did not stall: a clock held up by the load would miss most of the ticks of the switch
    // (it takes seconds); a loaded 2-core machine misses a few, so the bound is a share of the ticks, not a count.
    const ticksDuringSwitch = after.freshFrames + after.repeatedFrames - (before.freshFrames + before.repeatedFrames);
    expect(ticksDuringSwitch).toBeGreaterThan(10);
    expect(after.missedTicks - before.missedTicks).toBeLessThanOrEqual(2 + 0.1 * ticksDuringSwitch);
    expect(await reply).toEqual({ ok: true });
    // A second switch while none is running is accepted; two at once are not.
    const second = client.connection.send({ type: 'loadModel', dir });
    const busy = await client.connection.send({ type: 'loadModel', dir });
    expect(busy.ok === false && busy.error.message).toMatch(/already being loaded/);
    expect((await second).ok).toBe(true);
  });
});
