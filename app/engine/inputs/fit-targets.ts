/**
 * In an input's worker thread: the sizes and fits the inference thread asked for, each
 * with its own Fitter (tables kept per geometry) and shared triple buffer. Every new
 * source frame is fitted once per target and published; a target added later gets the
 * frame held now at once (a fit changed while the source is still or lost).
 */
import type { InputFit } from '../../contract/inputs.js';
import { Fitter, type FitSource } from './fit.js';
import { SharedPictureWriter, type SharedPictureBuffers } from './shared-picture.js';

interface WorkerTarget {
  fit: InputFit;
  fitter: Fitter;
  writer: SharedPictureWriter;
}

export class FitTargets {
  private readonly targets = new Map<number, WorkerTarget>();
  private held: { source: FitSource; frame: number; arrivedAtEpochMs: number } | null = null;

  add(id: number, fit: InputFit, buffers: SharedPictureBuffers): void {
    const target = { fit, fitter: new Fitter(), writer: new SharedPictureWriter(buffers) };
    this.targets.set(id, target);
    if (this.held) this.render(target, this.held.source, this.held.frame, this.held.arrivedAtEpochMs);
  }

  remove(id: number): void {
    this.targets.delete(id);
  }

  /**
   * A new source frame: fitted into every target. `source` must stay readable until the
   * next publish() or forget() (it is what a target added meanwhile is fitted from).
   */
  publish(source: FitSource, frame: number, arrivedAtEpochMs: number): void {
    this.held = { source, frame, arrivedAtEpochMs };
    for (const target of this.targets.values()) this.render(target, source, frame, arrivedAtEpochMs);
  }

  /** The held source memory is about to go (freed native frame). */
  forget(): void {
    this.held = null;
  }

  private render(target: WorkerTarget, source: FitSource, frame: number, arrivedAtEpochMs: number): void {
    const { width, height } = target.writer.buffers;
    target.fitter.fit(source, target.fit, width, height, target.writer.target());
    target.writer.publish(frame, arrivedAtEpochMs);
  }
}
