/**
 * In an NDI input's worker thread: find the source by name (mDNS plus the extra IPs),
 * receive it with libndi's receiver asking for RGBX/RGBA (libndi's own threads do the
 * colour conversion), and keep only the newest frame (latest wins: everything libndi
 * queued meanwhile is freed uncopied, so a slow consumer never builds a queue). The
 * newest frame is fitted straight from libndi's memory into each target (no copy) and
 * held (not freed) until the next one, so a target added while the source is still or
 * lost still gets a picture.
 *
 * Counted here, not taken from the SDK's claims: frames received, arrival times (fps
 * over the last second), frames skipped by latest-wins plus the drops libndi reports.
 */
import { FOURCC_RGBA, FRAME_TYPE_VIDEO, RECV_BANDWIDTH_HIGHEST, RECV_COLOR_RGBX_RGBA, type LibNdi, type NativePointer, type NdiSource, type VideoFrameV2 } from '../ndi/libndi.js';
import { loadNdiRuntime } from '../ndi/runtime.js';
import type { InputStatus } from '../../contract/inputs.js';
import { epochNowMs } from './live-input.js';
import {
  STAT_FPS,
  STAT_FRAMES_DROPPED,
  STAT_FRAMES_RECEIVED,
  STAT_HEIGHT,
  STAT_LAST_FRAME_EPOCH_MS,
  STAT_RATE_DEN,
  STAT_RATE_NUM,
  STAT_WIDTH,
  type WorkerContext,
} from './worker-protocol.js';

/** 'RGBX' as a little-endian FourCC (what libndi gives for opaque sources when asked for RGBX/RGBA). */
export const FOURCC_RGBX = 0x58424752;
/** A name not found for this long gets an error with the discovery hints (state stays 'waiting'). */
export const NDI_WAIT_HINT_AFTER_MS = 4000;
/** No frame for this long (and at least 4 frame periods): 'lost', the last frame held. */
export const NDI_LOST_AFTER_MS = 1000;
const FIND_EVERY_MS = 250;
/** How long one capture call may wait for a frame (the loop then reads messages). */
const CAPTURE_WAIT_MS = 10;

export interface NdiCaptureOptions {
  name: string;
  extraIps: string | null;
  libPath: string;
}

/** "MACHINE (Source)" matches itself; a bare "Source" matches any machine's "(Source)". */
export function ndiNameMatches(wanted: string, found: string): boolean {
  if (found === wanted) return true;
  return !wanted.includes('(') && found.endsWith(`(${wanted})`);
}

export function waitingHint(name: string, seconds: number): string {
  return (
    `NDI source "${name}" not found after ${seconds} s. Check the name (sources are "MACHINE (Source)"); if the sender is on another ` +
    `subnet or mDNS is blocked, give its IP with --ndi-extra-ips or use an NDI Discovery Server (--ndi-discovery).`
  );
}

const yieldToMessages = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runNdiCapture(options: NdiCaptureOptions, context: WorkerContext): Promise<void> {
  const runtime = loadNdiRuntime({ runtimeDir: options.libPath });
  if (!runtime.ok) {
    context.send({ type: 'state', state: 'failed', error: runtime.error.message });
    context.end();
    return;
  }
  const capture = new NdiCapture(runtime.value.lib, options, context);
  try {
    await capture.run();
  } finally {
    capture.dispose();
    context.end();
  }
}

class NdiCapture {
  private readonly finder: NativePointer | null;
  private receiver: NativePointer | null = null;
  private receiverUrl: string | null = null;
  private held: VideoFrameV2 | null = null;
  private state: InputStatus['state'] = 'waiting';
  private error: string | null = null;
  private readonly startedMs = performance.now();
  private connectedAtMs = 0;
  private nextFindMs = 0;
  private lastFrameMs = 0;
  private framePeriodMs = 1000 / 30;
  private frames = 0;
  /** Frames handed to the targets (numbered 1, 2, ...): gaps the reader sees are frames it never used. */
  private published = 0;
  private skipped = 0;
  private droppedByNdi = 0;
  private droppedBefore = 0;
  private arrivals: number[] = [];

  constructor(
    private readonly lib: LibNdi,
    private readonly options: NdiCaptureOptions,
    private readonly context: WorkerContext,
  ) {
    this.finder = lib.findCreate({ show_local_sources: true, p_groups: null, p_extra_ips: options.extraIps || null });
  }

  async run(): Promise<void> {
    if (!this.finder) this.setState('failed', 'NDIlib_find_create_v2 failed: the NDI runtime could not start a finder.');
    while (!this.context.isClosed()) {
      const now = performance.now();
      if (this.finder && now >= this.nextFindMs) {
        this.nextFindMs = now + FIND_EVERY_MS;
        this.look(now);
      }
      if (this.receiver) this.receive(now);
      else await new Promise((resolve) => setTimeout(resolve, CAPTURE_WAIT_MS));
      this.updateStats(performance.now());
      await yieldToMessages();
    }
  }

  /** Finds the source; (re)connects when first found or when it came back at another address. */
  private look(now: number): void {
    const found = this.lib.findGetCurrentSources(this.finder as NativePointer).find((s) => ndiNameMatches(this.options.name, s.name));
    if (found && (!this.receiver || (this.state !== 'connected' && found.url !== this.receiverUrl))) {
      this.connect(found);
      return;
    }
    const waited = now - this.startedMs;
    if (!this.receiver && this.state === 'waiting' && waited >= NDI_WAIT_HINT_AFTER_MS && !this.error) {
      this.setState('waiting', waitingHint(this.options.name, Math.round(waited / 1000)));
    }
    if (this.receiver && this.state === 'waiting' && this.frames === 0 && now - this.connectedAtMs >= NDI_WAIT_HINT_AFTER_MS && !this.error) {
      this.setState('waiting', `NDI source "${this.options.name}" was found but sent no video in ${Math.round((now - this.connectedAtMs) / 1000)} s: is it sending?`);
    }
  }

