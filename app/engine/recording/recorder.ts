/**
 * The recorder: one recording at a time, of the program or of one output, to a file
 * in the folder the operator chose. It owns the recording's output clock (at the
 * source's rate, on the same program feed as the live outputs), the encoder process,
 * the disk checks and the journal that lets the next start name an interrupted
 * recording. The live outputs never wait for it: its sink only copies a frame into
 * a bounded queue (ffmpeg-encoder.ts).
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { engineError, type EngineError } from '../../contract/errors.js';
import type { FrameRate } from '../../contract/ndi.js';
import type { RecordingEnd, RecordingProgress, RecordingSettings, RecordingStatus } from '../../contract/recording.js';
import type { EngineClock } from '../clock.js';
import type { OutputFeed } from '../frames/program-feed.js';
import { OutputClock } from '../outputs/output-clock.js';
import { fail, ok, type Result } from '../result.js';
import { bytesText, DEFAULT_DISK_LIMITS, statfsFree, type DiskFree, type DiskLimits } from './disk-space.js';
import { CODEC_EXTENSION, encoderArgs } from './encoder-args.js';
import { NO_ENCODER, type EncoderInfo } from './ffmpeg-binary.js';
import { FfmpegEncoder } from './ffmpeg-encoder.js';
import type { RecordingJournal } from './recording-journal.js';
import { clockText, freeName, recordingFileName } from './recording-names.js';
import { RecordingSink } from './recording-sink.js';

/** Size, disk and journal checks while recording, ms. */
export const PROGRESS_PERIOD_MS = 500;
/** How long a stop waits for FFmpeg to write the last frames and close the file, ms. */
export const STOP_TIMEOUT_MS = 60_000;

/** What a recording is taken from: the frames' size on the feed, the rate, and what the file gets. */
export interface RecordingSource {
  id: string;
  name: string;
  /** The program frames' size (what the feed hands out). */
  width: number;
  height: number;
  rate: FrameRate;
  /** An output's crop of the program, and its size: FFmpeg applies both, in its own process. */
  crop?: { x: number; y: number; width: number; height: number };
  outWidth?: number;
  outHeight?: number;
  /** False while the output is blanked: recorded as black, as the wall shows it. */
  live: () => boolean;
}

export interface RecorderOptions {
  feed: OutputFeed;
  clock: EngineClock;
  /** The encoder search (ffmpeg-binary.ts findEncoder), started by the engine. */
  encoder: Promise<EncoderInfo>;
  resolveSource: (source: string) => Result<RecordingSource>;
  /** Show name and live cue number, for the file name. */
  names: () => { show: string; cueNumber: string | null };
  /** The wall log's timecode now: the file's start timecode. */
  timecodeNow: () => string;
  journal: RecordingJournal;
  diskFree?: DiskFree;
  limits?: DiskLimits;
  queueFrames?: number;
  onChange: () => void;
  onError: (error: EngineError) => void;
  log: (line: string) => void;
}

interface Active {
  progress: RecordingProgress;
  settings: RecordingSettings;
  encoder: FfmpegEncoder;
  clock: OutputClock;
  timer: NodeJS.Timeout;
  stopping: Promise<RecordingEnd> | null;
}

const recordingError = (message: string, details?: Record<string, unknown>) => engineError('recording', message, details);

export class Recorder {
  private encoderInfo: EncoderInfo = NO_ENCODER;
  private settings: RecordingSettings | null = null;
  private active: Active | null = null;
  private last: RecordingEnd | null = null;
  private diskFreeBytes: number | null = null;
  private readonly interrupted: RecordingStatus['interrupted'];
  /** Cue ids already told they cannot record (no settings), so a looping cue list does not repeat the error. */
  private readonly warnedCues = new Set<string>();
  private readonly diskFree: DiskFree;
  private readonly limits: DiskLimits;

