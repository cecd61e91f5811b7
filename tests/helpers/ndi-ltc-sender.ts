/**
 * A real NDI source whose audio is LTC, on a worker thread of its own (as a desk or a
 * timecode generator feeding NDI would be): the samples (made by libltc, the oracle)
 * are sent in 10 ms planar-float blocks, each when its last sample is due, paced by
 * the engine clock (engineNowMs agrees across threads). The first sample's instant is
 * published so a test knows the true timecode at any engine-clock time. After the
 * last sample the source sends nothing (a dropout on the wire, not silence).
 */
import { Worker } from 'node:worker_threads';

export interface LtcSender {
  /** Engine ms of the first sample (NaN before it started). */
  startedAtMs(): number;
  /** Blocks sent so far. */
  sentBlocks(): number;
  stop(): Promise<void>;
}

export function startLtcSender(options: { name: string; samples: Float32Array; sampleRate: number; channels?: number; ltcChannel?: number }): LtcSender {
  const samples = new Float32Array(new SharedArrayBuffer(options.samples.length * 4));
  samples.set(options.samples);
  const control = new Int32Array(new SharedArrayBuffer(8));
  const started = new Float64Array(new SharedArrayBuffer(8)).fill(Number.NaN);
  const source = new URL('./ndi-ltc-sender-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`;
  const worker = new Worker(bootstrap, {
    eval: true,
    workerData: {
      name: options.name,
      sampleRate: options.sampleRate,
      channels: options.channels ?? 2,
      ltcChannel: options.ltcChannel ?? 0,
      samples: samples.buffer,
      control: control.buffer,
      started: started.buffer,
    },
  });
  worker.on('error', (error) => {
    throw error;
  });
  return {
    startedAtMs: () => started[0] as number,
    sentBlocks: () => Atomics.load(control, 0),
    stop: async () => {
      Atomics.store(control, 1, 1);
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}
