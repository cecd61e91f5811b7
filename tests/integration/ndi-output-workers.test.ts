/**
 * One heavy NDI output must not slow the others (issue 17, "cost as the work grows").
 * Real parts: libndi senders, output clocks, the native conversion, and libndi's own
 * receiver on the light output over 127.0.0.1. The heavy output is a stand-in for
 * an output too heavy for the machine (a UHD wall on 2 cores): a sink with an
 * INJECTED SLOW CONVERSION (80 ms of CPU a frame, busy-waited, at 29.97 fps), so the
 * test is small (64x36 frames) and still shows the effect whatever the machine.
 *
 * Converting on the engine thread (NdiFrameSink, the way outputs ran before the send
 * workers), the heavy output's conversion holds the thread that runs every output's
 * clock: the light output misses most of its ticks. With a send worker per output
 * (NdiWorkerSink) the heavy output drops its own ticks (counted as its missed ticks)
 * and the light one keeps its cadence, at the receiver too. Bounds are ratios with
 * wide margins (the machine is shared), never a timing of one frame.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutputStatus } from '../../app/contract/state.js';
import { engineNowMs } from '../../app/engine/clock.js';
import type { TakenFrame } from '../../app/engine/frames/program-frames.js';
import { applyNdiDiscovery } from '../../app/engine/ndi/discovery.js';
import type { LibNdi, NdiSource } from '../../app/engine/ndi/libndi.js';
import { uyvyConverter, type UyvyConverter } from '../../app/engine/ndi/pixels.js';
import { findNdiSource, NdiReceiver } from '../../app/engine/ndi/receiver.js';
import { loadNdiRuntime } from '../../app/engine/ndi/runtime.js';
import type { FrameSink } from '../../app/engine/outputs/frame-sink.js';
import { NdiFrameSink, type NdiOutputConfig } from '../../app/engine/outputs/ndi-frame-sink.js';
import { NdiWorkerSink } from '../../app/engine/outputs/ndi-worker-sink.js';
import { OutputClock, RATE_29_97 } from '../../app/engine/outputs/output-clock.js';
import { barsAndRamp, removeNdiMarkers, syntheticFrame } from '../helpers/ndi-pattern.js';

const W = 64;
const H = 36;
const SLOW_MS = 80;
const WINDOW_MS = 3000;
const TAG = `wire-${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
const names: string[] = [];
const pixels = barsAndRamp(W, H);
let sequence = 0;
let lib: LibNdi;
let libPath: string;
let configDir: string | null = null;
const errors: string[] = [];

/** A new program frame every tick (a model faster than the outputs): every tick converts. */
const feed = {
  take: (): TakenFrame => ({ frame: syntheticFrame(pixels, W, H, ++sequence), fresh: true }),
  level: () => 1,
  onError: (error: { message: string }) => errors.push(error.message),
};

function busyWait(ms: number): void {
  const until = engineNowMs() + ms;
  while (engineNowMs() < until) {
    /* CPU time, as a heavy output takes */
  }
}

/** The native converter with the injected slow conversion after each frame (the engine-thread stand-in). */
function slowConverter(): UyvyConverter {
  const native = uyvyConverter().converter;
  return {
    ...native,
    convert: (args) => {
      native.convert(args);
      busyWait(SLOW_MS);
    },
  };
}

function config(label: string): NdiOutputConfig {
  const name = `Cyclorama ${label} ${TAG}`;
  names.push(name);
  return { id: label, name, width: W, height: H, rate: RATE_29_97 };
}

interface Rig {
  light: OutputClock;
  heavy: OutputClock;
  lightName: string;
  stop: () => void;
}

function startRig(light: FrameSink, heavy: FrameSink, lightName: string): Rig {
  const clocks = [light, heavy].map((sink) => {
    const clock = new OutputClock({ rate: RATE_29_97, feed });
    clock.addSink(sink);
    clock.start();
    return clock;
  });
  return { light: clocks[0] as OutputClock, heavy: clocks[1] as OutputClock, lightName, stop: () => clocks.forEach((c) => c.stop()) };
}

const status = (clock: OutputClock) => clock.statuses()[0] as OutputStatus;
const ticksOf = (s: OutputStatus) => s.freshFrames + s.repeatedFrames + s.missedTicks;

