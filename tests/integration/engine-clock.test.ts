/**
 * The engine on a test clock (EngineOptions.clock, app/engine/clock.ts), with the real
 * built-in model: the clock stands still unless the test moves it, so the show runner,
 * TTFF, the stats window and the output clocks' tick accounting follow the test's time,
 * not the machine's. (Timers still run in real time, and the inference worker keeps
 * its own reading of the real clock: see clock.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../app/contract/messages.js';
import { engineNowMs, type EngineClock } from '../../app/engine/clock.js';
import { Engine } from '../../app/engine/engine.js';
import { waitUntil } from '../helpers/wait.js';

/** A clock that moves only when told to. Starts at the real engine time, so the worker's frame times are near it. */
class TestClock implements EngineClock {
  private now = engineNowMs();
  nowMs(): number {
    return this.now;
  }
  wallMs(): number {
    return 1_750_000_000_000 + this.now;
  }
  advance(ms: number): void {
    this.now += ms;
  }
}

const clock = new TestClock();
const events: EngineEvent[] = [];
let engine: Engine;

beforeAll(async () => {
  engine = await Engine.start({ clock, width: 320, height: 180, configDir: null, initialPrompt: 'grey fog' });
  engine.on('event', (event) => events.push(event));
  await waitUntil(() => engine.state().stats.generatedFrames > 0, { what: 'the first frame' });
});

afterAll(async () => {
  await engine?.stop();
});

describe('engine on a test clock', () => {
  it('times TTFF on the engine clock: from the command to the first frame of its look', async () => {
    const reply = await engine.dispatch({ type: 'setPrompt', prompt: 'deep blue ocean', transition: { durationMs: 0, curve: 'linear' } });
    expect(reply).toEqual({ ok: true });
    const lookId = engine.state().program.lookId;
    // The frame of the new look comes from the worker thread later; by then 250 test ms have passed.
    clock.advance(250);
    const onAir = await waitUntil(() => events.find((e) => e.kind === 'lookOnAir' && e.lookId >= lookId), { what: 'lookOnAir' });
    expect(onAir.kind === 'lookOnAir' && onAir.ttffMs).toBe(250);
    expect(engine.state().stats.lastTtffMs).toBe(250);
  });

  it('runs the show on the engine clock: an auto-continue fires when the clock says, however long that is in real time', async () => {
    expect((await engine.dispatch({ type: 'addCue', patch: { number: '1', prompt: 'red dusk', continueMode: 'auto-continue', delayMs: 60_000 } })).ok).toBe(true);
    expect((await engine.dispatch({ type: 'addCue', patch: { number: '2', prompt: 'green dawn' } })).ok).toBe(true);
    const [first, second] = engine.state().show?.document.cues ?? [];
    expect(first && second).toBeTruthy();
    expect((await engine.dispatch({ type: 'go' })).ok).toBe(true);
    expect(engine.state().show?.currentCueId).toBe(first?.id);
    // The console's countdown: the cue that follows and its fire time on the engine's wall clock.
    expect(engine.state().show?.pendingFollow).toEqual({ cueId: second?.id, mode: 'auto-continue', fireAtMs: clock.wallMs() + 60_000 });
    expect(engine.state().show?.onAirCueId).toBe(first?.id);
    // Real time passes (the show runner ticks every 10 ms) but the engine clock does not: no auto-continue.
    await new Promise((r) => setTimeout(r, 300));
    expect(engine.state().show?.currentCueId).toBe(first?.id);
    clock.advance(60_000);
    const fired = await waitUntil(() => engine.state().show?.currentCueId === second?.id, { what: 'cue 2 by auto-continue' });
    expect(fired).toBe(true);
  });

  it('says when a panic began on the wall clock and which look the wall holds; the first GO only restores', async () => {
    // A cue on standby, so a GO that fired would show.
    expect((await engine.dispatch({ type: 'addCue', patch: { number: '3', prompt: 'blue noon' } })).ok).toBe(true);
    const before = engine.state();
    expect(before.show?.standbyCueId).toBeTruthy();
    const wallAtPanic = clock.wallMs();
    expect((await engine.dispatch({ type: 'panic', mode: 'freeze', fadeMs: 0 })).ok).toBe(true);
    clock.advance(1500);
    expect(engine.state().program).toMatchObject({ panic: 'freeze', panicSinceMs: wallAtPanic, held: { lookId: before.program.lookId, prompt: before.program.prompt } });
    expect((await engine.dispatch({ type: 'setPrompt', prompt: 'taken while frozen', transition: { durationMs: 0, curve: 'linear' } })).ok).toBe(true);
    expect(engine.state().program).toMatchObject({ prompt: 'taken while frozen', held: { lookId: before.program.lookId } });
    expect((await engine.dispatch({ type: 'go' })).ok).toBe(true);
    expect(engine.state().program).toMatchObject({ panic: 'none', panicSinceMs: null, held: null, prompt: 'taken while frozen' });
    expect(engine.state().show?.currentCueId, 'nothing fired').toBe(before.show?.currentCueId);
    expect(engine.state().show?.standbyCueId).toBe(before.show?.standbyCueId);
  });

  it('reads the stats window and the output ticks on the engine clock', async () => {
    expect(engine.state().model.status).toBe('running');
    const preview = () => engine.state().outputs.find((o) => o.id === 'preview');
    // A tick at the clock's present time (its fps window, the last second of the clock, holds it): earlier jumps are counted.
    await waitUntil(() => (preview()?.fps ?? 0) >= 1, { what: 'a preview tick at the present clock time' });
    const missedBefore = preview()?.missedTicks ?? 0;
    // Ten seconds on: every frame the worker stamped in real time and every tick so far are out of the 1 s windows.
    clock.advance(10_000);
    expect(engine.state().stats.modelFps).toBe(0);
    expect(preview()?.fps).toBe(0);
    // The next tick counts the jump as missed ticks (about 300 at 29.97 fps), not a burst of sends.
    // (Ticks the output ran ahead of the stopped clock are not missed, hence a little under 300.)
    await waitUntil(() => (preview()?.fps ?? 0) >= 1, { what: 'the first preview tick after the jump' });
    const missed = (preview()?.missedTicks ?? 0) - missedBefore;
    expect(missed).toBeGreaterThanOrEqual(250);
    expect(missed).toBeLessThanOrEqual(301);
  });

  it("stamps recent errors with the clock's wall time", async () => {
    const reply = await engine.dispatch({ type: 'loadModel', dir: '/nonexistent/cyclorama-clock-test-model' });
    expect(reply.ok).toBe(false);
    const recorded = engine.state().recentErrors.find((e) => e.message.includes('cyclorama-clock-test-model'));
    expect(recorded?.atMs).toBe(clock.wallMs());
  });
});
