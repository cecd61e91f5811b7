/**
 * NDI input with real parts: a real libndi sender in this process (UYVY, as cameras and
 * OBS send, or RGBA for odd sizes), found by the input's own finder over the extra IP
 * 127.0.0.1 (mDNS finds nothing here), received by InputSet's NDI input in its worker
 * thread and fitted to the model's size. Patterns are blocky (a bright bar on black, a
 * grey counter block) so NDI's codec carries them within a few levels.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LookInput } from '../../app/contract/inputs.js';
import { applyNdiDiscovery } from '../../app/engine/ndi/discovery.js';
import { FOURCC_RGBA, FOURCC_UYVY, FRAME_FORMAT_PROGRESSIVE, TIMECODE_SYNTHESIZE, type LibNdi, type NativePointer } from '../../app/engine/ndi/libndi.js';
import { convertRgbaToUyvyJs } from '../../app/engine/ndi/pixels.js';
import { loadNdiRuntime } from '../../app/engine/ndi/runtime.js';
import type { InputPicture } from '../../app/engine/inputs/input-picture.js';
import { InputSet } from '../../app/engine/inputs/input-set.js';
import { removeNdiMarkers } from '../helpers/ndi-pattern.js';
import { counterGrey, startCounterSender, type CounterSender } from '../helpers/ndi-counter-sender.js';

const RUN = `${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
const names: string[] = [];
const uniqueName = (label: string) => {
  const name = `Cyc inputs ${label} ${RUN}`;
  names.push(name);
  return name;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let lib: LibNdi;
let configDir: string;
const sets: InputSet[] = [];
const senders: TestSender[] = [];
const stopLater: CounterSender[] = [];

/** RGBA: black, a white vertical bar [barX, barX + barW), and a grey block (the frame counter) at the top left. */
function pattern(width: number, height: number, barX: number, barW: number, counterGrey = 0): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const inBar = x >= barX && x < barX + barW && y >= height / 4;
      const inCounter = x < width / 8 && y < height / 4 && counterGrey > 0;
      const v = inBar ? 255 : inCounter ? counterGrey : 0;
      rgba[i] = rgba[i + 1] = rgba[i + 2] = v;
      rgba[i + 3] = 255;
    }
  }
  return rgba;
}

/** A real NDI sender, sending synchronously (libndi copies during the call) on a timer. */
class TestSender {
  private readonly sender: NativePointer;
  private timer: NodeJS.Timeout | null = null;
  sent = 0;
  private frame: { data: Uint8Array; width: number; height: number; fourCC: number; stride: number } | null = null;

  constructor(readonly name: string) {
    const sender = lib.sendCreate({ p_ndi_name: name, p_groups: null, clock_video: false, clock_audio: false });
    if (!sender) throw new Error('NDIlib_send_create failed');
    this.sender = sender;
    senders.push(this);
  }

  /** Sets the picture (RGBA); sent as UYVY unless the width is odd (then RGBA). */
  show(rgba: Uint8Array, width: number, height: number): void {
    if (width % 2 === 0) {
      const data = new Uint8Array(width * 2 * height);
      convertRgbaToUyvyJs({ src: rgba, srcWidth: width, srcHeight: height, dst: data, width, height, stride: width * 2, level: 1, filter: 'bilinear' });
      this.frame = { data, width, height, fourCC: FOURCC_UYVY, stride: width * 2 };
    } else {
      this.frame = { data: rgba, width, height, fourCC: FOURCC_RGBA, stride: width * 4 };
    }
  }

  sendOne(rate = { num: 30, den: 1 }): void {
    const f = this.frame;
    if (!f) return;
    lib.sendVideo(this.sender, {
      xres: f.width,
      yres: f.height,
      FourCC: f.fourCC,
      frame_rate_N: rate.num,
      frame_rate_D: rate.den,
      picture_aspect_ratio: f.width / f.height,
      frame_format_type: FRAME_FORMAT_PROGRESSIVE,
      timecode: TIMECODE_SYNTHESIZE,
      // A JS buffer is fine here: the synchronous send is done with it when it returns.
      p_data: f.data as unknown as NativePointer,
      line_stride_in_bytes: f.stride,
      p_metadata: null,
      timestamp: 0,
    });
    this.sent += 1;
  }

