/**
 * The wire envelope, the same on every transport (Electron IPC port, WebSocket).
 * Text messages are JSON matching these schemas; frames travel as binary messages
 * (see frame-wire.ts) and never as JSON.
 */
import { z } from 'zod';
import { commandSchema } from './commands.js';
import { clockReadingSchema, scheduleReplySchema } from './cluster.js';
import { engineErrorSchema } from './errors.js';
import { engineStateSchema } from './state.js';
import { stillReplySchema } from './stills.js';

/** Bumped on any breaking change of commands, events or state. 2: the access token left the state (control.tokenRequired; rotateToken replies with it). */
export const CONTRACT_VERSION = 2;

/** Largest text message either side accepts, in bytes. Commands are tiny. */
export const MAX_TEXT_MESSAGE_BYTES = 64 * 1024;

export const clientMessageSchema = z.object({
  kind: z.literal('command'),
  /** Caller's id, echoed in the reply so calls can be awaited. */
  id: z.number().int().nonnegative(),
  command: commandSchema,
});
export type ClientMessage = z.infer<typeof clientMessageSchema>;

/**
 * What a successful reply may carry besides ok: only what the caller asked for
 * and nobody else may see (the new token goes to the console that rotated it, and
 * never into the state every client receives).
 */
export const replyDataSchema = z.object({
  token: z.string().optional(),
  /** clockProbe: the node's clocks (contract/cluster.ts). */
  clock: clockReadingSchema.optional(),
  /** scheduled: whether it was a resend and how late it arrived. */
  schedule: scheduleReplySchema.optional(),
  /** saveStill: the PNG written (contract/stills.ts). */
  still: stillReplySchema.optional(),
});
export type ReplyData = z.infer<typeof replyDataSchema>;

export const replyMessageSchema = z.object({
  kind: z.literal('reply'),
  id: z.number().int().nonnegative().nullable(),
  ok: z.boolean(),
  error: engineErrorSchema.optional(),
  data: replyDataSchema.optional(),
});

export const engineEventSchema = z.discriminatedUnion('kind', [
  /** First message on every connection. */
  z.object({ kind: z.literal('hello'), contractVersion: z.number().int(), state: engineStateSchema }),
  z.object({ kind: z.literal('state'), state: engineStateSchema }),
  z.object({ kind: z.literal('error'), error: engineErrorSchema }),
  /** A frame of a new look reached the outputs: ttffMs is command arrival -> output-ready. */
  z.object({ kind: z.literal('lookOnAir'), lookId: z.number().int(), ttffMs: z.number() }),
]);

export const serverMessageSchema = z.union([replyMessageSchema, engineEventSchema]);
export type ReplyMessage = z.infer<typeof replyMessageSchema>;
export type EngineEvent = z.infer<typeof engineEventSchema>;
export type ServerMessage = z.infer<typeof serverMessageSchema>;
