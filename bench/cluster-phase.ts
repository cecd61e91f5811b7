/**
 * `npm run bench:cluster`: frame lock across three render nodes on one machine: three
 * real engines (built-in model at 960x540, one NDI output each at 29.97) and a real libndi
 * receiver per node. The engines share this process (libndi's loopback discovery here
 * answers for one process per machine, so separate node processes are not found without
 * mDNS); sharing one event loop makes their tick timing worse, not better.
 *  - cluster_tick_phase_ms: p99 over ticks k received from all three nodes of the spread
 *    (max - min) of the instants their output clocks fired for tick k, from the nodes' own
 *    send timestamps (the `fired` of each frame's `<cyclorama tick=.../>` metadata, realtime
 *    on each node's synchronised clock: one clock on one machine). Goal <= 2 ms.
 *  - cluster_cue_skew_frames: over BENCH_CLUSTER_GOS (default 50) scheduled GOs sent to all
 *    three nodes for one instant LEAD ahead, the largest difference between nodes of the
 *    first received tick showing the new look. A frame a receiver did not get makes a node
 *    look later than it was, so this is an upper bound. Goal 0.
 *  - cluster_load_average: the 1-minute load average at the end (the figures depend on it).
 * Env: BENCH_CLUSTER_GOS, BENCH_CLUSTER_LEAD_MS (default 2000), BENCH_CLUSTER_GENERATOR_FPS (6).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { commandSchema, type CommandInput } from '../app/contract/commands.js';
import { Engine } from '../app/engine/engine.js';
import { firstTickAtOrAfter } from '../app/engine/frame-grid.js';
import { NdiReceiver, findNdiSource } from '../app/engine/ndi/receiver.js';
import { loadNdiRuntime } from '../app/engine/ndi/runtime.js';
import { parseTickMetadata } from '../app/engine/outputs/ndi-frame-sink.js';

const GOS = Number(process.env.BENCH_CLUSTER_GOS ?? 50);
const LEAD_MS = Number(process.env.BENCH_CLUSTER_LEAD_MS ?? 2000);
const RATE = { num: 30000, den: 1001 };
const NODES = 3;

const print = (name: string, value: number, unit: string) => console.log(`BENCH ${name} ${Number.isInteger(value) ? value : value.toFixed(3)} ${unit}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Frame {
  tick: number;
  lookId: number;
  firedAtMs: number;
}

const names = Array.from({ length: NODES }, (_, i) => `Cyclorama Bench Lock ${process.pid} node${i}`);
const dirs: string[] = [];
const nodes = await Promise.all(
  names.map((name) => {
    const configDir = mkdtempSync(path.join(tmpdir(), 'cyclorama-bench-lock-'));
    const ndiDir = mkdtempSync(path.join(tmpdir(), 'cyclorama-bench-lock-ndi-'));
    dirs.push(configDir, ndiDir);
    return Engine.start({
      configDir,
      savedOutputs: false,
      width: 960,
      height: 540,
      rate: RATE,
      generatorMaxFps: Number(process.env.BENCH_CLUSTER_GENERATOR_FPS ?? 6),
      initialPrompt: 'grey fog over still water',
      ndi: { extraIps: '127.0.0.1', configDir: ndiDir, outputs: [{ name }] },
    });
  }),
);
const send = (node: Engine, command: CommandInput) => node.dispatch(commandSchema.parse(command));
for (const node of nodes) {
  for (let i = 0; i <= GOS; i++) {
    await send(node, {
      type: 'addCue',
      patch: { number: String(i + 1), prompt: i % 2 ? 'deep red dusk over dunes' : 'cold blue glacier at noon', transition: { durationMs: 0, curve: 'linear' } },
    });
  }
}

const runtime = loadNdiRuntime();
if (!runtime.ok) throw new Error(runtime.error.message);
const lib = runtime.value.lib;
const sources = await Promise.all(names.map((name) => findNdiSource(lib, (s) => s.name.endsWith(`(${name})`), { extraIps: '127.0.0.1', timeoutMs: 60_000 })));
const receivers = sources.map((source, i) => {
  if (!source) throw new Error(`NDI source ${names[i]} not found`);
  return NdiReceiver.connect(lib, source, `${names[i]} rx`);
});
const received: Frame[][] = names.map(() => []);
let collecting = true;
const collector = (async () => {
  while (collecting) {
    receivers.forEach((receiver, i) => {
      for (;;) {
        const meta = receiver.captureView(0, ({ metadata }) => parseTickMetadata(metadata));
        if (meta === null) break;
        received[i]!.push(meta);
      }
    });
    await sleep(2);
  }
})();
while (received.some((list) => list.length < 30)) await sleep(100);

const skews: number[] = [];
/** GOs for which some node's receiver never showed the new look within the wait. */
let missing = 0;
for (let go = 0; go < GOS; go++) {
  const before = nodes.map((node) => node.state().program.lookId);
  const at = Date.now() + LEAD_MS;
  const due = firstTickAtOrAfter(at, RATE);
  for (const node of nodes) await send(node, { type: 'scheduled', id: `bench-go-${process.pid}-${go}`, at, command: { type: 'go' } });
  // Until every node's receiver has shown the new look (at most 10 s: a node late on air still counts, by how late).
  const newLook = () => received.map((list, i) => Math.min(...list.filter((f) => f.tick >= due - 5 && f.lookId > before[i]!).map((f) => f.tick)));
  const until = Date.now() + LEAD_MS + 10_000;
  while (newLook().some((k) => !Number.isFinite(k)) && Date.now() < until) await sleep(20);
  const firstNew = newLook().filter((k) => Number.isFinite(k));
  if (firstNew.length < NODES) missing++;
  if (firstNew.length > 0) skews.push(Math.max(...firstNew) - Math.min(...firstNew));
}

const byTick = received.map((list) => new Map(list.map((f) => [f.tick, f.firedAtMs])));
const spreads = [...byTick[0]!.keys()]
  .filter((k) => byTick.every((m) => m.has(k)))
  .map((k) => {
    const fired = byTick.map((m) => m.get(k)!);
    return Math.max(...fired) - Math.min(...fired);
  })
  .sort((a, b) => a - b);
const p99 = spreads[Math.min(spreads.length - 1, Math.floor(spreads.length * 0.99))] ?? NaN;
const lateOnAir = nodes.reduce((sum, node) => sum + (node.state().frameLock?.scheduled.lateOnAir ?? 0), 0);
print('cluster_tick_phase_ms', p99, `ms (p99 of ${spreads.length} ticks seen from all ${NODES} nodes; median ${(spreads[Math.floor(spreads.length / 2)] ?? NaN).toFixed(3)})`);
print(
  'cluster_cue_skew_frames',
  Math.max(...skews),
  `frames (max over ${GOS} GOs; GOs with skew > 0: ${skews.filter((s) => s > 0).length}; GOs not seen on every node: ${missing}; scheduled looks late on air, all nodes: ${lateOnAir})`,
);
print('cluster_load_average', loadavg()[0] as number, '(1 min)');

collecting = false;
await collector;
for (const receiver of receivers) receiver.close();
await Promise.all(nodes.map((node) => node.stop()));
for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
for (const name of names) for (const marker of [`/tmp/NTK_SEND_${name}`, `/tmp/NTK_RECV_${name} rx`]) rmSync(marker, { force: true });