  constructor(private readonly options: RecorderOptions) {
    this.diskFree = options.diskFree ?? statfsFree;
    this.limits = options.limits ?? DEFAULT_DISK_LIMITS;
    this.interrupted = options.journal.takeInterrupted();
    if (this.interrupted) {
      // The startup notice: in the log, the state (interrupted) and the console's recent errors.
      options.log(`recording: ${this.interrupted.message}`);
      options.onError(recordingError(this.interrupted.message, { file: this.interrupted.file, interrupted: true }));
    }
    void options.encoder.then((info) => {
      this.encoderInfo = info;
      options.log(info.available ? `recording: FFmpeg ${info.version} at ${info.path} (${info.codecs.join(', ')})` : `recording: ${info.message}`);
      options.onChange();
    });
  }

  /** A recording the last run left unfinished, for the startup notice. */
  get interruptedRecording(): RecordingStatus['interrupted'] {
    return this.interrupted;
  }

  status(): RecordingStatus {
    const active = this.active;
    if (active) this.refresh(active);
    return {
      encoder: this.encoderInfo,
      settings: this.settings,
      active: active ? { ...active.progress } : null,
      diskFreeBytes: this.diskFreeBytes,
      last: this.last,
      interrupted: this.interrupted,
    };
  }

  /** Starts a recording from a command: fields left out take the last recording's choice; the folder must have been chosen. */
  startWith(choice: Partial<RecordingSettings>): Promise<Result<RecordingProgress>> {
    const last = this.settings;
    const folder = choice.folder ?? last?.folder;
    if (!folder) return Promise.resolve(fail(recordingError('No recording folder chosen: give one (startRecording folder) or choose one in the Record panel.')));
    return this.start({ source: choice.source ?? last?.source ?? 'program', codec: choice.codec ?? last?.codec ?? 'h264-mp4', folder });
  }

