/**
 * One recording's encoder: FFmpeg as a child process, raw RGBA frames on its stdin.
 * `offer` copies a frame into the bounded latest-wins queue (frame-queue.ts) and
 * returns at once; the pump writes one frame at a time and takes the next only when
 * the pipe has taken the last (the write callback), so the pipe never holds more
 * than one frame and a slow encoder shows up as dropped frames, never as memory or
 * as a late output tick.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { LatestWinsQueue, type QueuedFrame } from './frame-queue.js';

/** Frames the queue holds besides the one being written: about 0.1 s at 30 fps (at 1080p RGBA, 8 MB each). */
export const DEFAULT_QUEUE_FRAMES = 4;
/** Lines of FFmpeg's stderr kept for the message when it fails. */
const STDERR_LINES = 8;

export interface EncoderExit {
  /** True when FFmpeg finished the file after stdin closed (a stop); false when it ended on its own or was killed. */
  clean: boolean;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** FFmpeg's last stderr lines (its error when it failed). */
  stderr: string;
}

export interface FfmpegEncoderOptions {
  ffmpegPath: string;
  args: string[];
  frameBytes: number;
  queueFrames?: number;
  /** Most ticks one picture may stand for (about a second of frames); beyond that the file runs short. */
  maxTicksPerFrame?: number;
}

export class FfmpegEncoder {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly queue: LatestWinsQueue;
  private writing = false;
  private closing = false;
  private ended = false;
  private written = 0;
  /** The picture being written now (it may be extended by ticks while it is). */
  private inFlight: QueuedFrame | null = null;
  private readonly maxTicks: number;
  private repeated = 0;
  private readonly stderrLines: string[] = [];
  readonly exited: Promise<EncoderExit>;

  constructor(options: FfmpegEncoderOptions) {
    this.maxTicks = options.maxTicksPerFrame ?? Number.POSITIVE_INFINITY;
    this.queue = new LatestWinsQueue(options.frameBytes, (options.queueFrames ?? DEFAULT_QUEUE_FRAMES) + 1, options.maxTicksPerFrame);
    this.child = spawn(options.ffmpegPath, options.args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.resume();
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (text: string) => {
      for (const line of text.split('\n')) if (line.trim()) this.stderrLines.push(line.trim());
      this.stderrLines.splice(0, Math.max(0, this.stderrLines.length - STDERR_LINES));
    });
    // EPIPE when FFmpeg exits first: the exit below says why.
    this.child.stdin.on('error', () => {});
    this.exited = new Promise((resolve) => {
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        this.ended = true;
        resolve({ clean: this.closing && code === 0, code, signal, stderr: this.stderrLines.join('\n') });
      };
      this.child.on('error', (error) => {
        this.stderrLines.push(error.message);
        finish(null, null);
      });
      this.child.on('exit', finish);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Frames written to FFmpeg's stdin. */
  get framesWritten(): number {
    return this.written;
  }

  get droppedFrames(): number {
    return this.queue.droppedFrames;
  }

  /** Frames written again for ticks their picture covered (missed ticks, dropped pictures). */
  get repeatedFrames(): number {
    return this.repeated;
  }

  get lostTicks(): number {
    return this.queue.lostTicks;
  }

  get running(): boolean {
    return !this.ended && !this.closing;
  }

  /**
   * Copies one picture (fill writes exactly frameBytes into the buffer) into the queue for
   * `ticks` output ticks (1, or more after missed ticks); never waits.
   */
  offer(fill: (into: Uint8Array) => void, ticks = 1): void {
    if (!this.running) return;
    const claimed = this.queue.claim();
    if (!claimed) {
      this.queue.countDrop(ticks);
      return;
    }
    fill(claimed.buffer);
    this.queue.push(claimed.buffer, ticks + claimed.carriedTicks);
    this.pump();
  }

  /**
   * The source repeated the picture offered last: the newest queued picture (else the one being
   * written) covers `ticks` more ticks, with no copy. False when there is none to extend (the caller
   * offers a copy then).
   */
  extend(ticks: number): boolean {
    if (!this.running) return true;
    const target = this.queue.newest() ?? this.inFlight;
    if (!target || target.ticks + ticks > this.maxTicks) return false;
    target.ticks += ticks;
    this.pump();
    return true;
  }

  private pump(): void {
    if (this.writing || this.ended) return;
    const frame = this.queue.next();
    if (!frame) {
      if (this.closing) this.child.stdin.end();
      return;
    }
    this.write(frame, true);
  }

  /** Writes `frame` once per tick it covers, one write in the pipe at a time. */
  private write(frame: QueuedFrame, first: boolean): void {
    this.writing = true;
    this.inFlight = frame;
    this.child.stdin.write(frame.buffer, (error) => {
      this.writing = false;
      if (!error) {
        this.written++;
        if (!first) this.repeated++;
      }
      if (!error && frame.ticks > 1 && !this.ended) {
        frame.ticks--;
        this.write(frame, false);
        return;
      }
      this.inFlight = null;
      this.queue.release(frame.buffer);
      this.pump();
    });
  }

  /** Writes what is queued, closes stdin and waits for FFmpeg to finish the file. */
  async stop(): Promise<EncoderExit> {
    if (!this.closing && !this.ended) {
      this.closing = true;
      this.pump();
    }
    return this.exited;
  }

  /** Ends FFmpeg now (engine stop without a clean finish); the fragments written so far still play. */
  kill(): void {
    if (!this.ended) this.child.kill('SIGKILL');
  }
}
