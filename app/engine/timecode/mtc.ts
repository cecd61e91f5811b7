/**
 * MIDI Time Code (MTC) parser: MIDI bytes in, timecode out. No I/O: the MIDI port
 * reader hands complete messages (or a raw byte stream) with the engine-clock ms
 * they arrived at.
 *
 * From "MIDI Time Code and Cueing, Detailed Specification (Supplement to MIDI 1.0)",
 * 12 February 1987:
 *  - Quarter Frame messages, `F1 0nnn dddd`: piece nnn (0-7) carries a nibble:
 *    0/1 frames LS/MS, 2/3 seconds, 4/5 minutes, 6/7 hours; piece 7 is `0rrh`, the
 *    hours MS bit and the rate code rr (0 = 24, 1 = 25, 2 = 30 drop-frame, 3 = 30).
 *    Four are sent per frame, so a full time takes 8 messages = 2 frames. Running
 *    forward the pieces go 0..7, and the time they carry is the time at which
 *    piece 0 was sent, so once piece 7 has arrived the time is 2 frames behind: it
 *    becomes current with the next piece 0. Running backward the pieces go 7..0
 *    and piece 0 (sent last) is again the coded instant.
 *  - Full Message, `F0 7F <device> 01 01 hr mn sc fr F7` (hr = 0rrhhhhh): a locate
 *    (sent when the transport jumps or parks), not a running time.
 *
 * 29.97 fps: MTC has no code for 29.97 non-drop; it arrives as rate code 3 (30).
 * Only the operator knows, so `thirtyIsNonDrop2997` reads code 3 as 29.97 ND
 * (left as 30, a 29.97 ND source drifts 3.6 s an hour). Code 2 is always 29.97 DF.
 */
import { TIMECODE_RATES, framesToTimecode, frameDurationMs, timecodeToFrames, validateTimecode, type Timecode, type TimecodeRate } from '../../show/timecode.js';

export interface MtcParserOptions {
  /** Read rate code 3 ("30") as 29.97 non-drop. Default false. */
  thirtyIsNonDrop2997?: boolean;
  /** Full-frame SysEx device id to accept (0-0x7E) besides the all-call 0x7F; default: any. */
  deviceId?: number;
}

export type MtcDirection = 'forward' | 'reverse';

export type MtcEvent =
  | {
      kind: 'quarterFrame';
      /** The label current at `atClockMs` (forward: the coded time + 2 frames, per the spec). */
      timecode: Timecode;
      /** Engine ms at which `timecode` became (or becomes) current: forward, a quarter frame after piece 7 arrived. */
      atClockMs: number;
      /** The time the 8 pieces carried (the instant piece 0 was sent). */
      codedTimecode: Timecode;
      rate: TimecodeRate;
      direction: MtcDirection;
    }
  | { kind: 'fullFrame'; timecode: Timecode; atClockMs: number; rate: TimecodeRate; deviceId: number };

export interface MtcStats {
  quarterFrames: number;
  fullFrames: number;
  /** Pieces out of order (a dropped or reordered message): the sequence restarts. */
  sequenceBreaks: number;
  /** Messages with values out of range (e.g. frame 30 at 25 fps), ignored. */
  invalid: number;
}

const RATE_CODES = ['24', '25', '29.97df', '30'] as const;

export function mtcRate(code: number, thirtyIsNonDrop2997: boolean): TimecodeRate {
  const id = RATE_CODES[code & 3] as (typeof RATE_CODES)[number];
  return TIMECODE_RATES[id === '30' && thirtyIsNonDrop2997 ? '29.97nd' : id];
}

export class MtcParser {
  private readonly thirtyIsNonDrop: boolean;
  private readonly deviceId: number | null;
  private readonly nibbles = new Uint8Array(8);
  /** Pieces received in order in the current sequence. */
  private count = 0;
  private lastPiece = -1;
  private direction: MtcDirection | null = null;
  private readonly statsValue: MtcStats = { quarterFrames: 0, fullFrames: 0, sequenceBreaks: 0, invalid: 0 };
  /** Raw-stream state: a SysEx being collected, or the quarter-frame status awaiting its data byte. */
  private sysex: number[] | null = null;
  private awaitingQuarterFrameData = false;

  constructor(options: MtcParserOptions = {}) {
    this.thirtyIsNonDrop = options.thirtyIsNonDrop2997 ?? false;
    if (options.deviceId !== undefined && !(Number.isInteger(options.deviceId) && options.deviceId >= 0 && options.deviceId <= 0x7f)) {
      throw new RangeError(`MTC device id ${options.deviceId} is out of range 0-127`);
    }
    this.deviceId = options.deviceId ?? null;
  }

  get stats(): Readonly<MtcStats> {
    return this.statsValue;
  }

  /** One complete MIDI message (as MIDI libraries deliver them). Messages that are not MTC return null. */
  message(bytes: ArrayLike<number>, atClockMs: number): MtcEvent | null {
    if (bytes.length === 2 && bytes[0] === 0xf1) return this.quarterFrame(bytes[1] as number, atClockMs);
    if (bytes[0] === 0xf0) return this.fullFrame(bytes, atClockMs);
    return null;
  }

