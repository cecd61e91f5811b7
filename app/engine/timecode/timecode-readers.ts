/**
 * The ports timecode arrives on, each feeding a chase source (chase-sources.ts):
 *  - MtcReader: a MIDI input (midi/midi-ports.ts), quarter-frame and full-frame MTC.
 *  - NdiLtcReader: an NDI source's audio (ndi-audio.ts), LTC on one channel,
 *    found by name with libndi's finder (mDNS plus the extra IPs) and received
 *    audio-only; the show runner's tick polls it (capture never waits).
 *  - unavailableReader: a port that cannot be read here (the message says why).
 * All are ticked by the show runner and read by the show; none throws.
 */
import type { ChaseSettings, TimecodeReading } from '../../show/clock-source.js';
import type { ChaseStatus } from '../../show/chase.js';
import type { LtcInput, MtcInput, TimecodeStatus } from '../../contract/timecode.js';
import type { EngineClock } from '../clock.js';
import type { MidiInputPort, MidiPorts } from '../midi/midi-ports.js';
import type { LibNdi, NativePointer } from '../ndi/libndi.js';
import { RECV_COLOR_UYVY_BGRA } from '../ndi/libndi.js';
import { ndiNameMatches, waitingHint } from '../inputs/ndi-capture.js';
import { LtcChaseSource, MtcChaseSource } from './chase-sources.js';
import { ndiAudioFor, RECV_BANDWIDTH_AUDIO_ONLY, type NdiAudio } from './ndi-audio.js';
import { SampleClock } from './sample-clock.js';

export type PortStatus = Pick<TimecodeStatus['input'], 'status' | 'message'>;
export type ReaderCounters = TimecodeStatus['counters'];
export type ChaseTuningSettings = Pick<ChaseSettings, 'rate' | 'freewheelFrames'>;

export interface TimecodeReader {
  readonly kind: TimecodeStatus['input']['kind'];
  readonly name: string;
  /** Polls the port (audio) and advances the chase (dropout, freewheel, hold). */
  tick(nowMs: number): void;
  read(): TimecodeReading | null;
  chase(nowMs: number): ChaseStatus | null;
  port(): PortStatus;
  counters(): ReaderCounters;
  /** Something the operator must be told about this source's timecode, or null. */
  note(): string | null;
  close(): void;
}

const NO_COUNTERS: ReaderCounters = { frames: 0, jumps: 0, dropouts: 0, rejected: 0, received: 0 };

export function unavailableReader(kind: TimecodeReader['kind'], name: string, message: string, status: PortStatus['status'] = 'failed'): TimecodeReader {
  return {
    kind,
    name,
    tick: () => {},
    read: () => null,
    chase: () => null,
    port: () => ({ status, message }),
    counters: () => NO_COUNTERS,
    note: () => null,
    close: () => {},
  };
}

/** Told whenever MTC says 30 fps: MTC has no code for 29.97 non-drop, so only the operator can say. */
export const MTC_THIRTY_NOTE =
  'MTC says 30 fps. MTC has no code for 29.97 non-drop: if the source runs at 29.97 ND, set the rate to 29.97 ND, else the timeline drifts 3.6 s an hour.';

/** MTC from a MIDI input. */
export class MtcReader implements TimecodeReader {
  readonly kind = 'mtc' as const;
  readonly name: string;
  private readonly source: MtcChaseSource;
  private readonly input: MidiInputPort | null;
  private readonly problem: string | null;
  private readonly stopListening: () => void;
  private messages = 0;
  private readonly settings: ChaseTuningSettings;

  constructor(ports: MidiPorts, config: MtcInput, settings: ChaseTuningSettings) {
    this.settings = settings;
    this.source = new MtcChaseSource({ settings, ...(config.deviceId !== undefined ? { deviceId: config.deviceId } : {}) });
    const opened = ports.openInput(config.port);
    this.name = opened.ok ? opened.value.name : config.port;
    this.input = opened.ok ? opened.value : null;
    this.problem = opened.ok ? null : opened.error.message;
    this.stopListening =
      this.input?.onMessage((bytes, atClockMs) => {
        this.messages++;
        this.source.message(bytes, atClockMs);
      }) ?? (() => {});
  }

