/**
 * Cyclorama's DMX personality: the channel list a lighting programmer patches, as
 * data. docs/dmx-personality.md publishes the same table, and a test parses it
 * against CHANNELS, so the two cannot drift. Pure: no Node, no I/O.
 *
 * 12 channels from the start address. Values are DMX levels 0-255; "16-bit" pairs
 * are coarse (MSB) then fine (LSB). Merge is how two sources of equal priority
 * combine: HTP (highest level wins) for intensity, LTP (latest change wins) for
 * everything else, as desks expect.
 */

export type DmxFunction =
  'master' | 'cueSelect' | 'cueSelect16Coarse' | 'cueSelect16Fine' | 'go' | 'panic' | 'crossfadeTime' | 'promptBlend' | 'strength' | 'seedCoarse' | 'seedFine' | 'inputSelect';

export interface DmxChannelDef {
  /** 1-based offset from the start address (channel 1 = the start address). */
  channel: number;
  fn: DmxFunction;
  /** Name as a desk shows it. */
  label: string;
  merge: 'HTP' | 'LTP';
  /** What the levels mean, in the words of the published table. */
  values: string;
}

export const PERSONALITY_NAME = 'Cyclorama 12ch';
export const PERSONALITY_VERSION = 1;

export const CHANNELS: readonly DmxChannelDef[] = [
  {
    channel: 1,
    fn: 'master',
    label: 'Master intensity',
    merge: 'HTP',
    values: '0-255: 0 to 100 % wall brightness on every output (times a black panic fade); followed from the first packet',
  },
  { channel: 2, fn: 'cueSelect', label: 'Cue select', merge: 'LTP', values: '0: none (GO fires the standby cue); 1-255: the cue at that position in the list' },
  {
    channel: 3,
    fn: 'cueSelect16Coarse',
    label: 'Cue select 16-bit (coarse)',
    merge: 'LTP',
    values: 'with channel 4: 0 none; 1-65535 cue position; when not 0 it overrides channel 2',
  },
  { channel: 4, fn: 'cueSelect16Fine', label: 'Cue select 16-bit (fine)', merge: 'LTP', values: 'fine byte of channel 3' },
  { channel: 5, fn: 'go', label: 'GO', merge: 'LTP', values: 'rising through 128 fires; re-arms below 64; a level never fires' },
  { channel: 6, fn: 'panic', label: 'Panic', merge: 'HTP', values: '0-63: none (leaving a panic restores); 64-127: black; 128-191: freeze; 192-255: safe plate' },
  { channel: 7, fn: 'crossfadeTime', label: 'Crossfade time', merge: 'LTP', values: '0-255: 0 to 25.5 s in 0.1 s steps: the transition of live edits (setTransitionTime)' },
  {
    channel: 8,
    fn: 'promptBlend',
    label: 'Prompt blend',
    merge: 'LTP',
    values: '0-255: T-bar from the live look toward the standby cue; the far end takes it as GO (once) and the bar then runs back',
  },
  { channel: 9, fn: 'strength', label: 'Strength', merge: 'LTP', values: '0-255: 0 to 100 % of the model strength range, the live look changed in place' },
  { channel: 10, fn: 'seedCoarse', label: 'Seed (coarse)', merge: 'LTP', values: 'with channel 11: seed 0-65535' },
  { channel: 11, fn: 'seedFine', label: 'Seed (fine)', merge: 'LTP', values: 'fine byte of channel 10' },
  {
    channel: 12,
    fn: 'inputSelect',
    label: 'Input select',
    merge: 'LTP',
    values: 'bands of 10: 0-9 generated only; 10-19 input 1; 20-29 input 2; ... 250-255 input 25 (state.levels.inputs order)',
  },
];

export const FOOTPRINT = CHANNELS.length;

/** Where the personality sits: a universe (Art-Net 0-32767 port address, sACN 1-63999) and a start address 1-512. */
export interface DmxPatch {
  universe: number;
  startAddress: number;
}

/** Throws a RangeError naming the bad patch setting. */
export function validatePatch(patch: DmxPatch): void {
  if (!Number.isInteger(patch.universe) || patch.universe < 0 || patch.universe > 63999) {
    throw new RangeError(`DMX universe ${patch.universe} is out of range 0-63999`);
  }
  const last = 513 - FOOTPRINT;
  if (!Number.isInteger(patch.startAddress) || patch.startAddress < 1 || patch.startAddress > last) {
    throw new RangeError(`DMX start address ${patch.startAddress} is out of range 1-${last} (the personality is ${FOOTPRINT} channels)`);
  }
}

/** The channel's level in a 512-slot universe (slot index 0 = address 1); missing slots read 0. */
function level(universe: Uint8Array, patch: DmxPatch, fn: DmxFunction): number {
  const def = CHANNELS.find((c) => c.fn === fn) as DmxChannelDef;
  return universe[patch.startAddress - 1 + def.channel - 1] ?? 0;
}

/** The personality's values, decoded from the levels. */
export interface DmxValues {
  /** 0..1. */
  master: number;
  /** Cue position 1.., or 0 for none (the 16-bit pair when set, else the 8-bit channel). */
  cuePosition: number;
  /** Raw GO level (edges are the interpreter's job). */
  goLevel: number;
  panic: 'none' | 'black' | 'freeze' | 'safe-plate';
  crossfadeMs: number;
  /** 0..1. */
  promptBlend: number;
  /** 0..1. */
  strength: number;
  /** 0-65535. */
  seed: number;
  /** 0 = generated only, 1-25 = input N. */
  input: number;
}

export function decodeValues(universe: Uint8Array, patch: DmxPatch): DmxValues {
  const l = (fn: DmxFunction) => level(universe, patch, fn);
  const cue16 = l('cueSelect16Coarse') * 256 + l('cueSelect16Fine');
  const p = l('panic');
  return {
    master: l('master') / 255,
    cuePosition: cue16 !== 0 ? cue16 : l('cueSelect'),
    goLevel: l('go'),
    panic: p < 64 ? 'none' : p < 128 ? 'black' : p < 192 ? 'freeze' : 'safe-plate',
    crossfadeMs: l('crossfadeTime') * 100,
    promptBlend: l('promptBlend') / 255,
    strength: l('strength') / 255,
    seed: l('seedCoarse') * 256 + l('seedFine'),
    input: Math.floor(l('inputSelect') / 10),
  };
}

/** GO thresholds: fires rising through GO_FIRE_LEVEL, re-arms only below GO_REARM_LEVEL (hysteresis for a wobbly fader). */
export const GO_FIRE_LEVEL = 128;
export const GO_REARM_LEVEL = 64;

/** Per-slot merge rule over the whole universe: HTP at the personality's HTP channels, LTP elsewhere. */
export function mergeRules(patch: DmxPatch): ('HTP' | 'LTP')[] {
  const rules = new Array<'HTP' | 'LTP'>(512).fill('LTP');
  for (const c of CHANNELS) rules[patch.startAddress - 1 + c.channel - 1] = c.merge;
  return rules;
}
