/**
 * Show control over the real WebSocket with the real model: build a cue list,
 * GO through it and see the preview frames follow, the double-GO guard, BACK,
 * the timeline driving the wall, a safe plate PNG on the outputs, and a broken
 * show file refused with its line while the current show stays.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineState } from '../../app/contract/state.js';
import { ClientHub } from '../../app/engine/control/client-hub.js';
import { startConsoleServer, type ConsoleServer } from '../../app/engine/control/console-server.js';
import { Engine } from '../../app/engine/engine.js';
import { connectTestClient, meanRgb, rgbDistance, type TestClient } from '../helpers/engine-client.js';

let dir: string;
let engine: Engine;
let server: ConsoleServer;
let client: TestClient;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-show-it-'));
  engine = await Engine.start({ initialPrompt: 'soft grey', showPath: path.join(dir, 'gig.json'), configDir: null });
  const hub = new ClientHub(engine);
  server = await startConsoleServer({ hub, staticDir: 'dist/renderer', port: 0 });
  client = await connectTestClient(`ws://127.0.0.1:${server.port}/ws`);
});

afterAll(async () => {
  client?.close();
  await server?.close();
  await engine?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const lastState = (): EngineState => client.latestState();
const show = () => lastState().show!;
const send = (command: Parameters<TestClient['connection']['send']>[0]) => client.connection.send(command);

/** Mean colour of the newest preview frame of look `lookId` (waits for one a little after the first). */
async function pictureOf(lookId: number): Promise<[number, number, number]> {
  const first = await client.waitFor(() => client.frames.find((f) => f.header.lookId >= lookId), 15_000);
  const later = await client.waitFor(() => {
    const f = client.frames.at(-1)!;
    return f.atMs - first.atMs > 300 && f.header.lookId >= lookId ? f : null;
  }, 15_000);
  return meanRgb(later.rgba);
}

describe('show control over WebSocket', () => {
  it('builds a three-cue show and GO walks through it; the preview follows each cue', async () => {
    await client.waitFor(() => lastState().model.status === 'running', 30_000);
    for (const prompt of ['snow white winter morning', 'neon night city, magenta and cyan', 'deep green forest moss']) {
      expect(await send({ type: 'addCue', patch: { prompt, transition: { durationMs: 0, curve: 'linear' } } })).toEqual({ ok: true });
    }
    await client.waitFor(() => show().document.cues.length === 3);
    expect(show().standbyCueId).toBe('c1');
    const pictures: [number, number, number][] = [];
    for (const id of ['c1', 'c2', 'c3']) {
      const lookBefore = lastState().program.lookId;
      await send({ type: 'go' });
      await client.waitFor(() => show().currentCueId === id);
      pictures.push(await pictureOf(lookBefore + 1));
      await new Promise((r) => setTimeout(r, 350)); // past the double-GO guard
    }
    expect(lastState().program.prompt).toBe('deep green forest moss');
    expect(rgbDistance(pictures[0]!, pictures[1]!)).toBeGreaterThan(20);
    expect(rgbDistance(pictures[1]!, pictures[2]!)).toBeGreaterThan(20);
    expect(show().standbyCueId).toBeNull();
  });

  it('ignores a second GO inside the guard time', async () => {
    await send({ type: 'standby', cueId: 'c1' });
    await send({ type: 'updateShow', settings: { goGuardMs: 2000 } });
    await new Promise((r) => setTimeout(r, 2000));
    await send({ type: 'go' });
    await send({ type: 'go' });
    await client.waitFor(() => show().currentCueId === 'c1');
    await new Promise((r) => setTimeout(r, 100));
    expect(show().currentCueId).toBe('c1');
    expect(show().standbyCueId).toBe('c2');
    await send({ type: 'updateShow', settings: { goGuardMs: 0 } });
    await send({ type: 'go' });
    await send({ type: 'back' });
    await client.waitFor(() => show().currentCueId === 'c1' && show().standbyCueId === 'c2');
  });

  it('the timeline drives the wall while it plays', async () => {
    await send({ type: 'addKeyframe', timeMs: 0, patch: { prompt: 'golden desert dunes at noon', seed: 2 } });
    await send({ type: 'addKeyframe', timeMs: 400, patch: { prompt: 'underwater coral reef, sun rays', seed: 3 } });
    expect(await send({ type: 'updateTimeline', durationMs: 400 })).toEqual({ ok: true });
    await send({ type: 'timelinePlay' });
    await client.waitFor(() => show().driver === 'timeline' && lastState().program.prompt === 'underwater coral reef, sun rays', 5000);
    await client.waitFor(() => !show().timeline.playing, 5000); // stops at its end
    await send({ type: 'fireCue', number: '2' });
    await client.waitFor(() => show().driver === 'cues' && lastState().program.prompt === 'neon night city, magenta and cyan');
  });

  it("safe plate puts the show's PNG on the outputs, restore brings the program back", async () => {
    const png = new PNG({ width: 8, height: 8 });
    for (let i = 0; i < png.data.length; i += 4) png.data.set([200, 20, 30, 255], i);
    writeFileSync(path.join(dir, 'plate.png'), PNG.sync.write(png));
    await send({ type: 'updateShow', settings: { safePlate: 'plate.png' } });
    await send({ type: 'panic', mode: 'safe-plate' });
    const plate = await client.waitFor(() => {
      const f = client.frames.at(-1)!;
      const [r, g, b] = meanRgb(f.rgba);
      return Math.abs(r - 200) < 3 && Math.abs(g - 20) < 3 && Math.abs(b - 30) < 3 ? f : null;
    }, 5000);
    expect(plate).toBeTruthy();
    expect(lastState().program.panic).toBe('safe-plate');
    await send({ type: 'restore' });
    await client.waitFor(() => {
      const [r, g, b] = meanRgb(client.frames.at(-1)!.rgba);
      return rgbDistance([r, g, b], [200, 20, 30]) > 40;
    }, 5000);
  });

  it('refuses a broken show file with its line and keeps the show loaded', async () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{\n  "version": 2,\n  "name": 7\n}\n');
    const result = await send({ type: 'openShow', path: bad });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('show-file');
      expect(result.error.message).toMatch(/line 3, field "name"/);
    }
    expect(show().document.cues.length).toBe(3);
  });

  it('undo and redo over the wire; save writes the file', async () => {
    await send({ type: 'updateCue', cueId: 'c2', patch: { name: 'Night' } });
    await client.waitFor(() => show().document.cues[1]?.name === 'Night');
    await send({ type: 'undo' });
    await client.waitFor(() => show().document.cues[1]?.name === '' && show().canRedo);
    await send({ type: 'redo' });
    await client.waitFor(() => show().document.cues[1]?.name === 'Night');
    expect(await send({ type: 'saveShow' })).toEqual({ ok: true });
    await client.waitFor(() => !show().dirty);
  });
});
