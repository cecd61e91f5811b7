/**
 * Live input end to end, with real parts: the engine (built-in ONNX model in its
 * inference process), a real libndi sender in this process sending a known pattern
 * (a white bar on black) found by the inference process's own InputSet over the extra
 * IP 127.0.0.1, the engine's NDI output read by a real libndi receiver here.
 *
 * "The output follows the input" is measured by structure, not change: the output's
 * column luma profile correlates with the input bar's profile at its position, and
 * once the bar moves, with the new position more than the old (noise injected into
 * the output cannot pass). Input loss: the sender is destroyed, the output keeps its
 * cadence (receiver frames a second) on the held input; a new sender with the same
 * name is followed again. Also: a still image input, a file that is not an image, and
 * an NDI name that never appears (reported, the look runs text-only, outputs run).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandSchema, type CommandInput } from '../../app/contract/commands.js';
import { readFrame } from '../../app/contract/frame-wire.js';
import type { InputStatus } from '../../app/contract/inputs.js';
import { Engine } from '../../app/engine/engine.js';
import type { LibNdi } from '../../app/engine/ndi/libndi.js';
import { NdiReceiver, findNdiSource, type ReceivedVideo } from '../../app/engine/ndi/receiver.js';
import { loadNdiRuntime } from '../../app/engine/ndi/runtime.js';
import { removeNdiMarkers } from '../helpers/ndi-pattern.js';
import { barPattern, barProfile, correlation, NdiTestSender, rgbaColumnProfile, uyvyColumnProfile } from '../helpers/ndi-test-sender.js';
import { waitUntil, type Probe } from '../helpers/wait.js';

const RUN = `wire-${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
const SENDER = `Cyc live-input src ${RUN}`;
const OUTPUT = `Cyc live-input out ${RUN}`;
const RECEIVER = `Cyc live-input rx ${RUN}`;
const MISSING = `Cyc live-input never ${RUN}`;
const WIDTH = 320;
const HEIGHT = 180;
const BAR_W = 48;
const BINS = 40;
const OUT_RATE = { num: 30, den: 1 };
const IN_RATE = { num: 30000, den: 1001 };

const dir = mkdtempSync(path.join(tmpdir(), 'cyclorama-live-input-'));
const configDir = path.join(dir, 'ndi-config');
let engine: Engine;
let lib: LibNdi;
let receiver: NdiReceiver;
const senders: NdiTestSender[] = [];

const send = (command: CommandInput) => engine.dispatch(commandSchema.parse(command));
const until = <T>(probe: Probe<T>, timeoutMs = 20_000) => waitUntil(probe, { timeoutMs, intervalMs: 50 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const inputRow = (key: string): InputStatus | undefined => engine.state().inputs?.find((r) => r.key === key);

/** Frames from the engine's NDI output for `ms`, drained as they come. */
async function collect(ms: number): Promise<ReceivedVideo[]> {
  const frames: ReceivedVideo[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const frame = receiver.poll();
    if (frame) frames.push(frame);
    else await sleep(2);
  }
  return frames;
}

/** How well the newest output frame's structure matches a bar at `barX` (Pearson r of column profiles). */
async function matchOf(barX: number): Promise<number> {
  const frames = await collect(300);
  const last = frames.at(-1);
  if (!last) return -1;
  return correlation(uyvyColumnProfile(last.data, last.width, last.height, last.stride, BINS), barProfile(WIDTH, barX, BAR_W, BINS));
}

function newSender(barX: number): NdiTestSender {
  const sender = new NdiTestSender(lib, SENDER, WIDTH, HEIGHT);
  senders.push(sender);
  sender.show(barPattern(WIDTH, HEIGHT, barX, BAR_W));
  sender.start(IN_RATE);
  return sender;
}

