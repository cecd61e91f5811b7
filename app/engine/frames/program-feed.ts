/**
 * The program feed: what every output (the console preview's clock, each NDI
 * output, each display output) is connected to. Frames in (the program frames'
 * hand-over, or the show's safe plate during a safe-plate panic), the output level
 * (a black panic's fade), and where an output's failures go. One object, passed
 * once to every output group, so the outputs cannot disagree about what is on air.
 */
import type { EngineError } from '../../contract/errors.js';
import { outputLevel, type ProgramState } from '../../show/program.js';
import type { EngineClock } from '../clock.js';
import { loadSafePlate } from '../show-files/safe-plate.js';
import type { ProgramFrames, TakenFrame } from './program-frames.js';

/** What an output clock needs from the program (outputs/output-clock.ts). */
export interface OutputFeed {
  /** What to send this tick; null before the first frame exists. */
  take(): TakenFrame | null;
  /** The output level now: 0 = black, 1 = full picture. */
  level(): number;
  /** An output failed (a sink threw, a sender could not open): recorded, the others keep running. */
  onError(error: EngineError): void;
}

export interface ProgramFeedOptions {
  frames: ProgramFrames;
  /** The program on air (the show session owns it). */
  program: () => ProgramState;
  clock: EngineClock;
  onError: (error: EngineError) => void;
}

export class ProgramFeed implements OutputFeed {
  private safePlate: { path: string; frame: TakenFrame['frame']; taken: boolean } | null = null;

  constructor(private readonly options: ProgramFeedOptions) {}

  /** The safe plate in a safe-plate panic, else the program frame. */
  take(): TakenFrame | null {
    if (this.options.program().panic.mode === 'safe-plate' && this.safePlate) {
      const fresh = !this.safePlate.taken;
      this.safePlate.taken = true;
      return { frame: this.safePlate.frame, fresh };
    }
    return this.options.frames.take();
  }

  /** A safe-plate panic without a plate shows black. */
  level(): number {
    const program = this.options.program();
    return program.panic.mode === 'safe-plate' && !this.safePlate ? 0 : outputLevel(program, this.options.clock.nowMs());
  }

  onError(error: EngineError): void {
    this.options.onError(error);
  }

  /**
   * The program changed from `before` to the one on air now: a new look flushes
   * frames of the old one, freeze holds the frame on air, and entering a safe-plate
   * panic decodes the plate (`plate()`: its file, null = none, and the program size).
   */
  follow(before: ProgramState, plate: () => { path: string | null; width: number; height: number }): void {
    const program = this.options.program();
    if (program.lookId !== before.lookId) this.options.frames.flush(program.lookId);
    this.options.frames.setFrozen(program.panic.mode === 'freeze');
    if (program.panic.mode === 'safe-plate' && before.panic.mode !== 'safe-plate') this.prepareSafePlate(plate());
  }

  /** Decodes the show's safe plate (once per file) at the program size; without one, safe plate shows black. */
  private prepareSafePlate({ path: file, width, height }: { path: string | null; width: number; height: number }): void {
    if (!file) {
      this.safePlate = null;
      return;
    }
    if (this.safePlate?.path !== file) {
      const plate = loadSafePlate(file, width, height);
      if (!plate.ok) {
        this.safePlate = null;
        this.onError(plate.error);
        return;
      }
      const frame = { pixels: plate.value, width, height, lookId: 0, sequence: 0, showTimeMs: 0, inferMs: 0, doneAtMs: this.options.clock.nowMs(), requestId: null };
      this.safePlate = { path: file, frame, taken: false };
    }
    this.safePlate.taken = false;
  }
}
