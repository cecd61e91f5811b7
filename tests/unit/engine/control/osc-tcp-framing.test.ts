/**
 * OSC over TCP framing: SLIP (OSC 1.1) and the int32 length prefix (OSC 1.0).
 * Property tests: any packets, cut into chunks at any points, come back intact
 * and in order; garbage never throws and never yields a frame over the limit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createFrameDecoder,
  detectFraming,
  encodeFrame,
  LengthPrefixDecoder,
  lengthPrefixEncode,
  SLIP_END,
  SLIP_ESC,
  SLIP_ESC_END,
  SLIP_ESC_ESC,
  SlipDecoder,
  slipEncode,
  type FrameDecoder,
  type OscTcpFraming,
} from '../../../../app/engine/control/osc-tcp-framing.js';

const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** `bytes` cut at the given points (taken modulo its length), as TCP might deliver it. */
const chunked = (bytes: Uint8Array, cuts: number[]): Uint8Array[] => {
  const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % (bytes.length + 1))))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  return chunks;
};

const feed = (decoder: FrameDecoder, chunks: Uint8Array[]) => {
  const frames: Uint8Array[] = [];
  let error: string | undefined;
  for (const chunk of chunks) {
    const result = decoder.push(chunk);
    frames.push(...result.frames);
    error ??= result.error;
  }
  return { frames, error };
};

const MAX = 512;
const packet = fc.uint8Array({ minLength: 1, maxLength: MAX });
/** Packets rich in the bytes SLIP has to escape. */
const slipHeavyPacket = fc.array(fc.constantFrom(SLIP_END, SLIP_ESC, SLIP_ESC_END, SLIP_ESC_ESC, 0, 0x2f), { minLength: 1, maxLength: 64 }).map((a) => Uint8Array.from(a));
const cuts = fc.array(fc.nat(), { maxLength: 40 });

describe.each(['slip', 'length'] as OscTcpFraming[])('%s framing', (framing) => {
  it('round-trips any packets cut at any chunk boundaries', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(packet, slipHeavyPacket), { minLength: 1, maxLength: 12 }), cuts, (packets, at) => {
        const stream = concat(packets.map((p) => encodeFrame(framing, p)));
        const { frames, error } = feed(createFrameDecoder(framing, MAX), chunked(stream, at));
        expect(error).toBeUndefined();
        expect(frames).toEqual(packets);
      }),
    );
  });

  it('never throws on garbage, never returns a frame over the limit, and stays failed once failed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), cuts, fc.integer({ min: 1, max: 300 }), (garbage, at, max) => {
        const decoder = createFrameDecoder(framing, max);
        let failed = false;
        for (const chunk of chunked(garbage, at)) {
          const { frames, error } = decoder.push(chunk);
          if (failed) expect(frames).toEqual([]);
          for (const frame of frames) expect(frame.length).toBeLessThanOrEqual(max);
          if (error) failed = true;
        }
      }),
    );
  });

  it('accepts a frame of exactly the limit and fails on one byte more', () => {
    const exact = new Uint8Array(MAX).fill(7);
    expect(feed(createFrameDecoder(framing, MAX), [encodeFrame(framing, exact)])).toEqual({ frames: [exact] });
    const over = feed(createFrameDecoder(framing, MAX), [encodeFrame(framing, new Uint8Array(MAX + 1))]);
    expect(over.frames).toEqual([]);
    expect(over.error).toMatch(String(MAX));
  });

  it('returns the frames completed before an oversized one in the same chunk', () => {
    const good = Uint8Array.of(1, 2, 3);
    const { frames, error } = feed(createFrameDecoder(framing, 16), [concat([encodeFrame(framing, good), encodeFrame(framing, new Uint8Array(17)), encodeFrame(framing, good)])]);
    expect(frames).toEqual([good]);
    expect(error).toBeDefined();
  });
});