beforeAll(async () => {
  const runtime = loadNdiRuntime();
  if (!runtime.ok) throw new Error(runtime.error.message);
  lib = runtime.value.lib;
  engine = await Engine.start({
    configDir: null,
    width: WIDTH,
    height: HEIGHT,
    rate: OUT_RATE,
    ndi: { extraIps: '127.0.0.1', configDir, outputs: [{ name: OUTPUT, width: WIDTH, height: HEIGHT, rate: OUT_RATE }] },
  });
  const source = await findNdiSource(lib, (s) => s.name.endsWith(`(${OUTPUT})`), { extraIps: '127.0.0.1', timeoutMs: 15_000 });
  if (!source) throw new Error(`the engine's NDI output ${OUTPUT} was not found`);
  receiver = NdiReceiver.connect(lib, source, RECEIVER);
}, 60_000);

afterAll(async () => {
  receiver?.close();
  for (const sender of senders) sender.destroy();
  await engine?.stop();
  removeNdiMarkers([SENDER, OUTPUT, RECEIVER, MISSING]);
  rmSync(dir, { recursive: true, force: true });
});

describe('live input: still image, bad files, names that never appear', () => {
  it('a still image input opens in the inference process: its row is connected, its thumbnail reaches consoles', async () => {
    const png = new PNG({ width: WIDTH, height: HEIGHT });
    png.data.set(barPattern(WIDTH, HEIGHT, 200, BAR_W));
    const file = path.join(dir, 'plate.png');
    writeFileSync(file, PNG.sync.write(png));
    const thumbnails: Uint8Array[] = [];
    engine.on('input', (message) => thumbnails.push(message));
    expect(await send({ type: 'setInput', input: { source: { kind: 'image', path: file } }, strength: 0.3 })).toEqual({ ok: true });
    const row = await until(() => (inputRow(`image:${file}`)?.state === 'connected' ? inputRow(`image:${file}`) : undefined));
    expect(row).toMatchObject({ width: WIDTH, height: HEIGHT, error: null });
    await until(() => thumbnails.length > 0 || undefined);
    const thumbnail = readFrame(thumbnails.at(-1) as Uint8Array);
    expect(thumbnail?.header.stream).toBe('input');
    // The thumbnail shows the input: its bright columns are where the bar is (x 200..248 of 320).
    const { width, height } = thumbnail!.header;
    const bright = (x0: number, x1: number) => {
      let sum = 0;
      for (let y = 0; y < height; y++) for (let x = x0; x < x1; x++) sum += thumbnail!.pixels[(y * width + x) * 4] as number;
      return sum / ((x1 - x0) * height);
    };
    expect(bright(Math.round((205 * width) / WIDTH), Math.round((243 * width) / WIDTH))).toBeGreaterThan(200);
    expect(bright(0, Math.round((150 * width) / WIDTH))).toBeLessThan(30);
  }, 40_000);

  it('a file that is not an image: a clear error in the row and the alerts; the outputs keep running', async () => {
    const file = path.join(dir, 'not-an-image.png');
    writeFileSync(file, 'this is text, not a PNG');
    expect(await send({ type: 'setInput', input: { source: { kind: 'image', path: file } } })).toEqual({ ok: true });
    const row = await until(() => (inputRow(`image:${file}`)?.state === 'failed' ? inputRow(`image:${file}`) : undefined));
    expect(row?.error).toMatch(/not-an-image\.png/);
    await until(() => engine.state().recentErrors.find((e) => e.code === 'input-failed' && e.message.includes('not-an-image.png')));
    const before = await collect(1000);
    expect(before.length).toBeGreaterThanOrEqual(20);
  }, 40_000);

  it('an NDI name that never appears: reported as not found, the look runs text-only, the output keeps its rate', async () => {
    expect(await send({ type: 'setInput', input: { source: { kind: 'ndi', name: MISSING } } })).toEqual({ ok: true });
    const error = await until(() => engine.state().recentErrors.find((e) => e.code === 'input-failed' && e.message.includes(MISSING)), 20_000);
    expect(error.message).toMatch(/not found.*text only until it appears/);
    expect(inputRow(`ndi:${MISSING}`)?.framesReceived).toBe(0);
    const frames = await collect(1000);
    expect(frames.length).toBeGreaterThanOrEqual(20);
    expect(await send({ type: 'setInput', input: null })).toEqual({ ok: true });
  }, 40_000);
});

