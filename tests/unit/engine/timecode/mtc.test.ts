/**
 * MTC parser against byte streams written from "MIDI Time Code and Cueing,
 * Detailed Specification (Supplement to MIDI 1.0)", 12 February 1987: sections
 * "Quarter Frame Messages" (F1 0nnn dddd, pieces 0-7, rate code in piece 7's
 * 0rrh, 2-frame latency, reverse order when the tape runs backwards) and
 * "Full Message" (F0 7F cc 01 01 hr mn sc fr F7, hr = 0rrhhhhh).
 */
import { describe, expect, it } from 'vitest';
import { MtcParser, quarterFrameBytes, type MtcEvent } from '../../../../app/engine/timecode/mtc.js';
import { chaseFrame, initialChase } from '../../../../app/show/chase.js';
import { TIMECODE_RATES, framesToTimecode, timecodeToFrames, type Timecode } from '../../../../app/show/timecode.js';

const tc = (hours: number, minutes: number, seconds: number, frames: number): Timecode => ({ hours, minutes, seconds, frames });

/** Feed quarter-frame messages (F1 dd) one per quarter frame from t0; returns the events. */
function feedQuarterFrames(parser: MtcParser, data: number[], t0: number, quarterMs: number): MtcEvent[] {
  const out: MtcEvent[] = [];
  data.forEach((d, k) => {
    const e = parser.message([0xf1, d], t0 + k * quarterMs);
    if (e) out.push(e);
  });
  return out;
}

describe('MTC Full Message (spec "Full Message")', () => {
  it('decodes the spec example F0 7F 7F 01 01 61 1E 23 14 F7 as 01:30:35:20 at 30 fps', () => {
    const p = new MtcParser();
    const e = p.message([0xf0, 0x7f, 0x7f, 0x01, 0x01, 0x61, 0x1e, 0x23, 0x14, 0xf7], 500);
    expect(e).toEqual({ kind: 'fullFrame', timecode: tc(1, 30, 35, 20), atClockMs: 500, rate: TIMECODE_RATES['30'], deviceId: 0x7f });
  });

  it('rate codes in hr bits 5-6: 0 = 24, 1 = 25, 2 = 29.97 drop-frame, 3 = 30', () => {
    const p = new MtcParser();
    const rateOf = (hr: number) => (p.message([0xf0, 0x7f, 0x7f, 0x01, 0x01, hr, 0, 0, 0, 0xf7], 0) as { rate: { id: string } }).rate.id;
    expect([rateOf(0x00), rateOf(0x20), rateOf(0x40), rateOf(0x60)]).toEqual(['24', '25', '29.97df', '30']);
  });

  it('29.97 non-drop arrives as 30; the operator option reads it as 29.97 ND', () => {
    const p = new MtcParser({ thirtyIsNonDrop2997: true });
    const e = p.message([0xf0, 0x7f, 0x7f, 0x01, 0x01, 0x61, 0, 0, 0, 0xf7], 0);
    expect(e?.rate.id).toBe('29.97nd');
    // Code 2 stays drop-frame whatever the option.
    expect(p.message([0xf0, 0x7f, 0x7f, 0x01, 0x01, 0x41, 0, 0, 0, 0xf7], 0)?.rate.id).toBe('29.97df');
  });

  it('filters by device id (0x7F is all-call), ignores user-bits and other SysEx, refuses out-of-range values', () => {
    const p = new MtcParser({ deviceId: 5 });
    expect(p.message([0xf0, 0x7f, 0x05, 0x01, 0x01, 0x20, 0, 0, 1, 0xf7], 0)?.kind).toBe('fullFrame');
    expect(p.message([0xf0, 0x7f, 0x06, 0x01, 0x01, 0x20, 0, 0, 1, 0xf7], 0)).toBeNull();
    expect(p.message([0xf0, 0x7f, 0x7f, 0x01, 0x01, 0x20, 0, 0, 1, 0xf7], 0)?.kind).toBe('fullFrame');
    // User Bits Message: F0 7F cc 01 02 u1..u9 F7.
    expect(p.message([0xf0, 0x7f, 0x7f, 0x01, 0x02, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0xf7], 0)).toBeNull();
    // Frame 25 at 25 fps; a drop-frame label that does not exist (00:01:00;00).
    expect(p.message([0xf0, 0x7f, 0x7f, 0x01, 0x01, 0x20, 0, 0, 25, 0xf7], 0)).toBeNull();
    expect(p.message([0xf0, 0x7f, 0x7f, 0x01, 0x01, 0x40, 1, 0, 0, 0xf7], 0)).toBeNull();
    expect(p.stats.invalid).toBe(2);
    expect(() => new MtcParser({ deviceId: 200 })).toThrow(/device id 200/);
  });
});

