/**
 * The engine's state snapshot: everything a console needs to draw itself. Sent
 * whole on connect and whenever it changes (it is small; frames are not in it).
 */
import { z } from 'zod';
import { clusterStatusSchema } from './cluster.js';
import { EXECUTION_PROVIDER_NAMES } from './providers.js';
import { engineErrorSchema } from './errors.js';
import { showStatusSchema } from './show.js';
import { controlStatusSchema } from './control.js';
import { preflightReportSchema } from './preflight.js';
import { attachedDisplaysSchema } from './display.js';
import { inputStateFields } from './input-control.js';
import { lookInputSchema } from './inputs.js';
import { modelsStatusSchema } from './models.js';
import { timecodeStatusSchema } from './timecode.js';
import { levelsStatusSchema } from './levels.js';
import { viewersStatusSchema } from './viewer.js';
import { recordingStatusSchema } from './recording.js';
import { frameLockStatusSchema } from './frame-lock.js';

export const modelStatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** 'loading' until the first frame, 'running', or 'failed' (outputs hold the last good frame). */
  status: z.enum(['loading', 'running', 'failed']),
  /** Execution provider the session actually runs on (not the one asked for). */
  provider: z.enum(EXECUTION_PROVIDER_NAMES).nullable(),
  /** Providers tried before it, with why each was passed over. */
  fallbacks: z.array(z.object({ provider: z.string(), reason: z.string() })),
  width: z.number().int(),
  height: z.number().int(),
  /** A model folder being loaded to replace this one (the wall stays on this one meanwhile). */
  switchingTo: z.string().optional(),
});

export const outputStatusSchema = z.object({
  id: z.string(),
  kind: z.enum(['preview', 'ndi', 'display', 'files', 'null']),
  name: z.string(),
  status: z.enum(['running', 'stopped', 'failed']),
  /** Output clock rate as a rational: 60000/1001 is 59.94. */
  rate: z.object({ num: z.number().int().positive(), den: z.number().int().positive() }),
  /** Frames actually sent per second, measured over the last second. */
  fps: z.number(),
  /** Ticks that found a new frame vs. ticks that repeated the last one. */
  freshFrames: z.number().int(),
  repeatedFrames: z.number().int(),
  missedTicks: z.number().int(),
  /** NDI and display outputs: false while deselected (blanked: sending black, see contract/outputs.ts). */
  live: z.boolean().optional(),
  message: z.string().optional(),
  /** Output picture size, where the output has its own (NDI); frames are scaled to it. */
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  /** NDI: receivers connected now. */
  connections: z.number().int().optional(),
  /** NDI: whether a receiver has this source on program / preview (tally). */
  tally: z.object({ program: z.boolean(), preview: z.boolean() }).optional(),
  /** NDI: groups the source is advertised in (comma separated; absent = "public"). */
  groups: z.string().optional(),
  /** NDI: the full source name receivers see, e.g. "HOST (Wall A)". */
  sourceName: z.string().optional(),
  /** Display: the region of the canvas it shows (fractions 0..1); absent = all. */
  crop: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }).optional(),
  /** Display: pages/windows showing it now. */
  clients: z.number().int().optional(),
  /** Display: the display it asked to open on (Electron). */
  display: z.string().optional(),
});

/** Output state a panic puts the wall in ('safe-plate' shows the show's still image). */
export const panicModeSchema = z.enum(['none', 'black', 'freeze', 'safe-plate']);
export type PanicMode = z.infer<typeof panicModeSchema>;

export const programStatusSchema = z.object({
  prompt: z.string(),
  seed: z.number().int(),
  /** Id of the look now being generated; every frame carries the id it was made from. */
  lookId: z.number().int(),
  panic: panicModeSchema,
  /** The live look's input (contract/inputs.ts); null = text only. Optional so older engines still parse. */
  input: lookInputSchema.nullable().optional(),
  /** When the panic in force began, engine wall-clock ms (Date.now()); null when none. Optional so older engines still parse. */
  panicSinceMs: z.number().nullable().optional(),
  /**
   * During a panic: the look on air when it began (what a frozen wall shows). While lookId differs
   * from held.lookId, `prompt` is a look taken during the panic, pending until restore. null when none.
   */
  held: z.object({ lookId: z.number().int(), prompt: z.string() }).nullable().optional(),
});

