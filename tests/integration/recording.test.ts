/**
 * Recording to video files, end to end on this machine: the real engine (built-in
 * ONNX model in its worker) records through the shipped FFmpeg (@ffmpeg-installer,
 * a child process), and the files are read back with Debian's ffprobe/ffmpeg, an
 * independent build (scripts/setup-test-machine.sh): codec, size, rate, frame count,
 * start timecode, and the decoded pictures against the looks the wall log says were
 * on the wall. Then a disk that fills up (with a stand-in for statfs that reports the
 * space running out: a real disk cannot be filled safely on a shared machine) and a
 * kill -9 of an engine process and of its encoder mid-recording.
 *
 * CI-sized: 192x108 at 30 fps, a few seconds per codec (bench/record.ts records 1080p).
 * The kill test runs the built engine (dist/): run `npm run build` first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandSchema, type CommandInput } from '../../app/contract/commands.js';
import type { RecordingCodec, RecordingEnd } from '../../app/contract/recording.js';
import { Engine } from '../../app/engine/engine.js';
import { statfsFree } from '../../app/engine/recording/disk-space.js';
import { decodedFrameMeans, ffprobe, meanRgb } from '../helpers/ffprobe.js';
import { waitUntil, type Probe } from '../helpers/wait.js';

const W = 192;
const H = 108;
const RATE = { num: 30, den: 1 };
const MB = 1024 * 1024;
/** Frames of a look this long after it went to the wall may still be the previous look (TTFF on a loaded machine). */
const SETTLE_MS = 1000;
/** How long each look is recorded. */
const LOOK_MS = 2000;

const root = mkdtempSync(path.join(tmpdir(), 'cyclorama-recording-'));
const folder = path.join(root, 'takes');
const configDir = path.join(root, 'config');
/** The statfs stand-in: null = the real free space, a number = the disk reports only this much free. */
let reportedFree: number | null = null;
let engine: Engine;
const children: ChildProcess[] = [];
/** Each look's picture as the engine sent it (mean RGB of its last program frame), by look id. */
const looks = new Map<number, [number, number, number]>();

const until = <T>(probe: Probe<T>, timeoutMs = 30_000, what = 'condition') => waitUntil(probe, { timeoutMs, intervalMs: 50, what });
const send = (command: CommandInput) => engine.dispatch(commandSchema.parse(command));
const recording = () => engine.state().recording!;
const distance = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - (b[i] as number)));

