/** The thread behind ndi-counter-sender.ts: one libndi sender, frames paced by its own timer. */
import { workerData } from 'node:worker_threads';
import { FOURCC_UYVY, FRAME_FORMAT_PROGRESSIVE, TIMECODE_SYNTHESIZE, type NativePointer } from '../../app/engine/ndi/libndi.js';
import { convertRgbaToUyvyJs } from '../../app/engine/ndi/pixels.js';
import { loadNdiRuntime } from '../../app/engine/ndi/runtime.js';
import { counterGrey } from './ndi-counter-sender.js';

const { name, width, height, fps, counter: shared } = workerData as { name: string; width: number; height: number; fps: number; counter: SharedArrayBuffer };
const counter = new Int32Array(shared);
const runtime = loadNdiRuntime();
if (!runtime.ok) throw new Error(runtime.error.message);
const lib = runtime.value.lib;
const sender = lib.sendCreate({ p_ndi_name: name, p_groups: null, clock_video: false, clock_audio: false });
if (!sender) throw new Error('NDIlib_send_create failed');

const rgba = new Uint8Array(width * height * 4);
const uyvy = new Uint8Array(width * height * 2);
function frame(n: number): Uint8Array {
  const grey = counterGrey(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = x < width / 8 && y < height / 4 ? grey : 0;
      const i = (y * width + x) * 4;
      rgba[i] = rgba[i + 1] = rgba[i + 2] = v;
      rgba[i + 3] = 255;
    }
  }
  convertRgbaToUyvyJs({ src: rgba, srcWidth: width, srcHeight: height, dst: uyvy, width, height, stride: width * 2, level: 1, filter: 'bilinear' });
  return uyvy;
}

let n = 0;
const start = performance.now();
const timer = setInterval(() => {
  if (Atomics.load(counter, 1) === 1) {
    clearInterval(timer);
    lib.sendDestroy(sender);
    process.exit(0);
  }
  // Paced by the clock, not the timer count: a late tick sends one frame, never a burst.
  const due = Math.floor(((performance.now() - start) * fps) / 1000);
  if (due <= n) return;
  n += 1;
  lib.sendVideo(sender, {
    xres: width,
    yres: height,
    FourCC: FOURCC_UYVY,
    frame_rate_N: fps,
    frame_rate_D: 1,
    picture_aspect_ratio: width / height,
    frame_format_type: FRAME_FORMAT_PROGRESSIVE,
    timecode: TIMECODE_SYNTHESIZE,
    p_data: frame(n) as unknown as NativePointer,
    line_stride_in_bytes: width * 2,
    p_metadata: null,
    timestamp: 0,
  });
  Atomics.store(counter, 0, n);
}, 2);