export const statsSchema = z.object({
  /** Frames per second the generator sustains, over the last second. */
  modelFps: z.number(),
  /** Last prompt-change-to-first-frame time in ms, or null before the first change. */
  lastTtffMs: z.number().nullable(),
  /** Frames the generator has made since the engine started. */
  generatedFrames: z.number().int(),
  /** Generated frames dropped because a newer one replaced them before any output took them. */
  droppedFrames: z.number().int(),
  /** Frames discarded because their look was already replaced (stale after a change). */
  staleFrames: z.number().int(),
  /**
   * Memory, bytes. CPU side from the engine process (rss, heap) and the OS (used/total).
   * gpuBytes: null unless the execution provider reports it (none of the bundled ones
   * do: onnxruntime-node exposes no device memory query), shown as "n/a".
   * Optional so older engines still parse.
   */
  memory: z
    .object({
      rssBytes: z.number(),
      heapUsedBytes: z.number(),
      systemUsedBytes: z.number(),
      systemTotalBytes: z.number(),
      gpuBytes: z.number().nullable(),
    })
    .optional(),
});

export const engineStateSchema = z.object({
  contractVersion: z.number().int(),
  engineVersion: z.string(),
  model: modelStatusSchema,
  program: programStatusSchema,
  stats: statsSchema,
  outputs: z.array(outputStatusSchema),
  /** Most recent errors, newest last; bounded. */
  recentErrors: z.array(engineErrorSchema.extend({ atMs: z.number() })),
  /** The show: cue list, timeline, file state (contract/show.ts). Optional so older engines still parse. */
  show: showStatusSchema.optional(),
  /** The last show-ready preflight (contract/preflight.ts); absent until one ran. */
  preflight: preflightReportSchema.optional(),
  /** Network control: listeners, token, counters (contract/control.ts). Added by the control edge; absent over Electron IPC. */
  control: controlStatusSchema.optional(),
  /** Displays attached to the app's machine, for display outputs (contract/display.ts); absent on a headless node. */
  displays: attachedDisplaysSchema.optional(),
  /** Live inputs and the NDI sources found (contract/input-control.ts). */
  ...inputStateFields,
  /** The model library: installed models, the catalog, downloads (contract/models.ts). Optional so older engines still parse. */
  models: modelsStatusSchema.optional(),
  /** Timecode chase: source, lock, the timecode and its rate (contract/timecode.ts). Optional so older engines still parse. */
  timecode: timecodeStatusSchema.optional(),
  /** What the faders set: master, strength, transition time, the crossfade, input select (contract/levels.ts). Optional so older engines still parse. */
  levels: levelsStatusSchema.optional(),
  /** Cluster: the nodes this engine directs, their links, clocks and health (contract/cluster.ts); absent unless it directs a cluster. */
  cluster: clusterStatusSchema.optional(),
  /** The client preview link and who is watching (contract/viewer.ts). Added by the control edge; absent without a console server. */
  viewers: viewersStatusSchema.optional(),
  /** Recording to video files: encoder, progress, disk, an interrupted recording (contract/recording.ts). Optional so older engines still parse. */
  recording: recordingStatusSchema.optional(),
  /** Frame lock: the output grid, the clock correction, how scheduled actions landed (contract/frame-lock.ts). Optional so older engines still parse. */
  frameLock: frameLockStatusSchema.optional(),
});

export type ModelStatus = z.infer<typeof modelStatusSchema>;
export type OutputStatus = z.infer<typeof outputStatusSchema>;
export type ProgramStatus = z.infer<typeof programStatusSchema>;
export type EngineStats = z.infer<typeof statsSchema>;
export type EngineState = z.infer<typeof engineStateSchema>;
