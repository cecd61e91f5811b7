/**
 * `npm run bench:dmx`: DMX in figures, as `BENCH <name> <value> <unit>`.
 *  - dmx_to_frame_ms (p95 over BENCH_DMX_TRIALS, default 20): an sACN packet raising GO
 *    (the sacn library, unicast on loopback) to the first frame of the new look at a real
 *    NDI receiver in its own process (bench/wire-receiver.ts through bench/look-colours.ts):
 *    GO alternates between two cues whose pictures differ (warm desert vs. blue water), and
 *    the new look's first frame is the first one received after the packet whose colour is
 *    nearer that look's (colours measured in this run) than the old one's: from the pixels.
 *  - dmx_to_look_on_air_ms (p95, the same GOs): to the engine's lookOnAir event, the new
 *    look's first frame handed to the outputs (what the wire adds is the difference).
 *  - dmx_missed_ticks: the NDI output's missed ticks over BENCH_DMX_ROUNDS (default 2) x
 *    BENCH_DMX_SECONDS (default 30)
 *    while a desk sends 44 packets/s on each of four universes (one patched, with the
 *    master and strength faders moving, so the faders' commands flow through the default
 *    rate limit; three other universes on the same port, which the sacn receiver drops
 *    before us); dmx_missed_ticks_static: the same packets with no channel moving, the
 *    rounds alternated in the same process (an A/B on a loaded machine).
 * Env: BENCH_DMX_TRIALS, BENCH_DMX_SECONDS, BENCH_DMX_ROUNDS, BENCH_DMX_SIZE (default 1280x720).
 */
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Sender as SacnSender } from 'sacn';
import { controlConfigSchema } from '../app/contract/control-sources.js';
import type { EngineEvent } from '../app/contract/messages.js';
import { engineNowMs } from '../app/engine/clock.js';
import { ClientHub } from '../app/engine/control/client-hub.js';
import { DmxSource } from '../app/engine/control/dmx-source.js';
import { RateLimiter } from '../app/engine/control/rate-limit.js';
import { Engine } from '../app/engine/engine.js';
import { describeColour, distance, firstFrameOf, mean, percentile, printFigure as print, startLookReceiver, type Colour } from './look-colours.js';

