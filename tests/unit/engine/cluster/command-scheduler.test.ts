import { afterEach, describe, expect, it, vi } from 'vitest';
import { commandSchema } from '../../../../app/contract/commands.js';
import { CommandScheduler, type ScheduledTick } from '../../../../app/engine/cluster/command-scheduler.js';
import { firstTickAtOrAfter, tickInstantMs } from '../../../../app/engine/frame-grid.js';

afterEach(() => vi.useRealTimers());

const RATE = { num: 30000, den: 1001 };

/** A stand-in synchronised clock: realtime `wall`, engine ms = realtime - 1e12 (any fixed correction). */
function scheduler(wallMs: () => number, prerollMs = 0) {
  const applied: string[] = [];
  const ticks: ScheduledTick[] = [];
  const clock = { realtimeMs: wallMs, engineMsAt: (real: number) => real - 1e12, engineNowMs: () => wallMs() - 1e12 };
  const s = new CommandScheduler({
    clock,
    rate: RATE,
    prerollMs: () => prerollMs,
    apply: (command, at) => {
      applied.push(command.type);
      ticks.push(at);
    },
  });
  return { s, applied, ticks };
}

describe('scheduled actions (cluster contract)', () => {
  it('accepts an operator action and refuses one that cannot be scheduled, naming what can', () => {
    expect(commandSchema.safeParse({ type: 'scheduled', id: 'go-1', at: 1_800_000_000_000, command: { type: 'go' } }).success).toBe(true);
    const refused = commandSchema.safeParse({ type: 'scheduled', id: 'x', at: 1, command: { type: 'saveShow' } });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toContain('only go, back');
    expect(commandSchema.safeParse({ type: 'scheduled', id: 'bad id!', at: 1, command: { type: 'go' } }).success).toBe(false);
    expect(commandSchema.safeParse({ type: 'scheduled', id: 'a', at: 1, command: { type: 'scheduled', id: 'b', at: 1, command: { type: 'go' } } }).success).toBe(false);
  });

  it('holds an action until its tick (less the pre-roll), then applies it once, for the first tick at or after its instant', () => {
    vi.useFakeTimers();
    const start = 1_796_146_090_000;
    let wall = start;
    const at = start + 100;
    const k = firstTickAtOrAfter(at, RATE);
    const due = tickInstantMs(k, RATE);
    const { s, applied, ticks } = scheduler(() => wall, 40);
    expect(s.schedule({ type: 'scheduled', id: 'a', at, command: { type: 'go' } })).toEqual({ duplicate: false, lateMs: 0, lateFrames: 0 });
    expect(s.counts().pending).toBe(1);
    // Applied 40 ms (the pre-roll) before the tick, not at the instant: the look must be on air at k.
    vi.advanceTimersByTime(Math.floor(due - 40 - start) - 1);
    expect(applied).toEqual([]);
    wall = due - 40;
    vi.advanceTimersByTime(2);
    expect(applied).toEqual(['go']);
    expect(ticks[0]).toEqual({ tick: k, atRealtimeMs: due, atEngineMs: due - 1e12 });
    expect(due).toBeGreaterThanOrEqual(at);
    expect(due - at).toBeLessThan(1001 / 30);
    expect(s.counts()).toMatchObject({ pending: 0, applied: 1, lateArrivals: 0 });
  });

  it('applies a late action at once and says how late in ms and frames; a resend of an id is not fired again', () => {
    const at = 1_796_146_090_000;
    const now = at + 50;
    const { s, applied, ticks } = scheduler(() => now);
    const reply = s.schedule({ type: 'scheduled', id: 'a', at, command: { type: 'go' } });
    // Its tick was the first at or after `at`; the next tick after `now` is 1 or 2 ticks on (50 ms at 33.37 ms a tick).
    const lateFrames = firstTickAtOrAfter(now, RATE) - firstTickAtOrAfter(at, RATE);
    expect(lateFrames).toBeGreaterThanOrEqual(1);
    expect(reply).toEqual({ duplicate: false, lateMs: 50, lateFrames });
    expect(ticks[0]?.tick).toBe(firstTickAtOrAfter(now, RATE));
    expect(s.schedule({ type: 'scheduled', id: 'a', at, command: { type: 'go' } })).toEqual({ duplicate: true, lateMs: 0, lateFrames: 0 });
    expect(applied).toEqual(['go']);
    expect(s.counts()).toMatchObject({ applied: 1, lateArrivals: 1, lastLateFrames: lateFrames });
  });

  it('applies at once, on time, when the lead is shorter than the pre-roll', () => {
    const at = 1_796_146_090_000;
    const { s, applied, ticks } = scheduler(() => at - 20, 100);
    expect(s.schedule({ type: 'scheduled', id: 'b', at, command: { type: 'panic', mode: 'black', fadeMs: 0 } })).toEqual({ duplicate: false, lateMs: 0, lateFrames: 0 });
    expect(applied).toEqual(['panic']);
    expect(ticks[0]?.tick).toBe(firstTickAtOrAfter(at, RATE));
  });
});
