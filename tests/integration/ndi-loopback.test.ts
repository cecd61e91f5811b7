/**
 * NDI loopback with real parts: Cyclorama's NDI outputs (NdiOutputs: an output
 * clock per output, NdiFrameSink, the native UYVY conversion, libndi's async send)
 * and libndi's own finder (extra IPs 127.0.0.1: mDNS finds nothing here) and
 * receiver, in this process. The frames are SYNTHETIC (a known pattern, no model),
 * so the received pixels can be checked against the expected UYVY.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyNdiDiscovery } from '../../app/engine/ndi/discovery.js';
import { NdiOutputs } from '../../app/engine/outputs/ndi-outputs.js';
import type { TakenFrame } from '../../app/engine/frames/program-frames.js';
import { FOURCC_UYVY, type LibNdi, type NdiSource } from '../../app/engine/ndi/libndi.js';
import { convertRgbaToUyvyJs } from '../../app/engine/ndi/pixels.js';
import { NdiReceiver, findNdiSource } from '../../app/engine/ndi/receiver.js';
import { loadNdiRuntime } from '../../app/engine/ndi/runtime.js';
import { barsAndRamp, removeNdiMarkers, syntheticFrame, uyvyDiff } from '../helpers/ndi-pattern.js';

const SRC_W = 1920;
const SRC_H = 1080;
const NAME_FULL = `Cyclorama Loopback Full ${process.pid}`;
const NAME_SCALED = `Cyclorama Loopback Scaled ${process.pid}`;
const RECEIVER = `Cyclorama Test Receiver ${process.pid}`;

let lib: LibNdi;
let outputs: NdiOutputs;
let sequence = 0;
let tint = 0;
let pixels = barsAndRamp(SRC_W, SRC_H, tint);
const receivers: NdiReceiver[] = [];
const errors: string[] = [];

/** The program frame: a new synthetic frame every call, like a model faster than every output. */
function take(): TakenFrame {
  return { frame: syntheticFrame(pixels, SRC_W, SRC_H, ++sequence), fresh: true };
}

async function connect(name: string): Promise<{ receiver: NdiReceiver; source: NdiSource }> {
  const source = await findNdiSource(lib, (s) => s.name.endsWith(`(${name})`), { extraIps: '127.0.0.1', timeoutMs: 15_000 });
  expect(source, `finder with extra IPs 127.0.0.1 sees "${name}"`).not.toBeNull();
  const receiver = NdiReceiver.connect(lib, source as NdiSource, RECEIVER);
  receivers.push(receiver);
  return { receiver, source: source as NdiSource };
}

let configDir: string | null = null;

beforeAll(() => {
  // Discovery without mDNS, as a user sets it (--ndi-extra-ips): before libndi initializes.
  // Finders get extra IPs directly; a receiver that connects by name needs this config.
  configDir = applyNdiDiscovery({ extraIps: '127.0.0.1', configDir: mkdtempSync(path.join(tmpdir(), 'cyclorama-ndi-test-')) });
  const runtime = loadNdiRuntime();
  if (!runtime.ok) throw new Error(runtime.error.message);
  lib = runtime.value.lib;
  outputs = new NdiOutputs({
    settings: {},
    defaults: () => ({ width: SRC_W, height: SRC_H, rate: { num: 30000, den: 1001 } }),
    feed: { take, level: () => 1, onError: (error) => errors.push(error.message) },
    log: () => {},
  });
});