const TRIALS = Number(process.env.BENCH_DMX_TRIALS ?? 20);
const SECONDS = Number(process.env.BENCH_DMX_SECONDS ?? 30);
const ROUNDS = Number(process.env.BENCH_DMX_ROUNDS ?? 2);
const [W, H] = (process.env.BENCH_DMX_SIZE ?? '1280x720').split('x').map(Number) as [number, number];
const MASTER = 1;
const CUE_SELECT = 2;
const GO = 5;
const STRENGTH = 9;
/** The two cues' prompts: pictures far apart in colour (bench/wire.ts uses the same pair). */
const PROMPTS = ['sunset over the desert', 'underwater caustics'] as const;
const GO_TIMEOUT_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const name = `Cyclorama Bench DMX ${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
const engine = await Engine.start({
  width: W,
  height: H,
  configDir: null,
  initialPrompt: PROMPTS[0],
  ndi: { outputs: [{ name, rate: { num: 30000, den: 1001 } }], extraIps: '127.0.0.1' },
});
const hub = new ClientHub(engine, () => {});
const port = await freeUdpPort();
const config = controlConfigSchema.parse({ dmx: { enabled: true, protocol: 'sacn', universe: 1, startAddress: 1, port } }).dmx;
// The default limit (20/s per command, burst 40), as a desk meets it: GO trials are 0.5 s apart, well inside it.
const source = await DmxSource.start({ config, hub, limiter: new RateLimiter(), log: () => {} });
const senders = [1, 2, 3, 4].map(
  (universe) =>
    new SacnSender({
      universe,
      port,
      useUnicastDestination: '127.0.0.1',
      defaultPacketOptions: { sourceName: `bench ${universe}`, priority: 100, useRawDmxValues: true, cid: randomBytes(16) },
    }),
);
const receiver = startLookReceiver(name);
/** Resolves at the engine's next lookOnAir (engine-clock ms), or NaN after GO_TIMEOUT_MS. */
const nextOnAir = () =>
  Promise.race([
    new Promise<number>((resolve) => {
      const listener = (event: EngineEvent) => {
        if (event.kind !== 'lookOnAir') return;
        engine.off('event', listener);
        resolve(engineNowMs());
      };
      engine.on('event', listener);
    }),
    sleep(GO_TIMEOUT_MS).then(() => Number.NaN),
  ]);
try {
  if (engine.state().model.status !== 'running') throw new Error(`model did not start: ${JSON.stringify(engine.state().recentErrors)}`);
  for (const prompt of PROMPTS) await hub.submit({ type: 'addCue', patch: { prompt, transition: { durationMs: 0, curve: 'linear' } } }, 'bench');
  await hub.submit({ type: 'updateShow', settings: { goGuardMs: 0 } }, 'bench');
  const sourceName = await receiver.connected;
  const { frames } = receiver;
  const desk = senders[0]!;
  await desk.send({ payload: { [MASTER]: 255, [GO]: 0 } });
  await sleep(2000);
  console.log(`# receiver connected to "${sourceName}" (its own process); ${W}x${H}, ${engine.state().model.provider}`);

  // ---- calibration: each cue's colour as received, measured in this run ----------------
  const centroids: Colour[] = [];
  for (const number of ['1', '2']) {
    const onAir = nextOnAir();
    await hub.submit({ type: 'fireCue', number }, 'bench');
    await onAir;
    await sleep(1000); // well past the wire latency
    const since = engineNowMs() - 500;
    centroids.push(mean(frames.filter((f) => f.atMs >= since).map((f) => f.colour)));
  }
  const [c1, c2] = centroids as [Colour, Colour];
  console.log(`# cue colours as received: 1 "${PROMPTS[0]}" ${describeColour(c1)}, 2 "${PROMPTS[1]}" ${describeColour(c2)} (apart ${distance(c1, c2).toFixed(0)})`);
  if (distance(c1, c2) < 20) throw new Error('the two cues are not told apart by colour at the receiver: cannot measure');

  // ---- GO packets: cue 2 is on air; each trial selects the other cue and raises GO ----------
  const wire: number[] = [];
  const onAirMs: number[] = [];
  let showing = 1; // index into centroids: cue 2 on air after calibration
  for (let trial = 0; trial < TRIALS; trial++) {
    const next = 1 - showing;
    await desk.send({ payload: { [MASTER]: 255, [CUE_SELECT]: next + 1, [GO]: 0 } });
    await sleep(150 + Math.random() * 50); // off the frame grid
    const firstFrame = frames.length;
    const onAir = nextOnAir();
    const t0 = engineNowMs();
    await desk.send({ payload: { [MASTER]: 255, [CUE_SELECT]: next + 1, [GO]: 255 } });
    let seen: number | null = null;
    while (seen === null && engineNowMs() - t0 < GO_TIMEOUT_MS) {
      await sleep(3);
      seen = firstFrameOf(frames, firstFrame, t0, centroids[next] as Colour, centroids[showing] as Colour)?.atMs ?? null;
    }
    const t1 = await onAir;
    if (seen !== null) wire.push(seen - t0);
    if (!Number.isNaN(t1)) onAirMs.push(t1 - t0);
    showing = next;
    await sleep(400);
  }
  print('dmx_to_frame_ms', percentile(wire, 95), 'ms');
  print('dmx_to_look_on_air_ms', percentile(onAirMs, 95), 'ms');
  console.log(
    `# ${wire.length}/${TRIALS} GOs seen at the NDI receiver (median ${percentile(wire, 50).toFixed(1)} ms, max ${Math.max(...wire).toFixed(1)}); ${onAirMs.length} lookOnAir (median ${percentile(onAirMs, 50).toFixed(1)} ms)`,
  );

  // ---- missed ticks under a desk's full refresh on four universes: faders still, then moving ----
  const output = () => engine.state().outputs.find((o) => o.kind === 'ndi');
  const flood = async (moving: boolean): Promise<number> => {
    const before = output();
    if (!before || before.status !== 'running') throw new Error(`NDI output not running: ${JSON.stringify(before)}`);
    const stats0 = { ...source.status().packets };
    const counters0 = { ...source.status().counters };
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < SECONDS * 1000) {
      // Moving: the master sweeps between full and 80 % (the wall stays visible) and the strength fader moves.
      const payload = moving ? { [MASTER]: 204 + (n % 52), [STRENGTH]: (n * 3) % 256 } : { [MASTER]: 255, [STRENGTH]: 0 };
      for (const s of senders) void s.send({ payload });
      n++;
      const due = t0 + (n * 1000) / 44;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
    }
    await sleep(200);
    const after = output()!;
    const stats = source.status().packets;
    const counters = source.status().counters;
    const missed = after.missedTicks - before.missedTicks;
    console.log(
      `# ${moving ? 'faders moving' : 'faders still'}: ${missed} missed ticks; ${SECONDS} s of 44 packets/s on 4 universes (${n * 4} sent): ${stats.received - stats0.received} taken on the patched universe, ${stats.wrongUniverse - stats0.wrongUniverse} for others; ` +
        `commands ${counters.dispatched - counters0.dispatched} dispatched, ${counters.rateLimited - counters0.rateLimited} replaced by a newer value, ${counters.rejected - counters0.rejected} refused; NDI output 29.97 at ${W}x${H}`,
    );
    return missed;
  };
  // Alternated (still, moving, still, moving...), so load from elsewhere on the machine falls on both alike.
  const totals = { still: 0, moving: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    totals.still += await flood(false);
    totals.moving += await flood(true);
  }
  print('dmx_missed_ticks_static', totals.still, 'ticks');
  print('dmx_missed_ticks', totals.moving, 'ticks');
  console.log(`# missed ticks summed over ${ROUNDS} round(s) of ${SECONDS} s each, faders still and moving alternated`);
  console.log(
    `# load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
} finally {
  await receiver.stop();
  receiver.child.kill('SIGTERM');
  for (const s of senders) s.close();
  await source.stop();
  await engine.stop();
  rmSync(`/tmp/NTK_SEND_${name}`, { force: true }); // libndi's marker of the engine's sender
}
