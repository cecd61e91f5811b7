/**
 * NdiFrameSink: one named NDI(R) sender. Each tick it converts the program frame to
 * UYVY (BT.709, scaled to the output size, the level applied) and hands it to
 * libndi's asynchronous send, which encodes on libndi's own threads. It runs inside
 * each output's send worker (ndi-send-worker.ts, fed by NdiWorkerSink: CYCLORAMA_NDI_WORKERS=1),
 * or on the engine thread (the default, and where a worker cannot start).
 *
 * Buffer lifetimes, the part that must be right:
 *  - `frame.pixels` is read only inside `send` (converted synchronously), never kept:
 *    the FrameSink contract, the buffer goes back to the inference worker.
 *  - libndi holds the buffer of an async send until the NEXT send call on this
 *    sender has returned. And that send call itself blocks while the previous frame
 *    is still encoding (backpressure: p95 10 ms, max 100+ ms here on a busy 2-core
 *    machine), so it runs on a libuv worker thread (koffi async), never on the
 *    thread that runs the output clocks.
 *  - Hence three UYVY buffers in native memory (koffi.alloc: stable addresses,
 *    allowed in Electron's V8 sandbox where external ArrayBuffers are not):
 *    `held` (libndi holds it), `sending` (the call in flight), and a free one we
 *    convert into. When a tick comes while a call is still in flight, its frame
 *    waits as `queued` (latest wins: a newer tick overwrites it, counted as
 *    `encoderSkipped`) and goes out as soon as the call returns.
 *  - A repeated frame at the same level is not converted again: the buffer libndi
 *    holds is sent again as is (nobody writes it meanwhile), saving the conversion.
 *  - `close` waits for the call in flight, flushes (a NULL send returns once libndi
 *    is done with the buffer), then destroys the sender and frees the buffers.
 *
 * Frame lock: each frame's NDI timecode is its tick's instant (100 ns units since the
 * Unix epoch on the synchronised clock, frame-grid.ts tickTimecode: from k exactly) and
 * its metadata names k, `<cyclorama tick="k" look="id" fired="ms"/>` (fired: realtime ms when the
 * output clock fired), so receivers line frames of several nodes up by number.
 */
import koffi from 'koffi';
import type { OutputStatus } from '../../contract/state.js';
import { engineError } from '../../contract/errors.js';
import { fail, ok, type Result } from '../result.js';
import { FOURCC_UYVY, FRAME_FORMAT_PROGRESSIVE, type LibNdi, type NativePointer, type VideoFrameV2 } from '../ndi/libndi.js';
import type { ScaleFilter, UyvyConverter } from '../ndi/pixels.js';
import type { FrameSink, OutputTick } from './frame-sink.js';
import type { FrameRate } from '../../contract/ndi.js';
import { engineNowMs } from '../clock.js';
import { tickTimecode } from '../frame-grid.js';
import { ttffTrace, type TtffStage } from '../frames/ttff-trace.js';

/** Where the sink stamps a look's first frame (the TTFF trace; on a send worker, the stamps it shares with the engine thread). */
export interface SinkTrace {
  readonly on: boolean;
  wants(lookId: number, stage: TtffStage): boolean;
  mark(lookId: number, stage: TtffStage, atMs: number): void;
}

/** libndi's tally, read into this object by sendGetTally (one per sender, reused: no allocation per status). */
export interface SenderTally {
  on_program: boolean;
  on_preview: boolean;
}

/**
 * What a sender reports in its OutputStatus (receivers connected, tally, size, name): the same
 * whether it sends on the engine thread (NdiFrameSink) or from its worker (NdiWorkerSink).
 * `sender` null: closed (no connections, the tally as last read).
 */
export function senderStatus(lib: LibNdi, sender: NativePointer | null, config: NdiOutputConfig, tally: SenderTally, sourceName: string): Partial<OutputStatus> {
  const connections = sender ? lib.sendGetNoConnections(sender, 0) : 0;
  if (sender) lib.sendGetTally(sender, tally, 0);
  return {
    width: config.width,
    height: config.height,
    connections,
    tally: { program: tally.on_program, preview: tally.on_preview },
    sourceName,
    ...(config.groups ? { groups: config.groups } : {}),
  };
}

export interface NdiOutputConfig {
  /** Stable id in the engine state (survives renames). */
  id: string;
  /** NDI source name; receivers see "HOST (name)". */
  name: string;
  /** Comma-separated NDI groups; undefined = the default ("public"). */
  groups?: string;
  /** Output picture size; frames are scaled to it. Width must be even (UYVY). */
  width: number;
  height: number;
  /** Output frame rate, e.g. 60000/1001. Progressive always. */
  rate: FrameRate;
  /** Scaling filter when the frame size differs; bilinear by default. */
  filter?: ScaleFilter;
}

/** Room for one frame's metadata string (the tick element is under 80 bytes). */
const METADATA_BYTES = 128;

/**
 * The frame-lock metadata of tick k (NDI metadata is XML): `<cyclorama tick="k" look="id" fired="ms"/>`,
 * look: the engine's look id of the picture (per node), fired: realtime ms the output clock fired.
 */
