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
 *    frame sent; and _cpu_ns_per_pixel, the same per pixel sent (the output budget's
 *    figure, app/engine/outputs/output-budget.ts CPU_SECONDS_PER_OUTPUT_PIXEL);
 *  - outputs_<rig>_budget_admits: 1 when the default budget of this machine admits the rig,
 *    0 when it refuses it (measured here anyway, with the budget lifted).
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
import { OutputBudget } from '../app/engine/outputs/output-budget.js';
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

async function main(): Promise<void> {
  const tag = `${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
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
    for (const rig of RIGS) {
      const loads = Array.from({ length: rig.count }, (_, i) => ({ id: `o${i}`, name: `o${i}`, width: rig.width, height: rig.height, rate: RATE }));
      const admitted = loads.every((load, i) => defaultBudget.admit(load, loads.slice(0, i)) === null);
      const names = loads.map((_, i) => `Cyclorama wire outputs ${tag} ${rig.label} ${i}`);
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
      const sent = after.reduce((sum, o) => {
        const b = before.find((x) => x.id === o.id);
        return sum + o.freshFrames + o.repeatedFrames - (b ? b.freshFrames + b.repeatedFrames : 0);
      }, 0);
      const outputCpu = Math.max(0, cpu - idleCpuPerMs * (t1 - t0));
      print(`outputs_${rig.label}_received_fps_min`, Math.min(...fps), 'fps');
      print(`outputs_${rig.label}_received_fps_max`, Math.max(...fps), 'fps');
      print(`outputs_${rig.label}_missed_ticks_max`, Math.max(...missed), 'ticks');
      print(`outputs_${rig.label}_cpu_ms_per_output_frame`, outputCpu / Math.max(1, sent), 'ms');
      print(`outputs_${rig.label}_cpu_ns_per_pixel`, (outputCpu * 1e6) / Math.max(1, sent * rig.width * rig.height), 'ns');
      print(`outputs_${rig.label}_budget_admits`, admitted ? 1 : 0, 'bool');
      console.log(
        `# ${rig.label} at 59.94 over ${((t1 - t0) / 1000).toFixed(0)} s: received ${fps.map((f) => f.toFixed(1)).join(' / ')} fps, missed ${missed.join(' / ')} ticks, ` +
          `${sent} frames sent, engine CPU ${((cpu / (t1 - t0)) * 100).toFixed(0)} % of a core; model ${engine.state().stats.modelFps} fps`,
      );
      for (const r of receivers) r.child.send({ type: 'stop' });
      await sleep(500);
      stopReceivers();
      await removeOutputs();
      for (const name of names) rmSync(`/tmp/NTK_SEND_${name}`, { force: true }); // libndi's sender markers
      await sleep(1000);
    }
    console.log(
      `# the output budget's figure: ${(defaultBudget.pixelsPerSecond / 1e6).toFixed(0)} Mpx/s on this machine from 4 ns a pixel (output-budget.ts); compare outputs_*_cpu_ns_per_pixel`,
    );
  } finally {
    await engine.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
