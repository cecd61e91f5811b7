/**
 * The inference loop's frame buffers: a few frame-sized ArrayBuffers allocated once
 * (worker thread), or the slots of the shared ring this process was granted
 * (inference process: shared-frame-ring.ts, `FramePool.of`).
 * onnxruntime writes each frame straight into one (a preallocated output), the
 * buffer is *transferred* to the engine thread (no copy), and the engine
 * transfers it back when no output needs it. Ownership is always one thread's,
 * so a sink can never see a frame being overwritten, and the engine thread never
 * allocates or collects a frame-sized buffer.
 *
 * Measured with onnxruntime-node 1.30 (see the closing note of the generator issue):
 *  - SharedArrayBuffer-backed outputs are rejected ("Invalid argument"): hence
 *    transfer in the worker thread, and in the inference process a plain (external)
 *    ArrayBuffer over the shared pages, not a SharedArrayBuffer;
 *  - the binding still copies every output into a fresh ArrayBuffer for its return
 *    value, preallocated or not. We ignore that copy; it is garbage of the worker's
 *    heap, collected there, off the engine thread that runs the output clock.
 * A mapped slot (an external ArrayBuffer over shared memory) is a plain ArrayBuffer
 * to onnxruntime, so it takes it as a preallocated output like any other.
 */

/**
 * Four buffers: one on the wall, one waiting for the next output tick, one
 * being written, one spare so the worker rarely waits for a tick.
 */
export const DEFAULT_FRAME_BUFFERS = 4;

export class FramePool {
  private readonly free: ArrayBuffer[] = [];
  private waiters: ((buffer: ArrayBuffer) => void)[] = [];

  constructor(
    readonly frameBytes: number,
    count = DEFAULT_FRAME_BUFFERS,
  ) {
    for (let i = 0; i < count; i++) this.free.push(new ArrayBuffer(frameBytes));
  }

  /** A pool over buffers that exist already (shared-memory slots), starting with none or some of them free. */
  static of(frameBytes: number, free: ArrayBuffer[]): FramePool {
    const pool = new FramePool(frameBytes, 0);
    for (const buffer of free) pool.give(buffer);
    return pool;
  }

  /** A free buffer, waiting for one to come back if all are out. */
  take(): Promise<ArrayBuffer> {
    const buffer = this.free.pop();
    if (buffer) return Promise.resolve(buffer);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** A buffer is back (from the engine, or unused after a failed run). */
  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength !== this.frameBytes) return; // not one of ours
    const waiter = this.waiters.shift();
    if (waiter) waiter(buffer);
    else this.free.push(buffer);
  }

  get available(): number {
    return this.free.length;
  }
}
