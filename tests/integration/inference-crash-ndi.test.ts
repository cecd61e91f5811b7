/**
 * A crash of the model must not take the wall down (issue 13): the real engine with
 * a real NDI output and a real libndi receiver on 127.0.0.1 watching, while the
 * inference process (the built-in ONNX model) is SIGKILLed. The receiver keeps
 * getting frames on the same connection (the output clock repeats the last frame),
 * the output clock misses (almost) no tick, the model comes back by itself and a
 * prompt change after the restart reaches the receiver.
 *
 * Prints `FIGURES inference-crash ...` (missed ticks, longest receiver gap, restart
 * time) for the report.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandSchema, type CommandInput } from '../../app/contract/commands.js';
import type { OutputStatus } from '../../app/contract/state.js';
import { Engine } from '../../app/engine/engine.js';
import { NdiReceiver, findNdiSource, type ReceivedVideo } from '../../app/engine/ndi/receiver.js';
import { loadNdiRuntime } from '../../app/engine/ndi/runtime.js';
import { removeNdiMarkers } from '../helpers/ndi-pattern.js';
import { waitUntil } from '../helpers/wait.js';

const SUFFIX = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
const NAME = `Cyclorama Infer Crash ${SUFFIX}`;
const RECEIVER = `Cyclorama Infer Crash Receiver ${SUFFIX}`;
const WIDTH = 320;
const HEIGHT = 180;
const RATE = { num: 25, den: 1 };
const PERIOD_MS = 1000 / 25;
/**
 * The goal is 0 missed ticks and no gap beyond a frame period; the allowances are for
 * a 2-core test machine shared with other jobs (the quiet window printed beside the
 * figures shows what the load alone costs: up to 2 ticks and ~120 ms here). What they
 * still catch: a reconnect (seconds without frames), or a restart that blocks the
 * engine thread (loading the model takes over a second).
 */
const MAX_GAP_MS = 8 * PERIOD_MS;
const MISSED_TICK_ALLOWANCE = 5;

const configDir = mkdtempSync(path.join(tmpdir(), 'cyclorama-infer-crash-'));
let engine: Engine;
const send = (command: CommandInput) => engine.dispatch(commandSchema.parse(command));
const ndiOutput = (): OutputStatus | undefined => engine.state().outputs.find((o) => o.kind === 'ndi' && o.name === NAME);

/** Inference processes of this test process at the live size (the standby preview has its own, smaller one). */
function liveInferencePids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv.includes('cyclorama-inference') && argv.includes(`${WIDTH}x${HEIGHT}`)) pids.push(Number(entry));
    } catch {
      // a process that ended while we looked
    }
  }
  return pids;
}

/** Longest time between two consecutive received frames in [from, to). */
function longestGap(frames: ReceivedVideo[], from: number, to: number): number {
  let gap = 0;
  for (let i = Math.max(1, from + 1); i < to; i++) gap = Math.max(gap, frames[i]!.receivedAtMs - frames[i - 1]!.receivedAtMs);
  return gap;
}

/** Mean Cb and Cr of a UYVY frame: what a prompt change moves. */
function meanChroma(frame: ReceivedVideo): [number, number] {
  let u = 0;
  let v = 0;
  let n = 0;
  for (let y = 0; y < frame.height; y += 4) {
    const row = y * frame.stride;
    for (let x = 0; x < frame.width * 2; x += 4) {
      u += frame.data[row + x] as number;
      v += frame.data[row + x + 2] as number;
      n++;
    }
  }
  return [u / n, v / n];
}

beforeAll(async () => {
  engine = await Engine.start({ configDir: null, width: WIDTH, height: HEIGHT, ndi: { extraIps: '127.0.0.1', configDir } });
});

afterAll(async () => {
  await engine?.stop();
  removeNdiMarkers([NAME, RECEIVER]);
  rmSync(configDir, { recursive: true, force: true });
});

