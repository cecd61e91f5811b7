/** Display output sink: the crop scaler picks the right region, repeats are not rescaled, nothing is made without a page. */
import { describe, expect, it } from 'vitest';
import { readFrame } from '../../../../app/contract/frame-wire.js';
import type { GeneratedFrame } from '../../../../app/engine/generate/generator.js';
import { Downscaler } from '../../../../app/engine/frames/downscale.js';
import { DisplayFrameSink } from '../../../../app/engine/outputs/display-frame-sink.js';

/** 8x4 source: left half red (200,0,0), right half blue (0,0,200). */
function source(): Uint8Array {
  const px = new Uint8Array(8 * 4 * 4);
  for (let y = 0; y < 4; y++) for (let x = 0; x < 8; x++) px.set(x < 4 ? [200, 0, 0, 255] : [0, 0, 200, 255], (y * 8 + x) * 4);
  return px;
}
const frame = (sequence: number): GeneratedFrame => ({ pixels: source(), width: 8, height: 4, lookId: 1, sequence, showTimeMs: 0, inferMs: 0, doneAtMs: 0, requestId: null });

describe('Downscaler', () => {
  it('a right-half crop shows only the right half; the whole frame keeps both halves in place', () => {
    const target = new Uint8Array(2 * 2 * 4);
    new Downscaler(8, 4, 2, 2, { x: 0.5, y: 0, width: 0.5, height: 1 }).run(source(), target);
    for (let i = 0; i < 4; i++) expect([...target.subarray(i * 4, i * 4 + 4)]).toEqual([0, 0, 200, 255]);
    new Downscaler(8, 4, 2, 2).run(source(), target);
    expect([...target.subarray(0, 4)]).toEqual([200, 0, 0, 255]);
    expect([...target.subarray(4, 8)]).toEqual([0, 0, 200, 255]);
  });

  it('applies the output level (black panic fades)', () => {
    const target = new Uint8Array(4);
    new Downscaler(8, 4, 1, 1, { x: 0, y: 0, width: 0.5, height: 1 }).run(source(), target, 0.5);
    expect([...target]).toEqual([100, 0, 0, 255]);
  });
});

describe('DisplayFrameSink', () => {
  it('sends nothing without a page; scales fresh frames once and resends repeats as they are', () => {
    const sent: Uint8Array[] = [];
    const sink = new DisplayFrameSink(
      { id: 'display-1', name: 'Wall', width: 4, height: 2, rate: { num: 30, den: 1 } },
      (_id, m) => sent.push(m),
      () => 0,
    );
    sink.send({ frame: frame(1), fresh: true, level: 1, tick: 0 });
    expect(sent).toHaveLength(0);
    sink.clients = 1;
    sink.send({ frame: frame(1), fresh: true, level: 1, tick: 1 });
    sink.send({ frame: frame(1), fresh: false, level: 1, tick: 2 });
    sink.send({ frame: frame(2), fresh: true, level: 1, tick: 3 });
    expect(sent).toHaveLength(3);
    expect([sink.scaled, sink.resent]).toEqual([2, 1]);
    expect(sent[1]).toBe(sent[0]);
    const read = readFrame(sent[2]!)!;
    expect(read.header).toMatchObject({ stream: 'output', width: 4, height: 2, sequence: 2 });
    expect(sink.status()).toMatchObject({ width: 4, height: 2, clients: 1 });
  });
});