export function tickMetadata(tick: number, lookId: number, firedAtMs: number): string {
  return `<cyclorama tick="${tick}" look="${lookId}" fired="${firedAtMs.toFixed(3)}"/>`;
}

/** Reads k, the look and when it fired back from a received frame's metadata; null when it carries none. */
export function parseTickMetadata(metadata: string | null): { tick: number; lookId: number; firedAtMs: number } | null {
  const match = metadata ? /<cyclorama\s+tick="(\d+)"\s+look="(\d+)"\s+fired="([\d.]+)"/.exec(metadata) : null;
  return match ? { tick: Number(match[1]), lookId: Number(match[2]), firedAtMs: Number(match[3]) } : null;
}

interface SendBuffer {
  address: bigint;
  /** A JS view of the native memory where the runtime allows it (plain Node), else null (Electron). */
  view: Uint8Array | null;
}

export class NdiFrameSink implements FrameSink {
  readonly kind = 'ndi' as const;
  private readonly buffers: SendBuffer[];
  private readonly bytes: number;
  /** Buffer libndi holds (its send returned), the one whose send is in flight, the one waiting; -1 = none. */
  private held = -1;
  private sending = -1;
  private queued = -1;
  private queuedTick = 0;
  private queuedFiredAtMs = 0;
  /** Buffer holding the newest converted picture (what a repeat re-sends). */
  private newest = -1;
  private lastSequence = -1;
  private lastPixels: Uint8Array | null = null;
  private lastLevel = -1;
  /** Look id of the picture in each buffer (the TTFF trace's send stamps). */
  private readonly bufferLooks = [0, 0, 0];
  private readonly video: VideoFrameV2;
  /** Frame metadata (the tick's XML), one native string per send in turn: libndi may hold it with the frame until the next send returns. */
  private readonly metadata: bigint[];
  private metadataTurn = 0;
  /** Where the JS converter writes when no view of native memory is allowed (then copied). */
  private staging: Uint8Array | null = null;
  private closed = false;
  private readonly tally = { on_program: false, on_preview: false };
  readonly sourceName: string;
  /** Frames converted vs. sent again unconverted (repeats). */
  converted = 0;
  resent = 0;
  /** Ticks whose frame was replaced before libndi could take it (encoder still busy). */
  encoderSkipped = 0;
  /** Send calls that failed on the worker thread (reported once through `onError`). */
  private sendError: Error | null = null;

  private constructor(
    private readonly lib: LibNdi,
    private sender: NativePointer | null,
    readonly config: NdiOutputConfig,
    private readonly converter: UyvyConverter,
    private readonly trace: SinkTrace = ttffTrace,
  ) {
    this.bytes = config.width * config.height * 2;
    this.buffers = [0, 1, 2].map(() => {
      const address = koffi.alloc('uint8_t', this.bytes) as bigint;
      let view: Uint8Array | null = null;
      try {
        view = new Uint8Array(koffi.view(address, this.bytes));
      } catch {
        view = null; // Electron forbids external buffers: the addon writes by address, JS via staging
      }
      return { address, view };
    });
    this.video = {
      xres: config.width,
      yres: config.height,
      FourCC: FOURCC_UYVY,
      frame_rate_N: config.rate.num,
      frame_rate_D: config.rate.den,
      picture_aspect_ratio: config.width / config.height,
      frame_format_type: FRAME_FORMAT_PROGRESSIVE,
      timecode: 0n,
      p_data: null,
      line_stride_in_bytes: config.width * 2,
      p_metadata: null,
      timestamp: 0n,
    };
    this.metadata = [0, 1, 2].map(() => koffi.alloc('char', METADATA_BYTES) as bigint);
    this.sourceName = (sender && lib.sendGetSourceName(sender)?.name) || config.name;
  }

  get id(): string {
    return this.config.id;
  }

  get name(): string {
    return this.config.name;
  }

  /** Creates the sender. Fails (as a value) if libndi refuses, e.g. an empty name. */
  static open(lib: LibNdi, config: NdiOutputConfig, converter: UyvyConverter): Result<NdiFrameSink> {
    if (config.width % 2 !== 0 || config.width < 2 || config.height < 1) {
      return fail(engineError('output-failed', `NDI output "${config.name}": width must be even and positive (UYVY), got ${config.width}x${config.height}.`));
    }
    // clock_video false: our output clock paces the frames; libndi must not block the thread.
    const sender = lib.sendCreate({ p_ndi_name: config.name, p_groups: config.groups ?? null, clock_video: false, clock_audio: false });
    if (!sender) return fail(engineError('output-failed', `NDI output "${config.name}": libndi could not create the sender.`, { output: config.id }));
    return ok(new NdiFrameSink(lib, sender, config, converter));
  }

  /** The same sink on a sender made elsewhere (an output's send worker: ndi-send-worker.ts); `close` destroys it. */
  static onSender(lib: LibNdi, sender: NativePointer, config: NdiOutputConfig, converter: UyvyConverter, trace: SinkTrace): NdiFrameSink {
    return new NdiFrameSink(lib, sender, config, converter, trace);
  }