  tick(nowMs: number): void {
    this.source.tick(nowMs);
  }
  read(): TimecodeReading | null {
    return this.source.read();
  }
  chase(nowMs: number): ChaseStatus | null {
    return this.source.status(nowMs);
  }
  port(): PortStatus {
    if (this.problem) return { status: 'failed', message: this.problem };
    return this.messages > 0 ? { status: 'receiving' } : { status: 'waiting', message: `MIDI input "${this.name}" is open; no MTC has arrived yet.` };
  }
  counters(): ReaderCounters {
    const p = this.source.parserStats;
    const c = this.source.status(0);
    return {
      frames: Math.floor(p.quarterFrames / 8) + p.fullFrames,
      jumps: c?.jumps ?? 0,
      dropouts: c?.dropouts ?? 0,
      rejected: p.sequenceBreaks + p.invalid,
      received: this.messages,
    };
  }
  note(): string | null {
    return this.source.status(0)?.rate === '30' && this.settings.rate !== '30' ? MTC_THIRTY_NOTE : null;
  }
  close(): void {
    this.stopListening();
    this.input?.close();
    this.source.close();
  }
}

/** How often the finder is asked while the source is not connected, ms. */
const FIND_EVERY_MS = 250;
/** No audio for this long while connected: the port reads 'waiting' with a message (the chase freewheels/holds on its own clock). */
const AUDIO_SILENT_AFTER_MS = 1000;

export interface NdiLtcOptions {
  lib: LibNdi;
  extraIps?: string;
  clock: EngineClock;
  settings: ChaseTuningSettings;
}

/** LTC in an NDI source's audio. */
export class NdiLtcReader implements TimecodeReader {
  readonly kind = 'ltc-ndi' as const;
  readonly name: string;
  private readonly lib: LibNdi;
  private readonly audio: NdiAudio;
  private readonly finder: NativePointer | null;
  private receiver: NativePointer | null = null;
  private readonly clock: EngineClock;
  private readonly channel: number;
  private readonly settings: ChaseTuningSettings;
  private readonly startedMs: number;
  private nextFindMs = 0;
  private source: LtcChaseSource | null = null;
  private sampleRate = 0;
  private readonly sampleClock = new SampleClock();
  private blocks = 0;
  private lastAudioMs = 0;
  private problem: string | null = null;
  /** Frames decoded by chase sources replaced after a sample-rate change. */
  private earlierFrames = 0;

  constructor(config: Extract<LtcInput, { from: 'ndi' }>, options: NdiLtcOptions) {
    this.name = config.source;
    this.channel = config.channel;
    this.lib = options.lib;
    this.clock = options.clock;
    this.settings = options.settings;
    this.startedMs = options.clock.nowMs();
    this.audio = ndiAudioFor(options.lib);
    this.finder = options.lib.findCreate({ show_local_sources: true, p_groups: null, p_extra_ips: options.extraIps ?? null });
    if (!this.finder) this.problem = 'NDIlib_find_create_v2 failed: the NDI runtime could not start a finder.';
  }

  tick(nowMs: number): void {
    if (!this.receiver && this.finder && nowMs >= this.nextFindMs) {
      this.nextFindMs = nowMs + FIND_EVERY_MS;
      const found = this.lib.findGetCurrentSources(this.finder).find((s) => ndiNameMatches(this.name, s.name));
      if (found) {
        this.receiver = this.lib.recvCreate({
          source_to_connect_to: { p_ndi_name: found.name, p_url_address: found.url },
          color_format: RECV_COLOR_UYVY_BGRA,
          bandwidth: RECV_BANDWIDTH_AUDIO_ONLY,
          allow_video_fields: false,
          p_ndi_recv_name: `Cyclorama LTC ${process.pid}`,
        });
        if (!this.receiver) this.problem = `NDIlib_recv_create_v3 failed for NDI source "${found.name}".`;
      }
    }
    if (this.receiver) this.receive();
    this.source?.tick(nowMs);
  }

