/**
 * Commands: what a console, a control surface or the CLI may ask of the engine.
 * One object argument per command, discriminated by `type`. The engine validates
 * every command it receives against `commandSchema` (the receiving edge), so a
 * malformed message is rejected with a named field instead of changing state.
 */
import { z } from 'zod';
import { MAX_PROMPT_LENGTH, transitionSchema } from './primitives.js';
import { showCommandSchemas } from './show.js';
import { ndiCommandSchemas } from './ndi.js';
import { controlCommandSchemas } from './control.js';
import { preflightCommandSchemas } from './preflight.js';
import { displayCommandSchemas } from './display.js';
import { outputCommandSchemas } from './outputs.js';
import { inputCommandSchemas } from './input-control.js';
import { modelCommandSchemas } from './models.js';
import { timecodeCommandSchemas } from './timecode.js';
import { midiCommandSchemas } from './midi.js';
import { levelCommandSchemas } from './levels.js';
import { stillsCommandSchemas } from './stills.js';
import { viewerCommandSchemas } from './viewer.js';
import { recordingCommandSchemas } from './recording.js';
import { EXECUTION_PROVIDER_NAMES } from './providers.js';
import { clusterCommandSchemas, isSchedulable, scheduledAtSchema, scheduledIdSchema, SCHEDULABLE_COMMAND_TYPES } from './cluster.js';

export { MAX_PROMPT_LENGTH, MAX_TRANSITION_MS, transitionCurveSchema, transitionSchema, type Transition, type TransitionCurve } from './primitives.js';

const seedSchema = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);

/** Every command but the cluster's wrapper: what a scheduled action may carry (narrowed below). */
const directCommandSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('setPrompt'),
    prompt: z.string().max(MAX_PROMPT_LENGTH),
    /** Optional transition; absent means the engine's default for live edits. */
    transition: transitionSchema.optional(),
  }),
  z.object({ type: z.literal('setSeed'), seed: seedSchema }),
  /** Fire the standby cue (the show-control issue fills in cue lists). */
  z.object({ type: z.literal('go') }),
  /** Panic: 'black' fades the wall to black, 'freeze' holds the current frame, 'safe-plate' shows the show's still. */
  z.object({
    type: z.literal('panic'),
    mode: z.enum(['black', 'freeze', 'safe-plate']),
    /** Fade duration for 'black' in ms; 0 cuts. */
    fadeMs: z.number().int().min(0).max(60_000).default(0),
  }),
  /** Undo a panic: back to the live program. */
  z.object({ type: z.literal('restore') }),
  /** Ask for a full state snapshot (also sent unasked on connect). */
  z.object({ type: z.literal('getState') }),
  /**
   * Switch the live model to a model folder on the engine's machine (a Cyclorama
   * model.json folder, or an SD-Turbo/SDXL-Turbo ONNX export as downloaded). The
   * wall stays on the current model until the new one is ready; a folder that does
   * not load is reported and changes nothing.
   */
  z.object({
    type: z.literal('loadModel'),
    dir: z.string().min(1).max(4096),
    provider: z.enum(EXECUTION_PROVIDER_NAMES).optional(),
  }),
  // Show control: cue list, timeline transport, show files (contract/show.ts).
  ...showCommandSchemas,
  // NDI outputs: add, rename/reconfigure, remove (contract/ndi.ts).
  ...ndiCommandSchemas,
  // Show-ready preflight (contract/preflight.ts).
  ...preflightCommandSchemas,
  // Display outputs (contract/display.ts).
  ...displayCommandSchemas,
  // Output selection: carry the program or blank to black, per output (contract/outputs.ts).
  ...outputCommandSchemas,
  // External control: access token rotation (contract/control.ts).
  ...controlCommandSchemas,
  // Live inputs: the live look's input, the NDI sources found (contract/input-control.ts).
  ...inputCommandSchemas,
  // The model library: list, download, import, remove, licences (contract/models.ts).
  ...modelCommandSchemas,
  // The machine's timecode inputs for the chase (contract/timecode.ts).
  ...timecodeCommandSchemas,
  // MIDI learn: this machine's MIDI ports and control mappings (contract/midi.ts).
  ...midiCommandSchemas,
  // Faders: master level, strength, transition time, the manual crossfade, input select (contract/levels.ts).
  ...levelCommandSchemas,
  // Cluster director: nodes added by address, the show pushed to nodes in parts (contract/cluster.ts).
  ...clusterCommandSchemas,
  // Stills: a full-resolution PNG of the program into the operator's folder (contract/stills.ts).
  ...stillsCommandSchemas,
  // The client preview link: create, revoke (contract/viewer.ts).
  ...viewerCommandSchemas,
  // Recording to video files: start, stop (contract/recording.ts).
  ...recordingCommandSchemas,
]);

export const commandSchema = z.discriminatedUnion('type', [
  directCommandSchema,
  /**
   * Cluster (contract/cluster.ts): apply `command` from the first output tick at or
   * after `at` (realtime ms since the Unix epoch); `id` makes a resend harmless.
   */
  z.object({
    type: z.literal('scheduled'),
    id: scheduledIdSchema,
    at: scheduledAtSchema,
    command: directCommandSchema.refine((command) => isSchedulable(command.type), {
      message: `only ${SCHEDULABLE_COMMAND_TYPES.join(', ')} can be scheduled`,
    }),
  }),
  /** Cluster: the node's clocks now (the reply's data.clock), for the director's offset check. */
  z.object({ type: z.literal('clockProbe') }),
]);

export type Command = z.infer<typeof commandSchema>;
/** What a caller writes: defaults may be left out. */
export type CommandInput = z.input<typeof commandSchema>;
export type CommandType = Command['type'];
