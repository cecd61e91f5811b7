/**
 * What the DMX personality's continuous channels do to the wall, on one real engine
 * (the built-in ONNX model) driven by a real sACN sender (the `sacn` library, unicast on
 * loopback) through DmxSource: the master channel dims the picture the outputs send
 * (checked in the pixels of the console preview, the same program feed and level every
 * output has), the strength channel sets the live look's strength in place, the prompt
 * blend channel is a T-bar that takes the standby cue once when it reaches the top, and
 * input select picks a known input by position.
 */
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sender as SacnSender } from 'sacn';
import { controlConfigSchema } from '../../app/contract/control-sources.js';
import { FRAME_HEADER_BYTES } from '../../app/contract/frame-wire.js';
import { ClientHub } from '../../app/engine/control/client-hub.js';
import { DmxSource } from '../../app/engine/control/dmx-source.js';
import { RateLimiter } from '../../app/engine/control/rate-limit.js';
import { Engine } from '../../app/engine/engine.js';
import { waitUntil } from '../helpers/wait.js';

const MASTER = 1;
const GO = 5;
const BLEND = 8;
const STRENGTH = 9;
const INPUT = 12;

let engine: Engine;
let hub: ClientHub;
let source: DmxSource;
let desk: SacnSender;
const logLines: string[] = [];
/** Mean RGB level (0-255) of each preview frame received, newest last. */
const means: { atMs: number; mean: number }[] = [];

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function meanLevel(message: Uint8Array): number {
  const pixels = message.subarray(FRAME_HEADER_BYTES);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < pixels.length; i += 16) {
    sum += (pixels[i] as number) + (pixels[i + 1] as number) + (pixels[i + 2] as number);
    n += 3;
  }
  return sum / Math.max(1, n);
}

/** The mean level of the preview frames received from now over `ms`. */
async function levelOver(ms: number): Promise<number> {
  const from = performance.now();
  await waitUntil(() => performance.now() - from >= ms && means.some((m) => m.atMs >= from), { timeoutMs: ms + 20_000, what: 'preview frames' });
  const seen = means.filter((m) => m.atMs >= from);
  return seen.reduce((s, m) => s + m.mean, 0) / seen.length;
}

let levels: Record<number, number> = {};
const send = (patch: Record<number, number>) => {
  levels = { ...levels, ...patch };
  return desk.send({ payload: levels });
};

beforeAll(async () => {
  engine = await Engine.start({ width: 320, height: 180, configDir: null, initialPrompt: 'bright white studio, soft light' });
  engine.on('preview', (message) => means.push({ atMs: performance.now(), mean: meanLevel(message) }));
  hub = new ClientHub(engine, (line) => logLines.push(line));
  const port = await freeUdpPort();
  const config = controlConfigSchema.parse({ dmx: { enabled: true, protocol: 'sacn', universe: 3, startAddress: 1, port } }).dmx;
  source = await DmxSource.start({ config, hub, limiter: new RateLimiter(), log: (line) => logLines.push(line), tickMs: 50 });
  desk = new SacnSender({
    universe: 3,
    port,
    useUnicastDestination: '127.0.0.1',
    defaultPacketOptions: { sourceName: 'faders test desk', priority: 100, useRawDmxValues: true, cid: randomBytes(16) },
  });
  await hub.submit({ type: 'updateShow', settings: { goGuardMs: 0 } }, 'test');
  for (const prompt of ['deep blue ocean', 'red desert dunes', 'green forest']) {
    expect(await hub.submit({ type: 'addCue', patch: { prompt, transition: { durationMs: 0, curve: 'linear' } } }, 'test')).toEqual({ ok: true });
  }
}, 120_000);

afterAll(async () => {
  desk?.close();
  await source?.stop();
  await engine?.stop();
});

describe('DMX faders drive the wall (real engine, built-in model, sACN on loopback)', () => {
  it('the master channel at 50 % halves the picture every output sends; back at full it is whole again', async () => {
    await send({ [MASTER]: 255, [GO]: 0 });
    await waitUntil(() => engine.state().model.status === 'running' && means.length > 10, { timeoutMs: 60_000, what: 'the model running and preview frames' });
    const full = await levelOver(600);
    expect(full).toBeGreaterThan(20);
    await send({ [MASTER]: 128 });
    await waitUntil(() => source.status().values?.master === 128 / 255, { what: 'the master at 50 % in the DMX status' });
    // The picture received dims to about half (the model's own motion moves the mean a little).
    await waitUntil(() => (means.at(-1)?.mean ?? full) < full * 0.65, {
      timeoutMs: 15_000,
      what: () => `the preview dimmed by the master at 50 % (full ${full.toFixed(1)}, last ${means.at(-1)?.mean.toFixed(1)})`,
    });
    const half = await levelOver(600);
    expect(half / full).toBeGreaterThan(0.35);
    expect(half / full).toBeLessThan(0.65);
    expect(engine.state().levels?.master).toBeCloseTo(128 / 255, 9);
    await send({ [MASTER]: 255 });
    await waitUntil(() => (means.at(-1)?.mean ?? 0) > full * 0.8, { timeoutMs: 15_000, what: 'the picture whole again at master full' });
  });

  it('strength sets the live look in place; the prompt blend bar takes the standby cue once at the top; input select by position', async () => {
    const lookBefore = engine.state().program.lookId;
    await send({ [STRENGTH]: 51 });
    await waitUntil(() => engine.state().levels?.strength === 51 / 255, { what: 'the strength from the DMX channel' });
    expect(engine.state().program.lookId).toBe(lookBefore); // in place: no new look

    const show = () => engine.state().show!;
    expect(show().standbyCueId).toBe('c1');
    for (const level of [0, 64, 128, 200, 255, 255, 250, 255]) await send({ [BLEND]: level });
    await waitUntil(() => show().currentCueId === 'c1', { what: 'the bar at the top took the standby cue' });
    await source.settled();
    await waitUntil(() => engine.state().levels?.crossfade.restsAt === 1, { what: 'the bar resting at the top' });
    // Once: the jitter at the top (255 -> 250 -> 255) did not take the next cue.
    expect(show().currentCueId).toBe('c1');
    expect(show().standbyCueId).toBe('c2');

    // No inputs known: input select names the problem, the wall keeps its look.
    await send({ [INPUT]: 10 });
    await waitUntil(() => logLines.some((l) => /selectInput refused: No input 1: no inputs are known/.test(l)), { what: 'the refused input select in the log' });
    await send({ [INPUT]: 0 });
    await waitUntil(() => engine.state().levels?.inputIndex === 0, { what: 'input select 0 (none) applied' });
  });
});