describe('MTC Quarter Frame messages (spec "Quarter Frame Messages")', () => {
  it('forward 0..7 at 25 fps: the time is 2 frames behind once piece 7 arrives, current with the next piece 0', () => {
    const p = new MtcParser();
    // 01:02:03:04 at 25 fps (rr = 01): F1 04, F1 10, F1 23, F1 30, F1 42, F1 50, F1 61, F1 72.
    const data = [0x04, 0x10, 0x23, 0x30, 0x42, 0x50, 0x61, 0x72];
    expect(quarterFrameBytes(tc(1, 2, 3, 4), 1)).toEqual(data);
    const events = feedQuarterFrames(p, data, 1000, 10);
    expect(events).toEqual([
      {
        kind: 'quarterFrame',
        timecode: tc(1, 2, 3, 6),
        atClockMs: 1080, // piece 7 at 1070 + a quarter frame: the next piece 0's instant
        codedTimecode: tc(1, 2, 3, 4),
        rate: TIMECODE_RATES['25'],
        direction: 'forward',
      },
    ]);
  });

  it('a running stream yields a time every 2 frames that the chase locks onto', () => {
    const p = new MtcParser();
    const R = TIMECODE_RATES['30'];
    let chase = initialChase({ rate: R });
    const start = timecodeToFrames(tc(0, 59, 59, 20), R);
    const quarterMs = 1000 / 30 / 4;
    const times: Timecode[] = [];
    for (let seq = 0; seq < 5; seq++) {
      const coded = framesToTimecode(start + 2 * seq, R);
      for (const e of feedQuarterFrames(p, quarterFrameBytes(coded, 3), 1000 + seq * 8 * quarterMs, quarterMs)) {
        if (e.kind !== 'quarterFrame') continue;
        times.push(e.timecode);
        chase = chaseFrame(chase, { timecode: e.timecode, atClockMs: e.atClockMs });
      }
    }
    expect(times).toEqual([tc(0, 59, 59, 22), tc(0, 59, 59, 24), tc(0, 59, 59, 26), tc(0, 59, 59, 28), tc(1, 0, 0, 0)]);
    expect(chase.lock).toBe('locked');
    expect(chase.jumps).toBe(0);
  });

  it('reverse (pieces 7..0): the time is the coded instant at piece 0, direction reverse', () => {
    const p = new MtcParser();
    const data = quarterFrameBytes(tc(0, 0, 10, 0), 3).reverse();
    const events = feedQuarterFrames(p, data, 0, 1000 / 120);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'quarterFrame', direction: 'reverse', timecode: tc(0, 0, 10, 0), codedTimecode: tc(0, 0, 10, 0) });
    expect(events[0]?.atClockMs).toBeCloseTo(7 * (1000 / 120), 9);
  });

  it('drop-frame (rr = 10): the 2-frame offset counts across a dropped label, 00:00:59;28 -> 00:01:00;02', () => {
    const p = new MtcParser();
    const events = feedQuarterFrames(p, quarterFrameBytes(tc(0, 0, 59, 28), 2), 0, 1001 / 120);
    expect(events[0]).toMatchObject({ timecode: tc(0, 1, 0, 2), rate: TIMECODE_RATES['29.97df'] });
  });

  it('joins a stream mid-sequence and after a lost message: no time until a whole sequence, breaks counted', () => {
    const p = new MtcParser();
    const a = quarterFrameBytes(tc(0, 0, 1, 0), 1);
    const b = quarterFrameBytes(tc(0, 0, 1, 2), 1);
    const c = quarterFrameBytes(tc(0, 0, 1, 4), 1);
    // Joins at piece 3; then piece 5 of b is lost.
    const stream = [...a.slice(3), ...b.slice(0, 5), ...b.slice(6), ...c];
    const events = feedQuarterFrames(p, stream, 0, 10);
    expect(events.map((e) => e.timecode)).toEqual([tc(0, 0, 1, 6)]);
    expect(p.stats.sequenceBreaks).toBeGreaterThanOrEqual(1);
  });

  it('a full-frame locate in the middle of a sequence restarts it', () => {
    const p = new MtcParser();
    const seq = quarterFrameBytes(tc(0, 0, 5, 0), 1);
    feedQuarterFrames(p, seq.slice(0, 4), 0, 10);
    expect(p.message([0xf0, 0x7f, 0x7f, 0x01, 0x01, 0x20, 0, 0, 0, 0xf7], 45)?.kind).toBe('fullFrame');
    expect(feedQuarterFrames(p, seq.slice(4), 50, 10)).toEqual([]);
  });
});

describe('MTC from a raw MIDI byte stream', () => {
  it('skips real-time bytes (F8 clock, FE active sensing) anywhere, other messages, and SysEx split across reads', () => {
    const p = new MtcParser();
    const qf = quarterFrameBytes(tc(10, 0, 0, 0), 1).flatMap((d, k) => (k === 3 ? [0xf1, 0xf8, d] : [0xf1, d]));
    const noteOn = [0x90, 0x40, 0x7f];
    const full = [0xf0, 0x7f, 0x7f, 0x01, 0xfe, 0x01, 0x2a, 0x00, 0x00, 0x00, 0xf7];
    const events = [...p.bytes([...noteOn, ...qf.slice(0, 5)], 0), ...p.bytes(qf.slice(5), 10), ...p.bytes(full.slice(0, 4), 20), ...p.bytes(full.slice(4), 30)];
    expect(events.map((e) => [e.kind, e.timecode])).toEqual([
      ['quarterFrame', tc(10, 0, 0, 2)],
      ['fullFrame', tc(10, 0, 0, 0)],
    ]);
  });

  it('an unterminated SysEx is dropped at the next status byte', () => {
    const p = new MtcParser();
    expect(p.bytes([0xf0, 0x7f, 0x7f, 0x01, 0x01, 0x20, 0x90, 0x40, 0x7f], 0)).toEqual([]);
    expect(p.bytes([0xf0, 0x7f, 0x7f, 0x01, 0x01, 0x20, 0, 0, 3, 0xf7], 0)).toHaveLength(1);
  });
});
