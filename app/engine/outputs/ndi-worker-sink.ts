/**
 * NdiWorkerSink: one named NDI(R) sender whose scaling, UYVY conversion and send run
 * on a worker thread of its own (ndi-send-worker.ts), so one heavy output never slows
 * the engine thread, the other outputs' clocks or their sends. On with
 * CYCLORAMA_NDI_WORKERS=1 (not yet the default: see ndiWorkersOn in ndi-outputs.ts);
 * NdiFrameSink (same output, converting on the engine thread) is the default and the
 * fallback when a worker cannot start.
 *
 * Per tick, on the engine thread, `send` only:
 *  - finds the worker still converting the previous tick's frame: this tick is dropped,
 *    counted as this output's missed tick (`droppedTicks`): a slow output drops its
 *    own frames, it never delays the clock, and it never sends off the clock later;
 *  - or copies the program frame into the shared source buffer when it is a new one
 *    (the FrameSink contract: `frame.pixels` is not kept; a repeat copies nothing),
 *    writes its tick number and level, and wakes the worker, which sends it through
 *    the same NdiFrameSink as an in-thread output (so per-frame timecode and metadata
 *    come from the same code and the same inputs).
 * No message and no allocation per frame (ndi-send-protocol.ts). The sender is made
 * here, so a refusal is reported at once as before, and its connections and tally
 * are read here until close; the worker sends to it and destroys it when it closes.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import koffi from 'koffi';
import type { OutputStatus } from '../../contract/state.js';
import { engineError } from '../../contract/errors.js';
import { engineNowMs } from '../clock.js';
import { ttffTrace } from '../frames/ttff-trace.js';
import type { LibNdi, NativePointer } from '../ndi/libndi.js';
import { fail, ok, type Result } from '../result.js';
import type { FrameSink, OutputTick } from './frame-sink.js';
import { senderStatus, type NdiOutputConfig } from './ndi-frame-sink.js';
import { CONTROL_BYTES, CTL, JOB, STAMP, type NdiSendWorkerData, type NdiSourceMessage, type NdiWorkerMessage } from './ndi-send-protocol.js';

export interface NdiWorkerSinkOptions {
  /** Test hook (see NdiSendWorkerData): a stand-in for an output too heavy for the machine. */
  injectedSlowConversionMs?: number;
}

/** How long a closing worker may take to flush before it is terminated, ms. */
const CLOSE_GRACE_MS = 5000;