  /**
   * A raw MIDI byte stream (a serial port, a file). Real-time bytes (F8-FF) may sit
   * anywhere, even inside a SysEx, and are skipped; other messages are skipped.
   */
  bytes(stream: ArrayLike<number>, atClockMs: number): MtcEvent[] {
    const out: MtcEvent[] = [];
    for (let i = 0; i < stream.length; i++) {
      const b = (stream[i] as number) & 0xff;
      if (b >= 0xf8) continue;
      if (this.awaitingQuarterFrameData) {
        this.awaitingQuarterFrameData = false;
        if (b < 0x80) {
          const e = this.quarterFrame(b, atClockMs);
          if (e) out.push(e);
          continue;
        }
      }
      if (this.sysex) {
        if (b === 0xf7) {
          const e = this.fullFrame([...this.sysex, 0xf7], atClockMs);
          if (e) out.push(e);
          this.sysex = null;
          continue;
        }
        if (b < 0x80) {
          if (this.sysex.length < 64) this.sysex.push(b);
          continue;
        }
        this.sysex = null; // a status byte ends an unterminated SysEx
      }
      if (b === 0xf0) this.sysex = [0xf0];
      else if (b === 0xf1) this.awaitingQuarterFrameData = true;
    }
    return out;
  }

  private quarterFrame(data: number, atClockMs: number): MtcEvent | null {
    if (data > 0x7f) {
      this.statsValue.invalid++;
      return null;
    }
    this.statsValue.quarterFrames++;
    const piece = data >> 4;
    const nibble = data & 0x0f;
    const prev = this.lastPiece;
    this.lastPiece = piece;
    let dir: MtcDirection | null = null;
    if (prev >= 0 && piece === (prev + 1) % 8) dir = 'forward';
    else if (prev >= 0 && piece === (prev + 7) % 8) dir = 'reverse';
    const startsSequence = piece === 0 || piece === 7;
    if (dir !== null && (this.direction === null || dir === this.direction) && this.count > 0) {
      this.direction = dir;
      this.count++;
      // A sequence that began at the other end (7 then 0 forward, 0 then 7 backward) starts over here.
      if (this.count === 2 && ((dir === 'forward' && piece === 0) || (dir === 'reverse' && piece === 7))) this.count = 1;
    } else if (startsSequence) {
      // A sequence starts at piece 0 (forward) or piece 7 (reverse); the direction is known from the next piece.
      if (this.count > 0) this.statsValue.sequenceBreaks++;
      this.direction = null;
      this.count = 1;
    } else {
      if (this.count > 0) this.statsValue.sequenceBreaks++;
      this.direction = null;
      this.count = 0;
      return null;
    }
    this.nibbles[piece] = nibble;
    const complete = this.count === 8 && ((this.direction === 'forward' && piece === 7) || (this.direction === 'reverse' && piece === 0));
    if (!complete) {
      if (this.count >= 8) this.count = 0;
      return null;
    }
    const n = this.nibbles;
    const rate = mtcRate((n[7] as number) >> 1, this.thirtyIsNonDrop);
    const coded: Timecode = {
      frames: (n[0] as number) | (((n[1] as number) & 1) << 4),
      seconds: (n[2] as number) | (((n[3] as number) & 3) << 4),
      minutes: (n[4] as number) | (((n[5] as number) & 3) << 4),
      hours: (n[6] as number) | (((n[7] as number) & 1) << 4),
    };
    const direction = this.direction as MtcDirection;
    // The next sequence begins with this piece again (0 forward after 7, 7 backward after 0).
    this.count = 0;
    let codedFrames: number;
    try {
      codedFrames = timecodeToFrames(coded, rate);
    } catch {
      this.statsValue.invalid++;
      return null;
    }
    if (direction === 'forward') {
      // Coded at piece 0; piece 7 is 7 quarter frames later; the label coded+2 starts one quarter frame from now.
      return {
        kind: 'quarterFrame',
        timecode: framesToTimecode(codedFrames + 2, rate),
        atClockMs: atClockMs + frameDurationMs(rate) / 4,
        codedTimecode: coded,
        rate,
        direction,
      };
    }
    return { kind: 'quarterFrame', timecode: coded, atClockMs, codedTimecode: coded, rate, direction };
  }

  private fullFrame(bytes: ArrayLike<number>, atClockMs: number): MtcEvent | null {
    // F0 7F <device> 01 01 hr mn sc fr F7
    if (bytes.length !== 10 || bytes[1] !== 0x7f || bytes[3] !== 0x01 || bytes[4] !== 0x01 || bytes[9] !== 0xf7) return null;
    const deviceId = bytes[2] as number;
    if (this.deviceId !== null && deviceId !== 0x7f && deviceId !== this.deviceId) return null;
    const hr = bytes[5] as number;
    const rate = mtcRate((hr >> 5) & 3, this.thirtyIsNonDrop);
    const timecode: Timecode = { hours: hr & 0x1f, minutes: bytes[6] as number, seconds: bytes[7] as number, frames: bytes[8] as number };
    try {
      validateTimecode(timecode, rate);
    } catch {
      this.statsValue.invalid++;
      return null;
    }
    this.statsValue.fullFrames++;
    // A locate interrupts any quarter-frame sequence in progress.
    this.count = 0;
    this.lastPiece = -1;
    return { kind: 'fullFrame', timecode, atClockMs, rate, deviceId };
  }
}

/** Encode a running time as the 8 quarter-frame data bytes (pieces 0..7). For tests and an MTC generator. */
export function quarterFrameBytes(tc: Timecode, rateCode: 0 | 1 | 2 | 3): number[] {
  return [
    0x00 | (tc.frames & 0x0f),
    0x10 | (tc.frames >> 4),
    0x20 | (tc.seconds & 0x0f),
    0x30 | (tc.seconds >> 4),
    0x40 | (tc.minutes & 0x0f),
    0x50 | (tc.minutes >> 4),
    0x60 | (tc.hours & 0x0f),
    0x70 | (rateCode << 1) | (tc.hours >> 4),
  ];
}
