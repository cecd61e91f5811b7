/**
 * The audio sample clock (timecode/sample-clock.ts): blocks arriving late by a varying
 * delay are stamped by counting samples from the least-delayed arrival; a gap re-anchors.
 */
import { describe, expect, it } from 'vitest';
import { SampleClock } from '../../../../app/engine/timecode/sample-clock.js';

const SR = 48000;
const BLOCK = 480; // 10 ms

describe('SampleClock', () => {
  it('stamps jittered arrivals on the stream time: within the smallest delay seen, not the jitter', () => {
    const clock = new SampleClock();
    // Block i is complete at 1000 + (i + 1) * 10 ms, and arrives 2-30 ms after that (a pseudo-random delay).
    const errors: number[] = [];
    for (let i = 0; i < 500; i++) {
      const delay = 2 + ((i * 7919) % 29);
      const first = clock.block(BLOCK, SR, 1000 + (i + 1) * 10 + delay);
      errors.push(first - (1000 + i * 10));
    }
    const settled = errors.slice(50);
    expect(Math.max(...settled)).toBeLessThan(3.5);
    expect(Math.min(...settled)).toBeGreaterThanOrEqual(2 - 1e-9);
    expect(clock.reanchors).toBe(0);
  });

  it('a gap longer than maxLateMs re-anchors at the arrival; a change of sample rate does too', () => {
    const clock = new SampleClock({ maxLateMs: 100 });
    for (let i = 0; i < 10; i++) clock.block(BLOCK, SR, (i + 1) * 10);
    // The sender stopped for a second: the next block is its own new start.
    expect(clock.block(BLOCK, SR, 1100 + 10)).toBeCloseTo(1100, 6);
    expect(clock.reanchors).toBe(1);
    expect(clock.block(441, 44100, 1200)).toBeCloseTo(1190, 6);
    expect(clock.reanchors).toBe(2);
  });

  it('follows a sender clock slightly slower than the engine\u2019s by creeping later', () => {
    const clock = new SampleClock();
    // The sender's 10 ms blocks take 10.002 ms of engine time (200 ppm slow): 1 ms over 50 s.
    let last = 0;
    for (let i = 0; i < 5000; i++) last = clock.block(BLOCK, SR, (i + 1) * 10.002 + 1) - i * 10.002;
    // Each block arrives 1 ms after its end: the stamp stays that 1 ms late, not the 10 ms the slow clock would drift to without the creep.
    expect(Math.abs(last - 1)).toBeLessThan(0.5);
  });
});
