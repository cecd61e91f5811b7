/**
 * Timecode chase through the engine, on a test clock, with MTC from a stand-in for
 * MidiPorts (this machine has no ALSA sequencer, /dev/snd/seq, so no real MIDI
 * port can be opened; the stand-in delivers whole messages with their instant, as
 * midi/midi-ports.ts does). The engine runs the real built-in model; the show
 * runner ticks on real timers and reads the test clock.
 *
 * Covered: the machine's inputs saved in timecode.json (and a broken one moved
 * aside), quarter-frame MTC moving the timeline (offset applied), a cue firing on
 * its trigger frame with the wall log stamped with the chased timecode, rehearsal
 * showing the timecode but not running on it, a full-frame locate, a dropout
 * (freewheel, then hold), the 29.97 non-drop note and the operator's rate.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineState } from '../../app/contract/state.js';
import { engineNowMs, type EngineClock } from '../../app/engine/clock.js';
import { Engine } from '../../app/engine/engine.js';
import type { MidiInputPort, MidiListener, MidiPorts } from '../../app/engine/midi/midi-ports.js';
import { quarterFrameBytes } from '../../app/engine/timecode/mtc.js';
import { MTC_THIRTY_NOTE } from '../../app/engine/timecode/timecode-readers.js';
import { TIMECODE_RATES, framesToTimecode, parseTimecode, timecodeToFrames } from '../../app/show/timecode.js';
import { fail, ok } from '../../app/engine/result.js';
import { engineError } from '../../app/contract/errors.js';
import { waitUntil } from '../helpers/wait.js';

class TestClock implements EngineClock {
  now = engineNowMs();
  nowMs = () => this.now;
  wallMs = () => 1_750_000_000_000 + this.now;
}

/** A stand-in for MidiPorts: one input, "Desk MTC 1", whose messages the test sends at the test clock's instants. */
class StandInMidiPorts implements MidiPorts {
  private readonly listeners = new Set<MidiListener>();
  opened = 0;
  constructor(private readonly clock: TestClock) {}
  inputNames = () => ['Desk MTC 1'];
  outputNames = () => [];
  openInput(name: string) {
    if (!'Desk MTC 1'.includes(name)) return fail<MidiInputPort>(engineError('input-failed', `No MIDI input named "${name}". Inputs here: Desk MTC 1.`));
    this.opened++;
    const listeners = this.listeners;
    return ok<MidiInputPort>({
      name: 'Desk MTC 1',
      onMessage(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      close: () => listeners.clear(),
    });
  }
  openOutput = () => fail(engineError('output-failed', 'no outputs on the stand-in'));
  send(bytes: number[]) {
    for (const l of this.listeners) l(Uint8Array.from(bytes), this.clock.now);
  }
}

const clock = new TestClock();
const midi = new StandInMidiPorts(clock);
let engine: Engine;
let configDir: string;

const R25 = TIMECODE_RATES['25'];
const tick = () => new Promise((r) => setTimeout(r, 15));
const tc = (state: EngineState) => state.timecode!;

/** Runs MTC at 25 fps from `start` for `frames` frames: 4 quarter frames per frame, the show runner ticking between frames. */
async function runMtc(start: string, frames: number, rateCode: 0 | 1 | 2 | 3 = 1, rate = R25) {
  const n0 = timecodeToFrames(parseTimecode(start).timecode, rate);
  const frameMs = (1000 * rate.den) / rate.num;
  for (let f = 0; f < frames; f += 2) {
    // A sequence of 8 pieces carries the time at piece 0 (every second frame).
    const bytes = quarterFrameBytes(framesToTimecode(n0 + f, rate), rateCode);
    for (let q = 0; q < 8; q++) {
      midi.send([0xf1, bytes[q] as number]);
      clock.now += frameMs / 4;
      if (q % 4 === 3) await tick();
    }
  }
}

beforeAll(async () => {
  configDir = mkdtempSync(path.join(tmpdir(), 'cyclorama-timecode-'));
  writeFileSync(path.join(configDir, 'timecode.json'), '{"version":1,"inputs":{"mtc":{"port":""}}}');
  engine = await Engine.start({ clock, width: 320, height: 180, configDir, savedOutputs: false, initialPrompt: 'grey fog', midiPorts: midi });
});

afterAll(async () => {
  await engine?.stop();
  rmSync(configDir, { recursive: true, force: true });
});

describe('timecode chase in the engine (MTC from a stand-in for MidiPorts)', () => {
  it('moves a broken timecode.json aside with a message, and saves the inputs set', async () => {
    await waitUntil(() => engine.state().recentErrors.find((e) => e.message.includes('timecode.json')), { what: 'the broken timecode.json reported' });
    expect(existsSync(path.join(configDir, 'timecode.json.broken'))).toBe(true);
    expect(tc(engine.state()).inputs).toEqual({ mtc: null, ltc: null });
    expect(await engine.dispatch({ type: 'setTimecodeInputs', mtc: { port: 'Desk MTC' } })).toEqual({ ok: true });
    expect(JSON.parse(readFileSync(path.join(configDir, 'timecode.json'), 'utf8'))).toEqual({ version: 1, inputs: { mtc: { port: 'Desk MTC' }, ltc: null } });
    expect(tc(engine.state())).toMatchObject({ input: { kind: 'none', status: 'off' }, lock: 'unlocked', label: null, chasing: false });
  });

  it('chases quarter-frame MTC: the timeline follows it with the offset, a cue fires on its frame, the wall log carries the timecode', async () => {
    expect((await engine.dispatch({ type: 'updateTimeline', durationMs: 600_000 })).ok).toBe(true);
    expect((await engine.dispatch({ type: 'addCue', patch: { number: '7', prompt: 'storm', triggerTimecode: '10:00:03:00' } })).ok).toBe(true);
    expect((await engine.dispatch({ type: 'updateShow', settings: { timecode: { source: 'mtc', engaged: true, offsetMs: -36_000_000 } } })).ok).toBe(true);
    await waitUntil(() => tc(engine.state()).input.kind === 'mtc', { what: 'the MTC reader open' });
    expect(midi.opened).toBe(1);
    expect(tc(engine.state()).input).toMatchObject({ name: 'Desk MTC 1', status: 'waiting' });

    await runMtc('10:00:01:00', 25); // one second from 10:00:01:00
    let state = engine.state();
    expect(tc(state)).toMatchObject({ lock: 'locked', rate: '25', chasing: true, running: true, input: { status: 'receiving' }, note: null });
    // The label now: the MTC sent up to 10:00:01:24 (+2 frames per the spec, minus a quarter frame).
    const now = parseTimecode(tc(state).label!).timecode;
    expect(Math.abs(timecodeToFrames(now, R25) - timecodeToFrames(parseTimecode('10:00:02:00').timecode, R25))).toBeLessThanOrEqual(1);
    expect(Math.abs(state.show!.timeline.positionMs - (tc(state).timecodeMs! - 36_000_000))).toBeLessThan(1);
    expect(state.show!.timeline.positionMs).toBeGreaterThan(1900);
    expect(state.show!.timeline.positionMs).toBeLessThan(2100);
    expect(state.show!.currentCueId).toBeNull();

    const cue = state.show!.document.cues.find((c) => c.number === '7')!;
    const logBefore = engine.show.wallLogEntries.length;
    await runMtc('10:00:02:00', 30);
    state = engine.state();
    expect(state.show!.currentCueId).toBe(cue.id);
    const fired = engine.show.wallLogEntries.slice(logBefore).find((e) => e.cueNumber === '7');
    expect(fired?.timecode).toBe('10:00:03:00');
    expect(fired?.source).toBe('cue');
  });

  it('in rehearsal shows the timecode but does not run on it; a full-frame locate parks it', async () => {
    expect((await engine.dispatch({ type: 'updateShow', settings: { timecode: { source: 'mtc', engaged: false, offsetMs: -36_000_000 } } })).ok).toBe(true);
    expect((await engine.dispatch({ type: 'timelineSeek', positionMs: 5000 })).ok).toBe(true);
    await runMtc('10:00:20:00', 20);
    let state = engine.state();
    expect(tc(state)).toMatchObject({ lock: 'locked', chasing: false, settings: { engaged: false } });
    expect(tc(state).label).toMatch(/^10:00:20:/);
    expect(state.show!.timeline.positionMs).toBe(5000);

    expect((await engine.dispatch({ type: 'updateShow', settings: { timecode: { source: 'mtc', engaged: true, offsetMs: -36_000_000 } } })).ok).toBe(true);
    // Full frame: F0 7F 7F 01 01 hr mn sc fr F7, 25 fps (rate code 1 in bits 5-6 of hr), 10:00:45:12.
    midi.send([0xf0, 0x7f, 0x7f, 0x01, 0x01, (1 << 5) | 10, 0, 45, 12, 0xf7]);
    await tick();
    await waitUntil(() => engine.state().timecode?.label === '10:00:45:12', { what: 'the locate' });
    clock.now += 2000;
    await tick();
    state = engine.state();
    expect(tc(state)).toMatchObject({ label: '10:00:45:12', running: false, chasing: true });
    expect(state.show!.timeline.positionMs).toBe(45_000 + 12 * 40);
  });

  it('freewheels on a dropout, then holds', async () => {
    expect((await engine.dispatch({ type: 'updateShow', settings: { timecode: { source: 'mtc', engaged: true, offsetMs: -36_000_000, freewheelFrames: 5 } } })).ok).toBe(true);
    await runMtc('10:01:00:00', 25);
    expect(tc(engine.state()).lock).toBe('locked');
    clock.now += 3 * 40 + 20; // past the dropout threshold (3 frames), inside the freewheel (5)
    await tick();
    await waitUntil(() => engine.state().timecode?.lock === 'freewheeling', { what: 'freewheeling' });
    clock.now += 1000;
    await tick();
    await waitUntil(() => engine.state().timecode?.lock === 'held', { what: 'held' });
    const held = engine.state().show!.timeline.positionMs;
    clock.now += 1000;
    await tick();
    expect(engine.state().show!.timeline.positionMs).toBe(held);
    expect(tc(engine.state()).counters.dropouts).toBeGreaterThanOrEqual(1);
  });

  it('says MTC "30" may be 29.97 non-drop, and runs at 29.97 ND when the operator sets it', async () => {
    expect((await engine.dispatch({ type: 'updateShow', settings: { timecode: { source: 'mtc', engaged: true, offsetMs: 0 } } })).ok).toBe(true);
    await runMtc('01:00:00:00', 30, 3, TIMECODE_RATES['30']);
    expect(tc(engine.state())).toMatchObject({ rate: '30', note: MTC_THIRTY_NOTE });
    expect((await engine.dispatch({ type: 'updateShow', settings: { timecode: { source: 'mtc', engaged: true, offsetMs: 0, rate: '29.97nd' } } })).ok).toBe(true);
    await runMtc('01:00:01:00', 30, 3, TIMECODE_RATES['29.97nd']);
    const state = engine.state();
    expect(tc(state)).toMatchObject({ rate: '29.97nd', note: null, lock: 'locked' });
    // 01:00:02:00 at 29.97 ND is 108,060 frames of 1001/30 ms: 3,605.6 s, not 3,602 s.
    expect(tc(state).timecodeMs!).toBeGreaterThan(3_605_000);
  });
});
