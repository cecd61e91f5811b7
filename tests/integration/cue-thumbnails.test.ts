/**
 * Cue thumbnails inside the real engine (built-in ONNX model, the standby preview's
 * worker): three cues give three different pictures; editing one re-renders that one
 * only; deleting one drops it; a thumbnail is the same picture as a still of the same
 * look rendered on its own; a console that connects later gets them all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { commandSchema, type CommandInput } from '../../app/contract/commands.js';
import { readFrame, readThumbnail, type ThumbnailMessage } from '../../app/contract/frame-wire.js';
import type { Cue } from '../../app/contract/show.js';
import { THUMBNAIL_HEIGHT, THUMBNAIL_SHOW_TIME_MS, THUMBNAIL_WIDTH, thumbnailKey } from '../../app/contract/thumbnails.js';
import { ClientHub } from '../../app/engine/control/client-hub.js';
import { startConsoleServer, type ConsoleServer } from '../../app/engine/control/console-server.js';
import { engineNowMs } from '../../app/engine/clock.js';
import { Engine } from '../../app/engine/engine.js';
import { builtinModelDir, loadModelFolder } from '../../app/engine/generate/model-folder.js';
import { StandbyPreview } from '../../app/engine/preview/standby-preview.js';
import { lookTarget } from '../../app/show/show-state.js';
import { meanAbsDiff, meanRgb, rgbDistance } from '../helpers/engine-client.js';
import { waitUntil, type Probe } from '../helpers/wait.js';

const PROMPTS = ['snow white winter morning', 'neon night city, magenta and cyan', 'deep green forest moss'];

let engine: Engine;
let server: ConsoleServer;
/** Every thumbnail the engine delivered, in order. */
const delivered: ThumbnailMessage[] = [];
const send = (command: CommandInput) => engine.dispatch(commandSchema.parse(command));

const until = <T>(probe: Probe<T>, timeoutMs = 30_000) => waitUntil(probe, { timeoutMs, intervalMs: 50 });

const cues = (): Cue[] => engine.state().show!.document.cues;
const keyOf = (cue: Cue) => thumbnailKey(cue.look, engine.state().model.id);
/** The engine's current thumbnail for a cue (what a console connecting now would get), or undefined. */
const currentFor = (cue: Cue) =>
  engine
    .cueThumbnails()
    .map((m) => readThumbnail(m)!)
    .find((t) => t.key === keyOf(cue));
const deliveriesOf = (key: string) => delivered.filter((t) => t.key === key).length;

beforeAll(async () => {
  engine = await Engine.start({ configDir: null, width: 320, height: 180 });
  engine.on('thumbnail', (message) => delivered.push(readThumbnail(message.slice())!));
  server = await startConsoleServer({ hub: new ClientHub(engine), staticDir: 'dist/renderer', port: 0 });
  await until(() => engine.state().stats.modelFps > 0);
});

afterAll(async () => {
  await server?.close();
  await engine?.stop();
});

