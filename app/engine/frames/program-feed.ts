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

/** A tick's own instant (outputs/output-clock.ts): on the frame-lock grid, and the same on the engine clock. */
export interface TickInstant {
  realtimeMs: number;
  engineMs: number;
}

/** What an output clock needs from the program (outputs/output-clock.ts). */
export interface OutputFeed {
  /** What to send this tick (`at`: the tick's instant; absent = now); null before the first frame exists. */
  take(at?: TickInstant): TakenFrame | null;
  /** The output level at the tick (absent = now): 0 = black, 1 = full picture. */
  level(at?: TickInstant): number;
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

/**
 * A scheduled change waiting for its tick (frame lock, cluster/command-scheduler.ts).
 * The command was applied ahead of its tick so the generator has the new look's first
 * frame ready (its TTFF); until a tick at or after `untilMs` (grid realtime ms) the
 * outputs keep sending what `program` (the program before the change) shows: its
 * frame (new looks' frames wait in ProgramFrames), its level, its panic. The first
 * tick at or after `untilMs` releases it, on every output and every node at once.
 */
interface HeldProgram {
  program: ProgramState;
  untilMs: number;
}

/** A scheduled new look not yet on air: when its first frame is taken, `onAir` gets how late that tick was (ms after its tick). */
interface OnAirWatch {
  afterLookId: number;
  untilMs: number;
  onAir: (lateMs: number) => void;
}

export class ProgramFeed implements OutputFeed {
  private safePlate: { path: string; frame: TakenFrame['frame']; taken: boolean } | null = null;
  private held: HeldProgram | null = null;
  private watch: OnAirWatch | null = null;

  constructor(private readonly options: ProgramFeedOptions) {}

  /** The safe plate in a safe-plate panic, else the program frame. */
  take(at?: TickInstant): TakenFrame | null {
    const program = this.programAt(at);
    if (program.panic.mode === 'safe-plate' && this.safePlate) {
      const fresh = !this.safePlate.taken;
      this.safePlate.taken = true;
      return { frame: this.safePlate.frame, fresh };
    }
    const taken = this.options.frames.take();
    if (taken && this.watch && !this.held && taken.frame.lookId > this.watch.afterLookId) {
      const { onAir, untilMs } = this.watch;
      this.watch = null;
      onAir(Math.max(0, (at?.realtimeMs ?? untilMs) - untilMs));
    }
    return taken;
  }

  /** A safe-plate panic without a plate shows black. */
  level(at?: TickInstant): number {
    const program = this.programAt(at);
    return program.panic.mode === 'safe-plate' && !this.safePlate ? 0 : outputLevel(program, at?.engineMs ?? this.options.clock.nowMs());
  }

  /** The program a tick at `at` shows: the held one before a scheduled change's tick, else the one on air (which releases the hold). */
  private programAt(at: TickInstant | undefined): ProgramState {
    if (this.held && at && at.realtimeMs < this.held.untilMs) return this.held.program;
    if (this.held) this.release();
    return this.options.program();
  }

  private release(): void {
    this.held = null;
    // Its frame is ready: on time, even if this output missed the tick itself (counted as a missed tick).
    const waiting = this.options.frames.waitingLookId();
    if (this.watch && waiting !== null && waiting > this.watch.afterLookId) {
      const { onAir } = this.watch;
      this.watch = null;
      onAir(0);
    }
    this.options.frames.holdNewLooks(null);
    this.options.frames.setFrozen(this.options.program().panic.mode === 'freeze');
  }

  onError(error: EngineError): void {
    this.options.onError(error);
  }

  /**
   * The program changed from `before` to the one on air now: a new look flushes
   * frames of the old one, freeze holds the frame on air, and entering a safe-plate
   * panic decodes the plate (`plate()`: its file, null = none, and the program size).
   */
  follow(before: ProgramState, plate: () => { path: string | null; width: number; height: number }, scheduled?: { untilMs: number; onAir: (lateMs: number) => void }): void {
    const program = this.options.program();
    if (program.lookId !== before.lookId) this.options.frames.flush(program.lookId);
    if (scheduled) {
      // Frame lock: the outputs show `before` until the scheduled tick. A second scheduled
      // change before the first is on air keeps what the wall shows now and moves the tick.
      const onWall = this.held?.program ?? before;
      this.held = { program: onWall, untilMs: scheduled.untilMs };
      this.options.frames.holdNewLooks(onWall.lookId);
      if (program.lookId !== onWall.lookId) this.watch = { afterLookId: onWall.lookId, untilMs: scheduled.untilMs, onAir: scheduled.onAir };
    } else if (!this.held) {
      this.options.frames.setFrozen(program.panic.mode === 'freeze');
    } else if (program.lookId !== before.lookId || program.panic.mode !== before.panic.mode) {
      // A change of look or panic that was not scheduled applies at once, and so does the scheduled one still waiting.
      this.release();
    }
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
