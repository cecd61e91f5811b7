/**
 * The audio sample clock (timecode/sample-clock.ts): blocks arriving late by a varying
 * delay are stamped by counting samples from the least-delayed arrival; a block far
 * too late is held until the audio after it shows a gap (anchored again) or a rush
 * (the count kept).
 */
import { describe, expect, it } from 'vitest';
import { SampleClock, type StampedBlock } from '../../../../app/engine/timecode/sample-clock.js';

const SR = 48000;
const BLOCK = 480; // 10 ms
const block = () => new Float32Array(BLOCK);

/** Pushes one block and expects it stamped at once. */
function stamp(clock: SampleClock, arrivedMs: number): number {
  const out = clock.push(block(), SR, arrivedMs);
  expect(out).toHaveLength(1);
  return out[0]!.firstMs;
}

describe('SampleClock', () => {
  it('stamps jittered arrivals on the stream time: within the smallest delay seen, not the jitter', () => {
    const clock = new SampleClock();
    // Block i is complete at 1000 + (i + 1) * 10 ms, and arrives 2-30 ms after that (a pseudo-random delay).
    const errors: number[] = [];
    for (let i = 0; i < 500; i++) {
      const delay = 2 + ((i * 7919) % 29);
      errors.push(stamp(clock, 1000 + (i + 1) * 10 + delay) - (1000 + i * 10));
    }
    const settled = errors.slice(50);
    expect(Math.max(...settled)).toBeLessThan(3.5);
    expect(Math.min(...settled)).toBeGreaterThanOrEqual(2 - 1e-9);
    expect(clock.reanchors).toBe(0);
  });

  it('a gap (the source stopped for a second, then went on in real time) is held 100 ms, then anchored again at its arrival', () => {
    const clock = new SampleClock();
    for (let i = 0; i < 10; i++) stamp(clock, (i + 1) * 10);
    const released: StampedBlock<Float32Array>[] = [];
    // The stream resumes: block k of the new part is complete at 1100 + (k + 1) * 10.
    for (let k = 0; k < 10; k++) released.push(...clock.push(block(), SR, 1100 + (k + 1) * 10));
    // Held while less than 100 ms of real time has passed since the first late block.
    expect(released).toEqual([]);
    for (let k = 10; k < 15; k++) released.push(...clock.push(block(), SR, 1100 + (k + 1) * 10));
    expect(released.map((b) => b.firstMs)).toEqual(Array.from({ length: 15 }, (_, k) => expect.closeTo(1100 + k * 10, 6)));
    expect(clock.reanchors).toBe(1);
    expect(clock.rushes).toBe(0);
  });

  it('a rush (samples held up 400 ms, then delivered all at once) keeps the count: no false anchor', () => {
    const clock = new SampleClock();
    for (let i = 0; i < 10; i++) stamp(clock, (i + 1) * 10);
    const released: StampedBlock<Float32Array>[] = [];
    // Blocks 10.. were due at 110, 120, ...; the first arrives 400 ms late, the next ones as the sender catches up.
    for (let k = 0; k < 12; k++) released.push(...clock.push(block(), SR, Math.max(510, 100 + (k + 1) * 10)));
    for (let k = 12; k < 50; k++) released.push(...clock.push(block(), SR, 100 + (k + 1) * 10 + 1));
    expect(released).toHaveLength(50);
    expect(Math.max(...released.map((b, k) => Math.abs(b.firstMs - (100 + k * 10))))).toBeLessThan(1.5);
    expect(clock.reanchors).toBe(0);
    expect(clock.rushes).toBe(1);
  });

  it('a change of sample rate starts a new stream', () => {
    const clock = new SampleClock();
    for (let i = 0; i < 10; i++) stamp(clock, (i + 1) * 10);
    expect(clock.push(new Float32Array(441), 44100, 1200)).toEqual([{ samples: expect.any(Float32Array), firstMs: expect.closeTo(1190, 6) }]);
  });

  it('follows a sender clock slightly slower than the engine\u2019s by creeping later', () => {
    const clock = new SampleClock();
    // The sender's 10 ms blocks take 10.002 ms of engine time (200 ppm slow): 1 ms over 50 s.
    let last = 0;
    for (let i = 0; i < 5000; i++) last = stamp(clock, (i + 1) * 10.002 + 1) - i * 10.002;
    // Each block arrives 1 ms after its end: the stamp stays that 1 ms late, not the 10 ms the slow clock would drift to without the creep.
    expect(Math.abs(last - 1)).toBeLessThan(0.5);
  });
});
