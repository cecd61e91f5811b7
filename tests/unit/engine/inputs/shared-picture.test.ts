import { describe, expect, it } from 'vitest';
import { blendInto } from '../../../../app/engine/inputs/input-set.js';
import { ndiNameMatches } from '../../../../app/engine/inputs/ndi-capture.js';
import { createSharedPicture, SharedPictureReader, SharedPictureWriter } from '../../../../app/engine/inputs/shared-picture.js';

describe('shared picture (triple buffer between an input thread and the inference thread)', () => {
  it('the reader gets the newest published frame, never a queue, and keeps its slot while the writer goes on', () => {
    const buffers = createSharedPicture(2, 1);
    const writer = new SharedPictureWriter(buffers);
    const reader = new SharedPictureReader(buffers);
    expect(reader.latest()).toBeNull();
    for (let n = 1; n <= 5; n++) {
      writer.target().fill(n);
      writer.publish(n, 1000 + n);
    }
    const got = reader.latest()!;
    expect(got.frame).toBe(5);
    expect(got.arrivedAtEpochMs).toBe(1005);
    expect(Array.from(got.rgba)).toEqual(new Array(8).fill(5));
    // The writer publishes many more: the slot the reader holds is never written meanwhile.
    for (let n = 6; n <= 20; n++) {
      writer.target().fill(n);
      writer.publish(n, 1000 + n);
      expect(got.rgba[0]).toBe(5);
    }
    const next = reader.latest()!;
    expect(next.frame).toBe(20);
    expect(next.rgba[0]).toBe(20);
    // Nothing new: the same frame again.
    expect(reader.latest()!.frame).toBe(20);
  });
});

describe('crossfade blend', () => {
  it('the 32-bit lane blend equals the per-byte formula for every weight', () => {
    const bytes = 4096;
    const a = new Uint8Array(bytes);
    const b = new Uint8Array(bytes);
    let seed = 7;
    for (let i = 0; i < bytes; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      a[i] = seed >>> 24;
      b[i] = (seed >>> 16) & 255;
    }
    a[0] = 255;
    b[0] = 255;
    a[1] = 0;
    b[1] = 255;
    const out = new Uint8Array(bytes);
    for (const weight of [1, 64, 128, 200, 255]) {
      blendInto(out, a, b, weight, bytes);
      for (let i = 0; i < bytes; i++) expect(out[i]).toBe(((a[i] as number) * (256 - weight) + (b[i] as number) * weight + 128) >> 8);
    }
  });
});

describe('NDI source names', () => {
  it('a full name matches itself; a bare source name matches any machine', () => {
    expect(ndiNameMatches('STAGE-PC (Unreal)', 'STAGE-PC (Unreal)')).toBe(true);
    expect(ndiNameMatches('Unreal', 'STAGE-PC (Unreal)')).toBe(true);
    expect(ndiNameMatches('Unreal', 'STAGE-PC (Unreal 2)')).toBe(false);
    expect(ndiNameMatches('OTHER (Unreal)', 'STAGE-PC (Unreal)')).toBe(false);
  });
});
