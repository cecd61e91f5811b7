/**
 * Per-output clocks: several OutputClocks (one per NDI output, each at its own rate)
 * share one ProgramFrames. Each must see a new frame as fresh once, then repeat it,
 * whichever clock happened to take it first. Real timers, synthetic frames (no model).
 */
import { describe, expect, it } from 'vitest';
import { ProgramFrames } from '../../../../app/engine/frames/program-frames.js';
import type { FrameSink, OutputTick } from '../../../../app/engine/outputs/frame-sink.js';
import { OutputClock } from '../../../../app/engine/outputs/output-clock.js';
import { syntheticFrame } from '../../../helpers/ndi-pattern.js';

class RecordingSink implements FrameSink {
  readonly kind = 'null' as const;
  readonly ticks: { sequence: number; fresh: boolean }[] = [];
  constructor(
    readonly id: string,
    readonly name = id,
  ) {}
  send({ frame, fresh }: OutputTick): void {
    this.ticks.push({ sequence: frame.sequence, fresh });
  }
  close(): void {}
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('output clocks per output', () => {
  it('two clocks at different rates each get every new frame once as fresh, then repeats', async () => {
    const released: number[] = [];
    const frames = new ProgramFrames((f) => released.push(f.sequence));
    const pixels = new Uint8Array(4 * 4 * 4);
    frames.offer(syntheticFrame(pixels, 4, 4, 1));
    const sinks = [new RecordingSink('fast'), new RecordingSink('slow')];
    const clocks = [
      new OutputClock({ rate: { num: 100, den: 1 }, feed: { take: () => frames.take(), level: () => 1, onError: () => {} } }),
      new OutputClock({ rate: { num: 30000, den: 1001 }, feed: { take: () => frames.take(), level: () => 1, onError: () => {} } }),
    ];
    clocks.forEach((clock, i) => {
      clock.addSink(sinks[i] as FrameSink);
      clock.start();
    });
    await sleep(150);
    frames.offer(syntheticFrame(pixels, 4, 4, 2));
    await sleep(150);
    clocks.forEach((c) => c.stop());
    for (const sink of sinks) {
      const fresh = sink.ticks.filter((t) => t.fresh).map((t) => t.sequence);
      expect(fresh, sink.id).toEqual([1, 2]);
      expect(sink.ticks.filter((t) => !t.fresh).length, sink.id).toBeGreaterThan(0);
    }
    const [fast, slow] = clocks.map((c) => c.statuses()[0]!);
    expect(fast!.freshFrames).toBe(2);
    expect(slow!.freshFrames).toBe(2);
    expect(fast!.repeatedFrames).toBeGreaterThan(slow!.repeatedFrames);
  });
});
