/**
 * The TTFF trace: where the time between a look's command and its first frame at an
 * output goes, stage by stage, for the wire bench (bench/wire.ts) and anyone asking
 * why a cut was slow. Off unless CYCLORAMA_TTFF_TRACE names a file; then every look
 * appends one JSON line there (at most a few a second: a sync append is fine) once its
 * first frame has left through an NDI output, or when the next look replaces it.
 *
 * Stamps are engine-clock ms (clock.ts: performance.timeOrigin + now, which every
 * process of the machine agrees on to well under a millisecond), so the inference
 * process's stamps and a bench's own line up with the engine's. Stages (in order):
 *   received      the command's text reached the engine (before JSON parse + validation)
 *   dispatched    validated, handed to the engine's dispatch
 *   applied       the show session changed the program (look id bumped)
 *   posted        the look was posted to the inference loop
 *   prevStarted   the inference loop's frame before the new look's first began ...
 *   prevDone      ... and ended: session.run blocks the loop's thread, so a look posted
 *                 between these two waited for that old-look inference (it cannot be stopped)
 *   lookArrived   the inference loop read the look (inference process clock)
 *   started       the first inference of the new look began
 *   done          that inference finished, frame in the ring
 *   frameArrived  the engine thread got the frame
 *   tick          the NDI output's clock took it (first tick after frameArrived)
 *   converted     RGBA -> UYVY done for that output
 *   sendStarted   handed to libndi's send (later than converted when the previous send was still in flight)
 *   sendReturned  libndi's send call returned
 */
import { appendFileSync } from 'node:fs';

export type TtffStage =
  | 'received'
  | 'dispatched'
  | 'applied'
  | 'posted'
  | 'prevStarted'
  | 'prevDone'
  | 'lookArrived'
  | 'started'
  | 'done'
  | 'frameArrived'
  | 'tick'
  | 'converted'
  | 'sendStarted'
  | 'sendReturned';

export interface TtffTraceLine {
  lookId: number;
  stamps: Partial<Record<TtffStage, number>>;
}

/** The env variable naming the trace file. */
export const TTFF_TRACE_ENV = 'CYCLORAMA_TTFF_TRACE';

export class TtffTrace {
  private current: TtffTraceLine | null = null;

  /** `file`: where lines are appended; null = off (every call a no-op). */
  constructor(private readonly file: string | null) {}

  get on(): boolean {
    return this.file !== null;
  }

  /** A new look began (its command's stamps so far); the previous one is written as it stands. */
  begin(lookId: number, stamps: Partial<Record<TtffStage, number>>): void {
    if (!this.file) return;
    this.flush();
    this.current = { lookId, stamps: { ...stamps } };
  }

  /** Stamps a stage of `lookId` the first time it is reached; later frames of the same look change nothing. */
  mark(lookId: number, stage: TtffStage, atMs: number): void {
    const line = this.current;
    if (!line || line.lookId !== lookId || line.stamps[stage] !== undefined) return;
    line.stamps[stage] = atMs;
    if (stage === 'sendReturned') this.flush();
  }

  /** Whether the look's first frame is still on its way through `stage` (saves a clock read when not). */
  wants(lookId: number, stage: TtffStage): boolean {
    const line = this.current;
    return line !== null && line.lookId === lookId && line.stamps[stage] === undefined;
  }

  private flush(): void {
    if (!this.file || !this.current) return;
    const line = this.current;
    this.current = null;
    try {
      appendFileSync(this.file, `${JSON.stringify(line)}\n`);
    } catch {
      // a trace that cannot be written changes nothing on the wall
    }
  }
}

/** The engine process's one trace (off unless CYCLORAMA_TTFF_TRACE is set). */
export const ttffTrace = new TtffTrace(process.env[TTFF_TRACE_ENV] || null);
