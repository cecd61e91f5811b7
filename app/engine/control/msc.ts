/**
 * MIDI Show Control (MSC, MMA "MIDI Show Control 1.1") parser and the map from MSC
 * commands to Cyclorama commands. No I/O: the MIDI port reader hands complete SysEx
 * messages; the map returns command objects for the engine's usual validation.
 *
 * Message: F0 7F <device_ID> 02 <command_format> <command> <data> F7
 *  - device_ID: 00-6F one device, 70-7E a group, 7F all-call.
 *  - command_format: 01 lighting (general), 30 video (general) .. 3F video types,
 *    7F all-types; others (sound, pyro, ...) are for other departments.
 *  - data: cue fields as ASCII digits and '.', separated by 00:
 *    <Q_number> 00 <Q_list> 00 <Q_path>, each optional from the right.
 *    TIMED_GO puts a 5-byte time (hr mn sc fr ff, hr = 0rrhhhhh as in MTC) first.
 */
import type { CommandInput } from '../../contract/commands.js';

export const MSC_COMMANDS = {
  GO: 0x01,
  STOP: 0x02,
  RESUME: 0x03,
  TIMED_GO: 0x04,
  LOAD: 0x05,
  ALL_OFF: 0x08,
  RESTORE: 0x09,
  RESET: 0x0a,
} as const;
export type MscCommandName = keyof typeof MSC_COMMANDS;

const COMMAND_NAMES = new Map<number, MscCommandName>(Object.entries(MSC_COMMANDS).map(([k, v]) => [v, k as MscCommandName]));

export const MSC_FORMAT_LIGHTING = 0x01;
export const MSC_FORMAT_VIDEO = 0x30;
export const MSC_FORMAT_ALL_TYPES = 0x7f;
export const MSC_ALL_CALL = 0x7f;

/** A time in a TIMED_GO (MSC "standard time specification"). */
export interface MscTime {
  hours: number;
  minutes: number;
  seconds: number;
  frames: number;
  /** Fractional frames 0-99: the ff byte, when fr (0gifffff) has i = 0; with i = 1 ff is status bits and this is 0. */
  fractionalFrames: number;
  /** MTC rate code 0 = 24, 1 = 25, 2 = 29.97 DF, 3 = 30. */
  rateCode: number;
}

export interface MscMessage {
  deviceId: number;
  commandFormat: number;
  command: MscCommandName;
  qNumber: string | null;
  qList: string | null;
  qPath: string | null;
  time: MscTime | null;
}

export type MscParse = { ok: true; message: MscMessage } | { ok: false; error: string };

/** Longest cue field Cyclorama keeps (a cue number is at most 12 characters in the show file). */
const MAX_FIELD = 12;

/**
 * Parse one SysEx. Returns `{ ok: false, error }` naming the problem for a message
 * that is MSC but malformed, and for non-MSC SysEx (so a caller can count it).
 */
export function parseMsc(bytes: ArrayLike<number>): MscParse {
  const b = Array.from(bytes);
  if (b.length < 7 || b[0] !== 0xf0 || b[1] !== 0x7f || b[3] !== 0x02) return { ok: false, error: 'not an MSC message (expected F0 7F <device> 02 ...)' };
  if (b[b.length - 1] !== 0xf7) return { ok: false, error: 'MSC message does not end with F7' };
  if (b.length > 128) return { ok: false, error: `MSC message is ${b.length} bytes; the spec allows at most 128` };
  if (b.some((v, i) => i > 0 && i < b.length - 1 && v > 0x7f)) return { ok: false, error: 'MSC message has a status byte inside it (data bytes must be 00-7F)' };
  const deviceId = b[2] as number;
  const commandFormat = b[4] as number;
  const code = b[5] as number;
  const command = COMMAND_NAMES.get(code);
  if (!command)
    return { ok: false, error: `MSC command 0x${code.toString(16).padStart(2, '0')} is not one Cyclorama takes (GO, STOP, RESUME, TIMED_GO, LOAD, ALL_OFF, RESTORE, RESET)` };
  let data = b.slice(6, -1);
  let time: MscTime | null = null;
  if (command === 'TIMED_GO') {
    if (data.length < 5) return { ok: false, error: 'MSC TIMED_GO needs a 5-byte time (hr mn sc fr ff) before the cue number' };
    const [hr, mn, sc, fr, ff] = data as [number, number, number, number, number];
    time = { hours: hr & 0x1f, minutes: mn, seconds: sc, frames: fr & 0x1f, fractionalFrames: fr & 0x20 ? 0 : ff, rateCode: (hr >> 5) & 3 };
    if (time.hours > 23 || time.minutes > 59 || time.seconds > 59 || time.frames > 29 || time.fractionalFrames > 99) {
      return { ok: false, error: `MSC TIMED_GO time ${time.hours}:${time.minutes}:${time.seconds}:${time.frames}.${time.fractionalFrames} is out of range` };
    }
    data = data.slice(5);
  }
  if ((command === 'ALL_OFF' || command === 'RESTORE' || command === 'RESET') && data.length > 0) {
    return { ok: false, error: `MSC ${command} takes no data, got ${data.length} bytes` };
  }
  const fields: string[] = [];
  let current: number[] = [];
  for (const v of data) {
    if (v === 0x00) {
      fields.push(String.fromCharCode(...current));
      current = [];
    } else current.push(v);
  }
  if (data.length > 0) fields.push(String.fromCharCode(...current));
  if (fields.length > 3) return { ok: false, error: `MSC ${command} has ${fields.length} cue fields; at most Q_number 00 Q_list 00 Q_path` };
  const names = ['Q_number', 'Q_list', 'Q_path'];
  for (const [i, f] of fields.entries()) {
    if (!/^(\d+(\.\d+)*)?$/.test(f)) {
      return { ok: false, error: `MSC ${names[i]} "${f}" is not a cue number (ASCII digits and '.', e.g. "2.5")` };
    }
    // An empty field is absent: senders end with 00, and some (MagicQ) send "00 <Q_list>" for "GO on that list".
    if (f.length > MAX_FIELD) return { ok: false, error: `MSC ${names[i]} "${f}" is longer than ${MAX_FIELD} characters` };
  }
  const field = (i: number) => (fields[i] ? (fields[i] as string) : null);
  if (command === 'LOAD' && field(0) === null) return { ok: false, error: 'MSC LOAD needs a Q_number' };
  return { ok: true, message: { deviceId, commandFormat, command, qNumber: field(0), qList: field(1), qPath: field(2), time } };
}