describe('cue thumbnails', () => {
  it('three cues with different prompts give three thumbnails with different pixels', async () => {
    for (const prompt of PROMPTS) expect((await send({ type: 'addCue', patch: { prompt, transition: { durationMs: 0, curve: 'linear' } } })).ok).toBe(true);
    const thumbnails = await until(() => {
      const found = cues().map(currentFor);
      return found.length === 3 && found.every(Boolean) ? (found as ThumbnailMessage[]) : null;
    });
    for (const t of thumbnails) {
      expect([t.width, t.height, t.showTimeMs]).toEqual([THUMBNAIL_WIDTH, THUMBNAIL_HEIGHT, THUMBNAIL_SHOW_TIME_MS]);
    }
    const means = thumbnails.map((t) => meanRgb(t.pixels));
    for (const [a, b] of [
      [0, 1],
      [0, 2],
      [1, 2],
    ] as const) {
      expect(rgbDistance(means[a]!, means[b]!), `cue ${a + 1} vs ${b + 1}`).toBeGreaterThan(15);
    }
    // Each look was rendered once.
    for (const cue of cues()) expect(deliveriesOf(keyOf(cue))).toBe(1);
  });

  it('editing a cue re-renders that cue only, and its thumbnail changes', async () => {
    const [first, second, third] = cues() as [Cue, Cue, Cue];
    const before = currentFor(second)!;
    const deliveredBefore = delivered.length;
    expect((await send({ type: 'updateCue', cueId: second.id, patch: { prompt: 'golden desert dunes at noon', seed: 7 } })).ok).toBe(true);
    const edited = cues()[1]!;
    expect(keyOf(edited)).not.toBe(keyOf(second));
    const after = await until(() => currentFor(edited));
    expect(rgbDistance(meanRgb(before.pixels), meanRgb(after.pixels))).toBeGreaterThan(15);
    // Let anything else the edit might have queued come out, then count.
    await new Promise((r) => setTimeout(r, 1000));
    expect(delivered.slice(deliveredBefore).map((t) => t.key)).toEqual([keyOf(edited)]);
    expect(deliveriesOf(keyOf(first))).toBe(1);
    expect(deliveriesOf(keyOf(third))).toBe(1);
    // The old look's picture is gone with it.
    expect(engine.cueThumbnails().map((m) => readThumbnail(m)!.key)).not.toContain(keyOf(second));
  });

  it('a thumbnail is the picture of a still of the same look rendered on its own', async () => {
    const cue = cues()[0]!;
    const thumbnail = currentFor(cue)!;
    const folder = loadModelFolder(builtinModelDir());
    if (!folder.ok) throw new Error(folder.error.message);
    const renderer = await StandbyPreview.start({ model: folder.value, showEpochMs: engineNowMs(), provider: 'cpu' });
    if (!renderer.ok) throw new Error(renderer.error.message);
    try {
      const still = await renderer.value.renderOnce(lookTarget(cue.look), THUMBNAIL_SHOW_TIME_MS);
      if (!still.ok) throw new Error(still.error.message);
      const frame = readFrame(still.value)!;
      const reference = boxDownscale(frame.pixels, frame.header.width, frame.header.height, THUMBNAIL_WIDTH, THUMBNAIL_HEIGHT);
      const difference = meanAbsDiff(thumbnail.pixels, reference);
      // Same look, same show time: only the two downscales (2x2 samples vs a box average) differ.
      expect(difference).toBeLessThan(4);
      // And not merely "some picture": another cue's thumbnail is far from it.
      expect(meanAbsDiff(currentFor(cues()[2]!)!.pixels, reference)).toBeGreaterThan(4 * difference + 10);
    } finally {
      await renderer.value.stop();
    }
  });

  it('a console that connects later gets every current thumbnail; deleting a cue drops its thumbnail', async () => {
    const received: ThumbnailMessage[] = [];
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
    socket.on('message', (data, isBinary) => {
      const thumbnail = isBinary ? readThumbnail(new Uint8Array(data as Buffer)) : null;
      if (thumbnail) received.push({ ...thumbnail, pixels: thumbnail.pixels.slice() });
    });
    try {
      const keys = cues().map(keyOf);
      await until(() => keys.every((k) => received.some((t) => t.key === k)));
      expect(received).toHaveLength(3);
    } finally {
      socket.close();
    }
    const [, , third] = cues() as [Cue, Cue, Cue];
    expect((await send({ type: 'deleteCue', cueId: third.id })).ok).toBe(true);
    await until(() => engine.cueThumbnails().length === 2);
    expect(engine.cueThumbnails().map((m) => readThumbnail(m)!.key)).not.toContain(keyOf(third));
  });
});

/** Box-average downscale (every source pixel weighted by its overlap), independent of the engine's downscaler. */
function boxDownscale(source: Uint8Array, sw: number, sh: number, tw: number, th: number): Uint8Array {
  const target = new Uint8Array(tw * th * 4);
  const sx = sw / tw;
  const sy = sh / th;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const sum = [0, 0, 0];
      let weight = 0;
      for (let v = Math.floor(y * sy); v < Math.ceil((y + 1) * sy); v++) {
        const wy = Math.min(v + 1, (y + 1) * sy) - Math.max(v, y * sy);
        for (let u = Math.floor(x * sx); u < Math.ceil((x + 1) * sx); u++) {
          const w = wy * (Math.min(u + 1, (x + 1) * sx) - Math.max(u, x * sx));
          const i = (v * sw + u) * 4;
          for (let c = 0; c < 3; c++) sum[c]! += source[i + c]! * w;
          weight += w;
        }
      }
      const o = (y * tw + x) * 4;
      for (let c = 0; c < 3; c++) target[o + c] = Math.round(sum[c]! / weight);
      target[o + 3] = 255;
    }
  }
  return target;
}
