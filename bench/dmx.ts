/**
 * `npm run bench:dmx`: DMX in figures, as `BENCH <name> <value> <unit>`.
 *  - dmx_to_look_on_air_ms (p95 over BENCH_DMX_TRIALS, default 20): an sACN packet
 *    raising GO (sacn library, loopback UDP) to the engine's lookOnAir event, the
 *    first frame of the new look handed to the outputs. NOT yet at an NDI receiver
 *    (the dmx_to_frame_ms): that needs a receiver telling the new look's
 *    first frame apart from the old one's, left for a later change.
 *  - dmx_missed_ticks: the NDI output's missed ticks over BENCH_DMX_SECONDS (default
 *    30) while a desk sends 44 packets/s on each of four universes (one patched,
 *    three other universes on the same port, which the sacn receiver drops before us).
 * Env: BENCH_DMX_TRIALS, BENCH_DMX_SECONDS, BENCH_DMX_SIZE (default 1280x720).
 */
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { Sender as SacnSender } from 'sacn';
import { controlConfigSchema } from '../app/contract/control-sources.js';
import type { EngineEvent } from '../app/contract/messages.js';
import { ClientHub } from '../app/engine/control/client-hub.js';
import { DmxSource } from '../app/engine/control/dmx-source.js';
import { RateLimiter } from '../app/engine/control/rate-limit.js';
import { Engine } from '../app/engine/engine.js';

const TRIALS = Number(process.env.BENCH_DMX_TRIALS ?? 20);
const SECONDS = Number(process.env.BENCH_DMX_SECONDS ?? 30);
const [W, H] = (process.env.BENCH_DMX_SIZE ?? '1280x720').split('x').map(Number) as [number, number];
const GO = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const print = (name: string, value: number, unit: string) => console.log(`BENCH ${name} ${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`);

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const name = `Cyclorama Bench DMX ${process.pid}`;
const engine = await Engine.start({ width: W, height: H, configDir: null, initialPrompt: 'soft grey studio', ndi: { outputs: [{ name, rate: { num: 30000, den: 1001 } }] } });
const hub = new ClientHub(engine, () => {});
const port = await freeUdpPort();
const config = controlConfigSchema.parse({ dmx: { enabled: true, protocol: 'sacn', universe: 1, startAddress: 1, port } }).dmx;
// The bench sends GO on purpose faster than a desk would; the limiter is not what is measured.
const source = await DmxSource.start({ config, hub, limiter: new RateLimiter({ perSecond: 1000, burst: 1000 }), log: () => {} });
const senders = [1, 2, 3, 4].map(
  (universe) =>
    new SacnSender({
      universe,
      port,
      useUnicastDestination: '127.0.0.1',
      defaultPacketOptions: { sourceName: `bench ${universe}`, priority: 100, useRawDmxValues: true, cid: randomBytes(16) },
    }),
);
try {
  if (engine.state().model.status !== 'running') throw new Error(`model did not start: ${JSON.stringify(engine.state().recentErrors)}`);
  for (const prompt of ['snow white winter morning', 'neon night city']) {
    await hub.submit({ type: 'addCue', patch: { prompt, transition: { durationMs: 0, curve: 'linear' } } }, 'bench');
  }
  await hub.submit({ type: 'updateShow', settings: { goGuardMs: 0 } }, 'bench');
  await sleep(2000);
  const desk = senders[0]!;
  const latencies: number[] = [];
  for (let trial = 0; trial < TRIALS; trial++) {
    const position = (trial % 2) + 1;
    await desk.send({ payload: { 2: position, [GO]: 0 } });
    await sleep(150);
    const onAir = new Promise<number>((resolve) => {
      const listener = (event: EngineEvent) => {
        if (event.kind !== 'lookOnAir') return;
        engine.off('event', listener);
        resolve(performance.now());
      };
      engine.on('event', listener);
    });
    const t0 = performance.now();
    await desk.send({ payload: { 2: position, [GO]: 255 } });
    const t1 = await Promise.race([onAir, sleep(10_000).then(() => Number.NaN)]);
    if (!Number.isNaN(t1)) latencies.push(t1 - t0);
    await sleep(300);
  }
  latencies.sort((a, b) => a - b);
  const p95 = latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.95) - 1)] ?? Number.NaN;
  print('dmx_to_look_on_air_ms', p95, 'ms');
  console.log(
    `# ${latencies.length}/${TRIALS} GOs reached the air; median ${(latencies[Math.floor(latencies.length / 2)] ?? Number.NaN).toFixed(1)} ms, ${W}x${H}, ${engine.state().model.provider}`,
  );

  const output = () => engine.state().outputs.find((o) => o.kind === 'ndi');
  const before = output();
  if (!before || before.status !== 'running') throw new Error(`NDI output not running: ${JSON.stringify(before)}`);
  const stats0 = { ...source.status().packets };
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < SECONDS * 1000) {
    for (const s of senders) void s.send({ payload: { 1: n % 256, 9: (n * 3) % 256 } });
    n++;
    const due = t0 + (n * 1000) / 44;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
  }
  const after = output()!;
  const stats = source.status().packets;
  print('dmx_missed_ticks', after.missedTicks - before.missedTicks, 'ticks');
  console.log(
    `# ${SECONDS} s of 44 packets/s on 4 universes (${n * 4} sent): ${stats.received - stats0.received} taken on the patched universe, ${stats.wrongUniverse - stats0.wrongUniverse} for others; NDI output 29.97 at ${W}x${H}`,
  );
} finally {
  for (const s of senders) s.close();
  await source.stop();
  await engine.stop();
}
