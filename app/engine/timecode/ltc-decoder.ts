/**
 * LTC (SMPTE 12M linear timecode) decoder: audio samples in, timecode frames out.
 * Plain TypeScript, no native code, no Node APIs: the caller feeds PCM blocks from
 * wherever the audio comes from (an NDI source's audio, a sound card).
 *
 * The signal path, per sample:
 *  1. Envelope follower (peak hold with a ~10 ms release) gives the signal's
 *     centre and span, so the slicer adapts to level changes and DC offset.
 *  2. A slicer with hysteresis (a fraction of the span) turns the waveform into
 *     edges; each edge is timed at the last centre crossing before it, linearly
 *     interpolated between samples, so noise near the centre does not double an
 *     edge and the timing stays sub-sample.
 *  3. Biphase-mark: every bit cell starts with an edge; a '1' has a second edge in
 *     the middle. An interval near one bit period is a 0, two intervals near half
 *     a period are a 1. The bit period is tracked (varispeed, 24..30 fps), starting
 *     from the middle of the allowed frame-rate range.
 *  4. The last 80 bits are searched for the sync word (bits 64-79 =
 *     0011 1111 1111 1101). Found forward, bits 0-63 are the frame; found reversed
 *     (tape or timeline playing backwards), the frame is read in reverse.
 *  5. A frame is accepted only when every one of its 80 bits was timed within
 *     tolerance and its BCD fields are in range; anything else is counted and
 *     dropped, so noise in a dropout does not make up a timecode.
 *
 * Sample positions are absolute: samples pushed since construction (or reset()).
 */

import type { Timecode } from '../../show/timecode.js';

export interface LtcDecoderOptions {
  sampleRate: number;
  /** Frame-rate range the bit-period tracker may follow; default 23..31 fps (covers 24-30 with varispeed). */
  minFps?: number;
  maxFps?: number;
  /** Span (peak to peak, full scale = 2) below which the input counts as silence; default 0.02 (-40 dBFS). */
  silenceSpan?: number;
}

export interface LtcFrame {
  timecode: Timecode;
  /** The 32 user bits, user group 1 in the low nibble (libltc's ltc_frame_get_user_bits order). */
  userBits: number;
  /** Bit 10: drop-frame counting (29.97 DF). */
  dropFrame: boolean;
  /** Bit 11. */
  colourFrame: boolean;
  /** Binary group flags as written (bits 43, 58, 59 for 30-frame; the 25-frame positions differ, see SMPTE 12M). */
  binaryGroupFlags: { bit43: boolean; bit58: boolean; bit59: boolean };
  /** True when the frame arrived backwards (sync word read reversed). */
  reverse: boolean;
  /** Sample position of the edge that started the frame's first bit (bit 0 forward). */
  startSample: number;
  /** Sample position of the edge that ended the frame's last bit. */
  endSample: number;
  /** Frame rate measured from the bit period over this frame (80 bits per frame). */
  measuredFps: number;
}

export interface LtcDecoderStats {
  frames: number;
  /** Sync words found whose frame failed a check (bit timing or BCD range). */
  rejectedFrames: number;
  /** Intervals that fit neither a half nor a whole bit. */
  bitErrors: number;
}

/** Sync word, bits 64..79 in transmission order. */
const SYNC_FORWARD = [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1];
const FRAME_BITS = 80;

export class LtcDecoder {
  private readonly sampleRate: number;
  private readonly minPeriod: number;
  private readonly maxPeriod: number;
  private readonly silenceSpan: number;
  /** Envelope release per sample: the peaks decay ~63% in 10 ms. */
  private readonly release: number;

  private position = 0;
  private hi = 0;
  private lo = 0;
  private prevSample = 0;
  /** Slicer state: true = signal is above centre + hysteresis. */
  private high = false;
  /** Time (samples, fractional) of the latest centre crossing upward / downward. */
  private lastUpCross = 0;
  private lastDownCross = 0;
  private lastEdge: number | null = null;

  /** Samples per bit, tracked. */
  private period: number;
  /** A first half-bit of a '1' was seen; its start edge time. */
  private halfStart: number | null = null;
  private halfOk = true;

