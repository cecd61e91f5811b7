import { describe, expect, it } from 'vitest';
import { LatestWinsQueue } from '../../../../app/engine/recording/frame-queue.js';

/** Fills a claimed buffer with `n` and queues it for `ticks`. */
function offer(queue: LatestWinsQueue, n: number, ticks = 1): boolean {
  const claimed = queue.claim();
  if (!claimed) {
    queue.countDrop(ticks);
    return false;
  }
  claimed.buffer.fill(n);
  queue.push(claimed.buffer, ticks + claimed.carriedTicks);
  return true;
}

describe('LatestWinsQueue (between the output tick and the encoder)', () => {
  it('hands frames out oldest first while the writer keeps up', () => {
    const queue = new LatestWinsQueue(4, 3);
    offer(queue, 1);
    offer(queue, 2);
    const first = queue.next()!;
    expect([first.buffer[0], first.ticks]).toEqual([1, 1]);
    queue.release(first.buffer);
    expect(queue.next()!.buffer[0]).toBe(2);
    expect(queue.droppedFrames).toBe(0);
  });

  it('a slow writer: the oldest waiting picture is dropped and counted, the newest always gets in, its ticks carried', () => {
    const queue = new LatestWinsQueue(4, 3);
    for (let n = 1; n <= 3; n++) offer(queue, n);
    const writing = queue.next()!; // frame 1 in the pipe; 2 and 3 wait, no buffer free
    expect(writing.buffer[0]).toBe(1);
    offer(queue, 4); // drops 2
    offer(queue, 5); // drops 3
    expect(queue.droppedFrames).toBe(2);
    expect(queue.length).toBe(2);
    const next = queue.next()!;
    // Frame 4 stands for its own tick and dropped frame 2's: the file keeps the wall's timing.
    expect([next.buffer[0], next.ticks]).toEqual([4, 2]);
    expect([queue.next()!.buffer[0]]).toEqual([5]);
    expect(queue.lostTicks).toBe(0);
  });

  it('memory stays bounded: with every buffer in the pipe a frame is dropped, its ticks lost', () => {
    const queue = new LatestWinsQueue(4, 2);
    offer(queue, 1);
    offer(queue, 2);
    queue.next();
    queue.next();
    expect(offer(queue, 3, 2)).toBe(false);
    expect([queue.droppedFrames, queue.lostTicks, queue.length]).toEqual([1, 2, 0]);
  });

  it('one picture covers at most maxTicks; the rest are lost and counted', () => {
    const queue = new LatestWinsQueue(4, 2, 30);
    offer(queue, 1, 45);
    expect(queue.next()!.ticks).toBe(30);
    expect(queue.lostTicks).toBe(15);
  });

  it('refuses a capacity without room for one frame being written and one waiting', () => {
    expect(() => new LatestWinsQueue(4, 1)).toThrow(/at least 2 frames/);
  });
});
