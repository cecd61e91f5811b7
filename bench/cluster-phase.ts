/**
 * `npm run bench:cluster`: frame lock across three render nodes on one machine, each an
 * engine in a process of its own (bench/cluster-node.ts: built-in model at 960x540, one
 * NDI output at 29.97), with a real libndi receiver per node in this process.
 *  - cluster_tick_phase_ms: p99 over ticks k received from all three nodes of the spread
 *    (max - min) of the instants their output clocks fired for tick k, from the nodes' own
 *    send timestamps (the `fired` of each frame's `<cyclorama tick=.../>` metadata, realtime
 *    on each node's synchronised clock: one clock on one machine). Goal <= 2 ms.
 *  - cluster_cue_skew_frames: over BENCH_CLUSTER_GOS (default 50) scheduled GOs sent to all
 *    three nodes for one instant LEAD ahead, the largest difference between nodes of the
 *    first received tick showing the new look. A frame a receiver did not get makes a node
 *    look later than it was, so this is an upper bound. Goal 0.
 *  - cluster_load_average: the 1-minute load average at the end (the figures depend on it).
 * Env: BENCH_CLUSTER_GOS, BENCH_CLUSTER_LEAD_MS (default 1500), BENCH_CLUSTER_GENERATOR_FPS (6).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { firstTickAtOrAfter } from '../app/engine/frame-grid.js';
import { applyNdiDiscovery } from '../app/engine/ndi/discovery.js';
import { NdiReceiver, findNdiSource } from '../app/engine/ndi/receiver.js';
import { loadNdiRuntime } from '../app/engine/ndi/runtime.js';
import { parseTickMetadata } from '../app/engine/outputs/ndi-frame-sink.js';

const GOS = Number(process.env.BENCH_CLUSTER_GOS ?? 50);
const LEAD_MS = Number(process.env.BENCH_CLUSTER_LEAD_MS ?? 1500);
const RATE = { num: 30000, den: 1001 };
const NODES = 3;

const here = path.dirname(fileURLToPath(import.meta.url));
const fromSource = import.meta.url.endsWith('.ts');
const execArgv = fromSource ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href] : [];
const print = (name: string, value: number, unit: string) => console.log(`BENCH ${name} ${Number.isInteger(value) ? value : value.toFixed(3)} ${unit}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Frame {
  tick: number;
  lookId: number;
  firedAtMs: number;
}

const names = Array.from({ length: NODES }, (_, i) => `Cyclorama Bench Lock ${process.pid} node${i}`);
const children: ChildProcess[] = names.map((name) => fork(path.join(here, `cluster-node.${fromSource ? 'ts' : 'js'}`), [name, String(GOS + 1)], { execArgv }));
let nextId = 1;
const pending = new Map<number, (value: { lookId: number }) => void>();
for (const child of children) {
  child.on('message', (message: { id?: number; lookId?: number }) => {
    if (message.id !== undefined) pending.get(message.id)?.({ lookId: message.lookId ?? 0 });
  });
}
const ask = (child: ChildProcess, command: unknown) =>
  new Promise<{ lookId: number }>((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    child.send({ id, command });
  });
await Promise.all(children.map((child) => new Promise<void>((resolve) => child.on('message', (m: { ready?: boolean }) => m.ready && resolve()))));

// Discovery on loopback without mDNS, as the nodes have it (libndi reads the config at initialize).
const ndiConfig = applyNdiDiscovery({ extraIps: '127.0.0.1', configDir: mkdtempSync(path.join(tmpdir(), 'cyclorama-bench-cluster-ndi-')) });
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
for (let go = 0; go < GOS; go++) {
  const before = await Promise.all(children.map((child) => ask(child, { type: 'clockProbe' })));
  const at = Date.now() + LEAD_MS;
  const due = firstTickAtOrAfter(at, RATE);
  await Promise.all(children.map((child) => ask(child, { type: 'scheduled', id: `bench-go-${process.pid}-${go}`, at, command: { type: 'go' } })));
  while (received.some((list) => !list.some((f) => f.tick >= due + 3))) await sleep(20);
  const firstNew = received.map((list, i) => Math.min(...list.filter((f) => f.tick >= due - 5 && f.lookId > before[i]!.lookId).map((f) => f.tick)));
  skews.push(Math.max(...firstNew) - Math.min(...firstNew));
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
print('cluster_tick_phase_ms', p99, `ms (p99 of ${spreads.length} ticks seen from all ${NODES} nodes; median ${(spreads[Math.floor(spreads.length / 2)] ?? NaN).toFixed(3)})`);
print('cluster_cue_skew_frames', Math.max(...skews), `frames (max over ${GOS} GOs; GOs with skew > 0: ${skews.filter((s) => s > 0).length})`);
print('cluster_load_average', loadavg()[0] as number, '(1 min)');

collecting = false;
await collector;
for (const receiver of receivers) receiver.close();
for (const child of children) child.disconnect();
await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
if (ndiConfig) rmSync(ndiConfig, { recursive: true, force: true });
for (const name of names) for (const marker of [`/tmp/NTK_SEND_${name}`, `/tmp/NTK_RECV_${name} rx`]) rmSync(marker, { force: true });
