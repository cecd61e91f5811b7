/**
 * A real libndi sender for the live-input tests: a known pattern (a white vertical bar
 * on black, blocky so NDI's codec carries it within a few levels) sent as UYVY, as
 * cameras and OBS send, on a timer at an exact rational rate. And the column profile
 * used to check that an output follows the input's structure (by correlation).
 */
import { FOURCC_UYVY, FRAME_FORMAT_PROGRESSIVE, TIMECODE_SYNTHESIZE, type LibNdi, type NativePointer } from '../../app/engine/ndi/libndi.js';
import { convertRgbaToUyvyJs } from '../../app/engine/ndi/pixels.js';

/** RGBA: black with a white vertical bar [barX, barX + barW) over the full height. */
export function barPattern(width: number, height: number, barX: number, barW: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const v = x >= barX && x < barX + barW ? 255 : 0;
      rgba[i] = rgba[i + 1] = rgba[i + 2] = v;
      rgba[i + 3] = 255;
    }
  }
  return rgba;
}

/** Mean luma per column of a UYVY frame (Y at odd bytes), `bins` columns wide. */
export function uyvyColumnProfile(data: Uint8Array, width: number, height: number, stride: number, bins: number): number[] {
  const sums = new Array<number>(bins).fill(0);
  const counts = new Array<number>(bins).fill(0);
  for (let y = 0; y < height; y += 2) {
    const row = y * stride;
    for (let x = 0; x < width; x++) {
      const bin = Math.min(bins - 1, Math.floor((x * bins) / width));
      sums[bin] = (sums[bin] as number) + (data[row + x * 2 + 1] as number);
      counts[bin] = (counts[bin] as number) + 1;
    }
  }
  return sums.map((s, i) => s / Math.max(1, counts[i] as number));
}

/** Mean of the red byte per column of an RGBA8 picture, `bins` columns wide (the bar patterns are grey, so red follows luma). */
export function rgbaColumnProfile(rgba: Uint8Array, width: number, height: number, bins: number): number[] {
  const sums = new Array<number>(bins).fill(0);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const bin = Math.min(bins - 1, Math.floor((x * bins) / width));
      sums[bin] = (sums[bin] as number) + (rgba[(y * width + x) * 4] as number);
    }
  return sums;
}

/** Column profile of the bar pattern itself (1 inside the bar, 0 outside), `bins` wide. */
export function barProfile(width: number, barX: number, barW: number, bins: number): number[] {
  const profile = new Array<number>(bins).fill(0);
  for (let x = 0; x < width; x++) {
    const bin = Math.min(bins - 1, Math.floor((x * bins) / width));
    if (x >= barX && x < barX + barW) profile[bin] = (profile[bin] as number) + bins / width;
  }
  return profile;
}

/** Pearson correlation of two equally long series (0 when either is flat). */
export function correlation(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  const mean = (v: readonly number[]) => v.slice(0, n).reduce((s, x) => s + x, 0) / n;
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa === 0 || sbb === 0 ? 0 : sab / Math.sqrt(saa * sbb);
}

/** A real NDI sender sending its current picture on a timer (libndi copies during the synchronous send). */
export class NdiTestSender {
  private readonly sender: NativePointer;
  private timer: NodeJS.Timeout | null = null;
  private frame: Uint8Array | null = null;
  sent = 0;
  /** performance.now() of the first send of the current picture (null until it went out). */
  pictureSentAtMs: number | null = null;
  private destroyed = false;

  constructor(
    private readonly lib: LibNdi,
    readonly name: string,
    readonly width: number,
    readonly height: number,
  ) {
    const sender = lib.sendCreate({ p_ndi_name: name, p_groups: null, clock_video: false, clock_audio: false });
    if (!sender) throw new Error('NDIlib_send_create failed');
    this.sender = sender;
  }

  /** The picture to send from the next frame on (RGBA at the sender's size, converted to UYVY once). */
  show(rgba: Uint8Array): void {
    const data = new Uint8Array(this.width * 2 * this.height);
    convertRgbaToUyvyJs({
      src: rgba,
      srcWidth: this.width,
      srcHeight: this.height,
      dst: data,
      width: this.width,
      height: this.height,
      stride: this.width * 2,
      level: 1,
      filter: 'bilinear',
    });
    this.frame = data;
    this.pictureSentAtMs = null;
  }

  sendOne(rate: { num: number; den: number }): void {
    if (!this.frame || this.destroyed) return;
    this.lib.sendVideo(this.sender, {
      xres: this.width,
      yres: this.height,
      FourCC: FOURCC_UYVY,
      frame_rate_N: rate.num,
      frame_rate_D: rate.den,
      picture_aspect_ratio: this.width / this.height,
      frame_format_type: FRAME_FORMAT_PROGRESSIVE,
      timecode: TIMECODE_SYNTHESIZE,
      p_data: this.frame as unknown as NativePointer,
      line_stride_in_bytes: this.width * 2,
      p_metadata: null,
      timestamp: 0,
    });
    if (this.pictureSentAtMs === null) this.pictureSentAtMs = performance.now();
    this.sent++;
  }

  /** Sends at `rate` (frame n at start + n x period, so the rate is exact on average). */
  start(rate: { num: number; den: number }): void {
    this.stop();
    const periodMs = (1000 * rate.den) / rate.num;
    const startMs = performance.now();
    let n = 0;
    const tick = () => {
      if (this.destroyed || this.timer === null) return;
      this.sendOne(rate);
      n++;
      this.timer = setTimeout(tick, Math.max(0, startMs + n * periodMs - performance.now()));
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  destroy(): void {
    this.stop();
    if (this.destroyed) return;
    this.destroyed = true;
    this.lib.sendDestroy(this.sender);
  }
}