  /**
   * Everything libndi queued, in order, stamped on the engine clock by the sample clock.
   * A batch taken at once (the engine was busy, or libndi delivered a burst) is stamped
   * as if each block had arrived just when the blocks after it in the batch were due: a
   * real-time source cannot have finished block i later than that, so a stall of the
   * engine never makes old samples look new.
   */
  private receive(): void {
    const receiver = this.receiver as NativePointer;
    const batch: { samples: Float32Array; sampleRate: number }[] = [];
    for (let n = 0; n < 400; n++) {
      let block;
      try {
        block = this.audio.captureChannel(receiver, this.channel, 0);
      } catch (error) {
        this.problem = `NDI source "${this.name}": ${(error as Error).message}.`;
        continue;
      }
      if (!block) break;
      if (block.samples.length > 0) batch.push(block);
    }
    if (batch.length === 0) return;
    const arrived = this.clock.nowMs();
    this.lastAudioMs = arrived;
    this.problem = null;
    let later = batch.reduce((ms, b) => ms + (b.samples.length * 1000) / b.sampleRate, 0);
    for (const block of batch) {
      later -= (block.samples.length * 1000) / block.sampleRate;
      this.blocks++;
      if (!this.source || block.sampleRate !== this.sampleRate) {
        this.earlierFrames += this.source?.decoderStats.frames ?? 0;
        this.sampleRate = block.sampleRate;
        this.source = new LtcChaseSource({ sampleRate: block.sampleRate, settings: this.settings });
      }
      const source = this.source;
      for (const stamped of this.sampleClock.push(block.samples, block.sampleRate, arrived - later, arrived)) source.pushAudio(stamped.samples, stamped.firstMs);
    }
  }

  read(): TimecodeReading | null {
    return this.source?.read() ?? null;
  }
  chase(nowMs: number): ChaseStatus | null {
    return this.source?.status(nowMs) ?? null;
  }
  port(): PortStatus {
    if (this.problem) return { status: 'failed', message: this.problem };
    const now = this.clock.nowMs();
    if (!this.receiver) {
      const waited = now - this.startedMs;
      return { status: 'waiting', message: waited >= 4000 ? waitingHint(this.name, Math.round(waited / 1000)) : `Looking for NDI source "${this.name}".` };
    }
    if (this.blocks === 0 || now - this.lastAudioMs > AUDIO_SILENT_AFTER_MS) {
      return { status: 'waiting', message: `NDI source "${this.name}" is connected but sends no audio${this.blocks > 0 ? ' now' : ' yet'}.` };
    }
    return { status: 'receiving' };
  }
  counters(): ReaderCounters {
    const d = this.source?.decoderStats;
    const c = this.source?.status(0);
    return { frames: this.earlierFrames + (d?.frames ?? 0), jumps: c?.jumps ?? 0, dropouts: c?.dropouts ?? 0, rejected: d?.rejectedFrames ?? 0, received: this.blocks };
  }
  note(): string | null {
    return null;
  }
  close(): void {
    if (this.receiver) this.lib.recvDestroy(this.receiver);
    if (this.finder) this.lib.findDestroy(this.finder);
    this.receiver = null;
    this.source?.close();
  }
}

/** Why LTC from a sound card is not read by this build (README "Timecode chase" says more). */
export const SOUND_CARD_LTC_MISSING =
  'LTC from a sound card is not built into this version: no maintained Node audio-capture library was taken on (see README, Timecode chase). Send the LTC as the audio of an NDI source, or use MTC.';
