/**
 * Framing for OSC over TCP. A TCP stream has no message boundaries, so every OSC
 * packet travels inside a frame; two framings are in use:
 *
 * - `slip` (OSC 1.1, the default; QLab, TouchOSC, Companion's generic OSC): the
 *   packet is SLIP-encoded (RFC 1055): END (0xC0) ends a frame, and END / ESC
 *   bytes inside the packet are escaped as ESC ESC_END / ESC ESC_ESC. OSC 1.1
 *   senders also put an END *before* each packet ("double END") to flush line
 *   noise, so empty frames are skipped rather than treated as errors.
 * - `length` (OSC 1.0; liblo's `osc.tcp://`, so `oscsend` and everything built on
 *   liblo): a big-endian int32 byte count, then the packet.
 *
 * The listener's default is `auto`: each connection's framing is told from its
 * first bytes (detectFraming), so both kinds of client work on one port without
 * the operator knowing which their tool uses.
 *
 * Decoders are fed the bytes as they arrive, in chunks cut anywhere, and hold at
 * most `maxFrameBytes` of an unfinished frame: a frame that would grow beyond
 * that (or a length prefix that declares more) fails the decoder, and the
 * connection is closed, rather than letting a peer make us buffer without bound.
 *
 * Why not the npm `slip` package: unmaintained since 2015, no types and no size
 * cap. The codec is forty lines with property tests (tests/unit/engine/control/osc-tcp-framing.test.ts).
 */

export type OscTcpFraming = 'slip' | 'length';
export const OSC_TCP_FRAMINGS: readonly OscTcpFraming[] = ['slip', 'length'];
/** What the operator sets (--osc-tcp-framing): a framing, or `auto` (detected per connection, the default). */
export type OscTcpFramingSetting = OscTcpFraming | 'auto';
export const OSC_TCP_FRAMING_SETTINGS: readonly OscTcpFramingSetting[] = ['auto', 'slip', 'length'];

/**
 * A connection's framing from its first bytes:
 * - a length prefix is a small big-endian int32: no packet we accept is over
 *   MAX_OSC_PACKET_BYTES (8192), so it starts `00 00`;
 * - SLIP starts with END (0xC0, OSC 1.1's double END), or, from single-END senders
 *   (liblo with SLIP on, RFC 1055), directly with the packet: an OSC address `/`
 *   or a bundle `#bundle`.
 * `undecided`: not enough bytes yet (only a first 00). `unknown`: fits neither.
 */
export function detectFraming(first: Uint8Array): OscTcpFraming | 'undecided' | 'unknown' {
  if (first.length === 0) return 'undecided';
  const byte = first[0];
  if (byte === SLIP_END || byte === 0x2f || byte === 0x23) return 'slip';
  if (byte !== 0) return 'unknown';
  if (first.length < 2) return 'undecided';
  return first[1] === 0 ? 'length' : 'unknown';
}

/** How a log line names a framing. */
export const FRAMING_LABELS: Record<OscTcpFraming, string> = { slip: 'SLIP framing (OSC 1.1)', length: 'length-prefixed framing (OSC 1.0)' };

export const SLIP_END = 0xc0;
export const SLIP_ESC = 0xdb;
export const SLIP_ESC_END = 0xdc;
export const SLIP_ESC_ESC = 0xdd;

export interface DecodeResult {
  /** Packets completed by this chunk, in order (empty frames are not reported). */
  frames: Uint8Array[];
  /** Set once the stream broke the size limit; the decoder then ignores everything that follows. */
  error?: string;
}

export interface FrameDecoder {
  push(chunk: Uint8Array): DecodeResult;
}