afterAll(() => {
  for (const receiver of receivers) receiver.close();
  outputs?.stop();
  removeNdiMarkers([NAME_FULL, NAME_SCALED, RECEIVER]);
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

describe('NDI loopback (libndi sender -> libndi receiver on 127.0.0.1, synthetic frames)', () => {
  it('sends 1080p59.94 UYVY that a real receiver gets with the pattern within codec tolerance', async () => {
    const added = outputs.add({ name: NAME_FULL, rate: { num: 60000, den: 1001 } });
    expect(added.ok).toBe(true);
    const { receiver } = await connect(NAME_FULL);
    const frame = await receiver.next(15_000, (f) => f.width > 0);
    expect(frame, 'a video frame within 15 s').not.toBeNull();
    const got = frame!;
    expect([got.width, got.height]).toEqual([1920, 1080]);
    expect(got.fourCC).toBe(FOURCC_UYVY);
    expect(got.rate).toEqual({ num: 60000, den: 1001 });
    // Compare in YUV against the same BT.709 conversion of the pattern.
    const expected = new Uint8Array(1920 * 1080 * 2);
    convertRgbaToUyvyJs({ src: pixels, srcWidth: SRC_W, srcHeight: SRC_H, dst: expected, width: 1920, height: 1080, stride: 3840, level: 1, filter: 'bilinear' });
    const diff = uyvyDiff(got.data, got.stride, expected, 3840, 1920, 1080);
    // Measured here: max 1, mean 0.015 (UYVY in -> UYVY out through the codec on this pattern).
    expect(diff.max).toBeLessThanOrEqual(2);
    expect(diff.mean).toBeLessThan(0.1);

    // Frame rate as received: count frames over ~2 s of arrival.
    const status = () => outputs.statuses().find((s) => s.name === NAME_FULL)!;
    await receiver.next(2000);
    let count = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 2000) if (await receiver.next(50)) count++;
    const fps = (count * 1000) / (performance.now() - t0);
    expect(fps).toBeGreaterThan(59.94 * 0.85);
    expect(fps).toBeLessThan(59.94 * 1.1);
    expect(status().connections).toBe(1);
    expect(status().status).toBe('running');
    expect(status().sourceName).toMatch(new RegExp(`\\(${NAME_FULL}\\)$`));
  }, 40_000);

  it('scales to an output of its own size and rate (1280x720 at 25), timecode advancing by exactly 1/25 s', async () => {
    const added = outputs.add({ name: NAME_SCALED, width: 1280, height: 720, rate: { num: 25, den: 1 } });
    expect(added.ok).toBe(true);
    const { receiver } = await connect(NAME_SCALED);
    const a = await receiver.next(15_000);
    const b = await receiver.next(2000);
    expect(a && b).toBeTruthy();
    expect([a!.width, a!.height]).toEqual([1280, 720]);
    expect(a!.rate).toEqual({ num: 25, den: 1 });
    // Timecode in 100 ns units: consecutive frames 400000 apart (a multiple if one was dropped).
    const step = Number(b!.timecode - a!.timecode);
    expect(step % 400_000).toBe(0);
    expect(step).toBeGreaterThan(0);
    const expected = new Uint8Array(1280 * 720 * 2);
    convertRgbaToUyvyJs({ src: pixels, srcWidth: SRC_W, srcHeight: SRC_H, dst: expected, width: 1280, height: 720, stride: 2560, level: 1, filter: 'bilinear' });
    const diff = uyvyDiff(b!.data, b!.stride, expected, 2560, 1280, 720);
    expect(diff.max).toBeLessThanOrEqual(2);
    expect(diff.mean).toBeLessThan(0.1);
    // The first output still runs at its own rate: clocks are per output.
    const full = outputs.statuses().find((s) => s.name === NAME_FULL)!;
    expect(full.rate).toEqual({ num: 60000, den: 1001 });
    expect(full.status).toBe('running');
    // It kept sending while the second output ran: its frame count still grows.
    // (How many ticks a loaded machine misses is a speed figure: bench/ndi.ts prints it.)
    const sentBefore = full.freshFrames + full.repeatedFrames;
    await new Promise((r) => setTimeout(r, 300));
    const after = outputs.statuses().find((s) => s.name === NAME_FULL)!;
    expect(after.freshFrames + after.repeatedFrames).toBeGreaterThan(sentBefore);
  }, 40_000);

  it('a sender closed and reopened under the same name reaches the listening receiver again', async () => {
    const id = outputs.list().find((c) => c.name === NAME_SCALED)!.id;
    // A receiver that listens by NAME only (no URL): the reopened sender may get
    // another port, and a URL pins the old one (as a monitor or switcher would do).
    const found = await findNdiSource(lib, (s) => s.name.endsWith(`(${NAME_SCALED})`), { extraIps: '127.0.0.1' });
    const receiver = NdiReceiver.connect(lib, { name: found!.name, url: null }, RECEIVER);
    receivers.push(receiver);
    expect(await receiver.next(20_000), 'by-name receiver gets frames').not.toBeNull();
    expect(outputs.remove(id).ok).toBe(true);
    // While closed: the receiver drains what was queued, then nothing comes.
    const deadline = performance.now() + 1500;
    while (performance.now() < deadline) await receiver.next(100);
    expect(await receiver.next(600)).toBeNull();

    tint = 60; // new picture, so frames after the reopen are recognisably new
    pixels = barsAndRamp(SRC_W, SRC_H, tint);
    expect(outputs.add({ name: NAME_SCALED, width: 1280, height: 720, rate: { num: 25, den: 1 } }).ok).toBe(true);
    const again = await receiver.next(20_000);
    expect(again, 'frames again after the sender came back').not.toBeNull();
    const expected = new Uint8Array(1280 * 720 * 2);
    convertRgbaToUyvyJs({ src: pixels, srcWidth: SRC_W, srcHeight: SRC_H, dst: expected, width: 1280, height: 720, stride: 2560, level: 1, filter: 'bilinear' });
    expect(uyvyDiff(again!.data, again!.stride, expected, 2560, 1280, 720).max).toBeLessThanOrEqual(2);
    expect(errors).toEqual([]);
  }, 40_000);
});
