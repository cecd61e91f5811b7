import { describe, expect, it } from 'vitest';
import { ProgramFrames } from '../../../../app/engine/frames/program-frames.js';
import type { GeneratedFrame } from '../../../../app/engine/generate/generator.js';

function frame(sequence: number, lookId: number): GeneratedFrame {
  return { pixels: new Uint8Array(4), width: 1, height: 1, lookId, sequence, showTimeMs: 0, inferMs: 0, doneAtMs: 0, requestId: null };
}

function setup() {
  const released: number[] = [];
  const frames = new ProgramFrames((f) => released.push(f.sequence));
  return { frames, released };
}

describe('program frames (generator pace -> output clock)', () => {
  it('has nothing before the first frame, then repeats the last frame while no new one comes', () => {
    const { frames } = setup();
    expect(frames.take()).toBeNull();
    frames.offer(frame(1, 1));
    expect(frames.take()).toMatchObject({ fresh: true, frame: { sequence: 1 } });
    expect(frames.take()).toMatchObject({ fresh: false, frame: { sequence: 1 } });
  });

  it('keeps only the newest waiting frame (latest wins) and counts the dropped one', () => {
    const { frames, released } = setup();
    frames.offer(frame(1, 1));
    frames.offer(frame(2, 1));
    expect(frames.dropped).toBe(1);
    expect(released).toEqual([1]);
    expect(frames.take()?.frame.sequence).toBe(2);
  });

  it('never shows a frame of a replaced look, but keeps the wall on the last good frame', () => {
    const { frames, released } = setup();
    frames.offer(frame(1, 1));
    frames.take();
    frames.offer(frame(2, 1)); // waiting, old look
    frames.flush(2); // prompt changed
    expect(released).toContain(2);
    frames.offer(frame(3, 1)); // in flight when the look changed
    expect(released).toContain(3);
    expect(frames.stale).toBe(2);
    expect(frames.take()).toMatchObject({ fresh: false, frame: { sequence: 1 } }); // not black
    frames.offer(frame(4, 2));
    expect(frames.take()).toMatchObject({ fresh: true, frame: { sequence: 4 } });
    expect(released).toContain(1); // the old on-air frame goes back to the generator
  });

  it('holds the frame on air while frozen', () => {
    const { frames } = setup();
    frames.offer(frame(1, 1));
    frames.take();
    frames.setFrozen(true);
    frames.offer(frame(2, 1));
    expect(frames.take()).toMatchObject({ fresh: false, frame: { sequence: 1 } });
    frames.setFrozen(false);
    frames.offer(frame(3, 1));
    expect(frames.take()?.frame.sequence).toBe(3);
  });
});
