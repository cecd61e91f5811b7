/**
 * A FrameSink is anything the output clock feeds: the console preview, NDI
 * senders, display windows, a PNG sequence. Each tick it gets the program frame
 * (new or repeated) and the output level (1 = full picture, 0 = black panic).
 *
 * Contract: `send` must not keep `frame.pixels` after it returns (the buffer goes
 * back to the generator); a sink that sends asynchronously copies first.
 * A sink that throws is recorded and skipped; it never stops the clock. A sink too
 * slow for its rate drops ticks (counted as its missed ticks) rather than block.
 */
import type { OutputStatus } from '../../contract/state.js';
import type { GeneratedFrame } from '../generate/generator.js';

export interface OutputTick {
  frame: GeneratedFrame;
  fresh: boolean;
  /** 0..1, multiplies the picture (black panic fades it to 0). */
  level: number;
  /** The frame-lock grid tick k (frame-grid.ts): the same number for the same instant on every output and node. */
  tick: number;
  /** When the clock actually fired for this tick: synchronised realtime ms (phase measurements); absent outside a clock. */
  firedAtMs?: number;
}

export interface FrameSink {
  readonly id: string;
  readonly kind: OutputStatus['kind'];
  readonly name: string;
  send(tick: OutputTick): void;
  close(): void;
  /** Optional: fields only this sink knows (NDI connections, tally, size), merged into its OutputStatus. */
  status?(): Partial<OutputStatus>;
  /**
   * Optional: ticks this sink dropped itself (its own work still busy with an earlier
   * tick: ndi-worker-sink.ts), added to its output's missed ticks.
   */
  droppedTicks?(): number;
}
