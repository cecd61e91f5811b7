/**
 * The engine's timecode chase: which reader is open (the show's settings.timecode
 * picks MTC or LTC; the machine's timecode.json names the port), what it hands the
 * show each tick (a reading and its rate, show/clock-source.ts ChaseInput), and
 * what the console sees (state.timecode).
 *
 * The reader is open whenever the show's source is external, engaged or not: in
 * rehearsal the console still shows the incoming timecode and its lock, the show
 * just does not run on it. A change of source, rate, freewheel or port reopens it.
 * Nothing here throws at the engine: a port that cannot be opened is a reader in
 * 'failed' with the reason, reported once as an error.
 */
import type { CommandResult } from '../../contract/connection.js';
import type { EngineError } from '../../contract/errors.js';
import type { ChaseSettings, TimecodeInputs, TimecodeStatus } from '../../contract/timecode.js';
import { INTERNAL_CLOCK, isChasing, NO_CHASE_INPUT, type ChaseInput } from '../../show/clock-source.js';
import { formatTimecode, TIMECODE_RATES } from '../../show/timecode.js';
import type { EngineClock } from '../clock.js';
import type { MidiPorts } from '../midi/midi-ports.js';
import type { LibNdi } from '../ndi/libndi.js';
import type { Result } from '../result.js';
import { NO_TIMECODE_INPUTS, readTimecodeConfig, writeTimecodeConfig } from './timecode-config.js';
import { MtcReader, NdiLtcReader, SOUND_CARD_LTC_MISSING, unavailableReader, type TimecodeReader } from './timecode-readers.js';

export interface TimecodeChaseOptions {
  /** Where timecode.json lives; null keeps the inputs in memory (tests). */
  configDir: string | null;
  clock: EngineClock;
  /** The MIDI ports (the system's, or a stand-in); asked when MTC is chosen. */
  midi: () => Result<MidiPorts>;
  /** The NDI runtime for LTC over NDI audio, or why there is none. */
  ndi: () => { lib: LibNdi; extraIps?: string } | string;
  /** Lock or port state changed: publish the state. */
  onChange: () => void;
  onError: (error: EngineError) => void;
}

type InputsPatch = { mtc?: TimecodeInputs['mtc'] | undefined; ltc?: TimecodeInputs['ltc'] | undefined };

export class TimecodeChase {
  private settings: ChaseSettings = INTERNAL_CLOCK;
  private inputs: TimecodeInputs;
  private reader: TimecodeReader | null = null;
  /** What the open reader was made for; a different key reopens it. */
  private readerKey = '';
  private lastSeen = '';

  constructor(private readonly options: TimecodeChaseOptions) {
    const read = options.configDir ? readTimecodeConfig(options.configDir) : { inputs: NO_TIMECODE_INPUTS, error: null };
    this.inputs = read.inputs;
    if (read.error) queueMicrotask(() => options.onError(read.error as EngineError));
  }

  /** The show's chase settings (called every show tick; cheap when unchanged). */
  follow(settings: ChaseSettings): void {
    if (settings === this.settings) return;
    this.settings = settings;
    this.reopen();
  }

  /** setTimecodeInputs: saved in timecode.json, the reader reopened on the new port. */
  setInputs(patch: InputsPatch): CommandResult {
    this.inputs = {
      mtc: patch.mtc === undefined ? this.inputs.mtc : patch.mtc,
      ltc: patch.ltc === undefined ? this.inputs.ltc : patch.ltc,
    };
    this.reopen();
    const error = this.options.configDir ? writeTimecodeConfig(this.options.configDir, this.inputs) : null;
    this.options.onChange();
    return error ? { ok: false, error } : { ok: true };
  }