/** The worker is compiled to .js in dist/; under the test runner it is bootstrapped through tsx (as show-parse.ts does). */
function spawnSendWorker(workerData: NdiSendWorkerData & { port: MessagePort }, name: string): Worker {
  const options = { name: `cyclorama-ndi-${name}`, workerData, transferList: [workerData.port] };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./ndi-send-worker.js', import.meta.url), options);
  const source = new URL('./ndi-send-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

export class NdiWorkerSink implements FrameSink {
  readonly kind = 'ndi' as const;
  readonly sourceName: string;
  private readonly ctl: Int32Array;
  private readonly stamps: Float64Array;
  /** The job's Float64 words (JOB): written before `posted` is bumped, so the worker reads them after it sees the job. */
  private readonly job: Float64Array;
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private source: Uint8Array | null = null;
  private generation = 0;
  private lastSequence = -1;
  private lastPixels: Uint8Array | null = null;
  /** Number of the picture in the shared source (counts copies). */
  private sequence = 0;
  /** Look id whose worker stamps are still to be read into the TTFF trace; 0 = none. */
  private tracedLook = 0;
  private dropped = 0;
  private failure: Error | null = null;
  private closed = false;
  private readonly tally = { on_program: false, on_preview: false };

  private constructor(
    private readonly lib: LibNdi,
    private sender: NativePointer | null,
    readonly config: NdiOutputConfig,
    libPath: string,
    options: NdiWorkerSinkOptions,
  ) {
    const control = new SharedArrayBuffer(CONTROL_BYTES);
    this.ctl = new Int32Array(control, 0, CTL.length);
    this.stamps = new Float64Array(control, CTL.length * 4, STAMP.length);
    this.job = new Float64Array(control, CTL.length * 4 + STAMP.length * 8, JOB.length);
    const channel = new MessageChannel();
    this.port = channel.port1;
    this.sourceName = (sender && lib.sendGetSourceName(sender)?.name) || config.name;
    this.worker = spawnSendWorker(
      {
        libPath,
        senderAddress: koffi.address(sender) as bigint,
        config,
        control,
        port: channel.port2,
        ...(options.injectedSlowConversionMs ? { injectedSlowConversionMs: options.injectedSlowConversionMs } : {}),
      },
      config.id,
    );
    this.worker.unref(); // a stuck send never keeps the process alive
    this.worker.on('message', (message: NdiWorkerMessage) => {
      if (message.type === 'error') this.failure ??= new Error(`NDI send failed: ${message.message}`);
    });
    this.worker.on('error', (error) => {
      this.failure ??= new Error(`its send thread stopped (${error.message})`);
    });
    this.worker.on('exit', () => {
      if (!this.closed) this.failure ??= new Error('its send thread ended');
      // A worker that got going destroys the sender itself when it closes; one that never did leaves it here.
      if (Atomics.load(this.ctl, CTL.ready) !== 1) this.destroySender();
      this.sender = null;
    });
  }

  get id(): string {
    return this.config.id;
  }

  get name(): string {
    return this.config.name;
  }

  /** Creates the sender here and its send worker. Fails (as a value) if libndi refuses, e.g. an empty name. */
  static open(lib: LibNdi, libPath: string, config: NdiOutputConfig, options: NdiWorkerSinkOptions = {}): Result<NdiWorkerSink> {
    if (config.width % 2 !== 0 || config.width < 2 || config.height < 1) {
      return fail(engineError('output-failed', `NDI output "${config.name}": width must be even and positive (UYVY), got ${config.width}x${config.height}.`));
    }
    // clock_video false: our output clock paces the frames.
    const sender = lib.sendCreate({ p_ndi_name: config.name, p_groups: config.groups ?? null, clock_video: false, clock_audio: false });
    if (!sender) return fail(engineError('output-failed', `NDI output "${config.name}": libndi could not create the sender.`, { output: config.id }));
    try {
      return ok(new NdiWorkerSink(lib, sender, config, libPath, options));
    } catch (error) {
      lib.sendDestroy(sender);
      return fail(engineError('output-failed', `NDI output "${config.name}": its send thread could not start (${(error as Error).message}).`, { output: config.id }));
    }
  }

  /** Frames converted and sent again unconverted (repeats), by the worker. */
  get converted(): number {
    return Atomics.load(this.ctl, CTL.converted);
  }

  get resent(): number {
    return Atomics.load(this.ctl, CTL.resent);
  }

  /** Frames replaced in the worker's queue before libndi could take them (the encoder still busy). */
  get encoderSkipped(): number {
    return Atomics.load(this.ctl, CTL.encoderSkipped);
  }

  /** Whether its send thread is up (until then ticks send nothing). */
  get ready(): boolean {
    return Atomics.load(this.ctl, CTL.ready) === 1;
  }

  /** Ticks this output dropped because its worker was still busy with the previous one (its own missed ticks). */
  droppedTicks(): number {
    return this.dropped;
  }

  send({ frame, level, tick, firedAtMs = 0 }: OutputTick): void {
    if (this.failure && !this.closed) {
      const error = this.failure;
      this.failure = null;
      throw error; // the clock records it and marks the output failed
    }
    if (this.closed || !this.sender) return;
    // Until its thread is up (tens of ms) nothing is sent: no receiver can be connected yet.
    if (Atomics.load(this.ctl, CTL.ready) !== 1) return;
    const ctl = this.ctl;
    if (Atomics.load(ctl, CTL.posted) !== Atomics.load(ctl, CTL.taken)) {
      this.dropped++;
      return;
    }
    if (this.tracedLook) this.readTrace();
    if (frame.sequence !== this.lastSequence || frame.pixels !== this.lastPixels) {
      // A new picture: copied in (the FrameSink contract: frame.pixels is not kept). A repeat copies nothing.
      const bytes = frame.width * frame.height * 4;
      if (!this.source || this.source.length < bytes) this.newSource(bytes);
      (this.source as Uint8Array).set(frame.pixels.subarray(0, bytes));
      this.lastSequence = frame.sequence;
      this.lastPixels = frame.pixels;
      this.sequence++; // the worker's own numbering: a new copy is always a new picture there
      if (ttffTrace.on && ttffTrace.wants(frame.lookId, 'tick')) {
        ttffTrace.mark(frame.lookId, 'tick', engineNowMs());
        this.tracedLook = frame.lookId;
        Atomics.store(ctl, CTL.traceLook, frame.lookId);
      }
    }
    Atomics.store(ctl, CTL.srcWidth, frame.width);
    Atomics.store(ctl, CTL.srcHeight, frame.height);
    Atomics.store(ctl, CTL.srcGeneration, this.generation);
    Atomics.store(ctl, CTL.sequence, this.sequence);
    Atomics.store(ctl, CTL.levelMicros, Math.round(Math.max(0, Math.min(1, level)) * 1e6));
    Atomics.store(ctl, CTL.lookId, frame.lookId);
    // The grid tick k (~1e11 at 59.94 since the Unix epoch: frame lock) and its fired instant do not fit an Int32: Float64 words.
    this.job[JOB.tick] = tick;
    this.job[JOB.firedAtMs] = firedAtMs;
    Atomics.add(ctl, CTL.posted, 1);
    Atomics.notify(ctl, CTL.posted);
  }

  /** A source buffer for a larger frame, handed to the worker before the job that uses it. */
  private newSource(bytes: number): void {
    const pixels = new SharedArrayBuffer(bytes);
    this.source = new Uint8Array(pixels);
    this.generation++;
    const message: NdiSourceMessage = { type: 'source', generation: this.generation, pixels };
    this.port.postMessage(message);
  }

  /** The worker's stamps of the traced look's first frame, once its send has returned (else tried again next tick). */
  private readTrace(): void {
    const look = this.tracedLook;
    if (this.stamps[STAMP.lookId] !== look || !this.stamps[STAMP.sendReturned]) {
      if (!ttffTrace.wants(look, 'sendReturned')) this.tracedLook = 0; // the trace moved on to a newer look
      return;
    }
    this.tracedLook = 0;
    Atomics.store(this.ctl, CTL.traceLook, 0);
    // A stage the worker did not stamp (0: its picture was converted before the trace asked) is left out, never marked at 0.
    for (const [stage, at] of [
      ['converted', STAMP.converted],
      ['sendStarted', STAMP.sendStarted],
      ['sendReturned', STAMP.sendReturned],
    ] as const) {
      const atMs = this.stamps[at] as number;
      if (atMs > 0) ttffTrace.mark(look, stage, atMs);
    }
  }

  connections(): number {
    return this.sender && !this.closed ? this.lib.sendGetNoConnections(this.sender, 0) : 0;
  }

  status(): Partial<OutputStatus> {
    return senderStatus(this.lib, this.closed ? null : this.sender, this.config, this.tally, this.sourceName);
  }

  /** Asks the worker to flush and end; the sender is destroyed once it has (or after a grace period). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.ctl, CTL.stop, 1);
    Atomics.notify(this.ctl, CTL.posted);
    Atomics.notify(this.ctl, CTL.stop);
    this.port.close();
    const timer = setTimeout(() => void this.worker.terminate(), CLOSE_GRACE_MS);
    timer.unref();
    this.worker.once('exit', () => clearTimeout(timer));
  }

  private destroySender(): void {
    const sender = this.sender;
    this.sender = null;
    if (sender) this.lib.sendDestroy(sender);
  }
}