  start(fps: number, beforeEach?: () => void): void {
    this.stopTimer();
    const rate = { num: fps, den: 1 };
    this.timer = setInterval(() => {
      beforeEach?.();
      this.sendOne(rate);
    }, 1000 / fps);
  }

  stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  destroy(): void {
    this.stopTimer();
    lib.sendDestroy(this.sender);
    const i = senders.indexOf(this);
    if (i >= 0) senders.splice(i, 1);
  }
}

function newSet(): InputSet {
  const set = new InputSet({ ndi: lib, extraIps: '127.0.0.1' });
  sets.push(set);
  return set;
}

const look = (name: string, fit: LookInput['fit'] = 'fill'): LookInput => ({ source: { kind: 'ndi', name }, fit });

/** Polls pictureFor (as an inference loop would, every `everyMs`) until `accept` holds. */
async function pictureUntil(
  set: InputSet,
  input: LookInput,
  w: number,
  h: number,
  accept: (p: InputPicture) => boolean,
  timeoutMs = 20_000,
  everyMs = 20,
): Promise<InputPicture | null> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    const picture = set.pictureFor(null, input, 1, w, h);
    if (picture && accept(picture)) return picture;
    await sleep(everyMs);
  }
  return null;
}

const luma = (p: InputPicture, x: number, y: number) => {
  const i = (y * p.width + x) * 4;
  return ((p.rgba[i] as number) + (p.rgba[i + 1] as number) + (p.rgba[i + 2] as number)) / 3;
};

/** The bright bar's centre column, measured on the bottom half (brightness-weighted mean of x). */
function barCentre(p: InputPicture): number {
  let sum = 0;
  let weight = 0;
  for (let y = Math.floor(p.height / 2); y < p.height; y++) {
    for (let x = 0; x < p.width; x++) {
      const v = luma(p, x, y);
      if (v > 128) {
        sum += x * v;
        weight += v;
      }
    }
  }
  return weight > 0 ? sum / weight : -1;
}

beforeAll(() => {
  // Discovery without mDNS, as a user sets it (--ndi-extra-ips): before libndi initializes.
  configDir = mkdtempSync(path.join(tmpdir(), 'cyclorama-ndi-input-test-'));
  applyNdiDiscovery({ extraIps: '127.0.0.1', configDir });
  const runtime = loadNdiRuntime();
  if (!runtime.ok) throw new Error(runtime.error.message);
  lib = runtime.value.lib;
});

afterEach(async () => {
  for (const set of sets.splice(0)) set.close();
  for (const sender of stopLater.splice(0)) await sender.stop();
  for (const sender of [...senders]) sender.destroy();
});

afterAll(() => {
  removeNdiMarkers(names);
  rmSync(configDir, { recursive: true, force: true });
});

