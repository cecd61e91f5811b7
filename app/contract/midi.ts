/**
 * MIDI learn from the console: choose this machine's MIDI input (and feedback
 * output), arm an action, move a control on the controller and it is bound;
 * remove a binding. The mappings and ports are the machine's (control.json
 * "midi", contract/control-sources.ts), never the show's. The control plane
 * answers these (control/control-sources.ts); an engine without one refuses them.
 */
import { z } from 'zod';
import { MIDI_BUTTON_ACTIONS, MIDI_FADER_ACTIONS, midiMappingSchema } from './control-sources.js';

export const midiLearnActionSchema = z.enum([...MIDI_BUTTON_ACTIONS, ...MIDI_FADER_ACTIONS]);

export const midiCommandSchemas = [
  /** Reads the MIDI ports of this machine again (state.control.sources.midiPorts). */
  z.object({ type: z.literal('listMidiPorts') }),
  /**
   * The MIDI input controls come from and the output LED feedback goes to (exact
   * name or part of one); input '' turns MIDI control off, output '' sends no
   * feedback. Saved in control.json; the mappings are kept.
   */
  z.object({
    type: z.literal('setMidiPorts'),
    input: z.string().max(200),
    output: z.string().max(200).default(''),
  }),
  /** The next note, CC or program change received binds to `action` (fireCue: the cue number in `cue`). */
  z
    .object({
      type: z.literal('midiLearn'),
      action: midiLearnActionSchema,
      cue: z.string().min(1).max(12).optional(),
    })
    .refine((c) => c.action !== 'fireCue' || c.cue !== undefined, { message: 'fireCue needs the cue number to fire (cue)', path: ['cue'] }),
  /** Stops waiting for a control (nothing is bound). */
  z.object({ type: z.literal('midiCancelLearn') }),
  /** Removes the binding of one control (its kind, channel 1-16 and number). */
  z.object({
    type: z.literal('midiRemoveMapping'),
    kind: midiMappingSchema.shape.kind,
    channel: midiMappingSchema.shape.channel,
    number: midiMappingSchema.shape.number,
  }),
] as const;

export type MidiCommand = z.infer<(typeof midiCommandSchemas)[number]>;
/** The MIDI learn commands' types (the hub hands these to the control plane). */
export const MIDI_COMMAND_TYPES = ['listMidiPorts', 'setMidiPorts', 'midiLearn', 'midiCancelLearn', 'midiRemoveMapping'] as const satisfies readonly MidiCommand['type'][];
export const isMidiCommand = <C extends { type: string }>(command: C): command is Extract<C, MidiCommand> => (MIDI_COMMAND_TYPES as readonly string[]).includes(command.type);
