/**
 * The console's program monitor sink: fresh frames go out, repeats do not, except a
 * keepalive of the held picture (a frozen wall still has a signal: the console must
 * not say "No preview signal" during Freeze).
 */
import { describe, expect, it } from 'vitest';
import { readFrame } from '../../../../app/contract/frame-wire.js';
import { PREVIEW_KEEPALIVE_TICKS, PreviewSink } from '../../../../app/engine/outputs/preview-sink.js';
import type { GeneratedFrame } from '../../../../app/engine/generate/generator.js';

function frame(sequence: number): GeneratedFrame {
  return { pixels: new Uint8Array(8 * 4 * 4).fill(200), width: 8, height: 4, lookId: 1, sequence, showTimeMs: 0, inferMs: 0, doneAtMs: 0, requestId: null };
}

describe('PreviewSink', () => {
  it('sends fresh frames, skips repeats, and sends a held picture again every few ticks', () => {
    const sent: number[] = [];
    const sink = new PreviewSink(8, 4, (message) => sent.push(readFrame(message)!.header.sequence), 4, 2);
    sink.send({ frame: frame(1), fresh: true, level: 1, tick: 0 });
    expect(sent).toEqual([1]);
    // Frozen: the same frame, ticking on. Nothing new until the keepalive is due.
    for (let tick = 1; tick < PREVIEW_KEEPALIVE_TICKS; tick++) sink.send({ frame: frame(1), fresh: false, level: 1, tick });
    expect(sent).toEqual([1]);
    sink.send({ frame: frame(1), fresh: false, level: 1, tick: PREVIEW_KEEPALIVE_TICKS });
    expect(sent).toEqual([1, 1]);
    // A fade changes the level: sent at once.
    sink.send({ frame: frame(1), fresh: false, level: 0.5, tick: PREVIEW_KEEPALIVE_TICKS + 1 });
    expect(sent).toHaveLength(3);
    sink.send({ frame: frame(2), fresh: true, level: 0.5, tick: PREVIEW_KEEPALIVE_TICKS + 2 });
    expect(sent).toEqual([1, 1, 1, 2]);
  });
});