describe('NDI input (real libndi sender -> InputSet on 127.0.0.1)', () => {
  it('a known pattern arrives fitted (fill and fit), and a bar moved at the sender moves in the picture', async () => {
    const name = uniqueName('pattern');
    const sender = new TestSender(name);
    sender.show(pattern(640, 360, 128, 64), 640, 360);
    sender.start(30);
    const set = newSet();
    // fill to 320x180: the bar [128, 192) -> [64, 96), centre 80.
    const filled = await pictureUntil(set, look(name), 320, 180, (p) => Math.abs(barCentre(p) - 80) < 1.5);
    expect(
      filled,
      `the bar arrives at x~80 (last centre ${barCentre(set.pictureFor(null, look(name), 1, 320, 180) ?? ({ rgba: new Uint8Array(320 * 180 * 4), width: 320, height: 180 } as InputPicture))})`,
    ).not.toBeNull();
    const p = filled!;
    expect([p.width, p.height, p.rgba.length]).toEqual([320, 180, 320 * 180 * 4]);
    expect(luma(p, 80, 150)).toBeGreaterThan(230); // inside the bar
    expect(luma(p, 20, 150)).toBeLessThan(20); // black
    expect(luma(p, 200, 150)).toBeLessThan(20);
    const status = set.status().find((s) => s.key === `ndi:${name}`)!;
    expect(status.state).toBe('connected');
    expect([status.width, status.height]).toEqual([640, 360]);
    expect(status.rate).toEqual({ num: 30, den: 1 });
    expect(status.error).toBeNull();

    // fit into 320x320: 320x180 centred, black bars of 70 rows above and below.
    const fitted = await pictureUntil(set, look(name, 'fit'), 320, 320, () => true);
    expect(fitted).not.toBeNull();
    expect(luma(fitted!, 80, 60)).toBeLessThan(5); // the bar's column, in the top black band
    expect(luma(fitted!, 80, 200)).toBeGreaterThan(230); // the bar, inside the picture
    expect(luma(fitted!, 80, 300)).toBeLessThan(5); // bottom band

    // Move the bar to [448, 512): centre 240 at 320 wide.
    sender.show(pattern(640, 360, 448, 64), 640, 360);
    const moved = await pictureUntil(set, look(name), 320, 180, (q) => Math.abs(barCentre(q) - 240) < 1.5, 5000);
    expect(moved, 'the moved bar shows at x~240').not.toBeNull();
    expect(luma(moved!, 80, 150)).toBeLessThan(20); // the old place is black now
  }, 60_000);

  it('latest wins under a slow reader that blocks its thread: frames skipped are counted, the picture is the newest (no queue)', async () => {
    const name = uniqueName('latest');
    // The sender runs on a thread of its own: this thread blocks like a slow model step.
    const sender = startCounterSender({ name, width: 320, height: 180, fps: 30 });
    stopLater.push(sender);
    const set = newSet();
    expect(await pictureUntil(set, look(name), 160, 90, () => true)).not.toBeNull();
    const before = set.status()[0]!;
    // A model step that holds this thread for 300 ms, eight times: ~9 frames arrive during each.
    let fresh = 0;
    const behindSeen: number[] = [];
    for (let i = 0; i < 8; i++) {
      const end = performance.now() + 300;
      while (performance.now() < end); // busy: no event-loop turn, no timers, no messages
      const picture = set.pictureFor(null, look(name), 1, 160, 90)!;
      const got = luma(picture, 5, 5);
      // How many frames behind the newest sent (grey steps of 4; the codec moves a level or two).
      const behind = ((Math.round((counterGrey(sender.sent()) - got) / 4) % 50) + 50) % 50;
      behindSeen.push(behind);
      if (behind <= 3) fresh++;
      expect(performance.now() - picture.receivedAtMs, 'the picture is a frame that just arrived, not one queued during the step').toBeLessThan(150);
    }
    expect(fresh, `nearly every look sees the newest frame (frames behind: ${behindSeen.join(', ')})`).toBeGreaterThanOrEqual(7);
    const after = set.status()[0]!;
    // Reception did not wait for this thread: ~72 frames arrived during the 2.4 s of blocking.
    expect(after.framesReceived - before.framesReceived).toBeGreaterThan(55);
    // 8 looks 300 ms apart at 30 fps: ~64 frames never used.
    expect(after.framesDropped - before.framesDropped).toBeGreaterThan(40);
    expect(after.fpsReceived).toBeGreaterThan(20);
    expect(after.fpsReceived).toBeLessThan(40);
  }, 60_000);

  it('sender stops -> lost with the last frame held; sender back -> followed again', async () => {
    const name = uniqueName('lost');
    let sender = new TestSender(name);
    sender.show(pattern(320, 180, 64, 32), 320, 180);
    sender.start(30);
    const set = newSet();
    const before = await pictureUntil(set, look(name), 160, 90, (p) => Math.abs(barCentre(p) - 40) < 1.5);
    expect(before).not.toBeNull();
    sender.destroy();
    let status = set.status()[0]!;
    const until = performance.now() + 8000;
    while (status.state !== 'lost' && performance.now() < until) {
      set.pictureFor(null, look(name), 1, 160, 90);
      await sleep(50);
      status = set.status()[0]!;
    }
    expect(status.state).toBe('lost');
    expect(status.error).toContain(name);
    const held = set.pictureFor(null, look(name), 1, 160, 90)!;
    expect(held, 'the last frame is held').not.toBeNull();
    expect(Math.abs(barCentre(held) - 40)).toBeLessThan(1.5);
    expect(set.pictureFor(null, look(name), 1, 160, 90)!.version, 'held pixels keep their version').toBe(held.version);
    expect(status.lastFrameAgeMs).toBeGreaterThan(900);

    sender = new TestSender(name);
    sender.show(pattern(320, 180, 224, 32), 320, 180);
    sender.start(30);
    const back = await pictureUntil(set, look(name), 160, 90, (p) => Math.abs(barCentre(p) - 120) < 1.5, 30_000);
    expect(back, 'frames from the restarted sender are used').not.toBeNull();
    expect(set.status()[0]!.state).toBe('connected');
    expect(set.status()[0]!.error).toBeNull();
  }, 60_000);

  it('a resolution and rate change mid-stream is followed without a restart', async () => {
    const name = uniqueName('resize');
    const sender = new TestSender(name);
    sender.show(pattern(320, 180, 64, 32), 320, 180);
    sender.start(30);
    const set = newSet();
    expect(await pictureUntil(set, look(name), 160, 90, (p) => Math.abs(barCentre(p) - 40) < 1.5)).not.toBeNull();
    sender.show(pattern(1280, 720, 640, 128), 1280, 720);
    sender.start(25);
    // [640, 768) at 1280 -> [80, 96) at 160: centre 88.
    const after = await pictureUntil(set, look(name), 160, 90, (p) => Math.abs(barCentre(p) - 88) < 1.5, 10_000);
    expect(after, 'the 720p frames arrive, fitted').not.toBeNull();
    const status = set.status()[0]!;
    expect([status.width, status.height]).toEqual([1280, 720]);
    expect(status.rate).toEqual({ num: 25, den: 1 });
    expect(status.state).toBe('connected');
  }, 60_000);

  it('4K and odd sizes (1921x1079 RGBA) are fitted to the working size', async () => {
    const name = uniqueName('big');
    const sender = new TestSender(name);
    // 4K: bar [1920, 2176) -> at 512 wide: [256, 290.1), centre ~273.1.
    sender.show(pattern(3840, 2160, 1920, 256), 3840, 2160);
    sender.start(5);
    const set = newSet();
    const big = await pictureUntil(set, look(name), 512, 288, (p) => Math.abs(barCentre(p) - 273.1) < 2, 30_000, 50);
    expect(big, '4K arrives at 512x288').not.toBeNull();
    expect([set.status()[0]!.width, set.status()[0]!.height]).toEqual([3840, 2160]);
    // Odd: bar [961, 1281) of 1921 -> at 512: [256.1, 341.4), centre ~298.7.
    sender.show(pattern(1921, 1079, 961, 320), 1921, 1079);
    const odd = await pictureUntil(set, look(name), 512, 288, (p) => Math.abs(barCentre(p) - 298.7) < 2, 15_000, 50);
    expect(odd, '1921x1079 arrives at 512x288').not.toBeNull();
    // libndi's own sender trims odd sizes to even (it delivers 1920x1078 here); whatever arrives is fitted.
    const status = set.status()[0]!;
    expect(status.width).toBeGreaterThanOrEqual(1920);
    expect(status.width).toBeLessThanOrEqual(1921);
    expect(status.height).toBeGreaterThanOrEqual(1078);
    expect(status.height).toBeLessThanOrEqual(1079);
    expect(status.state).toBe('connected');
  }, 90_000);

  it('a name that never appears: waiting, with an error naming it and the discovery settings', async () => {
    const name = uniqueName('nobody');
    const set = newSet();
    expect(set.pictureFor(null, look(name), 1, 64, 64)).toBeNull();
    let status = set.status()[0]!;
    expect(status.state).toBe('waiting');
    const until = performance.now() + 10_000;
    while (!status.error && performance.now() < until) {
      await sleep(100);
      expect(set.pictureFor(null, look(name), 1, 64, 64)).toBeNull();
      status = set.status()[0]!;
    }
    expect(status.state).toBe('waiting');
    expect(status.error).toContain(name);
    expect(status.error).toContain('--ndi-extra-ips');
    expect(status.error).toMatch(/Discovery Server/);
    expect(status.framesReceived).toBe(0);
    expect(status.lastFrameAgeMs).toBeNull();
  }, 30_000);
});
