/**
 * `npm run bench:soak`: the engine as a show runs it, for N minutes (not in CI):
 * the built-in model at 1920x1080, an NDI output (1080p29.97) and a display output
 * with a page reading its frames, a console reading state and previews over the
 * WebSocket, a prompt change every 2 s over HTTP, and a control surface's load
 * (OSC heartbeats 10/s and a standby button twice a second, HTTP state polls
 * 2/s). The consumers and the control load run in a child process of their own
 * (`--load`), as they would on other machines. Prints, as `BENCH name value unit`:
 *  - soak_rss_slope_mb_per_min: least-squares slope of the engine's RSS after the
 *    first minute (warm-up: caches, JIT, libndi's buffers); flat is ~0;
 *  - soak_rss_start_mb / soak_rss_end_mb;
 *  - soak_children_rss_slope_mb_per_min / soak_children_rss_end_mb: the same for the
 *    engine's child processes together (the inference processes: live model, standby);
 *  - soak_missed_ticks: summed over every output clock (preview, NDI, display);
 *  - soak_errors: error events the engine raised;
 *  - soak_prompt_changes_ok / soak_prompt_changes: HTTP prompt changes answered 200;
 *  - soak_console_messages_read / soak_display_frames_read: what the consumers got.
 * Env: SOAK_MINUTES (default 30), SOAK_NDI=0 to leave NDI out (no runtime).
 */
import { execFileSync, fork } from 'node:child_process';
import dgram from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { toBuffer, type OscArgInput } from 'osc-min';
import WebSocket from 'ws';
import { commandSchema } from '../app/contract/commands.js';
import { ClientHub } from '../app/engine/control/client-hub.js';
import { startNetworkControl } from '../app/engine/control/network-control.js';
import { Engine } from '../app/engine/engine.js';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const WITH_NDI = process.env.SOAK_NDI !== '0';
const PROMPTS = ['sunset over the desert', 'neon night city', 'underwater caustics', 'snow forest dawn', 'studio grey softbox', 'storm clouds'];

function print(name: string, value: number, unit: string): void {
  console.log(`BENCH ${name} ${Number.isInteger(value) ? value : value.toFixed(3)} ${unit}`);
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** RSS of this process's direct children together but `exceptPid` (the load process), MB: the inference processes; 0 where ps is missing. */
function childrenRssMb(exceptPid: number | undefined): number {
  try {
    const out = execFileSync('ps', ['-o', 'pid=,rss=', '--ppid', String(process.pid)], { encoding: 'utf8' });
    return out
      .split('\n')
      .map((l) => l.trim().split(/\s+/).map(Number))
      .filter(([pid, kb]) => pid !== exceptPid && Number.isFinite(kb) && (kb as number) > 0)
      .reduce((s, [, kb]) => s + (kb as number) / 1024, 0);
  } catch {
    return 0;
  }
}

interface LoadCounts {
  consoleMessages: number;
  displayFrames: number;
  promptChanges: number;
  promptChangesOk: number;
}

/** The load process: a console and a display page reading everything, HTTP prompt changes and polls, an OSC surface. */
function runLoad(port: number, oscPort: number, displayId: string): void {
  const base = `http://127.0.0.1:${port}`;
  const counts: LoadCounts = { consoleMessages: 0, displayFrames: 0, promptChanges: 0, promptChangesOk: 0 };
  const consoleSocket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  consoleSocket.on('message', () => counts.consoleMessages++);
  const page = new WebSocket(`ws://127.0.0.1:${port}/ws?output=${encodeURIComponent(displayId)}`);
  page.on('message', (_data, isBinary) => {
    if (isBinary) counts.displayFrames++;
  });
  const osc = dgram.createSocket('udp4');
  let presses = 0;
  const sendOsc = (address: string, args: OscArgInput[]) => {
    const packet = toBuffer({ address, args });
    osc.send(new Uint8Array(packet.buffer, packet.byteOffset, packet.byteLength), oscPort, '127.0.0.1');
  };
  const timers = [
    setInterval(() => {
      counts.promptChanges++;
      const prompt = PROMPTS[counts.promptChanges % PROMPTS.length];
      void fetch(`${base}/api/prompt`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt, transitionMs: 500 }) })
        .then(async (r) => {
          await r.arrayBuffer(); // read every reply, as a real client does: an unread body holds its connection open
          if (r.status === 200) counts.promptChangesOk++;
        })
        .catch(() => {});
    }, 2000),
    // A control surface: heartbeats 10/s (Companion polls), a standby button pressed twice a second.
    setInterval(() => sendOsc('/cyclorama/ping', []), 100),
    setInterval(() => {
      presses++;
      sendOsc('/cyclorama/cue/standby', [{ type: 'string', value: presses % 2 === 0 ? 'c1' : 'c2' }]);
    }, 500),
    setInterval(
      () =>
        void fetch(`${base}/api/state`)
          .then((r) => r.arrayBuffer())
          .catch(() => {}),
      500,
    ),
  ];
  process.on('message', () => {
    for (const timer of timers) clearInterval(timer);
    consoleSocket.close();
    page.close();
    osc.close();
    process.send?.(counts, () => process.exit(0));
  });
}

