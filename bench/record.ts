/**
 * `npm run bench:record`: recording figures, as `BENCH <name> <value> <unit>`, A/B in one run
 * (the same engine, first without a recording, then while recording the program):
 *  - record_missed_ticks: ticks the live NDI output missed over BENCH_RECORD_SECONDS (default
 *    60) while recording 1080p H.264 (goal 0); ndi_missed_ticks_without_recording beside it.
 *  - record_cpu_ms_per_frame: the FFmpeg child's CPU time (user + system, /proc) per recorded frame.
 *  - record_engine_cpu_ms_per_frame: the engine process's extra CPU per recorded frame (the
 *    frame copies into the queue and the pipe writes), from process.cpuUsage, A minus B.
 *  - record_dropped_frames: frames the recorder dropped over the run (the encoder was behind).
 * The machine is shared: the load average is printed with the figures.
 * Env: BENCH_RECORD_SECONDS, BENCH_RECORD_CODEC (h264-mp4 | prores-mov), BENCH_RECORD_SIZE (default 1920x1080).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordingCodec } from '../app/contract/recording.js';
import { Engine } from '../app/engine/engine.js';

const SECONDS = Number(process.env.BENCH_RECORD_SECONDS ?? 60);
const CODEC = (process.env.BENCH_RECORD_CODEC ?? 'h264-mp4') as RecordingCodec;
const [W, H] = (process.env.BENCH_RECORD_SIZE ?? '1920x1080').split('x').map(Number) as [number, number];
const RATE = { num: 30000, den: 1001 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const print = (name: string, value: number, unit: string) => console.log(`BENCH ${name} ${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`);
/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on Linux). */
const USER_HZ = 100;

/** CPU ms (user + system) of this process's `ffmpeg` children, from /proc. */
function ffmpegChildCpuMs(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (comm !== 'ffmpeg' || Number(fields[1]) !== process.pid) continue;
      total += ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return total;
}

const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

const folder = mkdtempSync(join(tmpdir(), 'bench-record-'));
const name = `Cyclorama Bench Record ${process.pid}`;
const engine = await Engine.start({ width: W, height: H, rate: RATE, configDir: null, initialPrompt: 'neon night city rain', ndi: { outputs: [{ name, rate: RATE }] } });
const ndi = () => engine.state().outputs.find((o) => o.kind === 'ndi');
try {
  if (engine.state().model.status !== 'running') throw new Error(`model did not start: ${JSON.stringify(engine.state().recentErrors)}`);
  for (let i = 0; i < 200 && !engine.state().recording?.encoder.available; i++) await sleep(100);
  await sleep(3000);
  const status = ndi();
  if (!status || status.status !== 'running') throw new Error(`NDI output not running: ${JSON.stringify(status)}`);

  // B: no recording.
  const bBefore = { missed: ndi()!.missedTicks, cpu: cpuMs() };
  await sleep(SECONDS * 1000);
  const bAfter = { missed: ndi()!.missedTicks, cpu: cpuMs() };

  // A: recording the program.
  const started = await engine.dispatch({ type: 'startRecording', source: 'program', codec: CODEC, folder });
  if (!started.ok) throw new Error(started.error.message);
  const aBefore = { missed: ndi()!.missedTicks, cpu: cpuMs() };
  await sleep(SECONDS * 1000);
  const aAfter = { missed: ndi()!.missedTicks, cpu: cpuMs() };
  const encoderCpu = ffmpegChildCpuMs();
  const stopped = await engine.dispatch({ type: 'stopRecording' });
  if (!stopped.ok) throw new Error(stopped.error.message);
  const end = engine.state().recording!.last!;

  const frames = Math.max(1, end.frames);
  const extraEngineCpu = aAfter.cpu - aBefore.cpu - (bAfter.cpu - bBefore.cpu);
  console.log(
    `# ${CODEC} ${W}x${H} at 29.97, ${SECONDS} s each without / with recording; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(`# recorded ${end.frames} frames (${end.repeatedFrames ?? 0} repeated for missed ticks), ${(end.bytes / 1e6).toFixed(1)} MB`);
  print('ndi_missed_ticks_without_recording', bAfter.missed - bBefore.missed, 'ticks');
  print('record_missed_ticks', aAfter.missed - aBefore.missed, 'ticks');
  print('record_cpu_ms_per_frame', encoderCpu / frames, 'ms');
  print('record_engine_cpu_ms_per_frame', extraEngineCpu / frames, 'ms');
  print('record_dropped_frames', end.droppedFrames, 'frames');
} finally {
  await engine.stop();
  rmSync(folder, { recursive: true, force: true });
}
