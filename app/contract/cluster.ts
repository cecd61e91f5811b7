/**
 * Several machines, one show (the cluster issue): the contract between a director
 * and its render nodes. Everything else a director sends is an ordinary command.
 *
 * Time: every node's output clocks tick at epoch + k x period on the synchronised
 * system clock (realtime ms since the Unix epoch, disciplined by PTP or NTP), so
 * tick k is the same instant on every node. A director schedules an operator action
 * for an instant a few periods ahead (`scheduled`); each node applies it from the
 * first output tick at or after that instant, so every node shows the new look from
 * the same frame number. `clockProbe` lets the director check each node's clock
 * against its own over the link (a round trip, the minimum of several): a check of
 * what PTP/NTP say, never a replacement for them.
 */
import { z } from 'zod';

/** Operator actions a director may schedule for one frame on every node. */
export const SCHEDULABLE_COMMAND_TYPES = [
  'go',
  'back',
  'fireCue',
  'standby',
  'panic',
  'restore',
  'setPrompt',
  'setSeed',
  'timelinePlay',
  'timelinePause',
  'timelineStop',
  'timelineSeek',
] as const;
export type SchedulableCommandType = (typeof SCHEDULABLE_COMMAND_TYPES)[number];

export function isSchedulable(type: string): type is SchedulableCommandType {
  return (SCHEDULABLE_COMMAND_TYPES as readonly string[]).includes(type);
}

/**
 * A scheduled action's id: the director's, unique per action. A node applies an id
 * once, so a command resent after a reconnect is never fired twice.
 */
export const scheduledIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'an id of 1-64 letters, digits or . _ : -');

/** When a scheduled action applies: realtime ms since the Unix epoch (Date.now's scale, the PTP/NTP-disciplined clock). */
export const scheduledAtSchema = z.number().finite().min(0).max(8.64e15);

/** What a node answers a clockProbe with: its clocks when it read the probe. */
export const clockReadingSchema = z.object({
  /** The node's system realtime clock, ms since the Unix epoch (what PTP/NTP discipline). */
  realtimeMs: z.number(),
  /** The node's engine clock (monotonic, app/engine/clock.ts), ms. */
  engineMs: z.number(),
});
export type ClockReading = z.infer<typeof clockReadingSchema>;

/** What a node answers a scheduled action with: when it applies, or how late it was. */
export const scheduleReplySchema = z.object({
  /** Whether this id had been applied or scheduled before (a resend): nothing was done again. */
  duplicate: z.boolean(),
  /** ms after its instant that the action reached the node; 0 when it arrived in time. */
  lateMs: z.number().min(0),
  /** Frame lock: output ticks the action missed (it arrived after its tick and goes on air at the next); 0 in time. Absent from older nodes. */
  lateFrames: z.number().int().min(0).optional(),
});
export type ScheduleReply = z.infer<typeof scheduleReplySchema>;
