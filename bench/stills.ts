/**
 * `npm run bench:stills`: what stills and the client preview link cost the output
 * clocks, one figure per line as `BENCH <name> <value> <unit>`, A/B in one run on one
 * engine (the built-in model at 1920x1080, the console preview's clock at 29.97):
 *  - stills_missed_ticks_idle: preview-clock ticks missed over BENCH_STILLS_SECONDS with nothing else;
 *  - stills_missed_ticks: the same span with 1080p PNG stills saved back to back (encoded in the worker);
 *  - still_ms: median saveStill request -> file written (1080p PNG with its iTXt chunks);
 *  - still_bytes: a 1080p still's size;
 *  - viewer_missed_ticks: the same span with the viewer stream on (a tap copying 5 frames/s);
 *  - viewer_bytes_per_s, viewer_fps: what one viewer receives (640x360 JPEG q60).
 * Noisy on a shared machine: compare the idle and loaded figures of the same run.
 * Env: BENCH_STILLS_SECONDS (default 10).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { ClientHub } from '../app/engine/control/client-hub.js';
import { startNetworkControl } from '../app/engine/control/network-control.js';
import { Engine } from '../app/engine/engine.js';

const seconds = Number(process.env.BENCH_STILLS_SECONDS ?? 10);
const bench = (name: string, value: number, unit: string) => console.log(`BENCH ${name} ${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const engine = await Engine.start({ configDir: null, savedOutputs: false, initialPrompt: 'warm studio cyclorama, soft haze' });
const control = await startNetworkControl({ engine, hub: new ClientHub(engine), staticDir: 'dist/renderer', port: 0 });
const missed = () => engine.state().outputs.find((o) => o.kind === 'preview')?.missedTicks ?? 0;
while (engine.state().stats.modelFps === 0) await sleep(100);
await sleep(2000);

let before = missed();
await sleep(seconds * 1000);
bench('stills_missed_ticks_idle', missed() - before, 'ticks');

const folder = mkdtempSync(path.join(tmpdir(), 'cyclorama-bench-stills-'));
const times: number[] = [];
let bytes = 0;
before = missed();
const end = performance.now() + seconds * 1000;
while (performance.now() < end) {
  const t0 = performance.now();
  const reply = await engine.dispatch({ type: 'saveStill', folder });
  if (!reply.ok) throw new Error(reply.error.message);
  times.push(performance.now() - t0);
  bytes = reply.data?.still?.bytes ?? 0;
}
bench('stills_missed_ticks', missed() - before, 'ticks');
times.sort((a, b) => a - b);
bench('still_ms', times[Math.floor(times.length / 2)] ?? 0, 'ms');
bench('still_bytes', bytes, 'bytes');

const hub = control;
await hub.viewers.create(false);
const token = new URLSearchParams(hub.viewers.status().link!.path.split('?')[1]).get('v');
const viewer = new WebSocket(`ws://127.0.0.1:${control.server.port}/viewer/ws?token=${token}`);
let received = 0;
let frames = 0;
viewer.on('message', (data, isBinary) => {
  if (!isBinary) return;
  received += (data as Buffer).length;
  frames++;
});
await new Promise((resolve) => viewer.once('open', resolve));
await sleep(2000);
before = missed();
received = 0;
frames = 0;
await sleep(seconds * 1000);
bench('viewer_missed_ticks', missed() - before, 'ticks');
bench('viewer_bytes_per_s', received / seconds, 'B/s');
bench('viewer_fps', frames / seconds, 'fps');
viewer.close();
await control.close();
await engine.stop();