/** One packet as a double-END SLIP frame: END, the escaped bytes, END. */
export function slipEncode(packet: Uint8Array): Uint8Array {
  let escapes = 0;
  for (const byte of packet) if (byte === SLIP_END || byte === SLIP_ESC) escapes++;
  const out = new Uint8Array(packet.length + escapes + 2);
  let at = 0;
  out[at++] = SLIP_END;
  for (const byte of packet) {
    if (byte === SLIP_END || byte === SLIP_ESC) {
      out[at++] = SLIP_ESC;
      out[at++] = byte === SLIP_END ? SLIP_ESC_END : SLIP_ESC_ESC;
    } else out[at++] = byte;
  }
  out[at] = SLIP_END;
  return out;
}

export class SlipDecoder implements FrameDecoder {
  /** Fixed at the limit: a connection never holds more than this, whatever it sends. */
  private readonly buffer: Uint8Array;
  private length = 0;
  private escaped = false;
  private error: string | undefined;

  constructor(readonly maxFrameBytes: number) {
    this.buffer = new Uint8Array(maxFrameBytes);
  }

  push(chunk: Uint8Array): DecodeResult {
    const frames: Uint8Array[] = [];
    if (this.error) return { frames, error: this.error };
    for (const byte of chunk) {
      if (byte === SLIP_END) {
        if (this.length > 0) frames.push(this.buffer.slice(0, this.length));
        this.length = 0;
        this.escaped = false;
        continue;
      }
      let value = byte;
      if (this.escaped) {
        this.escaped = false;
        // RFC 1055: ESC followed by anything else is a protocol violation; the byte is kept as is.
        value = byte === SLIP_ESC_END ? SLIP_END : byte === SLIP_ESC_ESC ? SLIP_ESC : byte;
      } else if (byte === SLIP_ESC) {
        this.escaped = true;
        continue;
      }
      if (this.length === this.maxFrameBytes) {
        this.error = `SLIP frame longer than ${this.maxFrameBytes} bytes`;
        return { frames, error: this.error };
      }
      this.buffer[this.length++] = value;
    }
    return { frames };
  }
}

/** One packet behind its OSC 1.0 size prefix (big-endian int32). */
export function lengthPrefixEncode(packet: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + packet.length);
  new DataView(out.buffer).setInt32(0, packet.length);
  out.set(packet, 4);
  return out;
}

export class LengthPrefixDecoder implements FrameDecoder {
  private readonly header = new Uint8Array(4);
  private headerFill = 0;
  /** Allocated at the declared size, which is checked against the limit first. */
  private body: Uint8Array | null = null;
  private bodyFill = 0;
  private error: string | undefined;

  constructor(readonly maxFrameBytes: number) {}

  push(chunk: Uint8Array): DecodeResult {
    const frames: Uint8Array[] = [];
    if (this.error) return { frames, error: this.error };
    let offset = 0;
    while (offset < chunk.length) {
      if (!this.body) {
        this.header[this.headerFill++] = chunk[offset++] as number;
        if (this.headerFill < 4) continue;
        this.headerFill = 0;
        const size = new DataView(this.header.buffer).getInt32(0);
        if (size < 0 || size > this.maxFrameBytes) {
          this.error = `length prefix declares ${size} bytes (limit ${this.maxFrameBytes})`;
          return { frames, error: this.error };
        }
        if (size > 0) {
          this.body = new Uint8Array(size);
          this.bodyFill = 0;
        }
        continue;
      }
      const take = Math.min(this.body.length - this.bodyFill, chunk.length - offset);
      this.body.set(chunk.subarray(offset, offset + take), this.bodyFill);
      this.bodyFill += take;
      offset += take;
      if (this.bodyFill === this.body.length) {
        frames.push(this.body);
        this.body = null;
      }
    }
    return { frames };
  }
}

export function encodeFrame(framing: OscTcpFraming, packet: Uint8Array): Uint8Array {
  return framing === 'slip' ? slipEncode(packet) : lengthPrefixEncode(packet);
}

export function createFrameDecoder(framing: OscTcpFraming, maxFrameBytes: number): FrameDecoder {
  return framing === 'slip' ? new SlipDecoder(maxFrameBytes) : new LengthPrefixDecoder(maxFrameBytes);
}
