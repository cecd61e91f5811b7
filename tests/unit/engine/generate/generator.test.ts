/** The generator's restart back-off (app/engine/generate/generator.ts); the restarts themselves: tests/integration/shared-frame-ring.test.ts. */
import { describe, expect, it } from 'vitest';
import { restartDelayMs } from '../../../../app/engine/generate/generator.js';

describe('restartDelayMs', () => {
  it('restarts at once after one crash, then backs off from 0.5 s doubling to 30 s', () => {
    expect([1, 2, 3, 4, 5].map(restartDelayMs)).toEqual([0, 500, 1000, 2000, 4000]);
    expect(restartDelayMs(8)).toBe(30_000);
    expect(restartDelayMs(50)).toBe(30_000);
  });
});
