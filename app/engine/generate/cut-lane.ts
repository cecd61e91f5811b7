/**
 * The cut lane: a second, idle inference loop of the live model that makes only the
 * first frame of a new look, so a cut does not wait for the frame of the old look the
 * live loop is making when the command lands (onnxruntime-node cannot stop a run that
 * has started, and session.run holds the live loop's thread until it is done: up to one
 * model frame, 22 ms at 1080p on 2 CPU cores).
 *
 * Cost: a second inference process with its own session and frame ring (memory), and
 * one extra model frame per cut, made beside the live loop's stale one; nothing between
 * cuts (it never streams). Its frame goes on air only when the live loop has not yet
 * delivered a frame of that look; otherwise it is handed back unseen. Looks that name a
 * live input are left to the live loop (the lane opens no inputs).
 */
import type { GeneratedFrame, Generator } from './generator.js';
import type { WorkerLook } from './worker-protocol.js';

export class CutLane {
  private pending = false;
  private stopped = false;

  constructor(
    readonly generator: Generator,
    /** Engine-clock ms of show time zero (the live loop's). */
    private readonly showEpochMs: number,
    private readonly nowMs: () => number,
  ) {}

  /**
   * A new look: renders its first frame now, beside the live loop. `deliver` gets the
   * frame when it is still wanted (it then belongs to the caller, released through this
   * lane's generator); false from `wanted` hands it back unseen.
   */
  cut(look: WorkerLook, wanted: (frame: GeneratedFrame) => boolean, deliver: (frame: GeneratedFrame) => void): boolean {
    if (this.stopped || this.pending || look.to.input !== undefined || look.from?.input !== undefined) return false;
    this.pending = true;
    this.generator.setLook(look);
    void this.generator.renderAt(this.nowMs() - this.showEpochMs).then((made) => {
      this.pending = false;
      if (!made.ok) return; // the live loop's frame follows anyway
      if (!this.stopped && made.value.lookId === look.lookId && wanted(made.value)) deliver(made.value);
      else this.generator.release(made.value);
    });
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.generator.stop();
  }
}