  // Ring of the last 80 bits: value, start edge time, timing ok.
  private readonly bits = new Uint8Array(FRAME_BITS);
  private readonly bitStart = new Float64Array(FRAME_BITS);
  private readonly bitOk = new Uint8Array(FRAME_BITS);
  private bitCount = 0;
  private head = 0;

  private readonly statsValue: LtcDecoderStats = { frames: 0, rejectedFrames: 0, bitErrors: 0 };

  constructor(options: LtcDecoderOptions) {
    if (!(options.sampleRate >= 8000 && options.sampleRate <= 384_000)) {
      throw new RangeError(`LTC sample rate ${options.sampleRate} Hz is out of range 8000-384000`);
    }
    const minFps = options.minFps ?? 23;
    const maxFps = options.maxFps ?? 31;
    if (!(minFps > 0 && maxFps > minFps)) throw new RangeError(`LTC fps range ${minFps}..${maxFps} is not a range`);
    this.sampleRate = options.sampleRate;
    this.minPeriod = options.sampleRate / (FRAME_BITS * maxFps);
    this.maxPeriod = options.sampleRate / (FRAME_BITS * minFps);
    this.period = options.sampleRate / (FRAME_BITS * ((minFps + maxFps) / 2));
    this.silenceSpan = options.silenceSpan ?? 0.02;
    this.release = 1 / (options.sampleRate * 0.01);
  }

  get stats(): Readonly<LtcDecoderStats> {
    return this.statsValue;
  }

  /** Forget the signal (level, bit phase, partial frame); positions restart at 0. */
  reset(): void {
    this.position = 0;
    this.hi = this.lo = this.prevSample = 0;
    this.high = false;
    this.lastUpCross = this.lastDownCross = 0;
    this.lastEdge = null;
    this.period = (this.minPeriod + this.maxPeriod) / 2;
    this.clearBits();
  }

  /** Decode a block of mono PCM (Float32 -1..1, or Int16). Returns the frames completed in it. */
  push(samples: Float32Array | Int16Array): LtcFrame[] {
    const out: LtcFrame[] = [];
    const scale = samples instanceof Int16Array ? 1 / 32768 : 1;
    for (let i = 0; i < samples.length; i++) {
      const x = (samples[i] as number) * scale;
      this.sample(x, out);
      this.position++;
    }
    return out;
  }

  private sample(x: number, out: LtcFrame[]): void {
    // Envelope: instant attack, exponential release toward the signal.
    if (x > this.hi) this.hi = x;
    else this.hi += (x - this.hi) * this.release;
    if (x < this.lo) this.lo = x;
    else this.lo += (x - this.lo) * this.release;
    const span = this.hi - this.lo;
    const centre = (this.hi + this.lo) / 2;
    const prev = this.prevSample;
    this.prevSample = x;
    // Centre crossings, interpolated; the edge takes the latest one in its direction.
    const t = this.position;
    if (prev < centre && x >= centre) this.lastUpCross = t - 1 + (centre - prev) / (x - prev);
    else if (prev >= centre && x < centre) this.lastDownCross = t - 1 + (prev - centre) / (prev - x);
    if (span < this.silenceSpan) {
      // Silence: no edges; a signal coming back starts a fresh bit phase.
      if (this.lastEdge !== null) {
        this.lastEdge = null;
        this.clearBits();
      }
      return;
    }
    const hysteresis = span * 0.15;
    if (!this.high && x > centre + hysteresis) {
      this.high = true;
      this.edge(this.lastUpCross, out);
    } else if (this.high && x < centre - hysteresis) {
      this.high = false;
      this.edge(this.lastDownCross, out);
    }
  }

  private edge(time: number, out: LtcFrame[]): void {
    const last = this.lastEdge;
    this.lastEdge = time;
    if (last === null) return;
    const interval = time - last;
    const p = this.period;
    if (interval > 2.5 * this.maxPeriod || interval <= 0) {
      // A gap (dropout, or the first edge after one): restart the bit phase.
      this.clearBits();
      return;
    }
    const ratio = interval / p;
    if (ratio < 0.75) {
      // Half a bit: the two halves of a '1'.
      const ok = ratio > 0.3 && ratio < 0.7;
      if (!ok) this.statsValue.bitErrors++;
      if (this.halfStart === null) {
        this.halfStart = last;
        this.halfOk = ok;
      } else {
        const whole = time - this.halfStart;
        this.trackPeriod(whole);
        this.pushBit(1, this.halfStart, ok && this.halfOk, time, out);
        this.halfStart = null;
      }
    } else {
      const ok = ratio < 1.35;
      if (!ok) this.statsValue.bitErrors++;
      if (this.halfStart !== null) {
        // A lone half before a whole bit: we were out of phase; drop it.
        this.statsValue.bitErrors++;
        this.halfStart = null;
      }
      if (ok) this.trackPeriod(interval);
      this.pushBit(0, last, ok, time, out);
    }
  }