  private reopen(): void {
    const { source, rate, freewheelFrames } = this.settings;
    const port = source === 'mtc' ? this.inputs.mtc : source === 'ltc' ? this.inputs.ltc : null;
    const key = JSON.stringify([source, rate, freewheelFrames, port]);
    if (key === this.readerKey) return;
    this.reader?.close();
    this.readerKey = key;
    this.reader = source === 'internal' ? null : this.open();
    const problem = this.reader?.port();
    if (problem?.status === 'failed' && problem.message) this.options.onError({ code: 'input-failed', message: problem.message });
  }

  private open(): TimecodeReader {
    const tuning = {
      ...(this.settings.rate !== undefined ? { rate: this.settings.rate } : {}),
      ...(this.settings.freewheelFrames !== undefined ? { freewheelFrames: this.settings.freewheelFrames } : {}),
    };
    if (this.settings.source === 'mtc') {
      const mtc = this.inputs.mtc;
      if (!mtc) return unavailableReader('mtc', '', 'The show chases MTC but this machine has no MTC input set: choose the MIDI input in the Timecode panel.', 'off');
      const ports = this.options.midi();
      if (!ports.ok) return unavailableReader('mtc', mtc.port, ports.error.message);
      return new MtcReader(ports.value, mtc, tuning);
    }
    const ltc = this.inputs.ltc;
    if (!ltc)
      return unavailableReader('ltc-ndi', '', 'The show chases LTC but this machine has no LTC input set: choose the NDI source (or sound card) in the Timecode panel.', 'off');
    if (ltc.from === 'soundCard') return unavailableReader('ltc-sound-card', ltc.device, SOUND_CARD_LTC_MISSING);
    const ndi = this.options.ndi();
    if (typeof ndi === 'string') return unavailableReader('ltc-ndi', ltc.source, `LTC over NDI needs the NDI runtime: ${ndi}`);
    return new NdiLtcReader(ltc, { lib: ndi.lib, ...(ndi.extraIps ? { extraIps: ndi.extraIps } : {}), clock: this.options.clock, settings: tuning });
  }

  /** Polls the port and advances the chase. True when what the console shows of it changed in kind (lock, port). */
  tick(nowMs: number): boolean {
    if (!this.reader) return false;
    this.reader.tick(nowMs);
    const seen = `${this.reader.chase(nowMs)?.lock ?? 'unlocked'} ${this.reader.port().status} ${this.reader.note() ?? ''}`;
    if (seen === this.lastSeen) return false;
    this.lastSeen = seen;
    return true;
  }

  /** What the show runs on this tick (show/clock-source.ts). */
  input(nowMs: number = this.options.clock.nowMs()): ChaseInput {
    const reader = this.reader;
    if (!reader) return NO_CHASE_INPUT;
    const rate = reader.chase(nowMs)?.rate;
    return { reading: reader.read(), rate: rate ? TIMECODE_RATES[rate] : null };
  }

  status(nowMs: number, wallMs: number): TimecodeStatus {
    const reader = this.reader;
    const chase = reader?.chase(nowMs) ?? null;
    const reading = reader?.read() ?? null;
    const rate = chase ? TIMECODE_RATES[chase.rate] : null;
    const port = reader?.port() ?? { status: 'off' as const };
    const timecodeMs = reading ? (reading.running ? reading.timecodeMs + (nowMs - reading.atClockMs) : reading.timecodeMs) : null;
    return {
      settings: this.settings,
      inputs: this.inputs,
      input: { kind: reader?.kind ?? 'none', name: reader?.name ?? '', status: port.status, ...(port.message ? { message: port.message } : {}) },
      lock: chase?.lock ?? 'unlocked',
      label: chase?.timecode && rate ? formatTimecode(chase.timecode, rate) : null,
      timecodeMs,
      running: reading?.running ?? false,
      atMs: wallMs,
      rate: chase?.rate ?? null,
      chasing: isChasing(this.settings, this.input(nowMs)),
      note: reader?.note() ?? null,
      counters: reader?.counters() ?? { frames: 0, jumps: 0, dropouts: 0, rejected: 0, received: 0 },
    };
  }

  close(): void {
    this.reader?.close();
    this.reader = null;
    this.readerKey = '';
  }
}