export interface MscFilter {
  /** This machine's device id, 0-0x6F. */
  deviceId: number;
  /** Group ids (0x70-0x7E) this machine also answers. */
  groupIds?: readonly number[];
  /** Command formats accepted; default lighting (01), video 30-3F, all-types (7F). */
  commandFormats?: readonly number[];
  /** Only cues in this Q_list (a message without a Q_list is taken). Default: any list. */
  qList?: string;
}

const DEFAULT_FORMATS = [MSC_FORMAT_LIGHTING, ...Array.from({ length: 16 }, (_, i) => MSC_FORMAT_VIDEO + i), MSC_FORMAT_ALL_TYPES];

/** Throws a RangeError naming a bad filter setting. */
export function validateMscFilter(filter: MscFilter): void {
  if (!Number.isInteger(filter.deviceId) || filter.deviceId < 0 || filter.deviceId > 0x6f) {
    throw new RangeError(`MSC device id ${filter.deviceId} is out of range 0-111 (0x00-0x6F; 0x70-0x7E are groups, 0x7F all-call)`);
  }
  for (const g of filter.groupIds ?? []) {
    if (!Number.isInteger(g) || g < 0x70 || g > 0x7e) throw new RangeError(`MSC group id ${g} is out of range 112-126 (0x70-0x7E)`);
  }
}

/** Whether this machine should act on `msg`: its device id, one of its groups, or all-call; a format it takes; its cue list. */
export function mscAccepts(msg: MscMessage, filter: MscFilter): boolean {
  const id = msg.deviceId;
  const addressed = id === MSC_ALL_CALL || id === filter.deviceId || (filter.groupIds ?? []).includes(id);
  if (!addressed) return false;
  if (!(filter.commandFormats ?? DEFAULT_FORMATS).includes(msg.commandFormat)) return false;
  if (filter.qList !== undefined && msg.qList !== null && msg.qList !== filter.qList) return false;
  return true;
}

export type MscMapping = { command: CommandInput; note?: string } | { command: null; reason: string };

/**
 * MSC -> Cyclorama command, by name. `cueIdForNumber` looks a cue up in the show
 * (LOAD puts a cue on standby, which the contract addresses by id).
 *  GO          -> go (standby cue), or fireCue N with a Q_number
 *  TIMED_GO    -> as GO; the time is not used (cues carry their own transition)
 *  LOAD N      -> standby (the cue numbered N)
 *  STOP        -> timelinePause (STOP of one cue has no meaning for a look: ignored)
 *  RESUME      -> timelinePlay
 *  ALL_OFF     -> panic to black
 *  RESTORE     -> restore (undo the panic)
 *  RESET       -> timelineStop
 */
export function mscToCommand(msg: MscMessage, cueIdForNumber: (cueNumber: string) => string | null): MscMapping {
  switch (msg.command) {
    case 'GO':
    case 'TIMED_GO': {
      const note = msg.command === 'TIMED_GO' ? 'TIMED_GO time ignored: the cue fades with its own transition' : undefined;
      const command: CommandInput = msg.qNumber === null ? { type: 'go' } : { type: 'fireCue', number: msg.qNumber };
      return note ? { command, note } : { command };
    }
    case 'LOAD': {
      const cueId = msg.qNumber === null ? null : cueIdForNumber(msg.qNumber);
      if (cueId === null) return { command: null, reason: `MSC LOAD: no cue numbered "${msg.qNumber ?? ''}" in the show` };
      return { command: { type: 'standby', cueId } };
    }
    case 'STOP':
      return msg.qNumber === null
        ? { command: { type: 'timelinePause' } }
        : { command: null, reason: `MSC STOP of cue ${msg.qNumber}: a look cannot be stopped (STOP with no cue pauses the timeline)` };
    case 'RESUME':
      return msg.qNumber === null
        ? { command: { type: 'timelinePlay' } }
        : { command: null, reason: `MSC RESUME of cue ${msg.qNumber}: a look cannot be resumed (RESUME with no cue plays the timeline)` };
    case 'ALL_OFF':
      return { command: { type: 'panic', mode: 'black' } };
    case 'RESTORE':
      return { command: { type: 'restore' } };
    case 'RESET':
      return { command: { type: 'timelineStop' } };
  }
}
