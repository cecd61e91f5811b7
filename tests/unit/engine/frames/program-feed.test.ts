/**
 * The program feed's hold for a scheduled change (frame lock, frames/program-feed.ts):
 * the new look is applied ahead of its tick (its first frame needs the generator's
 * TTFF), but the outputs show the old look, level and panic until the tick at or after
 * the scheduled instant, and the new look's frame from that tick. Pure inputs: tick
 * instants given by the test, synthetic frames.
 */
import { describe, expect, it } from 'vitest';
import { ProgramFeed } from '../../../../app/engine/frames/program-feed.js';
import { ProgramFrames } from '../../../../app/engine/frames/program-frames.js';
import type { GeneratedFrame } from '../../../../app/engine/generate/generator.js';
import { initialProgram, type ProgramState } from '../../../../app/show/program.js';

function frame(sequence: number, lookId: number): GeneratedFrame {
  return { pixels: new Uint8Array(4), width: 1, height: 1, lookId, sequence, showTimeMs: 0, inferMs: 0, doneAtMs: 0, requestId: null };
}

function setup() {
  const frames = new ProgramFrames(() => {});
  let program: ProgramState = initialProgram(0);
  const feed = new ProgramFeed({ frames, program: () => program, clock: { nowMs: () => 0, wallMs: () => 0 }, onError: () => {} });
  const plate = () => ({ path: null, width: 1, height: 1 });
  const at = (ms: number) => ({ realtimeMs: 1_000_000 + ms, engineMs: ms });
  return {
    frames,
    feed,
    plate,
    at,
    set: (next: Partial<ProgramState>) => {
      const before = program;
      program = { ...program, ...next };
      return before;
    },
  };
}

describe('program feed: a scheduled change is on air from its tick', () => {
  it('holds the old look until the tick, then shows the new look from that tick and reports it on time', () => {
    const { frames, feed, plate, at, set } = setup();
    frames.offer(frame(1, 1));
    expect(feed.take(at(0))?.frame.sequence).toBe(1);
    const onAir: number[] = [];
    const before = set({ lookId: 2 });
    feed.follow(before, plate, { untilMs: at(100).realtimeMs, onAir: (lateMs) => onAir.push(lateMs) });
    // The new look's first frame is ready early (pre-roll): it waits.
    frames.offer(frame(2, 2));
    expect(feed.take(at(33))).toMatchObject({ fresh: false, frame: { sequence: 1 } });
    expect(feed.take(at(66))).toMatchObject({ fresh: false, frame: { sequence: 1 } });
    expect(onAir).toEqual([]);
    // The tick at the scheduled instant takes it.
    expect(feed.take(at(100))).toMatchObject({ fresh: true, frame: { sequence: 2, lookId: 2 } });
    expect(onAir).toEqual([0]);
  });

  it('says how late the new look went on air when its first frame missed the tick', () => {
    const { frames, feed, plate, at, set } = setup();
    frames.offer(frame(1, 1));
    feed.take(at(0));
    const onAir: number[] = [];
    feed.follow(set({ lookId: 2 }), plate, { untilMs: at(100).realtimeMs, onAir: (lateMs) => onAir.push(lateMs) });
    expect(feed.take(at(100))?.frame.sequence).toBe(1); // not ready: the old frame repeats
    frames.offer(frame(2, 2));
    expect(feed.take(at(166.7))?.frame.sequence).toBe(2);
    expect(onAir[0]).toBeCloseTo(66.7, 6);
  });

  it('keeps the level and panic of the old program until the tick (a scheduled black panic blacks from its tick)', () => {
    const { frames, feed, plate, at, set } = setup();
    frames.offer(frame(1, 1));
    feed.take(at(0));
    feed.follow(set({ panic: { mode: 'black', fadeMs: 0, sinceMs: 100 } }), plate, { untilMs: at(100).realtimeMs, onAir: () => {} });
    expect(feed.level(at(66))).toBe(1);
    feed.take(at(100));
    expect(feed.level(at(100))).toBe(0);
  });

  it('applies an unscheduled change of look at once, releasing a scheduled one still waiting', () => {
    const { frames, feed, plate, at, set } = setup();
    frames.offer(frame(1, 1));
    feed.take(at(0));
    feed.follow(set({ lookId: 2 }), plate, { untilMs: at(500).realtimeMs, onAir: () => {} });
    frames.offer(frame(2, 2));
    expect(feed.take(at(33))?.frame.sequence).toBe(1);
    feed.follow(set({ lookId: 3 }), plate);
    frames.offer(frame(3, 3));
    expect(feed.take(at(66))?.frame.sequence).toBe(3);
  });
});