  send({ frame, level, tick, firedAtMs = 0 }: OutputTick): void {
    if (this.sendError) {
      const error = this.sendError;
      this.sendError = null;
      throw error; // the clock records it and marks the output failed
    }
    if (!this.sender || this.closed) return;
    let index = this.newest;
    const changed = frame.sequence !== this.lastSequence || frame.pixels !== this.lastPixels || level !== this.lastLevel;
    if (index < 0 || changed) {
      // A buffer libndi neither holds nor is being handed (the queued one may be overwritten).
      index = [0, 1, 2].find((i) => i !== this.held && i !== this.sending) as number;
      const traced = this.trace.on && this.trace.wants(frame.lookId, 'tick');
      if (traced) this.trace.mark(frame.lookId, 'tick', engineNowMs());
      this.convertInto(this.buffers[index] as SendBuffer, frame.pixels, frame.width, frame.height, level);
      if (traced) this.trace.mark(frame.lookId, 'converted', engineNowMs());
      this.bufferLooks[index] = frame.lookId;
      this.lastSequence = frame.sequence;
      this.lastPixels = frame.pixels;
      this.lastLevel = level;
      this.newest = index;
      this.converted++;
    } else {
      this.resent++;
    }
    if (this.sending >= 0) {
      if (this.queued >= 0) this.encoderSkipped++;
      this.queued = index;
      this.queuedTick = tick;
      this.queuedFiredAtMs = firedAtMs;
      return;
    }
    this.startSend(index, tick, firedAtMs);
  }

  private startSend(index: number, tick: number, firedAtMs: number): void {
    const sender = this.sender;
    if (!sender) return;
    this.video.p_data = (this.buffers[index] as SendBuffer).address as unknown as NativePointer;
    this.video.timecode = tickTimecode(tick, this.config.rate);
    const lookId = this.bufferLooks[index] as number;
    this.video.p_metadata = this.writeMetadata(tickMetadata(tick, lookId, firedAtMs)) as unknown as NativePointer;
    this.sending = index;
    const traced = this.trace.on && this.trace.wants(lookId, 'sendStarted');
    if (traced) this.trace.mark(lookId, 'sendStarted', engineNowMs());
    this.lib.sendVideoAsyncOffThread(sender, this.video, (error) => {
      if (traced) this.trace.mark(lookId, 'sendReturned', engineNowMs());
      if (error) this.sendError = error instanceof Error ? error : new Error(String(error));
      this.held = this.sending; // the call returned: libndi holds this one, let go of the previous
      this.sending = -1;
      if (this.closed) {
        this.finishClose();
        return;
      }
      if (this.queued >= 0) {
        const next = this.queued;
        this.queued = -1;
        this.startSend(next, this.queuedTick, this.queuedFiredAtMs);
      }
    });
  }

  /** Writes the frame's metadata into the next native string (three in turn: one libndi holds, one in flight, this one). */
  private writeMetadata(text: string): bigint {
    const address = this.metadata[this.metadataTurn] as bigint;
    this.metadataTurn = (this.metadataTurn + 1) % this.metadata.length;
    koffi.encode(address, koffi.array('char', METADATA_BYTES), text.slice(0, METADATA_BYTES - 1));
    return address;
  }

  private convertInto(buffer: SendBuffer, pixels: Uint8Array, srcWidth: number, srcHeight: number, level: number): void {
    const common = {
      src: pixels,
      srcWidth,
      srcHeight,
      width: this.config.width,
      height: this.config.height,
      stride: this.config.width * 2,
      level,
      filter: this.config.filter ?? 'bilinear',
    } as const;
    if (this.converter.acceptsAddress) this.converter.convert({ ...common, dst: buffer.address });
    else if (buffer.view) this.converter.convert({ ...common, dst: buffer.view });
    else {
      this.staging ??= new Uint8Array(this.bytes);
      this.converter.convert({ ...common, dst: this.staging });
      koffi.encode(buffer.address, koffi.array('uint8_t', this.bytes), this.staging);
    }
  }

  /** Receivers connected now (0 when closed). */
  connections(): number {
    return this.sender && !this.closed ? this.lib.sendGetNoConnections(this.sender, 0) : 0;
  }

  status(): Partial<OutputStatus> {
    return senderStatus(this.lib, this.closed ? null : this.sender, this.config, this.tally, this.sourceName);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queued = -1;
    // A send still in flight on the worker thread: finish when it returns.
    if (this.sending < 0) this.finishClose();
  }

  private finishClose(): void {
    const sender = this.sender;
    this.sender = null;
    if (sender) {
      this.lib.sendVideoAsync(sender, null); // flush: libndi lets go of the last buffer
      this.lib.sendDestroy(sender);
    }
    for (const buffer of this.buffers) koffi.free(buffer.address);
    this.buffers.length = 0;
    for (const address of this.metadata) koffi.free(address);
    this.metadata.length = 0;
  }
}