  private connect(source: NdiSource): void {
    if (this.receiver) {
      // Keep performance counts across receivers (a new one starts at zero).
      this.droppedBefore = this.droppedByNdi;
      // The held frame belongs to the old receiver: freed with it (the targets keep their last picture).
      this.context.targets.forget();
      if (this.held) this.lib.recvFreeVideo(this.receiver, this.held);
      this.held = null;
      this.lib.recvDestroy(this.receiver);
    }
    this.receiver = this.lib.recvCreate({
      source_to_connect_to: { p_ndi_name: source.name, p_url_address: source.url },
      color_format: RECV_COLOR_RGBX_RGBA,
      bandwidth: RECV_BANDWIDTH_HIGHEST,
      allow_video_fields: false,
      p_ndi_recv_name: `Cyclorama input ${process.pid}`,
    });
    this.receiverUrl = source.url;
    this.connectedAtMs = performance.now();
    if (!this.receiver) this.setState('failed', `NDIlib_recv_create_v3 failed for NDI source "${source.name}".`);
  }

  /** Takes everything libndi queued, keeps the newest, fits and publishes it. */
  private receive(now: number): void {
    const receiver = this.receiver as NativePointer;
    let newest: VideoFrameV2 | null = null;
    let wait = CAPTURE_WAIT_MS;
    for (;;) {
      const video: Partial<VideoFrameV2> = {};
      const type = this.lib.recvCaptureVideo(receiver, video, wait);
      if (type !== FRAME_TYPE_VIDEO) break;
      wait = 0;
      if (newest) {
        this.lib.recvFreeVideo(receiver, newest);
        this.skipped += 1;
        this.frames += 1;
        this.arrivals.push(epochNowMs());
      }
      newest = video as VideoFrameV2;
    }
    if (!newest) {
      if (this.state === 'connected' && now - this.lastFrameMs > Math.max(NDI_LOST_AFTER_MS, 4 * this.framePeriodMs)) {
        this.setState('lost', `NDI source "${this.options.name}" stopped sending: its last frame is held, and it is used again as soon as it sends.`);
      }
      return;
    }
    this.accept(receiver, newest);
  }

  private accept(receiver: NativePointer, frame: VideoFrameV2): void {
    const arrived = epochNowMs();
    const usable = frame.p_data && frame.xres > 0 && frame.yres > 0 && (frame.FourCC === FOURCC_RGBA || frame.FourCC === FOURCC_RGBX);
    if (!usable) {
      this.lib.recvFreeVideo(receiver, frame);
      this.setState('failed', `NDI source "${this.options.name}" sent a frame Cyclorama cannot read (FourCC 0x${frame.FourCC.toString(16)}, ${frame.xres}x${frame.yres}).`);
      return;
    }
    this.frames += 1;
    this.arrivals.push(arrived);
    this.lastFrameMs = performance.now();
    if (frame.frame_rate_N > 0 && frame.frame_rate_D > 0) this.framePeriodMs = (1000 * frame.frame_rate_D) / frame.frame_rate_N;
    const stride = frame.line_stride_in_bytes > 0 ? frame.line_stride_in_bytes : frame.xres * 4;
    const data = this.lib.view(frame.p_data as NativePointer, stride * frame.yres);
    // Publish from the new frame before freeing the previous one (a target may hold the old one until then).
    this.published += 1;
    this.context.targets.publish({ data, width: frame.xres, height: frame.yres, stride }, this.published, arrived);
    if (this.held) this.lib.recvFreeVideo(receiver, this.held);
    this.held = frame;
    const stats = this.context.stats;
    stats[STAT_WIDTH] = frame.xres;
    stats[STAT_HEIGHT] = frame.yres;
    stats[STAT_RATE_NUM] = frame.frame_rate_N;
    stats[STAT_RATE_DEN] = frame.frame_rate_D;
    stats[STAT_LAST_FRAME_EPOCH_MS] = arrived;
    if (this.state !== 'connected') this.setState('connected', null);
  }

  private updateStats(now: number): void {
    const epoch = performance.timeOrigin + now;
    const arrivals = this.arrivals;
    let drop = 0;
    while (drop < arrivals.length && (arrivals[drop] as number) <= epoch - 1000) drop++;
    if (drop > 0) arrivals.splice(0, drop);
    if (this.receiver) this.droppedByNdi = this.droppedBefore + this.lib.recvGetPerformance(this.receiver).droppedVideo;
    const stats = this.context.stats;
    stats[STAT_FRAMES_RECEIVED] = this.frames;
    stats[STAT_FRAMES_DROPPED] = this.skipped + this.droppedByNdi;
    stats[STAT_FPS] = arrivals.length;
  }

  private setState(state: InputStatus['state'], error: string | null): void {
    if (state === this.state && error === this.error) return;
    this.state = state;
    this.error = error;
    this.context.send({ type: 'state', state, error });
  }

  dispose(): void {
    this.context.targets.forget();
    if (this.receiver) {
      if (this.held) this.lib.recvFreeVideo(this.receiver, this.held);
      this.lib.recvDestroy(this.receiver);
    }
    this.held = null;
    this.receiver = null;
    if (this.finder) this.lib.findDestroy(this.finder);
  }
}
