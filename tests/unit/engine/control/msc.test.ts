/**
 * MSC parser against byte streams written from MIDI Show Control, MIDI 1.0
 * Recommended Practice RP-002 (MSC 1.0, 1991; 1.1 keeps these messages):
 * 2.1 "Universal System Exclusive Format" (F0 7F <device_ID> 02 <command_format>
 * <command> <data> F7, at most 128 bytes), 2.2 device identification (00-6F
 * individual, 70-7E groups, 7F all-call), the command format table (01 lighting,
 * 30 video, 7F all-types), the command table (01 GO, 02 STOP, 03 RESUME,
 * 04 TIMED_GO, 05 LOAD, 08 ALL_OFF, 09 RESTORE, 0A RESET) and the cue number
 * data (ASCII digits and '.', Q_number 00 Q_list 00 Q_path).
 */
import { describe, expect, it } from 'vitest';
import { commandSchema } from '../../../../app/contract/commands.js';
import { mscAccepts, mscToCommand, parseMsc, validateMscFilter, type MscMessage } from '../../../../app/engine/control/msc.js';

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const msc = (device: number, format: number, command: number, data: number[] = []) => [0xf0, 0x7f, device, 0x02, format, command, ...data, 0xf7];

function parsed(bytes: number[]): MscMessage {
  const r = parseMsc(bytes);
  if (!r.ok) throw new Error(r.error);
  return r.message;
}

describe('MSC parse', () => {
  it('GO with Q_number 235.6, Q_list 36.6, Q_path 1 to lighting device 1', () => {
    const bytes = msc(0x01, 0x01, 0x01, [...ascii('235.6'), 0x00, ...ascii('36.6'), 0x00, ...ascii('1')]);
    expect(bytes.slice(0, 11)).toEqual([0xf0, 0x7f, 0x01, 0x02, 0x01, 0x01, 0x32, 0x33, 0x35, 0x2e, 0x36]);
    expect(parsed(bytes)).toEqual({ deviceId: 1, commandFormat: 0x01, command: 'GO', qNumber: '235.6', qList: '36.6', qPath: '1', time: null });
  });

  it('GO with no cue (the next cue), all-call, all-types', () => {
    expect(parsed([0xf0, 0x7f, 0x7f, 0x02, 0x7f, 0x01, 0xf7])).toMatchObject({ command: 'GO', qNumber: null, qList: null, deviceId: 0x7f, commandFormat: 0x7f });
  });

  it('desk variants: a trailing 00, and "00 <Q_list>" with no Q_number (MagicQ "Go Cue Stack 10")', () => {
    expect(parsed(msc(0x7f, 0x01, 0x01, [...ascii('3'), 0x00]))).toMatchObject({ qNumber: '3', qList: null });
    expect(parsed([0xf0, 0x7f, 0x7f, 0x02, 0x01, 0x01, 0x00, 0x31, 0x30, 0xf7])).toMatchObject({ qNumber: null, qList: '10' });
  });

  it('STOP, RESUME, LOAD, ALL_OFF, RESTORE, RESET', () => {
    expect(parsed(msc(0x7f, 0x01, 0x02))).toMatchObject({ command: 'STOP', qNumber: null });
    expect(parsed(msc(0x7f, 0x01, 0x03, ascii('4')))).toMatchObject({ command: 'RESUME', qNumber: '4' });
    expect(parsed(msc(0x7f, 0x01, 0x05, ascii('2.5')))).toMatchObject({ command: 'LOAD', qNumber: '2.5' });
    expect(parsed(msc(0x7f, 0x01, 0x08)).command).toBe('ALL_OFF');
    expect(parsed(msc(0x7f, 0x01, 0x09)).command).toBe('RESTORE');
    expect(parsed(msc(0x7f, 0x01, 0x0a)).command).toBe('RESET');
  });

  it('TIMED_GO: the 5-byte standard time (hr = 0rrhhhhh, ff fractional frames) before the cue', () => {
    // 01:02:03:04.50 at 25 fps (rr = 01 -> hr = 0x21), cue 7.
    const m = parsed(msc(0x7f, 0x01, 0x04, [0x21, 0x02, 0x03, 0x04, 50, ...ascii('7')]));
    expect(m).toMatchObject({ command: 'TIMED_GO', qNumber: '7', time: { hours: 1, minutes: 2, seconds: 3, frames: 4, fractionalFrames: 50, rateCode: 1 } });
  });

  it('refuses malformed messages, naming the problem', () => {
    const err = (bytes: number[]) => {
      const r = parseMsc(bytes);
      return r.ok ? 'parsed' : r.error;
    };
    expect(err([0xf0, 0x7f, 0x7f, 0x01, 0x01, 0x61, 0, 0, 0, 0xf7])).toMatch(/not an MSC message/);
    expect(err([0xf0, 0x7f, 0x7f, 0x02, 0x01, 0x01, 0x31])).toMatch(/does not end with F7/);
    expect(err(msc(0x7f, 0x01, 0x01, ascii('A')))).toMatch(/Q_number "A" is not a cue number/);
    expect(err(msc(0x7f, 0x01, 0x01, ascii('1..2')))).toMatch(/not a cue number/);
    expect(err(msc(0x7f, 0x01, 0x01, ascii('1234567890123')))).toMatch(/longer than 12/);
    expect(err(msc(0x7f, 0x01, 0x07, ascii('1')))).toMatch(/command 0x07 is not one Cyclorama takes/);
    expect(err(msc(0x7f, 0x01, 0x05))).toMatch(/LOAD needs a Q_number/);
    expect(err(msc(0x7f, 0x01, 0x04, [0x21, 0x02]))).toMatch(/TIMED_GO needs a 5-byte time/);
    expect(err(msc(0x7f, 0x01, 0x04, [0x21, 60, 0, 0, 0]))).toMatch(/out of range/);
    expect(err(msc(0x7f, 0x01, 0x08, [0x31]))).toMatch(/ALL_OFF takes no data/);
    expect(err(msc(0x7f, 0x01, 0x01, [0x31, 0x00, 0x31, 0x00, 0x31, 0x00, 0x31]))).toMatch(/4 cue fields/);
    expect(err(msc(0x7f, 0x01, 0x01, [0x31, 0x90, 0x31]))).toMatch(/status byte inside/);
    expect(err(msc(0x7f, 0x01, 0x01, new Array(130).fill(0x31)))).toMatch(/at most 128/);
  });
});

