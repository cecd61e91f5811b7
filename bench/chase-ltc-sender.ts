/**
 * bench/chase.ts's LTC source, on a worker thread of its own (as a separate device
 * would be, so the engine's event loop does not pace it): one libndi sender, the
 * samples in 10 ms blocks, each sent when its last sample is due on the engine
 * clock (engineNowMs agrees across threads). control[0] = blocks sent, control[1] = 1 to stop;
 * started[0] = engine ms of the first sample.
 */
import { workerData } from 'node:worker_threads';
import { engineNowMs } from '../app/engine/clock.js';
import { loadNdiRuntime } from '../app/engine/ndi/runtime.js';
import { ndiAudioFor } from '../app/engine/timecode/ndi-audio.js';

const data = workerData as { name: string; sampleRate: number; samples: SharedArrayBuffer; control: SharedArrayBuffer; started: SharedArrayBuffer };
const samples = new Float32Array(data.samples);
const control = new Int32Array(data.control);
const started = new Float64Array(data.started);
const runtime = loadNdiRuntime();
if (!runtime.ok) throw new Error(runtime.error.message);
const lib = runtime.value.lib;
const audio = ndiAudioFor(lib);
const sender = lib.sendCreate({ p_ndi_name: data.name, p_groups: null, clock_video: false, clock_audio: false });
if (!sender) throw new Error('NDIlib_send_create failed');
const block = data.sampleRate / 100;
let sent = 0;
let t0 = Number.NaN;
const timer = setInterval(() => {
  if (Atomics.load(control, 1) === 1) {
    clearInterval(timer);
    lib.sendDestroy(sender);
    process.exit(0);
  }
  if (Number.isNaN(t0)) {
    if (lib.sendGetNoConnections(sender, 0) === 0) return;
    t0 = engineNowMs();
    started[0] = t0;
  }
  const now = engineNowMs();
  while ((sent + 1) * block <= samples.length && t0 + ((sent + 1) * block * 1000) / data.sampleRate <= now) {
    audio.send(sender, data.sampleRate, [samples.subarray(sent * block, (sent + 1) * block)]);
    sent++;
    Atomics.store(control, 0, sent);
  }
}, 2);
