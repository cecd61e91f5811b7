/**
 * External control: the status of the network listeners (console/API server,
 * OSC) and the control-plane commands the receiving edge answers itself. Network
 * control is off (everything on 127.0.0.1) unless the operator turns it on.
 */
import { z } from 'zod';
import { controlSourcesStatusSchema } from './control-sources.js';

/** Per-source counters of one listener; `rateLimited` counts messages dropped by its token buckets. */
export const controlCountersSchema = z.object({
  received: z.number().int(),
  dispatched: z.number().int(),
  rejected: z.number().int(),
  rateLimited: z.number().int(),
});
export type ControlCounters = z.infer<typeof controlCountersSchema>;

export const controlStatusSchema = z.object({
  /** True when the console/API server listens beyond loopback (a token is then required). */
  network: z.boolean(),
  /** Address and port the console/API server listens on. */
  host: z.string(),
  port: z.number().int(),
  /**
   * True when every client must present the access token (always with network
   * control, and on loopback when the operator gave one). The token itself is never
   * in the state: it is printed once at start and returned only to the console that
   * rotates it (the rotateToken reply's data).
   */
  tokenRequired: z.boolean(),
  /** URL a remote console opens (without the token: add ?token=... from the startup line); null when network control is off. */
  remoteUrl: z.string().nullable(),
  http: controlCountersSchema,
  /** OSC listener; null when OSC is off. */
  osc: z
    .object({
      host: z.string(),
      port: z.number().int(),
      /** Source addresses allowed to send; empty = any (loopback only, unless network control is on). */
      allow: z.array(z.string()),
      /** Feedback destinations, "host:port". */
      feedback: z.array(z.string()),
      /** Counters of both transports: a UDP datagram and a TCP frame each count as one packet received. */
      counters: controlCountersSchema,
      /**
       * OSC over TCP on the same host: framing (`auto` = told per connection from its
       * first bytes, the default; `slip` = OSC 1.1; `length` = OSC 1.0 int32 size
       * prefix, liblo's) and open connections; null when off. Absent from engines
       * that predate it.
       */
      tcp: z
        .object({
          port: z.number().int(),
          framing: z.enum(['auto', 'slip', 'length']),
          connections: z.number().int(),
          maxConnections: z.number().int(),
          /** Open connections by framing (auto: as detected; one that has sent nothing yet counts as SLIP). */
          byFraming: z.object({ slip: z.number().int(), length: z.number().int() }).optional(),
          /** Connections since start whose first bytes fit neither framing (read as SLIP; logged). */
          unrecognised: z.number().int().optional(),
        })
        .nullable()
        .optional(),
    })
    .nullable(),
  /** Token bucket per source and address: sustained rate and burst. */
  rateLimit: z.object({ perSecond: z.number(), burst: z.number() }),
  /** DMX in and MIDI Show Control (contract/control-sources.ts); absent when the node runs neither. */
  sources: controlSourcesStatusSchema.optional(),
});
export type ControlStatus = z.infer<typeof controlStatusSchema>;

/** Commands the control plane answers (spread into contract/commands.ts). */
export const controlCommandSchemas = [
  /**
   * Issue a new access token: connections that used the old one are dropped (the
   * console that asked stays, and gets the new token in the reply's data). Refused
   * while the node has no token.
   */
  z.object({ type: z.literal('rotateToken') }),
] as const;
