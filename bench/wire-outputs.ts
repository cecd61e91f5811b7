/**
 * `npm run bench:wire-outputs`: what each NDI output costs, measured at real receivers.
 * The engine (in this process, the built-in model live at 1080p, paced at 59.94) sends
 * 1, 2 and 4 NDI outputs at 1080p59.94 and 1 at 2160p59.94 (the model's 1080p scaled up);
 * each output has a real libndi receiver in a process of its own (bench/wire-receiver.ts).
 * Per rig, `BENCH <name> <value> <unit>`:
 *  - outputs_<rig>_received_fps_min / _max: the slowest and fastest output at its receiver;
 *  - outputs_<rig>_missed_ticks_max: the most ticks any one output's clock missed;
 *  - outputs_<rig>_cpu_ms_per_output_frame: the engine process's CPU over the window, less
 *    the same window with no NDI output (the model's hand-over, the preview), per output
 *    frame received; and _cpu_ns_per_pixel, the same per pixel;
 *  - outputs_<rig>_budget_admits: 1 when the default budget of this machine admits the rig,
 *    0 when it refuses it (measured here anyway, with the budget lifted).
 * Each rig runs with a send worker per output (the default: these names), then, for the
 * A/B in the same run, converting on the engine thread (CYCLORAMA_NDI_WORKERS=0):
 * outputs_<rig>_engine_thread_*. Set BENCH_WIRE_OUTPUTS_AB=0 to skip the baseline.
 * First, before the engine starts, the output budget's own figures
 * (app/engine/outputs/output-budget.ts MEASURED_OUTPUT_COST): one output of each size
 * fed a NEW synthetic 1080p frame every tick (every frame converted: the worst case, a
 * model as fast as the output), its CPU per frame received as
 * outputs_cost_<size>_cpu_ms_per_frame, printed beside the table's figure.
 * Env: BENCH_WIRE_OUTPUTS_SECONDS (default 20 per rig).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { commandSchema } from '../app/contract/commands.js';
import type { OutputStatus } from '../app/contract/state.js';
import { engineNowMs } from '../app/engine/clock.js';
import { Engine } from '../app/engine/engine.js';
import { cpuMsPerFrame, OutputBudget } from '../app/engine/outputs/output-budget.js';
import { NdiOutputs } from '../app/engine/outputs/ndi-outputs.js';
import { barsAndRamp, syntheticFrame } from '../tests/helpers/ndi-pattern.js';
import type { ReceiverMessage } from './wire-receiver.js';

const SECONDS = Number(process.env.BENCH_WIRE_OUTPUTS_SECONDS ?? 20);
const RATE = { num: 60000, den: 1001 };
const RIGS = [
  { label: '1x1080p', count: 1, width: 1920, height: 1080 },
  { label: '2x1080p', count: 2, width: 1920, height: 1080 },
  { label: '4x1080p', count: 4, width: 1920, height: 1080 },
  { label: '1x2160p', count: 1, width: 3840, height: 2160 },
];

const here = path.dirname(fileURLToPath(import.meta.url));
const fromSource = import.meta.url.endsWith('.ts');
const execArgv = fromSource ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href] : [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function print(name: string, value: number, unit: string): void {
  console.log(`BENCH ${name} ${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`);
}

/** A receiver process on one output: resolves once connected; `frames` collects receive times. */
function receive(outputName: string): { child: ChildProcess; frames: number[]; connected: Promise<void> } {
  const frames: number[] = [];
  const child = fork(path.join(here, fromSource ? 'wire-receiver.ts' : 'wire-receiver.js'), [outputName], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const connected = new Promise<void>((resolve, reject) => {
    child.on('message', (m: ReceiverMessage) => {
      if (m.type === 'connected') resolve();
      else if (m.type === 'frame') frames.push(m.atMs);
      else if (m.type === 'failed') reject(new Error(`receiver ${outputName}: ${m.message}`));
    });
  });
  return { child, frames, connected };
}

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

/** CPU per output frame of one size, every frame new (the output budget's figure), before the engine starts. */
async function measureCost(tag: string, width: number, height: number): Promise<void> {
  const pixels = barsAndRamp(1920, 1080);
  let sequence = 0;
  const outputs = new NdiOutputs({
    settings: { extraIps: '127.0.0.1' },
    defaults: () => ({ width, height, rate: RATE }),
    feed: { take: () => ({ frame: syntheticFrame(pixels, 1920, 1080, ++sequence), fresh: true }), level: () => 1, onError: (e) => console.log(`# ${e.message}`) },
    log: () => {},
  });
  const name = `Cyclorama wire cost ${tag} ${width}x${height}`;
  try {
    const added = outputs.add({ name });
    if (!added.ok) throw new Error(`cost output ${name} not opened`);
    const receiver = receive(name);
    await receiver.connected;
    await sleep(2000);
    const cpu0 = process.cpuUsage();
    const sent0 = outputs.framesSent(added.value);
    const t0 = engineNowMs();
    await sleep((SECONDS / 2) * 1000);
    const t1 = engineNowMs();
    const cpu = cpuMs(process.cpuUsage(cpu0));
    const sent = outputs.framesSent(added.value) - sent0;
    const received = receiver.frames.filter((t) => t >= t0 && t <= t1).length;
    const label = `${height}p`;
    // Per frame sent (handed to libndi): a receiver on the same loaded cores may get fewer.
    print(`outputs_cost_${label}_cpu_ms_per_frame`, cpu / Math.max(1, sent), 'ms');
    print(`outputs_cost_${label}_sent_fps`, (sent * 1000) / (t1 - t0), 'fps');
    console.log(
      `# cost ${width}x${height} at 59.94, a new 1080p frame every tick: ${sent} frames sent, ${received} received in ${((t1 - t0) / 1000).toFixed(0)} s, ` +
        `${(cpu / Math.max(1, sent)).toFixed(2)} ms CPU a frame sent (the whole process: the copy to the worker, scaling, conversion, libndi's send); ` +
        `output-budget.ts's table says ${cpuMsPerFrame(width, height).toFixed(2)} ms`,
    );
    receiver.child.send({ type: 'stop' });
    await sleep(500);
    receiver.child.kill('SIGTERM');
  } finally {
    outputs.stop();
    await sleep(500);
    rmSync(`/tmp/NTK_SEND_${name}`, { force: true });
  }
}

async function main(): Promise<void> {
  const tag = `${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
  console.log(`# ${new OutputBudget().figures()}`);
  for (const [width, height] of [
    [1920, 1080],
    [3840, 2160],
  ] as const) {
    // A size that cannot be received (a machine too loaded to announce it) is reported; the rigs still run.
    await measureCost(tag, width, height).catch((error: unknown) => console.log(`# cost ${width}x${height} not measured: ${(error as Error).message}`));
  }
  // The budget lifted: every rig is measured; whether the default one admits it is printed beside.
  const engine = await Engine.start({ configDir: null, width: 1920, height: 1080, rate: RATE, ndi: { extraIps: '127.0.0.1' }, outputBudget: { pixelsPerSecond: 1e12 } });
  engine.on('log', () => {});
  const defaultBudget = new OutputBudget();
  try {
    if (engine.state().model.status !== 'running') throw new Error(`model did not start: ${JSON.stringify(engine.state().recentErrors)}`);
    await sleep(3000);
    const idle0 = process.cpuUsage();
    const idleT0 = engineNowMs();
    await sleep(Math.min(10, SECONDS) * 1000);
    const idleCpuPerMs = cpuMs(process.cpuUsage(idle0)) / (engineNowMs() - idleT0);
    console.log(`# engine without NDI outputs: ${(idleCpuPerMs * 100).toFixed(0)} % of a core (model hand-over, preview), model ${engine.state().stats.modelFps} fps`);
    const modes = process.env.BENCH_WIRE_OUTPUTS_AB === '0' ? [''] : ['', '_engine_thread'];
    for (const rig of RIGS)
      for (const mode of modes) {
        process.env.CYCLORAMA_NDI_WORKERS = mode ? '0' : '1';
        const loads = Array.from({ length: rig.count }, (_, i) => ({ id: `o${i}`, name: `o${i}`, width: rig.width, height: rig.height, rate: RATE }));
        const admitted = loads.every((load, i) => defaultBudget.admit(load, loads.slice(0, i)) === null);
        const names = loads.map((_, i) => `Cyclorama wire outputs ${tag} ${rig.label}${mode} ${i}`);
        for (const name of names) {
          const added = await engine.dispatch(commandSchema.parse({ type: 'addNdiOutput', name, width: rig.width, height: rig.height, rate: RATE }));
          if (!added.ok) throw new Error(`addNdiOutput ${name}: ${added.error?.message}`);
        }
        const receivers = names.map(receive);
        const stopReceivers = () => receivers.forEach((r) => r.child.kill('SIGTERM'));
        const removeOutputs = async () => {
          for (const o of engine.state().outputs.filter((x) => x.kind === 'ndi' && names.includes(x.name)))
            await engine.dispatch(commandSchema.parse({ type: 'removeNdiOutput', id: o.id }));
        };
        try {
          await Promise.all(receivers.map((r) => r.connected));
        } catch (error) {
          // One rig that cannot be received (a machine too loaded to even announce it) is reported, the others still run.
          console.log(`# ${rig.label} not measured: ${(error as Error).message}`);
          stopReceivers();
          await removeOutputs();
          continue;
        }
        await sleep(2000);
        const mine = () => engine.state().outputs.filter((o): o is OutputStatus => o.kind === 'ndi' && names.includes(o.name));
        const before = mine();
        const cpu0 = process.cpuUsage();
        const t0 = engineNowMs();
        await sleep(SECONDS * 1000);
        const t1 = engineNowMs();
        const cpu = cpuMs(process.cpuUsage(cpu0));
        const after = mine();
        const fps = receivers.map((r) => {
          const inWindow = r.frames.filter((t) => t >= t0 && t <= t1);
          return inWindow.length < 2 ? 0 : ((inWindow.length - 1) * 1000) / ((inWindow.at(-1) as number) - (inWindow[0] as number));
        });
        const missed = after.map((o) => o.missedTicks - (before.find((b) => b.id === o.id)?.missedTicks ?? 0));
        // Frames that reached the receivers (a worker's dropped tick is counted as a missed tick, not a frame).
        const sent = receivers.reduce((sum, r) => sum + r.frames.filter((t) => t >= t0 && t <= t1).length, 0);
        const outputCpu = Math.max(0, cpu - idleCpuPerMs * (t1 - t0));
        const key = `outputs_${rig.label}${mode}`;
        print(`${key}_received_fps_min`, Math.min(...fps), 'fps');
        print(`${key}_received_fps_max`, Math.max(...fps), 'fps');
        print(`${key}_missed_ticks_max`, Math.max(...missed), 'ticks');
        print(`${key}_cpu_ms_per_output_frame`, outputCpu / Math.max(1, sent), 'ms');
        print(`${key}_cpu_ns_per_pixel`, (outputCpu * 1e6) / Math.max(1, sent * rig.width * rig.height), 'ns');
        if (!mode) print(`${key}_budget_admits`, admitted ? 1 : 0, 'bool');
        console.log(
          `# ${rig.label}${mode ? ' on the engine thread' : ' with send workers'} at 59.94 over ${((t1 - t0) / 1000).toFixed(0)} s: received ${fps.map((f) => f.toFixed(1)).join(' / ')} fps, missed ${missed.join(' / ')} ticks, ` +
            `${sent} frames received, engine CPU ${((cpu / (t1 - t0)) * 100).toFixed(0)} % of a core; model ${engine.state().stats.modelFps} fps`,
        );
        for (const r of receivers) r.child.send({ type: 'stop' });
        await sleep(500);
        stopReceivers();
        await removeOutputs();
        for (const name of names) rmSync(`/tmp/NTK_SEND_${name}`, { force: true }); // libndi's sender markers
        await sleep(1000);
      }
    console.log(`# the figures the output budget uses (output-budget.ts MEASURED_OUTPUT_COST): ${defaultBudget.figures()}; compare outputs_cost_*`);
  } finally {
    await engine.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
