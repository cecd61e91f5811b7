/**
 * Frame lock on a node (the cluster issue, node side): where its output grid is and
 * how its scheduled actions landed. Tick k of the engine's rate is the instant
 * k x den/num s after the Unix epoch on the node's synchronised realtime clock
 * (engine/frame-grid.ts), the same instant on every node whose clock PTP/NTP discipline.
 */
import { z } from 'zod';

export const frameLockStatusSchema = z.object({
  /** The grid tick due next at the engine's rate (the same number on every locked node). */
  nextTick: z.number().int(),
  /** realtime - engine ms now (the synchronised clock's correction, engine/clock.ts), ms. */
  clockCorrectionMs: z.number(),
  /** Times the realtime clock stepped (by more than the slew follows) since start. */
  clockSteps: z.number().int().min(0),
  /** TEST INJECTION: ms added to this node's realtime clock on purpose (CYCLORAMA_TEST_CLOCK_OFFSET_MS); absent when none. */
  injectedOffsetMs: z.number().optional(),
  scheduled: z.object({
    /** Actions waiting for their tick now. */
    pending: z.number().int().min(0),
    /** Actions applied (in time or late), since start. */
    applied: z.number().int().min(0),
    /** Actions that arrived after their tick (applied at once), since start. */
    lateArrivals: z.number().int().min(0),
    /** Frames the last late arrival missed its tick by; null before any. */
    lastLateFrames: z.number().int().min(0).nullable(),
    /** Scheduled new looks whose first frame was not ready for their tick (on air later), since start. */
    lateOnAir: z.number().int().min(0),
    /** Frames the last of those went on air after its tick; null before any. */
    lastOnAirLateFrames: z.number().int().min(0).nullable(),
  }),
});
export type FrameLockStatus = z.infer<typeof frameLockStatusSchema>;