beforeAll(async () => {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(folder, { recursive: true });
  mkdirSync(configDir, { recursive: true });
  engine = await Engine.start({
    configDir,
    savedOutputs: false,
    width: W,
    height: H,
    rate: RATE,
    initialPrompt: 'red',
    recording: { diskFree: (dir) => reportedFree ?? statfsFree(dir), limits: { minFreeBytes: 64 * MB, reserveBytes: 16 * MB } },
  });
  engine.addSink({
    id: 'test-look-sampler',
    kind: 'null',
    name: 'look sampler',
    send: ({ frame }) => void looks.set(frame.lookId, meanRgb(frame.pixels, 4)),
    close: () => {},
  });
  await until(() => recording().encoder.available || recording().encoder.message !== 'looking for the FFmpeg encoder', 30_000, 'the encoder search');
}, 120_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await engine?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** Puts a look on the wall (cut) and waits until the engine has sent a frame of it. */
async function showLook(prompt: string): Promise<number> {
  expect(await send({ type: 'setPrompt', prompt, transition: { durationMs: 0, curve: 'linear' } })).toEqual({ ok: true });
  const lookId = engine.state().program.lookId;
  await until(() => looks.has(lookId), 30_000, `a frame of "${prompt}"`);
  return lookId;
}

async function recordTwoLooks(codec: RecordingCodec): Promise<RecordingEnd> {
  await showLook('crimson red fire');
  const started = await send({ type: 'startRecording', source: 'program', codec, folder });
  expect(started).toEqual({ ok: true });
  const active = recording().active!;
  expect(active.codec).toBe(codec);
  await until(() => (recording().active?.durationMs ?? 0) >= LOOK_MS && recording().active, 30_000, 'the first look recorded');
  // Live counters: duration, size and frames grow while it records.
  const midway = recording().active!;
  expect(midway.frames).toBeGreaterThan(0);
  await showLook('cold blue ocean ice');
  await until(() => (recording().active?.durationMs ?? 0) >= 2 * LOOK_MS && recording().active, 30_000, 'the second look recorded');
  expect(recording().active!.bytes).toBeGreaterThan(0);
  expect(recording().active!.durationMs).toBeGreaterThan(midway.durationMs);
  expect(await send({ type: 'stopRecording' })).toEqual({ ok: true });
  const last = recording().last!;
  expect(last.reason).toBe('stopped');
  expect(recording().active).toBeNull();
  return last;
}

describe('recording to video files (the shipped FFmpeg as a child process; files read with Debian ffprobe)', () => {
  it('offers H.264/MP4 and ProRes/MOV from the shipped FFmpeg', () => {
    const { encoder } = recording();
    expect(encoder.message).toBeNull();
    expect(encoder.path).toMatch(/@ffmpeg-installer/);
    expect(encoder.codecs).toEqual(['h264-mp4', 'prores-mov']);
  });

  for (const [codec, probedCodec] of [
    ['h264-mp4', 'h264'],
    ['prores-mov', 'prores'],
  ] as const) {
    it(`${codec}: codec, size, rate, frame count and start timecode as recorded; the decoded pictures are the looks the wall log had on the wall`, async () => {
      const end = await recordTwoLooks(codec);
      expect(existsSync(end.file)).toBe(true);
      expect(path.dirname(end.file)).toBe(folder);
      // File name: show, cue (none: live edits), start timecode.
      expect(path.basename(end.file)).toBe(`Untitled-show_${end.startTimecode.replace(/[:;]/g, '-')}.${codec === 'h264-mp4' ? 'mp4' : 'mov'}`);
      expect(end.startTimecode).toMatch(/^\d\d:\d\d:\d\d[:;]\d\d$/);

      const probed = ffprobe(end.file);
      expect(probed.codec).toBe(probedCodec);
      expect([probed.width, probed.height]).toEqual([W, H]);
      expect(probed.rate).toBe('30/1');
      expect(probed.frames).toBe(end.frames);
      expect(probed.frames).toBeGreaterThanOrEqual((2 * LOOK_MS * 30) / 1000);
      expect(probed.timecode).toBe(end.startTimecode);
      expect(end.bytes).toBeGreaterThan(0);

      // The wall log: which look was on the wall from when. Each decoded frame i was taken at about
      // startedAtMs + i / rate; frames settled into a look (SETTLE_MS after it went up) must show it.
      const log = engine.show.wallLogEntries;
      const means = decodedFrameMeans(end.file, W, H);
      expect(means.length).toBe(end.frames);
      const onWall = (atMs: number) => [...log].reverse().find((entry) => entry.atMs <= atMs);
      const recordedLooks = [...new Set(means.map((_, i) => onWall(end.startedAtMs + (i * 1000) / 30)?.lookId))].filter((id): id is number => id !== undefined);
      expect(recordedLooks.length).toBe(2);
      const [first, second] = recordedLooks.map((id) => looks.get(id)!);
      // The two looks differ clearly, so the check below can fail.
      expect(distance(first!, second!)).toBeGreaterThan(30);
      if (process.env.REC_DEBUG) {
        console.log(
          JSON.stringify({
            startedAtMs: end.startedAtMs,
            frames: end.frames,
            dropped: end.droppedFrames,
            log: log.map((e) => [e.atMs - end.startedAtMs, e.lookId]),
            looks: [...looks],
          }),
        );
        console.log(means.map((m, i) => `${i}:${recordedLooks.map((id) => Math.round(distance(m, looks.get(id)!))).join('/')}`).join(' '));
      }
      let checked = 0;
      means.forEach((mean, i) => {
        const atMs = end.startedAtMs + (i * 1000) / 30;
        const entry = onWall(atMs)!;
        if (atMs - Math.max(entry.atMs, end.startedAtMs) < SETTLE_MS) return;
        const expected = looks.get(entry.lookId)!;
        const other = recordedLooks.map((id) => looks.get(id)!).find((m) => m !== expected)!;
        expect(distance(mean, expected), `frame ${i} (look ${entry.lookId})`).toBeLessThan(distance(mean, other));
        expect(distance(mean, expected), `frame ${i} (look ${entry.lookId})`).toBeLessThan(20);
        checked++;
      });
      expect(checked).toBeGreaterThan(30);
    }, 90_000);
  }

  it('a disk that fills up (statfs stand-in): refused to start below the minimum, stopped cleanly before the reserve, the file plays', async () => {
    reportedFree = 10 * MB;
    const refused = await send({ type: 'startRecording', codec: 'h264-mp4', folder });
    expect(refused.ok).toBe(false);
    if (!refused.ok)
      expect(refused.error.message).toMatch(/^Not enough disk space to record: 10\.5 MB free on the disk of ".*takes", recording needs at least 67\.1 MB\. Free some space/);
    expect(recording().active).toBeNull();
    expect(recording().diskFreeBytes).toBe(10 * MB);

    reportedFree = null;
    expect(await send({ type: 'startRecording', codec: 'h264-mp4', folder })).toEqual({ ok: true });
    await until(() => (recording().active?.frames ?? 0) >= 30 && recording().active, 30_000, 'a second recorded');
    // The disk "fills": less free than the reserve it keeps.
    reportedFree = 8 * MB;
    const end = await until(() => (recording().active === null && recording().last?.reason === 'disk-full' ? recording().last : null), 30_000, 'the disk-full stop');
    reportedFree = null;
    expect(end.message).toMatch(
      /^The recording stopped before the disk filled: 8\.4 MB left on the disk of ".*takes" \(it keeps 16\.8 MB free\)\. ".*\.mp4" is complete up to 00:00:0\d\.$/,
    );
    expect(engine.state().recentErrors.some((e) => e.code === 'recording' && e.message === end.message)).toBe(true);
    const probed = ffprobe(end.file);
    expect(probed.frames).toBe(end.frames);
    expect(probed.frames).toBeGreaterThanOrEqual(30);
    // The output clocks never waited: the preview kept ticking without missed ticks caused by the recording.
    expect(engine.state().outputs.find((o) => o.id === 'preview')?.status).toBe('running');
  }, 90_000);

  it('refuses a second recording, a missing folder and an unknown output, each saying what to do', async () => {
    const missing = await send({ type: 'startRecording', codec: 'h264-mp4', folder: path.join(root, 'nope') });
    expect(!missing.ok && missing.error.message).toMatch(/^The recording folder ".*nope" does not exist: create it or choose another\.$/);
    const unknown = await send({ type: 'startRecording', source: 'ndi-99', codec: 'h264-mp4', folder });
    expect(!unknown.ok && unknown.error.message).toBe('No output "ndi-99" to record; record one of: program.');
    expect(await send({ type: 'startRecording', codec: 'h264-mp4', folder })).toEqual({ ok: true });
    const second = await send({ type: 'startRecording', codec: 'prores-mov', folder });
    expect(!second.ok && second.error.message).toMatch(/^Already recording to ".*"; stop it first\.$/);
    expect(await send({ type: 'stopRecording' })).toEqual({ ok: true });
    const none = await send({ type: 'stopRecording' });
    expect(!none.ok && none.error.message).toBe('Nothing is being recorded.');
  }, 60_000);

  it('a cue that records while it is on: firing it starts a recording named after the cue, the next cue without it stops it', async () => {
    // The operator's last choice is what the cue records with: one recording sets it.
    expect(await send({ type: 'startRecording', source: 'program', codec: 'h264-mp4', folder })).toEqual({ ok: true });
    expect(await send({ type: 'stopRecording' })).toEqual({ ok: true });
    expect(recording().settings).toEqual({ source: 'program', codec: 'h264-mp4', folder });
    expect(await send({ type: 'addCue', patch: { number: '7', prompt: 'golden desert dunes', recordWhileOn: true, transition: { durationMs: 0, curve: 'linear' } } })).toEqual({
      ok: true,
    });
    expect(await send({ type: 'addCue', patch: { number: '8', prompt: 'snow winter night', transition: { durationMs: 0, curve: 'linear' } } })).toEqual({ ok: true });
    expect(engine.state().show?.document.cues.map((c) => c.recordWhileOn)).toEqual([true, undefined]);
    expect(await send({ type: 'fireCue', number: '7' })).toEqual({ ok: true });
    const active = await until(() => recording().active, 30_000, 'the cue to start a recording');
    expect(active.cueId).toBe(engine.state().show?.document.cues[0]?.id);
    expect(path.basename(active.file)).toMatch(/^Untitled-show_cue-7_\d\d-\d\d-\d\d-\d\d\.mp4$/);
    await until(() => (recording().active?.frames ?? 0) >= 15 && recording().active, 30_000, 'frames of the cue');
    expect(await send({ type: 'fireCue', number: '8' })).toEqual({ ok: true });
    const end = await until(() => (recording().active === null ? recording().last : null), 30_000, 'the next cue to stop it');
    expect(end.file).toBe(active.file);
    expect(end.reason).toBe('stopped');
    expect(ffprobe(end.file).frames).toBe(end.frames);
  }, 60_000);

  it('kill -9 of the engine and its encoder mid-recording: the file plays up to the kill, the next start names it', async () => {
    const engineModule = path.resolve('dist/app/engine/engine.js');
    if (!existsSync(engineModule)) throw new Error(`${engineModule} is missing: run "npm run build" first.`);
    const killedConfig = path.join(root, 'killed-config');
    // The real engine in its own process (the built module; the CLI's serve has no frame-size flag).
    const script = `
      const { Engine } = await import(${JSON.stringify(engineModule)});
      const engine = await Engine.start({ configDir: ${JSON.stringify(killedConfig)}, savedOutputs: false, width: ${W}, height: ${H}, rate: { num: 30, den: 1 } });
      const wait = (ms) => new Promise((r) => setTimeout(r, ms));
      while (!engine.state().recording.encoder.available) await wait(50);
      const started = await engine.dispatch({ type: 'startRecording', source: 'program', codec: 'h264-mp4', folder: ${JSON.stringify(folder)} });
      if (!started.ok) { console.log('REFUSED ' + started.error.message); process.exit(1); }
      for (;;) { const a = engine.state().recording.active; if (a && a.durationMs >= 3000) break; await wait(50); }
      console.log('RECORDING ' + JSON.stringify(engine.state().recording.active));
      setInterval(() => {}, 1000);`;
    const { mkdirSync } = await import('node:fs');
    mkdirSync(killedConfig, { recursive: true });
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const output: string[] = [];
    createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no RECORDING line:\n${output.join('\n')}`)), 60_000);
      createInterface({ input: child.stdout! }).on('line', (text) => {
        output.push(text);
        if (text.startsWith('RECORDING ') || text.startsWith('REFUSED ')) {
          clearTimeout(timer);
          resolve(text);
        }
      });
    });
    expect(line).toMatch(/^RECORDING /);
    const active = JSON.parse(line.slice('RECORDING '.length)) as { file: string; frames: number };
    const journal = JSON.parse(readFileSync(path.join(killedConfig, 'recording.json'), 'utf8')) as { file: string; encoderPid: number };
    expect(journal.file).toBe(active.file);
    // Both at once, as a power cut or a crash of the whole process group would: no trailer is written.
    process.kill(child.pid!, 'SIGKILL');
    process.kill(journal.encoderPid, 'SIGKILL');
    await until(() => child.exitCode !== null || child.signalCode !== null, 10_000, 'the engine process to die');

    // The fragmented MP4 plays up to its last fragment (a keyframe a second): at least 2 of the 3 s.
    const probed = ffprobe(active.file);
    expect(probed.codec).toBe('h264');
    expect(probed.frames).toBeGreaterThanOrEqual(60);
    expect(decodedFrameMeans(active.file, W, H).length).toBe(probed.frames);

    // The next start on that config folder names the file and how far it plays.
    const next = await Engine.start({ configDir: killedConfig, savedOutputs: false, width: W, height: H, rate: RATE });
    try {
      const interrupted = next.state().recording!.interrupted!;
      expect(interrupted.file).toBe(active.file);
      expect(interrupted.durationMs).toBeGreaterThanOrEqual(2500);
      expect(interrupted.message).toMatch(/^Recording ".*\.mp4" was interrupted at 00:00:0[2-9]; the file plays up to there\.$/);
      await until(() => next.state().recentErrors.some((e) => e.message === interrupted.message), 10_000, 'the startup notice');
      // Given once: the journal is gone.
      expect(existsSync(path.join(killedConfig, 'recording.json'))).toBe(false);
    } finally {
      await next.stop();
    }
  }, 120_000);
});
