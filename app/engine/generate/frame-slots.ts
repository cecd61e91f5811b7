/**
 * Who owns each slot of the shared frame ring, kept on the engine side (the
 * inference process may die at any moment, so it cannot be the one who knows):
 *  - `free`: nobody; handed to the next inference process when it starts;
 *  - `inference`: granted to the running inference process, which may be writing it;
 *  - `engine`: a finished frame the engine holds (on the wall, or waiting for a tick).
 * The ownership rule is the worker thread's one: a slot is written only after the
 * engine handed it back, so an output never sees a frame being overwritten. When the
 * inference process dies, its slots are reclaimed (`free`), the engine's stay on
 * the wall until released.
 */
export type SlotOwner = 'free' | 'inference' | 'engine';

export class FrameSlots {
  private readonly owners: SlotOwner[];

  constructor(count: number) {
    this.owners = Array.from({ length: count }, () => 'free' as const);
  }

  /** A new inference process starts: every free slot is granted to it. */
  grantFree(): number[] {
    const granted: number[] = [];
    this.owners.forEach((owner, slot) => {
      if (owner === 'free') {
        this.owners[slot] = 'inference';
        granted.push(slot);
      }
    });
    return granted;
  }

  /** The inference process filled a slot: the engine owns it now. False for a slot it was never granted (ignored). */
  filled(slot: number): boolean {
    if (this.owners[slot] !== 'inference') return false;
    this.owners[slot] = 'engine';
    return true;
  }

  /**
   * The engine released a slot. With a live inference process it is granted back
   * at once (`true`: send it a recycle); without one it waits, free, for the next.
   */
  released(slot: number, inferenceAlive: boolean): boolean {
    if (this.owners[slot] !== 'engine') return false;
    this.owners[slot] = inferenceAlive ? 'inference' : 'free';
    return inferenceAlive;
  }

  /** The inference process died: whatever it held is free again. Returns the reclaimed slots. */
  reclaim(): number[] {
    const reclaimed: number[] = [];
    this.owners.forEach((owner, slot) => {
      if (owner === 'inference') {
        this.owners[slot] = 'free';
        reclaimed.push(slot);
      }
    });
    return reclaimed;
  }

  owner(slot: number): SlotOwner | undefined {
    return this.owners[slot];
  }

  count(owner: SlotOwner): number {
    return this.owners.filter((o) => o === owner).length;
  }
}
