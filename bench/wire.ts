/**
 * `npm run bench:wire` (and part of `npm run bench`): TTFF and cadence measured at the wire.
 *
 * The engine runs as a user starts it: `cyclorama serve` in its own process (headless,
 * the built-in model at 1080p, one NDI output at 1080p59.94), driven over the console's
 * WebSocket like a console. A real NDI receiver (libndi through app/engine/ndi/, in a
 * process of its own: bench/wire-receiver.ts) stamps every frame it gets and reduces it
 * to its colour. Prompt cuts alternate between two prompts whose pictures differ
 * (warm sunset vs. blue water); a cut's wire TTFF is command sent -> first received
 * frame whose colour is nearer the new look's than the old one's (centroids measured in
 * this run), from the pixels only. Figures, `BENCH <name> <value> <unit>`:
 *  - wire_ttff_ms_p50 / _p95 / _max, next to engine_ttff_ms_p50 / _p95 / _max (the
 *    engine's own lookOnAir figure, command arrival -> output-ready, same cuts);
 *  - wire_interval_p99_ms, wire_interval_max_ms, wire_late_intervals (> 1.5x the period),
 *    wire_received_fps over the whole run; ndi_missed_ticks_wire (the engine's own count);
 *  - wire_ttff_stage_<stage>_ms_p50 / _p95: where the time goes, from the engine's TTFF
 *    trace (CYCLORAMA_TTFF_TRACE, app/engine/frames/ttff-trace.ts), per cut;
 *    wire_ttff_in_flight_old_share: cuts that landed while an old-look frame was in flight.
 * Clocks: every process stamps engine-clock ms (performance.timeOrigin + now), one epoch.
 * Env: BENCH_WIRE_SECONDS (default 60: the cadence window), BENCH_WIRE_CUTS (default 40,
 * spread over the window). A short run: BENCH_WIRE_SECONDS=10 BENCH_WIRE_CUTS=10.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { engineNowMs } from '../app/engine/clock.js';
import type { TtffStage, TtffTraceLine } from '../app/engine/frames/ttff-trace.js';
import { distance, execArgv, firstFrameOf, mean, percentile, printFigure, startLookReceiver, type Colour } from './look-colours.js';

const SECONDS = Number(process.env.BENCH_WIRE_SECONDS ?? 60);
const CUTS = Number(process.env.BENCH_WIRE_CUTS ?? 40);
const PERIOD_MS = 1001 / 60;
const PROMPTS = ['sunset over the desert', 'underwater caustics'] as const;
const CUT_TIMEOUT_MS = 3000;

const here = path.dirname(fileURLToPath(import.meta.url));
const fromSource = import.meta.url.endsWith('.ts');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `cyclorama serve` as a user would, and resolves with its console URL. */
async function startEngine(outputName: string, configDir: string, traceFile: string, cutLane: boolean): Promise<{ child: ChildProcess; url: string }> {
  const cli = fromSource ? path.resolve(here, '..', 'app', 'cli.ts') : path.resolve(here, '..', 'app', 'cli.js');
  const args = [...execArgv, cli, 'serve', '--port', '0', '--prompt', PROMPTS[0], '--ndi', outputName, '--ndi-rate', '59.94', '--ndi-extra-ips', '127.0.0.1', '--no-saved-outputs'];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, CYCLORAMA_CONFIG_DIR: configDir, CYCLORAMA_TTFF_TRACE: traceFile, CYCLORAMA_CUT_LANE: cutLane ? '1' : '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Cyclorama console: (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`the engine exited (${code}) before it was up: ${stderr.slice(-2000)}`)));
    setTimeout(() => reject(new Error(`the engine did not come up in 120 s: ${out.slice(-1000)} ${stderr.slice(-1000)}`)), 120_000).unref();
  });
  return { child, url };
}

interface StateView {
  lookId: number;
  outputs: { id: string; kind: string; missedTicks: number; freshFrames: number; repeatedFrames: number; status: string }[];
  modelFps: number;
  provider: string | null;
}

