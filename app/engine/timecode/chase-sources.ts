/**
 * The two timecode readers the show clock seam (show/clock-source.ts TimecodeSource)
 * expects, as push-style objects: the audio or MIDI callback pushes what arrived
 * with its engine-clock instant, the output tick calls tick(now), the show reads.
 * No ports here: the engine's audio input (NDI audio, sound card) and MIDI input
 * feed them. Each owns a decoder/parser and a chase state machine (show/chase.ts).
 */
import type { ChaseSettings, TimecodeReading, TimecodeSource } from '../../show/clock-source.js';
import { chaseFrame, chaseReading, chaseStatus, chaseTick, initialChase, type ChaseOptions, type ChaseState, type ChaseStatus } from '../../show/chase.js';
import { TIMECODE_RATES, type TimecodeRate } from '../../show/timecode.js';
import { LtcDecoder, type LtcFrame } from './ltc-decoder.js';
import { MtcParser, type MtcEvent } from './mtc.js';

export type ChaseTuning = Omit<ChaseOptions, 'rate'>;

function tuning(settings: Pick<ChaseSettings, 'freewheelFrames'>, extra: ChaseTuning | undefined): ChaseTuning {
  return { ...(settings.freewheelFrames !== undefined ? { freewheelFrames: settings.freewheelFrames } : {}), ...extra };
}

/** The rate an LTC frame says it is: drop-frame flag -> 29.97 DF, else the nearest of 24/25/30 by its bit rate. */
export function ltcRateOf(frame: LtcFrame): TimecodeRate {
  if (frame.dropFrame) return TIMECODE_RATES['29.97df'];
  const f = frame.measuredFps;
  return f < 24.5 ? TIMECODE_RATES['24'] : f < 27.5 ? TIMECODE_RATES['25'] : TIMECODE_RATES['30'];
}

/** What both readers share: a chase state machine ticked by the output clock and read by the show. */
abstract class ChasedSource {
  protected chase: ChaseState | null = null;

  tick(nowMs: number): void {
    if (this.chase) this.chase = chaseTick(this.chase, nowMs);
  }

  read(): TimecodeReading | null {
    return this.chase ? chaseReading(this.chase) : null;
  }

  /** Lock state, rate and current timecode for the console; null before any frame. */
  status(nowMs: number): ChaseStatus | null {
    return this.chase ? chaseStatus(this.chase, nowMs) : null;
  }

  close(): void {
    this.chase = null;
  }
}

export interface LtcChaseSourceOptions {
  sampleRate: number;
  /** Operator settings: `rate` overrides what the signal suggests (29.97 non-drop cannot be told from 30 by a frame or two). */
  settings?: Pick<ChaseSettings, 'rate' | 'freewheelFrames'>;
  chase?: ChaseTuning;
}

export class LtcChaseSource extends ChasedSource implements TimecodeSource {
  readonly kind = 'ltc' as const;
  private readonly decoder: LtcDecoder;
  private readonly sampleRate: number;
  private readonly fixedRate: TimecodeRate | null;
  private readonly tuning: ChaseTuning;
  /** Absolute index of the next sample pushed. */
  private pushed = 0;

  constructor(options: LtcChaseSourceOptions) {
    super();
    this.decoder = new LtcDecoder({ sampleRate: options.sampleRate });
    this.sampleRate = options.sampleRate;
    this.fixedRate = options.settings?.rate ? TIMECODE_RATES[options.settings.rate] : null;
    this.tuning = tuning(options.settings ?? {}, options.chase);
  }

  /** Audio as it arrived: `firstSampleClockMs` is the engine-clock instant of samples[0]. Returns the frames decoded. */
  pushAudio(samples: Float32Array | Int16Array, firstSampleClockMs: number): LtcFrame[] {
    const blockStart = this.pushed;
    this.pushed += samples.length;
    const frames = this.decoder.push(samples);
    for (const f of frames) {
      const rate = this.fixedRate ?? ltcRateOf(f);
      if (!this.chase || this.chase.options.rate.id !== rate.id) this.chase = initialChase({ rate, ...this.tuning });
      // The label was current from the frame's first edge.
      const atClockMs = firstSampleClockMs + ((f.startSample - blockStart) * 1000) / this.sampleRate;
      this.chase = chaseFrame(this.chase, { timecode: f.timecode, atClockMs });
    }
    return frames;
  }

  get decoderStats() {
    return this.decoder.stats;
  }
}

export interface MtcChaseSourceOptions {
  /** `rate: '29.97nd'` reads MTC's "30" as 29.97 non-drop (MTC has no code for it). */
  settings?: Pick<ChaseSettings, 'rate' | 'freewheelFrames'>;
  /** Full-frame SysEx device id to take besides all-call. */
  deviceId?: number;
  chase?: ChaseTuning;
}

export class MtcChaseSource extends ChasedSource implements TimecodeSource {
  readonly kind = 'mtc' as const;
  private readonly parser: MtcParser;
  private readonly tuning: ChaseTuning;

  constructor(options: MtcChaseSourceOptions = {}) {
    super();
    this.parser = new MtcParser({
      thirtyIsNonDrop2997: options.settings?.rate === '29.97nd',
      ...(options.deviceId !== undefined ? { deviceId: options.deviceId } : {}),
    });
    this.tuning = tuning(options.settings ?? {}, options.chase);
  }

  /** One MIDI message as the MIDI library delivered it, with its arrival instant. */
  message(bytes: ArrayLike<number>, atClockMs: number): MtcEvent | null {
    const e = this.parser.message(bytes, atClockMs);
    if (e) this.apply(e);
    return e;
  }

  private apply(e: MtcEvent): void {
    if (!this.chase || this.chase.options.rate.id !== e.rate.id) this.chase = initialChase({ rate: e.rate, ...this.tuning });
    this.chase = chaseFrame(this.chase, { timecode: e.timecode, atClockMs: e.atClockMs, kind: e.kind === 'fullFrame' ? 'locate' : 'running' });
  }

  get parserStats() {
    return this.parser.stats;
  }
}