describe('a crash of the model with a real NDI receiver watching', () => {
  it('SIGKILL of the inference process: no gap and no reconnect at the receiver, ~0 missed ticks, the model comes back and takes new looks', async () => {
    expect(await send({ type: 'setPrompt', prompt: 'deep blue ocean, cold light' })).toEqual({ ok: true });
    expect(await send({ type: 'addNdiOutput', name: NAME, width: WIDTH, height: HEIGHT, rate: RATE })).toEqual({ ok: true });
    const runtime = loadNdiRuntime();
    if (!runtime.ok) throw new Error(runtime.error.message);
    const source = await findNdiSource(runtime.value.lib, (s) => s.name.endsWith(`(${NAME})`), { extraIps: '127.0.0.1' });
    expect(source).not.toBeNull();
    const receiver = NdiReceiver.connect(runtime.value.lib, source!, RECEIVER);
    const received: ReceivedVideo[] = [];
    let minConnections = Infinity;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const frame = receiver.poll();
        if (frame) {
          received.push(frame);
          minConnections = Math.min(minConnections, receiver.connections());
        } else await new Promise((r) => setTimeout(r, 2));
      }
    })();
    try {
      // Steady state: the receiver is getting frames, and the model its look.
      await waitUntil(() => received.length >= 25 && ndiOutput()?.connections === 1, { timeoutMs: 30_000, what: 'the receiver connected and receiving' });
      const [pid] = await waitUntil(() => (liveInferencePids().length === 1 ? liveInferencePids() : null), { timeoutMs: 10_000, what: 'the inference process' });
      // A quiet window first (no crash), as long as a restart takes: what this machine's load alone costs.
      const quietFrom = received.length - 1;
      const quietBefore = ndiOutput()!;
      await new Promise((r) => setTimeout(r, 1500));
      const quietMissed = ndiOutput()!.missedTicks - quietBefore.missedTicks;
      const quietGapMs = longestGap(received, quietFrom, received.length);

      const before = ndiOutput()!;
      const beforeChroma = meanChroma(received.at(-1)!);
      const watchFrom = received.length - 1;

      // How long the engine thread (this process) was stalled at most across the crash: blocking vs a busy machine.
      const loopDelay = monitorEventLoopDelay({ resolution: 5 });
      loopDelay.enable();
      const killedAtMs = performance.now();
      process.kill(pid!, 'SIGKILL');
      await waitUntil(() => engine.state().recentErrors.find((e) => /inference process stopped \(killed by SIGKILL\)/.test(e.message)), {
        timeoutMs: 10_000,
        what: 'the crash in the engine state',
      });
      // Back when fresh frames reach the NDI output again from a new process.
      await waitUntil(() => liveInferencePids().some((p) => p !== pid) && ndiOutput()!.freshFrames > before.freshFrames + 3, {
        timeoutMs: 60_000,
        what: 'fresh frames from a restarted inference process',
      });
      const restartMs = performance.now() - killedAtMs;

      // A new look after the restart reaches the receiver.
      expect(await send({ type: 'setPrompt', prompt: 'blazing orange sunset, red fire' })).toEqual({ ok: true });
      const changed = await waitUntil(
        () => {
          const last = received.at(-1);
          if (!last) return null;
          const [u, v] = meanChroma(last);
          const moved = Math.hypot(u - beforeChroma[0], v - beforeChroma[1]);
          return moved > 8 ? moved : null;
        },
        { timeoutMs: 30_000, what: 'the new prompt on the receiver' },
      );
      const after = ndiOutput()!;
      loopDelay.disable();
      watching = false;
      await watcher;

      const longestGapMs = longestGap(received, watchFrom, received.length);
      const missed = after.missedTicks - before.missedTicks;
      console.log(
        `FIGURES inference-crash missedTicks=${missed} longestReceiverGapMs=${longestGapMs.toFixed(1)} restartToFreshFramesMs=${restartMs.toFixed(0)} ` +
          `framesWatched=${received.length - watchFrom} minConnections=${minConnections} chromaMove=${changed.toFixed(1)} ` +
          `quietWindow1500ms: missedTicks=${quietMissed} longestGapMs=${quietGapMs.toFixed(1)} engineLoopMaxStallMs=${(loopDelay.max / 1e6).toFixed(1)}`,
      );
      expect(minConnections).toBe(1); // the same connection throughout: no reconnect
      expect(after.connections).toBe(1);
      expect(longestGapMs).toBeLessThanOrEqual(MAX_GAP_MS);
      expect(missed).toBeLessThanOrEqual(MISSED_TICK_ALLOWANCE);
      expect(after.repeatedFrames).toBeGreaterThan(before.repeatedFrames); // the last frame was held while the model restarted
    } finally {
      watching = false;
      await watcher;
      receiver.close();
    }
  }, 120_000);
});