describe('MSC device id and command format filtering', () => {
  const go = (device: number, format = 0x01, extra: number[] = []) => parsed(msc(device, format, 0x01, extra));
  const filter = { deviceId: 0x05, groupIds: [0x71] };

  it('takes its own id, its group and all-call; not another device or group', () => {
    expect(mscAccepts(go(0x05), filter)).toBe(true);
    expect(mscAccepts(go(0x71), filter)).toBe(true);
    expect(mscAccepts(go(0x7f), filter)).toBe(true);
    expect(mscAccepts(go(0x06), filter)).toBe(false);
    expect(mscAccepts(go(0x72), filter)).toBe(false);
  });

  it('takes lighting, video and all-types formats by default; not sound (0x10) or pyro (0x60)', () => {
    for (const f of [0x01, 0x30, 0x33, 0x7f]) expect(mscAccepts(go(0x7f, f), filter)).toBe(true);
    for (const f of [0x10, 0x60]) expect(mscAccepts(go(0x7f, f), filter)).toBe(false);
    expect(mscAccepts(go(0x7f, 0x10), { ...filter, commandFormats: [0x10] })).toBe(true);
  });

  it('a Q_list filter takes messages for that list or none', () => {
    const f = { deviceId: 1, qList: '2' };
    expect(mscAccepts(go(0x7f, 0x01, [...ascii('1'), 0, ...ascii('2')]), f)).toBe(true);
    expect(mscAccepts(go(0x7f, 0x01, [...ascii('1'), 0, ...ascii('3')]), f)).toBe(false);
    expect(mscAccepts(go(0x7f, 0x01, ascii('1')), f)).toBe(true);
  });

  it('refuses a filter with an id outside its range', () => {
    expect(() => validateMscFilter({ deviceId: 0x70 })).toThrow(/device id 112 is out of range 0-111/);
    expect(() => validateMscFilter({ deviceId: 1, groupIds: [0x7f] })).toThrow(/group id 127/);
    expect(() => validateMscFilter({ deviceId: 0x6f, groupIds: [0x70, 0x7e] })).not.toThrow();
  });
});

describe('MSC -> Cyclorama commands', () => {
  const cues: Record<string, string> = { '1': 'c1', '2.5': 'c4' };
  const lookup = (n: string) => cues[n] ?? null;
  const map = (bytes: number[]) => mscToCommand(parsed(bytes), lookup);

  it('GO -> go; GO N -> fireCue N; TIMED_GO as GO with a note', () => {
    expect(map(msc(0x7f, 0x01, 0x01))).toEqual({ command: { type: 'go' } });
    expect(map(msc(0x7f, 0x01, 0x01, ascii('3')))).toEqual({ command: { type: 'fireCue', number: '3' } });
    expect(map(msc(0x7f, 0x01, 0x04, [0x21, 0, 0, 0, 0, ...ascii('2.5')]))).toEqual({
      command: { type: 'fireCue', number: '2.5' },
      note: 'TIMED_GO time ignored: the cue fades with its own transition',
    });
  });

  it('LOAD N -> standby on the cue numbered N, or a reason when there is none', () => {
    expect(map(msc(0x7f, 0x01, 0x05, ascii('2.5')))).toEqual({ command: { type: 'standby', cueId: 'c4' } });
    expect(map(msc(0x7f, 0x01, 0x05, ascii('9')))).toEqual({ command: null, reason: 'MSC LOAD: no cue numbered "9" in the show' });
  });

  it('STOP / RESUME drive the timeline; of a single cue they are refused with a reason', () => {
    expect(map(msc(0x7f, 0x01, 0x02))).toEqual({ command: { type: 'timelinePause' } });
    expect(map(msc(0x7f, 0x01, 0x03))).toEqual({ command: { type: 'timelinePlay' } });
    expect(map(msc(0x7f, 0x01, 0x02, ascii('1')))).toMatchObject({ command: null, reason: expect.stringMatching(/STOP of cue 1/) });
  });

  it('ALL_OFF -> panic black, RESTORE -> restore, RESET -> timelineStop', () => {
    expect(map(msc(0x7f, 0x01, 0x08))).toEqual({ command: { type: 'panic', mode: 'black' } });
    expect(map(msc(0x7f, 0x01, 0x09))).toEqual({ command: { type: 'restore' } });
    expect(map(msc(0x7f, 0x01, 0x0a))).toEqual({ command: { type: 'timelineStop' } });
  });

  it('every mapped command is valid under the contract (the engine validates them again at its edge)', () => {
    const all = [0x01, 0x02, 0x03, 0x08, 0x09, 0x0a].map((c) => map(msc(0x7f, 0x01, c)));
    all.push(map(msc(0x7f, 0x01, 0x01, ascii('2.5'))), map(msc(0x7f, 0x01, 0x05, ascii('1'))));
    for (const m of all) {
      expect(m.command).not.toBeNull();
      expect(commandSchema.safeParse(m.command).success).toBe(true);
    }
  });
});