async function main(): Promise<void> {
  const configDir = mkdtempSync(path.join(tmpdir(), 'cyclorama-soak-'));
  const engine = await Engine.start({ width: 1920, height: 1080, configDir, savedOutputs: false });
  let errors = 0;
  engine.on('event', (event) => {
    if (event.kind === 'error') {
      errors++;
      console.log(`# error: ${event.error.code}: ${event.error.message}`);
    }
  });
  const hub = new ClientHub(engine);
  const control = await startNetworkControl({ engine, hub, staticDir: 'dist/renderer', port: 0, osc: { port: 0, tcp: false }, rateLimit: { perSecond: 50, burst: 100 } });
  const send = (raw: unknown) => engine.dispatch(commandSchema.parse(raw));
  if (WITH_NDI) {
    const added = await send({ type: 'addNdiOutput', name: `Cyclorama soak ${process.pid}`, width: 1920, height: 1080, rate: { num: 30000, den: 1001 } });
    if (!added.ok) console.log(`# NDI output not added: ${added.error.message}`);
  }
  const display = await send({ type: 'addDisplayOutput', name: 'Soak display' });
  if (!display.ok) throw new Error(display.error.message);
  const displayId = engine.state().outputs.find((o) => o.name === 'Soak display')?.id ?? 'display-1';

  // The consumers and the control surfaces run in a process of their own, as they would on
  // another machine: in the engine's process their work would count against the engine.
  const load = fork(fileURLToPath(import.meta.url), ['--load', String(control.server.port), String(control.osc?.status().port ?? 0), displayId]);
  for (const prompt of PROMPTS.slice(0, 3)) await send({ type: 'addCue', patch: { prompt } });
  const startedAt = performance.now();
  const samples: Array<[number, number]> = [];
  const childSamples: Array<[number, number]> = [];
  const rssMb = () => process.memoryUsage().rss / 1024 / 1024;
  const rssStart = rssMb();
  while (performance.now() - startedAt < MINUTES * 60_000) {
    await sleep(10_000);
    const minutes = (performance.now() - startedAt) / 60_000;
    const rss = rssMb();
    samples.push([minutes, rss]);
    const children = childrenRssMb(load.pid);
    childSamples.push([minutes, children]);
    const missed = engine.state().outputs.reduce((s, o) => s + o.missedTicks, 0);
    console.log(`# t=${minutes.toFixed(1)} min rss=${rss.toFixed(0)} MB children=${children.toFixed(0)} MB missed=${missed} errors=${errors}`);
  }
  const counts = await new Promise<LoadCounts>((resolve) => {
    load.once('message', (message) => resolve(message as LoadCounts));
    load.send('stop');
  });
  const outputs = engine.state().outputs;
  const afterWarmUp = samples.filter(([m]) => m >= 1);
  print('soak_minutes', MINUTES, 'min');
  print('soak_rss_start_mb', rssStart, 'MB');
  print('soak_rss_end_mb', rssMb(), 'MB');
  print('soak_rss_slope_mb_per_min', slope(afterWarmUp.length >= 2 ? afterWarmUp : samples), 'MB/min');
  const childrenAfterWarmUp = childSamples.filter(([m]) => m >= 1);
  print('soak_children_rss_end_mb', childSamples.at(-1)?.[1] ?? 0, 'MB');
  print('soak_children_rss_slope_mb_per_min', slope(childrenAfterWarmUp.length >= 2 ? childrenAfterWarmUp : childSamples), 'MB/min');
  print(
    'soak_missed_ticks',
    outputs.reduce((s, o) => s + o.missedTicks, 0),
    'ticks',
  );
  for (const o of outputs) console.log(`# output ${o.name} (${o.kind}): ${o.missedTicks} missed, ${o.freshFrames} fresh, ${o.repeatedFrames} repeated, ${o.fps.toFixed(1)} fps`);
  print('soak_errors', errors, 'errors');
  print('soak_prompt_changes_ok', counts.promptChangesOk, 'changes');
  print('soak_prompt_changes', counts.promptChanges, 'changes');
  print('soak_console_messages_read', counts.consoleMessages, 'messages');
  print('soak_display_frames_read', counts.displayFrames, 'frames');
  hub.close();
  await control.close();
  await engine.stop();
}

if (process.argv[2] === '--load') runLoad(Number(process.argv[3]), Number(process.argv[4]), process.argv[5] ?? 'display-1');
else
  main().catch((error: Error) => {
    console.error(`bench soak: ${error.stack ?? error.message}`);
    process.exit(1);
  });