/** Missed ticks of each output over the window, as a share of its ticks, and the frames the light output's receiver got. */
async function measure(rig: Rig): Promise<{ lightMissed: number; heavyMissed: number; received: number; expected: number }> {
  const source = await findNdiSource(lib, (s: NdiSource) => s.name.endsWith(`(${rig.lightName})`), { extraIps: '127.0.0.1', timeoutMs: 20_000 });
  expect(source, `the light output "${rig.lightName}" is visible over NDI`).not.toBeNull();
  const receiverName = `Cyclorama receiver ${TAG} ${names.length}`;
  names.push(receiverName);
  const receiver = NdiReceiver.connect(lib, source as NdiSource, receiverName);
  try {
    expect(await receiver.next(20_000), 'the light output reaches the receiver').not.toBeNull();
    const [l0, h0] = [status(rig.light), status(rig.heavy)];
    const t0 = engineNowMs();
    let received = 0;
    while (engineNowMs() - t0 < WINDOW_MS) if (await receiver.next(50)) received++;
    const [l1, h1] = [status(rig.light), status(rig.heavy)];
    const share = (a: OutputStatus, b: OutputStatus) => (b.missedTicks - a.missedTicks) / Math.max(1, ticksOf(b) - ticksOf(a));
    return { lightMissed: share(l0, l1), heavyMissed: share(h0, h1), received, expected: (WINDOW_MS / 1000) * (30000 / 1001) };
  } finally {
    receiver.close();
  }
}

beforeAll(() => {
  configDir = applyNdiDiscovery({ extraIps: '127.0.0.1', configDir: mkdtempSync(path.join(tmpdir(), 'cyclorama-ndi-workers-')) });
  const runtime = loadNdiRuntime();
  if (!runtime.ok) throw new Error(runtime.error.message);
  lib = runtime.value.lib;
  libPath = runtime.value.path;
});

afterAll(() => {
  removeNdiMarkers(names);
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

describe('a heavy NDI output (a stand-in: an injected slow conversion) beside a light one, real libndi sender and receiver', () => {
  let onEngineThread: { lightMissed: number; heavyMissed: number; received: number; expected: number };

  it('converting on the engine thread, the heavy output makes the light one miss most of its ticks (the problem)', async () => {
    const light = config('light-inline');
    const heavy = config('heavy-inline');
    const lightSink = NdiFrameSink.open(lib, light, uyvyConverter().converter);
    const heavySink = NdiFrameSink.open(lib, heavy, slowConverter());
    if (!lightSink.ok || !heavySink.ok) throw new Error('senders not created');
    const rig = startRig(lightSink.value, heavySink.value, light.name);
    try {
      onEngineThread = await measure(rig);
    } finally {
      rig.stop();
    }
    console.log(`engine thread: light output missed ${(onEngineThread.lightMissed * 100).toFixed(0)} % of its ticks, heavy ${(onEngineThread.heavyMissed * 100).toFixed(0)} %`);
    expect(onEngineThread.lightMissed).toBeGreaterThan(0.3);
  });

  it('with a send worker per output, the heavy output drops its own ticks and the light one keeps its cadence at the receiver', async () => {
    const light = config('light-worker');
    const heavy = config('heavy-worker');
    const lightSink = NdiWorkerSink.open(lib, libPath, light);
    const heavySink = NdiWorkerSink.open(lib, libPath, heavy, { injectedSlowConversionMs: SLOW_MS });
    if (!lightSink.ok || !heavySink.ok) throw new Error('senders not created');
    const rig = startRig(lightSink.value, heavySink.value, light.name);
    try {
      // Each worker starts its thread first (under the test runner through tsx: seconds on a loaded machine).
      const t0 = engineNowMs();
      while (!(lightSink.value.ready && heavySink.value.ready) && engineNowMs() - t0 < 60_000) await new Promise((r) => setTimeout(r, 50));
      expect(lightSink.value.ready && heavySink.value.ready, 'both send threads started').toBe(true);
      const withWorkers = await measure(rig);
      console.log(
        `send workers: light output missed ${(withWorkers.lightMissed * 100).toFixed(0)} % of its ticks (received ${withWorkers.received} of ${withWorkers.expected.toFixed(0)}), ` +
          `heavy ${(withWorkers.heavyMissed * 100).toFixed(0)} % (its own drops: ${heavySink.value.droppedTicks()})`,
      );
      // The heavy output pays for itself: its ticks dropped while its worker converts, counted as its missed ticks.
      expect(withWorkers.heavyMissed).toBeGreaterThan(0.3);
      expect(heavySink.value.droppedTicks()).toBeGreaterThan(0);
      // The light one is not dragged down with it: a small share, well under what the engine-thread conversion cost it.
      expect(withWorkers.lightMissed).toBeLessThan(0.15);
      expect(withWorkers.lightMissed).toBeLessThan(onEngineThread.lightMissed / 2);
      expect(withWorkers.received).toBeGreaterThan(withWorkers.expected * 0.6);
      expect(errors).toEqual([]);
    } finally {
      rig.stop();
    }
  });
});
