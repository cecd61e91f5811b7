/** Who owns each slot of the shared frame ring (app/engine/generate/frame-slots.ts). */
import { describe, expect, it } from 'vitest';
import { FrameSlots } from '../../../../app/engine/generate/frame-slots.js';

describe('FrameSlots', () => {
  it('grants the free slots, hands filled ones to the engine and a released one straight back to a live loop', () => {
    const slots = new FrameSlots(4);
    expect(slots.grantFree()).toEqual([0, 1, 2, 3]);
    expect(slots.grantFree()).toEqual([]);
    expect(slots.filled(2)).toBe(true);
    expect(slots.owner(2)).toBe('engine');
    expect(slots.filled(2)).toBe(false); // filled twice: not granted any more, ignored
    expect(slots.released(2, true)).toBe(true);
    expect(slots.owner(2)).toBe('inference');
    expect(slots.released(2, true)).toBe(false); // released twice: ignored
  });

  it('a dead loop: its slots are reclaimed, the engine keeps its frame, and the next loop gets the rest', () => {
    const slots = new FrameSlots(4);
    slots.grantFree();
    slots.filled(1); // on the wall
    expect(slots.reclaim()).toEqual([0, 2, 3]);
    expect(slots.owner(1)).toBe('engine');
    // Released while no loop runs: kept free for the next one.
    expect(slots.released(1, false)).toBe(false);
    expect(slots.owner(1)).toBe('free');
    expect(slots.grantFree()).toEqual([0, 1, 2, 3]);
    expect(slots.count('inference')).toBe(4);
  });

  it('ignores slots that are not in the ring', () => {
    const slots = new FrameSlots(2);
    slots.grantFree();
    expect(slots.filled(7)).toBe(false);
    expect(slots.released(-1, true)).toBe(false);
  });
});