  /** Starts a recording (refused with a message saying what to do); `cueId` when a cue's "record while on" asked. */
  async start(settings: RecordingSettings, cueId: string | null = null): Promise<Result<RecordingProgress>> {
    if (this.active) return fail(recordingError(`Already recording to "${this.active.progress.file}"; stop it first.`));
    const info = this.encoderInfo.available || this.encoderInfo.message !== NO_ENCODER.message ? this.encoderInfo : await this.options.encoder;
    if (!info.available || !info.path) return fail(recordingError(info.message ?? 'Recording needs FFmpeg, which was not found.'));
    if (!info.codecs.includes(settings.codec)) {
      return fail(recordingError(`This FFmpeg (${info.path}) cannot write ${settings.codec}; it offers ${info.codecs.join(', ') || 'nothing recording uses'}.`));
    }
    const folder = settings.folder;
    if (!isAbsolute(folder)) return fail(recordingError(`The recording folder must be a full path (got "${folder}").`, { folder }));
    if (!existsSync(folder) || !statSync(folder).isDirectory())
      return fail(recordingError(`The recording folder "${folder}" does not exist: create it or choose another.`, { folder }));
    try {
      accessSync(folder, constants.W_OK);
    } catch {
      return fail(recordingError(`Cannot write to the recording folder "${folder}": choose one this user may write to.`, { folder }));
    }
    const source = this.options.resolveSource(settings.source);
    if (!source.ok) return fail(source.error);
    let free: number;
    try {
      free = this.diskFree(folder);
    } catch (error) {
      return fail(recordingError(`Cannot read the free space of "${folder}": ${(error as Error).message}.`, { folder }));
    }
    this.diskFreeBytes = free;
    // Kept even when refused for space: the panel shows the folder and its free space.
    this.settings = { ...settings };
    if (free < this.limits.minFreeBytes) {
      this.options.onChange();
      return fail(
        recordingError(
          `Not enough disk space to record: ${bytesText(free)} free on the disk of "${folder}", recording needs at least ${bytesText(this.limits.minFreeBytes)}. Free some space or choose another folder.`,
          { folder, freeBytes: free },
        ),
      );
    }
    const { width, height, rate } = source.value;
    const startTimecode = this.options.timecodeNow();
    const names = this.options.names();
    const name = freeName(recordingFileName({ ...names, timecode: startTimecode, extension: CODEC_EXTENSION[settings.codec] }), (candidate) => existsSync(join(folder, candidate)));
    const file = join(folder, name);
    const args = encoderArgs({
      width,
      height,
      rate,
      codec: settings.codec,
      startTimecode,
      file,
      ...(source.value.crop ? { crop: source.value.crop } : {}),
      ...(source.value.outWidth ? { outWidth: source.value.outWidth } : {}),
      ...(source.value.outHeight ? { outHeight: source.value.outHeight } : {}),
    });
    const encoder = new FfmpegEncoder({
      ffmpegPath: info.path,
      args,
      frameBytes: width * height * 4,
      // One picture stands for at most a second of ticks; a longer stall shortens the file instead.
      maxTicksPerFrame: Math.max(1, Math.round(rate.num / rate.den)),
      ...(this.options.queueFrames ? { queueFrames: this.options.queueFrames } : {}),
    });
    const sink = new RecordingSink(`recording`, `Recording ${source.value.name}`, encoder, width, height, source.value.live);
    const clock = new OutputClock({ rate, feed: this.options.feed, clock: this.options.clock, selectable: false });
    clock.addSink(sink);
    const progress: RecordingProgress = {
      file,
      source: settings.source,
      sourceName: source.value.name,
      codec: settings.codec,
      width: source.value.outWidth ?? source.value.crop?.width ?? width,
      height: source.value.outHeight ?? source.value.crop?.height ?? height,
      rate,
      startTimecode,
      startedAtMs: this.options.clock.wallMs(),
      durationMs: 0,
      bytes: 0,
      frames: 0,
      droppedFrames: 0,
      repeatedFrames: 0,
      cueId,
    };
    const active: Active = { progress, settings: { ...settings }, encoder, clock, timer: setInterval(() => this.check(active), PROGRESS_PERIOD_MS), stopping: null };
    this.active = active;
    void encoder.exited.then((exit) => {
      // FFmpeg ended without being asked (bad arguments, a write error, killed): the recording ends here.
      if (this.active === active && !active.stopping) {
        const why = exit.stderr.split('\n').pop() || (exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`);
        void this.finish(active, 'failed', `The recording stopped: the encoder ended (${why}). "${file}" plays up to ${clockText(active.progress.durationMs)}.`);
      }
    });
    clock.start();
    this.options.journal.write({ file, durationMs: 0, startTimecode, encoderPid: encoder.pid ?? null });
    this.warnedCues.clear();
    this.options.log(`recording: started ${file} (${settings.codec}, ${progress.width}x${progress.height} at ${rate.num}/${rate.den}, timecode ${startTimecode})`);
    this.options.onChange();
    return ok({ ...progress });
  }

  /** Stops the recording in progress and waits until the file is finished. */
  async stop(): Promise<Result<RecordingEnd>> {
    const active = this.active;
    if (!active) return fail(recordingError('Nothing is being recorded.'));
    return ok(await this.finish(active, 'stopped', `Recorded "${active.progress.file}".`));
  }

  /**
   * "Record while this cue is on": the current cue (null = none) asks to record or not. A cue that
   * records starts one with the operator's settings; the first cue that does not stops one a cue started.
   */
  followCue(cue: { id: string; number: string; recordWhileOn?: boolean | undefined } | null): void {
    const wants = cue?.recordWhileOn === true;
    if (wants && !this.active && cue) {
      if (!this.settings) {
        if (!this.warnedCues.has(cue.id)) {
          this.warnedCues.add(cue.id);
          this.options.onError(
            recordingError(`Cue ${cue.number} records while it is on, but no recording folder is chosen: start a recording once from the Record panel (it keeps the folder).`),
          );
        }
        return;
      }
      const settings = this.settings;
      void this.start(settings, cue.id).then((started) => {
        if (!started.ok) this.options.onError(started.error);
      });
      return;
    }
    if (!wants && this.active && this.active.progress.cueId !== null && !this.active.stopping) void this.stop();
  }

  /** Engine stop: finishes the file (FFmpeg writes its trailer), then lets it go. */
  async close(): Promise<void> {
    if (this.active) await this.finish(this.active, 'stopped', `Recorded "${this.active.progress.file}" (the engine stopped).`);
  }

  private refresh(active: Active): void {
    const { encoder, progress } = active;
    progress.frames = encoder.framesWritten;
    progress.durationMs = (encoder.framesWritten * progress.rate.den * 1000) / progress.rate.num;
    progress.droppedFrames = encoder.droppedFrames;
    progress.repeatedFrames = encoder.repeatedFrames;
    try {
      progress.bytes = statSync(progress.file).size;
    } catch {
      // Not created yet (FFmpeg opens the file after its first frame).
    }
  }

  /** Every PROGRESS_PERIOD_MS: counters, the journal, and the disk (stop cleanly before it fills). */
  private check(active: Active): void {
    if (active.stopping) return;
    this.refresh(active);
    const { progress } = active;
    this.options.journal.write({ file: progress.file, durationMs: progress.durationMs, startTimecode: progress.startTimecode, encoderPid: active.encoder.pid ?? null });
    let free: number;
    try {
      free = this.diskFree(active.settings.folder);
    } catch (error) {
      void this.finish(
        active,
        'failed',
        `The recording stopped: the disk of "${active.settings.folder}" cannot be read (${(error as Error).message}). "${progress.file}" plays up to ${clockText(progress.durationMs)}.`,
      );
      return;
    }
    this.diskFreeBytes = free;
    if (free < this.limits.reserveBytes) {
      void this.finish(
        active,
        'disk-full',
        `The recording stopped before the disk filled: ${bytesText(free)} left on the disk of "${active.settings.folder}" (it keeps ${bytesText(this.limits.reserveBytes)} free). "${progress.file}" is complete up to ${clockText(progress.durationMs)}.`,
      );
    }
  }

  private finish(active: Active, reason: RecordingEnd['reason'], message: string): Promise<RecordingEnd> {
    if (active.stopping) return active.stopping;
    active.stopping = (async () => {
      clearInterval(active.timer);
      active.clock.stop();
      // FFmpeg finishes the file once stdin closes; one that does not within STOP_TIMEOUT_MS is killed (the fragments written still play).
      let killed = false;
      const timeout = setTimeout(() => {
        killed = true;
        active.encoder.kill();
      }, STOP_TIMEOUT_MS);
      const exit = await active.encoder.stop();
      clearTimeout(timeout);
      this.refresh(active);
      // FFmpeg that ended with an error while finishing: say so, with its own words, rather than "Recorded".
      const why = exit.stderr.split('\n').pop() || (exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`);
      const end: RecordingEnd =
        !killed && !exit.clean && reason === 'stopped'
          ? {
              ...active.progress,
              reason: 'failed',
              message: `The encoder ended with an error while finishing "${active.progress.file}" (${why}); the file plays up to its last fragment.`,
            }
          : killed
            ? {
                ...active.progress,
                reason: 'failed',
                message: `The encoder did not finish "${active.progress.file}" within ${STOP_TIMEOUT_MS / 1000} s and was stopped: the file plays up to its last fragment (about a second short of ${clockText(active.progress.durationMs)}).`,
              }
            : { ...active.progress, reason, message };
      this.options.journal.clear();
      this.last = end;
      if (this.active === active) this.active = null;
      this.options.log(`recording: ${end.message} ${end.frames} frames, ${bytesText(end.bytes)}, ${end.droppedFrames} dropped`);
      if (end.reason !== 'stopped') this.options.onError(recordingError(end.message, { file: end.file, reason: end.reason }));
      this.options.onChange();
      return end;
    })();
    return active.stopping;
  }
}