describe('live input in the worker-thread fallback (no shared-memory inference process)', () => {
  it('a still image input is opened in the worker thread and the program follows its bar', async () => {
    const png = new PNG({ width: WIDTH, height: HEIGHT });
    png.data.set(barPattern(WIDTH, HEIGHT, 40, BAR_W));
    const file = path.join(dir, 'thread-plate.png');
    writeFileSync(file, PNG.sync.write(png));
    const previous = process.env.CYCLORAMA_INFERENCE;
    process.env.CYCLORAMA_INFERENCE = 'thread';
    const threaded = await Engine.start({ configDir: null, width: WIDTH, height: HEIGHT, rate: OUT_RATE });
    if (previous === undefined) delete process.env.CYCLORAMA_INFERENCE;
    else process.env.CYCLORAMA_INFERENCE = previous;
    try {
      let latest: Uint8Array | null = null;
      threaded.on('preview', (message) => (latest = message));
      expect(await threaded.dispatch(commandSchema.parse({ type: 'setInput', input: { source: { kind: 'image', path: file } }, strength: 0.6 }))).toEqual({ ok: true });
      await until(() => threaded.state().inputs?.find((r) => r.key === `image:${file}`)?.state === 'connected' || undefined);
      const r = await until(() => {
        const frame = latest ? readFrame(latest) : null;
        if (!frame) return undefined;
        const columns = rgbaColumnProfile(frame.pixels, frame.header.width, frame.header.height, BINS);
        const c = correlation(columns, barProfile(WIDTH, 40, BAR_W, BINS));
        return c > 0.6 ? c : undefined;
      });
      expect(r).toBeGreaterThan(0.6);
    } finally {
      await threaded.stop();
    }
  }, 60_000);
});

describe('live input over NDI loopback: the output follows the input, holds it when lost, follows again', () => {
  it('follows a moved bar, keeps its cadence on the held input when the sender stops, follows again after a restart', async () => {
    const sender = newSender(40);
    const found = await findNdiSource(lib, (s) => s.name.endsWith(`(${SENDER})`), { extraIps: '127.0.0.1', timeoutMs: 15_000 });
    expect(found).not.toBeNull();
    const name = found!.name;
    expect(await send({ type: 'setInput', input: { source: { kind: 'ndi', name }, fit: 'fill' }, strength: 0.6 })).toEqual({ ok: true });
    await until(() => (inputRow(`ndi:${name}`)?.state === 'connected' ? true : undefined));
    // Bar on the left: the output's structure matches it.
    const left = await until(async () => {
      const r = await matchOf(40);
      return r > 0.6 ? r : undefined;
    });
    expect(left).toBeGreaterThan(0.6);

    // The bar moves to the right: the output follows (matches the new place, no longer the old).
    sender.show(barPattern(WIDTH, HEIGHT, 232, BAR_W));
    const right = await until(async () => {
      const r = await matchOf(232);
      return r > 0.6 ? r : undefined;
    });
    expect(right).toBeGreaterThan(0.6);
    expect(await matchOf(40)).toBeLessThan(0.2);

    // The sender stops: the output keeps its rate on the held input, and the row says lost.
    sender.destroy();
    await until(() => (inputRow(`ndi:${name}`)?.state === 'lost' ? true : undefined));
    const held = await collect(2000);
    expect(held.length).toBeGreaterThanOrEqual(2 * 30 * 0.85);
    const last = held.at(-1)!;
    expect(correlation(uyvyColumnProfile(last.data, last.width, last.height, last.stride, BINS), barProfile(WIDTH, 232, BAR_W, BINS))).toBeGreaterThan(0.6);
    expect(engine.state().recentErrors.some((e) => e.code === 'input-failed' && /stopped sending/.test(e.message))).toBe(true);

    // A sender with the same name comes back, bar in the middle: followed again.
    newSender(136);
    await until(() => (inputRow(`ndi:${name}`)?.state === 'connected' ? true : undefined), 30_000);
    const middle = await until(async () => {
      const r = await matchOf(136);
      return r > 0.6 ? r : undefined;
    }, 30_000);
    expect(middle).toBeGreaterThan(0.6);
  }, 120_000);
});
