/**
 * Show-control sources besides OSC: DMX in (Art-Net, sACN) and MIDI Show Control.
 * Their settings live in the machine's configuration (`control.json` in the
 * engine's config folder), not in the show: a desk's universe belongs to the
 * venue's rig. Each is off unless enabled. Their status rides in the control
 * status (contract/control.ts) like OSC's: counters, signal, last values.
 */
import { z } from 'zod';

export const dmxConfigSchema = z.object({
  enabled: z.boolean().default(false),
  protocol: z.enum(['artnet', 'sacn']).default('sacn'),
  /** sACN 1-63999; Art-Net the 15-bit port address 0-32767 (net << 8 | subnet << 4 | universe). */
  universe: z.number().int().min(0).max(63999).default(1),
  /** First channel of the 12-channel personality (docs/dmx-personality.md), 1-501. */
  startAddress: z.number().int().min(1).max(501).default(1),
  /**
   * sACN: the local address of the interface to join multicast on (default: the
   * system's choice). Art-Net (dmxnet) listens on every interface: limit sources with `allow`.
   */
  iface: z.string().max(64).optional(),
  /** UDP port; default 5568 (sACN) or 6454 (Art-Net). */
  port: z.number().int().min(1).max(65535).optional(),
  /** Source IPs taken (Art-Net only: sACN sources are told apart by CID); empty = any. */
  allow: z.array(z.string().max(64)).max(64).default([]),
  /** A source is lost after this long without a packet (E1.31: 2500 ms); the values are then held. */
  sourceTimeoutMs: z.number().int().min(100).max(60_000).default(2500),
});
export type DmxConfig = z.infer<typeof dmxConfigSchema>;

export const mscConfigSchema = z.object({
  enabled: z.boolean().default(false),
  /** MIDI input port (exact name, or part of one). */
  input: z.string().max(200).default(''),
  /** This machine's MSC device id, 0-111 (0x00-0x6F); all-call (0x7F) is always taken. */
  deviceId: z.number().int().min(0).max(0x6f).default(1),
  /** Group ids 112-126 (0x70-0x7E) it also answers. */
  groupIds: z.array(z.number().int().min(0x70).max(0x7e)).max(15).default([]),
});
export type MscConfig = z.infer<typeof mscConfigSchema>;

/** What a MIDI control can do: buttons (a note, a CC pressed through 64, a program change) and faders (a CC's level). */
export const MIDI_BUTTON_ACTIONS = ['go', 'back', 'panic', 'restore', 'standbyUp', 'standbyDown', 'fireCue'] as const;
export const MIDI_FADER_ACTIONS = ['transitionTime', 'strength', 'seed', 'master'] as const;

export const midiMappingSchema = z.object({
  kind: z.enum(['note', 'cc', 'program']),
  /** MIDI channel 1-16. */
  channel: z.number().int().min(1).max(16),
  /** Note, controller or program number 0-127. */
  number: z.number().int().min(0).max(127),
  action: z.enum([...MIDI_BUTTON_ACTIONS, ...MIDI_FADER_ACTIONS]),
  /** fireCue: the cue number ("2.5"). */
  cue: z.string().min(1).max(12).optional(),
});
export type MidiMapping = z.infer<typeof midiMappingSchema>;
export type MidiAction = MidiMapping['action'];

export const midiControlConfigSchema = z.object({
  enabled: z.boolean().default(false),
  /** MIDI input (exact name, or part of one). */
  input: z.string().max(200).default(''),
  /** MIDI output for LED feedback (standby cue, panic); empty = none. */
  output: z.string().max(200).default(''),
  mappings: z.array(midiMappingSchema).max(256).default([]),
});
export type MidiControlConfig = z.infer<typeof midiControlConfigSchema>;

/** The `control.json` file of the engine's config folder. */
export const controlConfigSchema = z.object({
  dmx: dmxConfigSchema.prefault({}),
  msc: mscConfigSchema.prefault({}),
  midi: midiControlConfigSchema.prefault({}),
});
export type ControlConfig = z.infer<typeof controlConfigSchema>;

/**
 * Commands a source produced: sent on (dispatched), refused by the engine's
 * validation (rejected) or dropped by the rate limiter. The same four counters as
 * OSC's (contract/control.ts imports this file, so they are spelt out here).
 */
const sourceCountersSchema = z.object({ received: z.number().int(), dispatched: z.number().int(), rejected: z.number().int(), rateLimited: z.number().int() });

export const dmxStatusSchema = z.object({
  protocol: z.enum(['artnet', 'sacn']),
  universe: z.number().int(),
  startAddress: z.number().int(),
  port: z.number().int(),
  iface: z.string().nullable(),
  /** none: nothing received yet; live; lost: no source within the timeout (values held). */
  signal: z.enum(['none', 'live', 'lost']),
  /** Packets: taken, refused as malformed, for another universe. */
  packets: z.object({ received: z.number().int(), corrupt: z.number().int(), wrongUniverse: z.number().int(), refusedSources: z.number().int() }),
  /** Commands the packets produced (GO, cue fire, panic, restore, seed). */
  counters: sourceCountersSchema,
  /** The continuous channels in force (held through a loss); null before the first universe. */
  values: z
    .object({
      master: z.number(),
      crossfadeMs: z.number(),
      promptBlend: z.number(),
      strength: z.number(),
      input: z.number().int(),
      cuePosition: z.number().int(),
    })
    .nullable(),
});
export type DmxStatus = z.infer<typeof dmxStatusSchema>;

export const mscStatusSchema = z.object({
  input: z.string(),
  deviceId: z.number().int(),
  /** Whether the MIDI input is open (false: the reason is in `problem`). */
  open: z.boolean(),
  problem: z.string().nullable(),
  /** SysEx messages: MSC for this device, MSC for others (filtered), not MSC or malformed. */
  messages: z.object({ received: z.number().int(), filtered: z.number().int(), malformed: z.number().int() }),
  counters: sourceCountersSchema,
});
export type MscStatus = z.infer<typeof mscStatusSchema>;

export const midiControlStatusSchema = z.object({
  input: z.string(),
  /** Feedback output; empty = none. */
  output: z.string(),
  open: z.boolean(),
  mappings: z.array(midiMappingSchema),
  /** The action waiting for a control to be moved (MIDI learn); null when not learning. */
  learning: z.string().nullable(),
  /** fireCue being learnt: its cue number. */
  learningCue: z.string().nullable().optional(),
  /** Why the input or the feedback output is not open (wrong name, port gone); null when both are fine. */
  problem: z.string().nullable().optional(),
  /** Fader levels last received, 0..1. */
  levels: z.object({ transitionTime: z.number().optional(), strength: z.number().optional(), master: z.number().optional() }),
  counters: sourceCountersSchema,
});
export type MidiControlStatus = z.infer<typeof midiControlStatusSchema>;

/** DMX, MSC and MIDI control in the control status; each null when off. */
export const controlSourcesStatusSchema = z.object({
  dmx: dmxStatusSchema.nullable(),
  msc: mscStatusSchema.nullable(),
  /** Absent from engines that predate MIDI control. */
  midi: midiControlStatusSchema.nullable().optional(),
  /**
   * This machine's MIDI ports, as last read (listMidiPorts, setMidiPorts); absent
   * until then. `problem`: why there is no MIDI at all (no ALSA sequencer...).
   */
  midiPorts: z.object({ inputs: z.array(z.string()), outputs: z.array(z.string()), problem: z.string().nullable() }).optional(),
});
export type ControlSourcesStatus = z.infer<typeof controlSourcesStatusSchema>;
