/**
 * libndi's own finder and receiver, for the loopback tests and diagnostics (is my
 * output visible from this machine?). Never blocks the event loop for long: finding
 * waits in short slices, capture polls with a zero timeout (libndi queues frames on
 * its own threads), so senders in the same process keep their clocks.
 */
import { RECV_BANDWIDTH_HIGHEST, RECV_COLOR_UYVY_BGRA, FRAME_TYPE_VIDEO, type LibNdi, type NativePointer, type NdiSource, type VideoFrameV2 } from './libndi.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface FindOptions {
  /** Comma-separated IPs to query besides mDNS, e.g. "127.0.0.1". */
  extraIps?: string;
  groups?: string;
  timeoutMs?: number;
}

/** Waits until a source whose name matches appears; null on timeout. */
export async function findNdiSource(lib: LibNdi, match: (source: NdiSource) => boolean, options: FindOptions = {}): Promise<NdiSource | null> {
  const finder = lib.findCreate({ show_local_sources: true, p_groups: options.groups ?? null, p_extra_ips: options.extraIps ?? null });
  if (!finder) throw new Error('NDIlib_find_create_v2 failed');
  try {
    const until = Date.now() + (options.timeoutMs ?? 10_000);
    while (Date.now() < until) {
      lib.findWaitForSources(finder, 20);
      const found = lib.findGetCurrentSources(finder).find(match);
      if (found) return found;
      await sleep(30);
    }
    return null;
  } finally {
    lib.findDestroy(finder);
  }
}

export interface ReceivedVideo {
  width: number;
  height: number;
  fourCC: number;
  rate: { num: number; den: number };
  timecode: bigint;
  stride: number;
  /** A copy of the frame's bytes (stride * height). */
  data: Uint8Array;
  /** The frame's metadata (XML), e.g. Cyclorama's `<cyclorama tick="k" .../>`; null when it has none. */
  metadata: string | null;
  receivedAtMs: number;
}

export class NdiReceiver {
  private closed = false;

  private constructor(
    private readonly lib: LibNdi,
    private readonly receiver: NativePointer,
  ) {}

  /** Connects to a source (by name, with its URL when a finder gave one). Frames arrive as UYVY. */
  static connect(lib: LibNdi, source: NdiSource, receiverName = 'Cyclorama receiver'): NdiReceiver {
    const receiver = lib.recvCreate({
      source_to_connect_to: { p_ndi_name: source.name, p_url_address: source.url },
      color_format: RECV_COLOR_UYVY_BGRA,
      bandwidth: RECV_BANDWIDTH_HIGHEST,
      allow_video_fields: false,
      p_ndi_recv_name: receiverName,
    });
    if (!receiver) throw new Error('NDIlib_recv_create_v3 failed');
    return new NdiReceiver(lib, receiver);
  }

  /** The next queued video frame, copied, or null when none is waiting. */
  poll(): ReceivedVideo | null {
    if (this.closed) return null;
    const video: Partial<VideoFrameV2> = {};
    const type = this.lib.recvCaptureVideo(this.receiver, video, 0);
    if (type !== FRAME_TYPE_VIDEO) return null;
    const frame = video as VideoFrameV2;
    try {
      const stride = frame.line_stride_in_bytes;
      if (!frame.p_data || frame.xres <= 0 || frame.yres <= 0) return null;
      return {
        width: frame.xres,
        height: frame.yres,
        fourCC: frame.FourCC,
        rate: { num: frame.frame_rate_N, den: frame.frame_rate_D },
        timecode: BigInt(frame.timecode),
        stride,
        data: this.lib.copyOut(frame.p_data, stride * frame.yres),
        metadata: frame.p_metadata ? this.lib.readString(frame.p_metadata) : null,
        receivedAtMs: performance.now(),
      };
    } finally {
      this.lib.recvFreeVideo(this.receiver, frame);
    }
  }

  /**
   * Blocks this thread up to `timeoutMs` for the next video frame and lets `read` look
   * at libndi's own buffer (no copy; valid only inside `read`; 0 = no wait, a poll without the copy). For a receiver in a
   * process or thread of its own (the wire bench), never on a thread with clocks to keep.
   * Returns what `read` returned, or null when no video frame came.
   */
  captureView<T>(
    timeoutMs: number,
    read: (frame: { width: number; height: number; stride: number; fourCC: number; data: Uint8Array; timecode: bigint; metadata: string | null }) => T,
  ): T | null {
    if (this.closed) return null;
    const video: Partial<VideoFrameV2> = {};
    if (this.lib.recvCaptureVideo(this.receiver, video, timeoutMs) !== FRAME_TYPE_VIDEO) return null;
    const frame = video as VideoFrameV2;
    try {
      if (!frame.p_data || frame.xres <= 0 || frame.yres <= 0) return null;
      const stride = frame.line_stride_in_bytes;
      const metadata = frame.p_metadata ? this.lib.readString(frame.p_metadata) : null;
      return read({
        width: frame.xres,
        height: frame.yres,
        stride,
        fourCC: frame.FourCC,
        data: this.lib.view(frame.p_data, stride * frame.yres),
        timecode: BigInt(frame.timecode),
        metadata,
      });
    } finally {
      this.lib.recvFreeVideo(this.receiver, frame);
    }
  }

  /** Frames received and dropped (libndi's count) since the receiver was made. */
  performance(): { totalVideo: number; droppedVideo: number } {
    return this.closed ? { totalVideo: 0, droppedVideo: 0 } : this.lib.recvGetPerformance(this.receiver);
  }

  /** Waits for a frame (polling every few ms); null on timeout. */
  async next(timeoutMs: number, accept: (frame: ReceivedVideo) => boolean = () => true): Promise<ReceivedVideo | null> {
    const until = performance.now() + timeoutMs;
    while (performance.now() < until) {
      const frame = this.poll();
      if (frame && accept(frame)) return frame;
      if (!frame) await sleep(2);
    }
    return null;
  }

  connections(): number {
    return this.closed ? 0 : this.lib.recvGetNoConnections(this.receiver);
  }

  setTally(program: boolean, preview: boolean): void {
    this.lib.recvSetTally(this.receiver, { on_program: program, on_preview: preview });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.lib.recvDestroy(this.receiver);
  }
}
