/**
 * LTC over a real NDI audio loopback, chased by the engine: an NDI source on its own
 * thread (tests/helpers/ndi-ltc-sender.ts) sends LTC made by libltc (the independent
 * encoder, tests/helpers/ltc-oracle.ts) as the audio of an NDI source; the engine
 * finds it by name (libndi finder, extra IP 127.0.0.1), receives its audio
 * (NDIlib_recv_capture_v3, planar float) and decodes it (ltc-decoder.ts) on the real
 * clock. The signal: 10:00:00:00 for 4 s, 2 s of silence, a jump to 11:00:00:00 for
 * 3 s, 29.97 drop-frame across a minute for 5 s, then nothing (the source stops sending).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineNowMs } from '../../app/engine/clock.js';
import { Engine } from '../../app/engine/engine.js';
import { applyNdiDiscovery } from '../../app/engine/ndi/discovery.js';
import { TIMECODE_RATES, parseTimecode, timecodeToFrames, timecodeToMs } from '../../app/show/timecode.js';
import { buildLtcOracle, type LtcOracle } from '../helpers/ltc-oracle.js';
import { startLtcSender, type LtcSender } from '../helpers/ndi-ltc-sender.js';
import { removeNdiMarkers } from '../helpers/ndi-pattern.js';
import { waitUntil } from '../helpers/wait.js';

const NAME = `cyclorama-ltc-timecode-${process.pid}`;
const RATE = TIMECODE_RATES['25'];
const FRAME_MS = 40;
const SR = 48000;
let oracle: LtcOracle;
let engine: Engine;
let sender: LtcSender | null = null;
let ndiConfigDir: string;
let configDir: string;

const ms = (label: string) => timecodeToMs(parseTimecode(label).timecode, RATE);

beforeAll(async () => {
  ndiConfigDir = applyNdiDiscovery({ extraIps: '127.0.0.1', configDir: mkdtempSync(path.join(tmpdir(), 'cyclorama-ndi-ltc-')) }) ?? '';
  configDir = mkdtempSync(path.join(tmpdir(), 'cyclorama-ltc-config-'));
  oracle = buildLtcOracle();
  engine = await Engine.start({ width: 320, height: 180, configDir, savedOutputs: false, initialPrompt: 'grey fog', ndi: { extraIps: '127.0.0.1' } });
});

afterAll(async () => {
  await sender?.stop();
  await engine?.stop();
  oracle?.dispose();
  removeNdiMarkers([NAME]);
  rmSync(configDir, { recursive: true, force: true });
  if (ndiConfigDir) rmSync(ndiConfigDir, { recursive: true, force: true });
});

interface Sample {
  at: number;
  lock: string;
  label: string | null;
  timecodeMs: number | null;
  positionMs: number;
  cueId: string | null;
  rate: string | null;
}

describe('LTC chase over a real NDI audio loopback (libltc encoder -> NDI source -> engine)', () => {
  it('locks, follows steadily (lag = the loopback delay), fires a cue on its frame, freewheels and holds on silence, relocks after a jump, takes 29.97 DF from the signal, holds when the source stops', async () => {
    const a = oracle.encode('25', SR, '10:00:00:00', 100, 'f32', 0);
    const b = oracle.encode('25', SR, '11:00:00:00', 75, 'f32', 0);
    // Then 29.97 drop-frame from 00:00:58;00 for 150 frames, straight after: the rate is told from the signal.
    const df = oracle.encode('29.97', SR, '00:00:58:00', 150, 'f32', 0);
    const silence = new Float32Array(2 * SR);
    const signal = new Float32Array(a.samples.length + silence.length + b.samples.length + df.samples.length);
    signal.set(a.samples, 0);
    signal.set(b.samples, a.samples.length + silence.length);
    signal.set(df.samples, a.samples.length + silence.length + b.samples.length);
    const aMs = (a.samples.length * 1000) / SR;
    const bStartMs = aMs + 2000;
    const bEndMs = bStartMs + (b.samples.length * 1000) / SR;
    const endMs = bEndMs + (df.samples.length * 1000) / SR;
    /** The true incoming timecode at engine time t (null in the silence and after the end). */
    const truth = (t: number, t0: number): number | null => {
      const d = t - t0;
      if (d >= 0 && d < aMs) return ms('10:00:00:00') + d;
      if (d >= bStartMs && d < bEndMs) return ms('11:00:00:00') + (d - bStartMs);
      return null;
    };

    expect(await engine.dispatch({ type: 'setTimecodeInputs', ltc: { from: 'ndi', source: NAME, channel: 1 } })).toEqual({ ok: true });
    expect((await engine.dispatch({ type: 'updateTimeline', durationMs: 4 * 3600_000 })).ok).toBe(true);
    expect((await engine.dispatch({ type: 'addCue', patch: { number: '3', prompt: 'storm', triggerTimecode: '10:00:02:00' } })).ok).toBe(true);
    expect((await engine.dispatch({ type: 'updateShow', settings: { timecode: { source: 'ltc', engaged: true, offsetMs: -36_000_000, freewheelFrames: 20 } } })).ok).toBe(true);
    await waitUntil(() => engine.state().timecode?.input.kind === 'ltc-ndi', { what: 'the LTC reader open' });

    sender = startLtcSender({ name: NAME, samples: signal, sampleRate: SR, channels: 2, ltcChannel: 1 });
    const samples: Sample[] = [];
    const totalBlocks = Math.floor(signal.length / (SR / 100));
    await waitUntil(
      () => {
        // The instant state() reads its clock (its first line): taken just before, not after (a GC pause there is not chase error).
        const at = engineNowMs();
        const state = engine.state();
        const t = state.timecode!;
        samples.push({ at, lock: t.lock, label: t.label, timecodeMs: t.timecodeMs, positionMs: state.show!.timeline.positionMs, cueId: state.show!.currentCueId, rate: t.rate });
        const started = sender!.startedAtMs();
        return sender!.sentBlocks() >= totalBlocks && !Number.isNaN(started) && at - started > endMs + 1500;
      },
      { timeoutMs: 40_000, intervalMs: 10, what: () => `the LTC sent (${sender!.sentBlocks()}/${totalBlocks} blocks), state ${JSON.stringify(engine.state().timecode)}` },
    );
    const t0 = sender.startedAtMs();
    const state = engine.state();

    // Following: locked through segment A after its first half second, error within a frame plus the loopback delay.
    const inA = samples.filter((s) => s.at - t0 > 500 && s.at - t0 < aMs - 50);
    expect(inA.length).toBeGreaterThan(50);
    // Locked all through, or freewheeling over a gap in delivery (on a loaded 2-core machine the sender's thread or the
    // engine's loop can stall past the 3-frame dropout threshold): the position runs on either way, and the error below counts it.
    const lostInA = inA.filter((s) => s.lock !== 'locked' && s.lock !== 'freewheeling').map((s) => `${Math.round(s.at - t0)} ms ${s.lock} ${s.label}`);
    expect(lostInA, 'locked (or freewheeling) all through segment A').toEqual([]);
    // How much of it is 'locked' rather than 'freewheeling' depends on the machine's load (delivery gaps), not on the chase.
    expect(inA.some((s) => s.lock === 'locked')).toBe(true);
    const errorsA = inA.map((s) => (truth(s.at, t0) as number) - (s.timecodeMs as number));
    const lag = errorsA.reduce((x, y) => x + y, 0) / errorsA.length;
    const spread = Math.max(...errorsA) - Math.min(...errorsA);
    console.log(`LTC over NDI: mean lag ${lag.toFixed(1)} ms, spread ${spread.toFixed(1)} ms over ${inA.length} samples`);
    // The chased timecode lags the wire by the loopback delay (never leads by more than half a frame), and is steady: every
    // reading within two frames of each other (measured here: about 1-8 ms; a stamping fault shows as several frames).
    expect(lag).toBeGreaterThan(-FRAME_MS / 2);
    expect(lag).toBeLessThan(3 * FRAME_MS);
    expect(spread).toBeLessThan(2 * FRAME_MS);
    // The timeline position is the timecode plus the offset.
    for (const s of inA) expect(Math.abs(s.positionMs - ((s.timecodeMs as number) - 36_000_000))).toBeLessThan(FRAME_MS);

    // The cue fired at 10:00:02:00, logged with that timecode.
    const cue = state.show!.document.cues.find((c) => c.number === '3')!;
    const fired = engine.show.wallLogEntries.find((e) => e.cueNumber === '3');
    expect(fired, 'the triggered cue is in the wall log').toBeDefined();
    const firedFrames = timecodeToFrames(parseTimecode(fired!.timecode).timecode, RATE);
    expect(Math.abs(firedFrames - timecodeToFrames(parseTimecode('10:00:02:00').timecode, RATE))).toBeLessThanOrEqual(1);
    expect(samples.some((s) => s.cueId === cue.id)).toBe(true);

    // Silence: freewheels, then holds 20 frames on (a window of 17 frames to see freewheeling in, on a loaded machine).
    const inSilence = samples.filter((s) => s.at - t0 > aMs + lag && s.at - t0 < bStartMs + lag);
    expect(inSilence.some((s) => s.lock === 'freewheeling')).toBe(true);
    const heldInSilence = inSilence.filter((s) => s.lock === 'held');
    expect(heldInSilence.length).toBeGreaterThan(0);
    // 20 frames after the last frame decoded: 10:00:03:24, or 03:23 when the last frame's closing edge went into the silence.
    expect(['10:00:04:18', '10:00:04:19']).toContain(heldInSilence.at(-1)!.label);

    // The jump: locked again, on 11:00:00:xx.
    const relock = samples.find((s) => s.lock === 'locked' && s.label?.startsWith('11:'));
    expect(relock, 'relocked on the new timecode').toBeDefined();
    const relockFrames = (relock!.at - t0 - bStartMs - lag) / FRAME_MS;
    console.log(`LTC over NDI: relocked ${relockFrames.toFixed(2)} frames after the jump arrived`);
    // How fast is a speed figure (bench/chase.ts, chase_lock_after_jump_frames, goal <= 4); here only that it relocked, after the jump.
    expect(relockFrames).toBeGreaterThan(0);

    // 29.97 drop-frame after it: told from the signal; labels with ';', none of the skipped ;00 and ;01 of minute 1, and past it.
    const dfLabels = samples.filter((s) => s.rate === '29.97df' && (s.lock === 'locked' || s.lock === 'freewheeling')).map((s) => s.label!);
    expect(dfLabels.length).toBeGreaterThan(10);
    expect(dfLabels.every((l) => l.includes(';'))).toBe(true);
    expect(dfLabels).not.toContain('00:01:00;00');
    expect(dfLabels).not.toContain('00:01:00;01');
    expect(dfLabels.some((l) => l >= '00:01:00;02' && l < '00:01:01;00')).toBe(true);

    // The source stopped: held.
    expect(state.timecode).toMatchObject({ lock: 'held', input: { kind: 'ltc-ndi' } });
    expect(state.timecode!.counters.frames).toBeGreaterThan(150);
  }, 90_000);
});