  private trackPeriod(bitLength: number): void {
    const next = this.period + (bitLength - this.period) * 0.1;
    this.period = Math.min(this.maxPeriod, Math.max(this.minPeriod, next));
  }

  private clearBits(): void {
    this.bitCount = 0;
    this.head = 0;
    this.halfStart = null;
  }

  /** Bit `k` back from the newest (k = 0 newest). */
  private bitAt(k: number): number {
    return this.bits[(this.head - 1 - k + 2 * FRAME_BITS) % FRAME_BITS] as number;
  }

  private pushBit(bit: number, start: number, ok: boolean, end: number, out: LtcFrame[]): void {
    this.bits[this.head] = bit;
    this.bitStart[this.head] = start;
    this.bitOk[this.head] = ok ? 1 : 0;
    this.head = (this.head + 1) % FRAME_BITS;
    if (this.bitCount < FRAME_BITS) this.bitCount++;
    if (this.bitCount < FRAME_BITS) return;
    let forward = true;
    let backward = true;
    for (let k = 0; k < 16; k++) {
      // Forward: newest bit is bit 79. Backward: newest is bit 64, 16 back is bit 79.
      if (this.bitAt(k) !== SYNC_FORWARD[15 - k]) forward = false;
      if (this.bitAt(k) !== SYNC_FORWARD[k]) backward = false;
      if (!forward && !backward) return;
    }
    const frameBit = forward ? (i: number) => this.bitAt(79 - i) : (i: number) => this.bitAt(16 + i);
    const allOk = this.bitOk.every((v) => v === 1);
    const frame = allOk ? decodeFrameBits(frameBit) : null;
    if (!frame) {
      this.statsValue.rejectedFrames++;
      return;
    }
    const oldest = this.bitStart[this.head] as number;
    this.statsValue.frames++;
    out.push({
      ...frame,
      reverse: !forward,
      startSample: oldest,
      endSample: end,
      measuredFps: this.sampleRate / (end - oldest),
    });
    // The next frame needs 80 fresh bits; a sync word cannot overlap itself.
    this.bitCount = 0;
  }
}

type FrameFields = Pick<LtcFrame, 'timecode' | 'userBits' | 'dropFrame' | 'colourFrame' | 'binaryGroupFlags'>;

/** Bits 0..63 of an LTC frame -> fields, or null when a BCD field is out of range. */
export function decodeFrameBits(bit: (i: number) => number): FrameFields | null {
  const field = (from: number, count: number) => {
    let v = 0;
    for (let i = 0; i < count; i++) v |= bit(from + i) << i;
    return v;
  };
  const frameUnits = field(0, 4);
  const frameTens = field(8, 2);
  const secUnits = field(16, 4);
  const secTens = field(24, 3);
  const minUnits = field(32, 4);
  const minTens = field(40, 3);
  const hourUnits = field(48, 4);
  const hourTens = field(56, 2);
  if (frameUnits > 9 || secUnits > 9 || minUnits > 9 || hourUnits > 9 || secTens > 5 || minTens > 5) return null;
  const timecode = {
    hours: hourTens * 10 + hourUnits,
    minutes: minTens * 10 + minUnits,
    seconds: secTens * 10 + secUnits,
    frames: frameTens * 10 + frameUnits,
  };
  if (timecode.hours > 23 || timecode.frames > 29) return null;
  let userBits = 0;
  for (let g = 0; g < 8; g++) userBits += field(4 + g * 8, 4) * 2 ** (4 * g);
  return {
    timecode,
    userBits,
    dropFrame: bit(10) === 1,
    colourFrame: bit(11) === 1,
    binaryGroupFlags: { bit43: bit(43) === 1, bit58: bit(58) === 1, bit59: bit(59) === 1 },
  };
}