/** One engine run: `suffix` goes after every figure's name (the A/B runs). */
async function measure(cutLane: boolean, suffix: string): Promise<void> {
  const print = (name: string, value: number, unit: string) => printFigure(`${name}${suffix}`, value, unit);
  const tag = `${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
  const outputName = `Cyclorama wire bench ${tag}`;
  const work = mkdtempSync(path.join(tmpdir(), 'cyclorama-wire-'));
  const traceFile = path.join(work, 'ttff-trace.jsonl');
  const { child: engine, url } = await startEngine(outputName, work, traceFile, cutLane);
  let receiver: ChildProcess | null = null;
  let ws: WebSocket | null = null;
  try {
    // ---- the receiver, in its own process (bench/look-colours.ts) -------------------
    const look = startLookReceiver(outputName);
    receiver = look.child;
    const { frames, connected } = look;

    // ---- the console side: WebSocket like a console ----------------------------------
    const wsUrl = `${url.replace(/^http/, 'ws').replace(/\/$/, '')}/ws`;
    ws = new WebSocket(wsUrl);
    const socket = ws;
    let state: StateView | null = null;
    const engineTtff = new Map<number, number>();
    const lookOnAir: { lookId: number; atMs: number }[] = [];
    /** The engine's own model fps (state snapshots, every 0.5 s) during the cadence window: what the cuts cost the steady pace. */
    const modelFpsSamples: number[] = [];
    let measuring = false;
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const m = JSON.parse(data.toString()) as {
        kind: string;
        state?: { program: { lookId: number }; outputs: StateView['outputs']; stats: { modelFps: number }; model: { provider: string | null } };
        lookId?: number;
        ttffMs?: number;
      };
      if ((m.kind === 'hello' || m.kind === 'state') && m.state) {
        state = { lookId: m.state.program.lookId, outputs: m.state.outputs, modelFps: m.state.stats.modelFps, provider: m.state.model.provider };
        if (measuring) modelFpsSamples.push(m.state.stats.modelFps);
      }
      if (m.kind === 'lookOnAir' && m.lookId !== undefined && m.ttffMs !== undefined) {
        engineTtff.set(m.lookId, m.ttffMs);
        lookOnAir.push({ lookId: m.lookId, atMs: engineNowMs() });
      }
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    let nextId = 1;
    const sendCut = (prompt: string): number => {
      const atMs = engineNowMs();
      socket.send(JSON.stringify({ kind: 'command', id: nextId++, command: { type: 'setPrompt', prompt, transition: { durationMs: 0, curve: 'linear' } } }));
      return atMs;
    };
    const sourceName = await connected;
    const view = () => state as StateView | null;
    console.log(`# engine ${url} (model on ${view()?.provider ?? '?'}, cut lane ${cutLane ? 'on' : 'off'}), receiver connected to "${sourceName}"`);

    // ---- calibration: each look's colour as received, measured in this run ----------
    await sleep(3000); // model and receiver warm
    const centroids: Colour[] = [];
    for (const prompt of [PROMPTS[1], PROMPTS[0]]) {
      const onAirBefore = lookOnAir.length;
      sendCut(prompt);
      const until = engineNowMs() + 15_000;
      while (lookOnAir.length === onAirBefore && engineNowMs() < until) await sleep(20);
      await sleep(800); // well past the wire latency
      const since = engineNowMs() - 400;
      centroids.unshift(mean(frames.filter((f) => f.atMs >= since).map((f) => f.colour)));
    }
    const [c0, c1] = centroids as [Colour, Colour];
    const separation = distance(c0, c1);
    console.log(
      `# look colours as received: "${PROMPTS[0]}" Y${c0.y.toFixed(0)} Cb${c0.u.toFixed(0)} Cr${c0.v.toFixed(0)}, "${PROMPTS[1]}" Y${c1.y.toFixed(0)} Cb${c1.u.toFixed(0)} Cr${c1.v.toFixed(0)} (apart ${separation.toFixed(0)})`,
    );
    if (separation < 20) throw new Error('the two looks are not told apart by colour at the receiver: cannot measure');

    // ---- the cuts, spread over the cadence window -----------------------------------
    const windowStartMs = engineNowMs();
    measuring = true;
    const before = view()?.outputs.find((o) => o.kind === 'ndi');
    const wire: number[] = [];
    const cutLooks: { sentAtMs: number; wireMs: number; lookId: number | null }[] = [];
    let showing = 0;
    let misses = 0;
    const gapMs = Math.max(400, (SECONDS * 1000) / Math.max(1, CUTS));
    for (let i = 0; i < CUTS; i++) {
      showing = 1 - showing;
      const target = centroids[showing] as Colour;
      const other = centroids[1 - showing] as Colour;
      const firstFrame = frames.length;
      const onAirBefore = lookOnAir.length;
      const sentAtMs = sendCut(PROMPTS[showing] as string);
      const until = sentAtMs + CUT_TIMEOUT_MS;
      let seenAtMs: number | null = null;
      while (seenAtMs === null && engineNowMs() < until) {
        await sleep(5);
        seenAtMs = firstFrameOf(frames, firstFrame, sentAtMs, target, other)?.atMs ?? null;
      }
      if (seenAtMs === null) misses++;
      else {
        wire.push(seenAtMs - sentAtMs);
        cutLooks.push({ sentAtMs, wireMs: seenAtMs - sentAtMs, lookId: lookOnAir[onAirBefore]?.lookId ?? null });
      }
      // Off the frame grid, so cuts land at every phase of the model's frame and the output tick.
      const nextAt = windowStartMs + (i + 1) * gapMs + Math.random() * PERIOD_MS * 3;
      await sleep(Math.max(50, nextAt - engineNowMs()));
    }
    const rest = windowStartMs + SECONDS * 1000 - engineNowMs();
    if (rest > 0) await sleep(rest);
    const windowEndMs = engineNowMs();
    measuring = false;
    const after = view()?.outputs.find((o) => o.kind === 'ndi');

    // ---- figures ----------------------------------------------------------------------
    const engineFigures = cutLooks.map((c) => (c.lookId === null ? undefined : engineTtff.get(c.lookId))).filter((x): x is number => x !== undefined);
    console.log(`# ${CUTS} cuts, ${wire.length} seen at the wire, ${misses} not within ${CUT_TIMEOUT_MS} ms; ${engineFigures.length} with the engine's own figure`);
    print('wire_ttff_ms_p50', percentile(wire, 50), 'ms');
    print('wire_ttff_ms_p95', percentile(wire, 95), 'ms');
    print('wire_ttff_ms_max', Math.max(...wire), 'ms');
    print('engine_ttff_ms_p50', percentile(engineFigures, 50), 'ms');
    print('engine_ttff_ms_p95', percentile(engineFigures, 95), 'ms');
    print('engine_ttff_ms_max', Math.max(...engineFigures), 'ms');

    const inWindow = frames.filter((f) => f.atMs >= windowStartMs && f.atMs <= windowEndMs).map((f) => f.atMs);
    const intervals = inWindow.slice(1).map((t, i) => t - (inWindow[i] as number));
    print('wire_received_fps', ((inWindow.length - 1) * 1000) / ((inWindow.at(-1) as number) - (inWindow[0] as number)), 'fps');
    print('wire_interval_p50_ms', percentile(intervals, 50), 'ms');
    print('wire_interval_p99_ms', percentile(intervals, 99), 'ms');
    print('wire_interval_max_ms', Math.max(...intervals), 'ms');
    print('wire_late_intervals', intervals.filter((x) => x > 1.5 * PERIOD_MS).length, 'intervals');
    if (before && after) print('ndi_missed_ticks_wire', after.missedTicks - before.missedTicks, 'ticks');
    print('wire_model_fps', modelFpsSamples.reduce((a, b) => a + b, 0) / Math.max(1, modelFpsSamples.length), 'fps');
    console.log(
      `# cadence over ${((windowEndMs - windowStartMs) / 1000).toFixed(0)} s at 59.94 (period ${PERIOD_MS.toFixed(2)} ms; goal p99 <= ${(1.25 * PERIOD_MS).toFixed(1)} ms, 0 late); model ${view()?.modelFps ?? '?'} fps at the end`,
    );

    // ---- where the time goes: the engine's trace, per cut -----------------------------
    const trace = new Map<number, TtffTraceLine>();
    if (existsSync(traceFile)) {
      for (const line of readFileSync(traceFile, 'utf8').split('\n')) {
        if (line.trim()) {
          const parsed = JSON.parse(line) as TtffTraceLine;
          trace.set(parsed.lookId, parsed);
        }
      }
    }
    // Each stage: [name, its length in ms from one traced cut]. session.run blocks the inference
    // loop's thread, so a look posted while an old-look frame was being made is read only after it.
    type Traced = { cut: (typeof cutLooks)[number]; line: TtffTraceLine };
    const span = (from: number | undefined, to: number | undefined) => (from === undefined || to === undefined ? undefined : to - from);
    const st = (t: Traced, s: TtffStage) => t.line.stamps[s];
    const waitedForOld = (t: Traced) => {
      const posted = st(t, 'posted');
      const prevStarted = st(t, 'prevStarted');
      const prevDone = st(t, 'prevDone');
      return posted !== undefined && prevStarted !== undefined && prevDone !== undefined && prevStarted < posted && posted < prevDone;
    };
    const stages: [string, (t: Traced) => number | undefined][] = [
      ['command_transit', (t) => span(t.cut.sentAtMs, st(t, 'received'))],
      ['command_parse', (t) => span(st(t, 'received'), st(t, 'dispatched'))],
      ['show_apply', (t) => span(st(t, 'dispatched'), st(t, 'applied'))],
      ['look_post', (t) => span(st(t, 'applied'), st(t, 'posted'))],
      ['in_flight_old_look', (t) => (waitedForOld(t) ? span(st(t, 'posted'), st(t, 'prevDone')) : 0)],
      ['look_to_worker', (t) => span(waitedForOld(t) ? st(t, 'prevDone') : st(t, 'posted'), st(t, 'lookArrived'))],
      ['loop_to_inference', (t) => span(st(t, 'lookArrived'), st(t, 'started'))],
      ['inference', (t) => span(st(t, 'started'), st(t, 'done'))],
      ['frame_to_engine', (t) => span(st(t, 'done'), st(t, 'frameArrived'))],
      ['clock_wait', (t) => span(st(t, 'frameArrived'), st(t, 'tick'))],
      ['conversion', (t) => span(st(t, 'tick'), st(t, 'converted'))],
      ['ndi_queue', (t) => span(st(t, 'converted'), st(t, 'sendStarted'))],
      ['ndi_send_call', (t) => span(st(t, 'sendStarted'), st(t, 'sendReturned'))],
      ['ndi_to_receiver', (t) => span(st(t, 'sendStarted'), t.cut.sentAtMs + t.cut.wireMs)],
    ];
    const traced: Traced[] = cutLooks.flatMap((c) => {
      const line = c.lookId === null ? undefined : trace.get(c.lookId);
      return line ? [{ cut: c, line }] : [];
    });
    console.log(`# TTFF breakdown from the engine's trace (p50 / p95 of each stage; they need not add up): ${traced.length} of ${cutLooks.length} cuts traced`);
    for (const [name, measure] of stages) {
      const values = traced.map(measure).filter((x): x is number => x !== undefined);
      if (values.length === 0) {
        console.log(`# stage ${name}: not traced`);
        continue;
      }
      print(`wire_ttff_stage_${name}_ms_p50`, percentile(values, 50), 'ms');
      print(`wire_ttff_stage_${name}_ms_p95`, percentile(values, 95), 'ms');
    }
    if (traced.length) print('wire_ttff_in_flight_old_share', traced.filter(waitedForOld).length / traced.length, 'ratio');

    const perf = await look.stop();
    if (perf) console.log(`# receiver: ${perf.totalVideo} video frames, ${perf.droppedVideo} dropped by libndi`);
  } finally {
    ws?.close();
    receiver?.kill('SIGTERM');
    engine.kill('SIGTERM');
    await new Promise<void>((resolve) => {
      if (engine.exitCode !== null) resolve();
      engine.once('exit', () => resolve());
      setTimeout(() => {
        engine.kill('SIGKILL');
        resolve();
      }, 10_000).unref();
    });
    rmSync(work, { recursive: true, force: true });
    rmSync(`/tmp/NTK_SEND_${outputName}`, { force: true }); // libndi's marker of the engine's sender
  }
}

/**
 * BENCH_WIRE_CUT_LANE: 'off' (default: the engine's default), 'on', or 'ab': both, one
 * after the other in this run, the second's figures suffixed `_cut_lane`
 * (app/engine/generate/cut-lane.ts: a second idle loop makes a new look's first frame).
 */
async function main(): Promise<void> {
  const mode = process.env.BENCH_WIRE_CUT_LANE ?? 'off';
  if (mode === 'off' || mode === 'ab') await measure(false, '');
  if (mode === 'on') await measure(true, '');
  if (mode === 'ab') await measure(true, '_cut_lane');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
