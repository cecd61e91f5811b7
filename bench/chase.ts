/**
 * `npm run build && node dist/bench/chase.js`: timecode chase figures, one per line
 * as `BENCH <name> <value> <unit>`.
 *  - chase_error_frames_<rate>: the chased timeline position vs the incoming LTC over
 *    BENCH_CHASE_SECONDS (default 60) after lock, max, in frames of that rate. Goal 0
 *    (under half a frame, so the displayed frame is the incoming one).
 *  - chase_lock_after_jump_frames_<rate>: frames from a jump in the LTC to the
 *    chase following the new timecode. Goal <= 4.
 * The LTC comes from libltc's encoder (tests/fixtures/ltc/ltc-encode.c, built with
 * `cc -lltc`; Debian libltc-dev), decoded by our decoder in 10 ms audio blocks; the
 * output ticks at 60 Hz on their own phase.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LtcChaseSource } from '../app/engine/timecode/chase-sources.js';
import { TIMECODE_RATES, framesToMs, parseTimecode, timecodeToFrames, type TimecodeRateId } from '../app/show/timecode.js';

const SECONDS = Number(process.env.BENCH_CHASE_SECONDS ?? 60);
const SAMPLE_RATE = 48000;
// From dist/bench/ when built, from bench/ under tsx.
const SOURCE =
  ['../../tests/fixtures/ltc/ltc-encode.c', '../tests/fixtures/ltc/ltc-encode.c'].map((p) => join(import.meta.dirname, p)).find((p) => existsSync(p)) ??
  'tests/fixtures/ltc/ltc-encode.c';

const dir = mkdtempSync(join(tmpdir(), 'bench-chase-'));
const binary = join(dir, 'ltc-encode');
try {
  execFileSync('cc', ['-O2', '-o', binary, SOURCE, '-lltc', '-lm'], { stdio: 'pipe' });
} catch (err) {
  rmSync(dir, { recursive: true, force: true });
  console.error(`bench/chase: cannot build the libltc encoder (apt-get install -y libltc-dev): ${String((err as { stderr?: Buffer }).stderr ?? err)}`);
  process.exit(1);
}

function ltc(fps: string, start: string, frames: number): Float32Array {
  const out = join(dir, `${fps}-${start.replace(/:/g, '')}.raw`);
  execFileSync(binary, [fps, String(SAMPLE_RATE), start, String(frames), 'f32', '0', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  const raw = readFileSync(out);
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
}

interface Segment {
  samples: Float32Array;
  startMs: number;
}

function measure(rateId: TimecodeRateId, segments: Segment[]) {
  const rate = TIMECODE_RATES[rateId];
  const frameMs = framesToMs(1, rate);
  const source = new LtcChaseSource({ sampleRate: SAMPLE_RATE });
  const block = SAMPLE_RATE / 100;
  const tickMs = 1000 / 60;
  let clockBase = 0;
  let nextTick = 1.234;
  let maxError = 0;
  const lockFrames: number[] = [];
  for (const seg of segments) {
    let locked = false;
    for (let at = 0; at < seg.samples.length; at += block) {
      const clock = clockBase + (at * 1000) / SAMPLE_RATE;
      source.pushAudio(seg.samples.subarray(at, at + block), clock);
      for (; nextTick < clock + 10; nextTick += tickMs) {
        source.tick(nextTick);
        const r = source.read();
        if (!r) continue;
        const position = r.running ? r.timecodeMs + (nextTick - r.atClockMs) : r.timecodeMs;
        const truth = seg.startMs + (nextTick - clockBase);
        const errorFrames = Math.abs(position - truth) / frameMs;
        if (!locked && errorFrames < 0.5 && source.status(nextTick)?.lock === 'locked') {
          locked = true;
          lockFrames.push((nextTick - clockBase) / frameMs);
        }
        if (locked) maxError = Math.max(maxError, errorFrames);
      }
    }
    clockBase += (seg.samples.length * 1000) / SAMPLE_RATE;
  }
  return { maxError, lockFrames };
}

for (const [fps, rateId, first, second] of [
  ['25', '25', '10:00:00:00', '11:30:00:00'],
  ['29.97', '29.97df', '00:59:30:00', '05:00:00;00'],
] as const) {
  const rate = TIMECODE_RATES[rateId];
  const frames = Math.round(SECONDS * (rate.num / rate.den));
  const toMs = (tc: string) => framesToMs(timecodeToFrames(parseTimecode(tc).timecode, rate), rate);
  const { maxError, lockFrames } = measure(rateId, [
    { samples: ltc(fps, first, frames), startMs: toMs(first) },
    { samples: ltc(fps, second.replace(';', ':'), 100), startMs: toMs(second) },
  ]);
  console.log(`BENCH chase_error_frames_${fps} ${maxError.toFixed(3)} frames`);
  console.log(`BENCH chase_lock_after_jump_frames_${fps} ${(lockFrames[1] ?? NaN).toFixed(2)} frames`);
}
rmSync(dir, { recursive: true, force: true });
