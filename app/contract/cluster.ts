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

// ---- The director's side: the cluster file, its commands, its state ------------------

/** Roles a node plays: `primary` is on air, `backup` mirrors it (hot standby), `node` is one more render node (a wall section). */
export const CLUSTER_ROLES = ['primary', 'backup', 'node'] as const;
export const clusterRoleSchema = z.enum(CLUSTER_ROLES);
export type ClusterRole = z.infer<typeof clusterRoleSchema>;

/** A node's name: how the director, its log and preflight call it. */
export const clusterNodeNameSchema = z.string().trim().min(1, 'a name of 1-40 characters').max(40, 'a name of 1-40 characters');
/** A node's address: its console URL as `cyclorama serve` prints it (http://host:port/), or the ws://host:port/ws it serves. */
export const clusterNodeUrlSchema = z
  .string()
  .max(500)
  .regex(/^(https?|wss?):\/\/[^\s/]+(\/\S*)?$/, 'a node address like http://10.0.0.21:8420/ (the console URL `cyclorama serve` prints)');
/** An access token as `serve --token` takes it (any remote control of a node needs it). */
const clusterTokenSchema = z.string().min(1).max(500);

/** One node as the cluster file lists it. `tokenFile` (a file holding the token, relative to the cluster file) keeps secrets out of the file. */
export const clusterFileNodeSchema = z
  .object({
    name: clusterNodeNameSchema,
    url: clusterNodeUrlSchema,
    token: clusterTokenSchema.optional(),
    tokenFile: z.string().min(1).max(1000).optional(),
    role: clusterRoleSchema.default('node'),
  })
  .strict()
  .refine((node) => !(node.token && node.tokenFile), { message: 'give token or tokenFile, not both', path: ['tokenFile'] });

/**
 * The cluster file (`cyclorama serve --cluster FILE`): the nodes this engine directs.
 *   { "nodes": [ { "name": "wall-left", "url": "http://10.0.0.21:8420/", "tokenFile": "wall-left.token", "role": "primary" }, ... ] }
 * Names are unique; at most one primary.
 */
export const clusterFileSchema = z
  .object({
    nodes: z.array(clusterFileNodeSchema).max(32, 'at most 32 nodes'),
  })
  .strict()
  .superRefine((file, context) => {
    const seen = new Set<string>();
    file.nodes.forEach((node, index) => {
      if (seen.has(node.name)) context.addIssue({ code: 'custom', path: ['nodes', index, 'name'], message: `"${node.name}" is listed twice; names are unique` });
      seen.add(node.name);
    });
    const primaries = file.nodes.filter((node) => node.role === 'primary').length;
    if (primaries > 1) context.addIssue({ code: 'custom', path: ['nodes'], message: `${primaries} nodes have role "primary"; at most one is on air` });
  });
export type ClusterFile = z.infer<typeof clusterFileSchema>;

/** A node the director links to, with its token resolved (never in the state). */
export interface ClusterNodeSpec {
  name: string;
  url: string;
  token?: string;
  role: ClusterRole;
}

/** Largest show-part payload, base64 characters (36 KiB of show text each): a part's message stays well under MAX_TEXT_MESSAGE_BYTES. */
export const MAX_SHOW_PART_CHARS = 48 * 1024;
/** Most parts one show push may have: 512 x 36 KiB = 18 MiB, far above the largest show (500 cues). */
export const MAX_SHOW_PARTS = 512;

/** Director commands; contract/commands.ts spreads them into the command union. */
export const clusterCommandSchemas = [
  /** The director's console adds a node by address (token-protected as any remote control). */
  z.object({
    type: z.literal('addClusterNode'),
    name: clusterNodeNameSchema,
    url: clusterNodeUrlSchema,
    token: clusterTokenSchema.optional(),
    role: clusterRoleSchema.default('node'),
  }),
  z.object({ type: z.literal('removeClusterNode'), name: clusterNodeNameSchema }),
  /**
   * Node side of the show push: the director's show document (its show file text, UTF-8, base64) in parts, so a
   * show of any size fits the message limit. The node adopts it when the last part of `transfer` arrives (an edit
   * it can undo; its position in the cue list is kept where the cues still exist). A new transfer drops an unfinished one.
   */
  z.object({
    type: z.literal('clusterShowPart'),
    transfer: scheduledIdSchema,
    part: z
      .number()
      .int()
      .min(0)
      .max(MAX_SHOW_PARTS - 1),
    parts: z.number().int().min(1).max(MAX_SHOW_PARTS),
    data: z.string().max(MAX_SHOW_PART_CHARS),
  }),
] as const;

export const clusterLinkSchema = z.enum(['connecting', 'open', 'closed', 'refused']);
export type ClusterLink = z.infer<typeof clusterLinkSchema>;

/** One node as the director sees it. */
export const clusterNodeStatusSchema = z.object({
  name: z.string(),
  url: z.string(),
  role: clusterRoleSchema,
  link: clusterLinkSchema,
  /** Why the link is down or refused (wrong token, version, unreachable); null when it is up. */
  problem: z.string().nullable(),
  /** Half the smallest clockProbe round trip of the last batch, ms; null before one. */
  linkLatencyMs: z.number().nullable(),
  /** node realtime - director realtime at the same instant, ms (minimum-RTT sample); null before one. */
  clockOffsetMs: z.number().nullable(),
  /** |clockOffsetMs| is beyond half a frame period by more than the estimate's error (linkLatencyMs): this node would show a cue a frame early or late. */
  clockBeyondHalfFrame: z.boolean(),
  model: z.string().nullable(),
  modelFps: z.number().nullable(),
  /** Output count and how many run. */
  outputs: z.number().int(),
  outputsRunning: z.number().int(),
  /** The node has the director's current show document. */
  showInSync: z.boolean(),
  /** The cue on air on the node, as its state says. */
  onAirCueId: z.string().nullable(),
  /** This node's picture is the one on air (the primary while it is up, else the backup; every `node` renders its own part). */
  onAir: z.boolean(),
  /** Times the link came back after a drop. */
  reconnects: z.number().int(),
});
export type ClusterNodeStatus = z.infer<typeof clusterNodeStatusSchema>;

/** One operator action as the director sent it: the same id to every node. */
export const clusterActionSchema = z.object({
  id: z.string(),
  type: z.string(),
  /** The realtime instant it applies from, ms since the Unix epoch. */
  at: z.number(),
  /** Per node: what its reply said. 'late' applied at once on arrival; 'missed' the link was down (the rejoin resyncs it). */
  nodes: z.record(z.string(), z.enum(['sent', 'scheduled', 'late', 'duplicate', 'refused', 'missed'])),
});
export type ClusterAction = z.infer<typeof clusterActionSchema>;

/** An action a node applied late: how many frames after its instant. */
export const clusterLateSchema = z.object({ id: z.string(), node: z.string(), type: z.string(), lateMs: z.number(), framesLate: z.number().int() });

export const clusterStatusSchema = z.object({
  nodes: z.array(clusterNodeStatusSchema),
  /** How far ahead actions are scheduled now, ms (a whole number of frame periods, from the links' latency). */
  leadMs: z.number(),
  framePeriodMs: z.number(),
  /** Recent actions, newest last (bounded). */
  actions: z.array(clusterActionSchema),
  /** Recent late applications, newest last (bounded). */
  late: z.array(clusterLateSchema),
});
export type ClusterStatus = z.infer<typeof clusterStatusSchema>;