describe('SLIP', () => {
  it('encodes END and ESC inside the packet, framed by END on both sides', () => {
    expect([...slipEncode(Uint8Array.of(1, SLIP_END, 2, SLIP_ESC, 3))]).toEqual([SLIP_END, 1, SLIP_ESC, SLIP_ESC_END, 2, SLIP_ESC, SLIP_ESC_ESC, 3, SLIP_END]);
  });

  it('never puts END inside a frame', () => {
    fc.assert(
      fc.property(fc.oneof(packet, slipHeavyPacket), (p) => {
        const frame = slipEncode(p);
        expect(frame.subarray(1, -1).includes(SLIP_END)).toBe(false);
      }),
    );
  });

  it('ignores leading END bytes and empty frames; also reads single-END (RFC 1055) senders', () => {
    const a = Uint8Array.of(0x2f, 0x61);
    const b = Uint8Array.of(0x2f, 0x62);
    const stream = Uint8Array.of(SLIP_END, SLIP_END, SLIP_END, ...a, SLIP_END, SLIP_END, ...b, SLIP_END, SLIP_END);
    expect(feed(new SlipDecoder(64), [stream]).frames).toEqual([a, b]);
  });

  it('keeps the byte after a stray ESC (RFC 1055) and recovers at the next END', () => {
    const { frames, error } = feed(new SlipDecoder(64), [Uint8Array.of(SLIP_ESC, 0x41, 0x42, SLIP_END, 0x43, SLIP_ESC, SLIP_END, 0x44, SLIP_END)]);
    expect(error).toBeUndefined();
    expect(frames).toEqual([Uint8Array.of(0x41, 0x42), Uint8Array.of(0x43), Uint8Array.of(0x44)]);
  });

  it('counts the limit in decoded bytes, so a packet of escapes at the limit fits', () => {
    const p = new Uint8Array(32).fill(SLIP_END); // 66 bytes on the wire
    expect(feed(new SlipDecoder(32), [slipEncode(p)]).frames).toEqual([p]);
  });
});

describe('length prefix', () => {
  it('is a big-endian int32 size then the packet', () => {
    expect([...lengthPrefixEncode(Uint8Array.of(9, 8, 7))]).toEqual([0, 0, 0, 3, 9, 8, 7]);
  });

  it('fails on a size over the limit or negative as soon as the prefix is read, before any body arrives', () => {
    expect(new LengthPrefixDecoder(8192).push(Uint8Array.of(0x7f, 0xff, 0xff, 0xff)).error).toMatch(/2147483647 bytes \(limit 8192\)/);
    expect(new LengthPrefixDecoder(8192).push(Uint8Array.of(0xff, 0xff, 0xff, 0xfe)).error).toMatch(/-2 bytes/);
  });

  it('skips zero-length frames', () => {
    const p = Uint8Array.of(1);
    expect(feed(new LengthPrefixDecoder(8), [Uint8Array.of(0, 0, 0, 0), lengthPrefixEncode(p), Uint8Array.of(0, 0, 0, 0)]).frames).toEqual([p]);
  });
});

describe('framing detection from the first bytes', () => {
  it('tells SLIP (END, a bare address or bundle) from a length prefix (00 00), and waits on a lone 00', () => {
    expect(detectFraming(Uint8Array.of())).toBe('undecided');
    expect(detectFraming(Uint8Array.of(0x00))).toBe('undecided');
    expect(detectFraming(Uint8Array.of(SLIP_END, 0x2f))).toBe('slip');
    expect(detectFraming(new TextEncoder().encode('/cyclorama/go'))).toBe('slip');
    expect(detectFraming(new TextEncoder().encode('#bundle'))).toBe('slip');
    expect(detectFraming(Uint8Array.of(0x00, 0x00, 0x00, 0x18))).toBe('length');
    expect(detectFraming(lengthPrefixEncode(new Uint8Array(8192)))).toBe('length');
    expect(detectFraming(new TextEncoder().encode('GET / HTTP/1.1'))).toBe('unknown');
    expect(detectFraming(Uint8Array.of(0x00, 0x01, 0x00, 0x00))).toBe('unknown'); // declares 65536: no OSC packet we take is that big
  });

  it('every SLIP and length frame an encoder makes is detected as its own framing', () => {
    fc.assert(
      fc.property(fc.oneof(packet, slipHeavyPacket), (p) => {
        expect(detectFraming(slipEncode(p))).toBe('slip');
        expect(detectFraming(lengthPrefixEncode(p))).toBe('length');
      }),
    );
  });
});
