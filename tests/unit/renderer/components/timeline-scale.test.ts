import { describe, expect, it } from 'vitest';
import { formatTime, MIN_LABEL_PX, ticksFor } from '../../../../renderer/src/components/timeline-scale.js';

describe('timeline ruler ticks', () => {
  it('labels a 60 s track 900 px wide every 5 s, with minor ticks between', () => {
    const { ticks, stepMs } = ticksFor(60_000, 900);
    expect(stepMs).toBe(5_000);
    const majors = ticks.filter((t) => t.major).map((t) => t.timeMs);
    expect(majors[0]).toBe(0);
    expect(majors).toContain(30_000);
    expect(majors[majors.length - 1]).toBe(60_000);
    expect(ticks.length).toBeGreaterThan(majors.length);
  });
  it('never puts labels closer than the label width, and zooming in gives finer steps', () => {
    for (const width of [300, 900, 1800, 7200]) {
      const { stepMs } = ticksFor(60_000, width);
      expect((stepMs * width) / 60_000).toBeGreaterThanOrEqual(MIN_LABEL_PX);
    }
    expect(ticksFor(60_000, 1800).stepMs).toBeLessThan(ticksFor(60_000, 900).stepMs);
  });
  it('copes with an empty track', () => {
    expect(ticksFor(0, 900).ticks).toEqual([{ timeMs: 0, major: true }]);
  });
});

describe('formatTime', () => {
  it('reads as a show clock', () => {
    expect(formatTime(0, false)).toBe('0:00');
    expect(formatTime(30_000, false)).toBe('0:30');
    expect(formatTime(15_000, true)).toBe('0:15.0');
    expect(formatTime(4_100, true)).toBe('0:04.1');
    expect(formatTime(75 * 60_000, false)).toBe('75:00');
    expect(formatTime(-5, true)).toBe('0:00.0');
    expect(formatTime(59_960, true)).toBe('1:00.0');
    expect(formatTime(59_960, false)).toBe('0:59');
  });
});
