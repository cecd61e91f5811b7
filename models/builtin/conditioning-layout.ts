/**
 * The built-in model's conditioning vector: 32 float32 slots. The graph reads
 * them by these indices and the vocabulary (vocab.json) names them; keep the
 * two in step (tests check that vocab.json's slot table matches this one).
 *
 * Colours are sRGB in 0..1. Scalars are 0..1 with 0.5 the neutral middle
 * where a middle makes sense (brightness, contrast, saturation, temperature).
 */
export const CONDITIONING_SIZE = 32;

export interface SlotSpec {
  readonly name: string;
  readonly index: number;
  /** 3 for an RGB colour, 1 for a scalar. */
  readonly size: 1 | 3;
  readonly doc: string;
}

export const SLOTS = [
  { name: 'shadow', index: 0, size: 3, doc: 'darkest palette colour (tone 0)' },
  { name: 'body', index: 3, size: 3, doc: 'middle palette colour (tone 0.5)' },
  { name: 'light', index: 6, size: 3, doc: 'brightest palette colour (tone 1); also the colour of light rays' },
  { name: 'glow', index: 9, size: 3, doc: 'emissive accent colour of glow lines and colour mottling' },
  { name: 'brightness', index: 12, size: 1, doc: 'exposure: 0 dark, 0.5 neutral, 1 bright' },
  { name: 'contrast', index: 13, size: 1, doc: 'tone spread: 0 flat, 0.5 neutral, 1 punchy' },
  { name: 'saturation', index: 14, size: 1, doc: '0 grey, 0.5 as the palette, 1 double' },
  { name: 'turbulence', index: 15, size: 1, doc: 'weight of the fine octaves: 0 soft blobs, 1 billowing detail' },
  { name: 'speed', index: 16, size: 1, doc: 'motion speed: 0 nearly still, 1 fast (storm, fire)' },
  { name: 'scale', index: 17, size: 1, doc: 'feature size: 0 huge soft shapes, 1 small busy ones' },
  { name: 'warp', index: 18, size: 1, doc: 'domain warp: 0 plain waves, 1 swirling, painterly' },
  { name: 'sky', index: 19, size: 1, doc: 'strength of the bright horizon band (sky gradients)' },
  { name: 'horizon', index: 20, size: 1, doc: 'height of that band: 0 top, 1 bottom' },
  { name: 'spot', index: 21, size: 1, doc: 'strength of a soft light pool' },
  { name: 'spotX', index: 22, size: 1, doc: 'light pool x: 0 left, 1 right' },
  { name: 'spotY', index: 23, size: 1, doc: 'light pool y: 0 top, 1 bottom' },
  { name: 'vignette', index: 24, size: 1, doc: 'darkening towards the corners' },
  { name: 'rays', index: 25, size: 1, doc: 'shafts of light falling from the top' },
  { name: 'glowLines', index: 26, size: 1, doc: "emissive lines along the field's contours (neon, lava, aurora)" },
  { name: 'clouds', index: 27, size: 1, doc: 'how much the noise field moves the tone (0 clean gradient, 1 mottled)' },
  { name: 'grain', index: 28, size: 1, doc: 'fine painted-canvas mottle' },
  { name: 'flow', index: 29, size: 1, doc: 'drift direction as a turn: 0 right, 0.25 up, 0.5 left, 0.75 down' },
  { name: 'stretch', index: 30, size: 1, doc: 'feature aspect: 0 tall (flames, rain), 0.5 round, 1 wide (cloud layers, sea)' },
  { name: 'temperature', index: 31, size: 1, doc: 'white balance: 0 cold blue, 0.5 neutral, 1 warm amber' },
] as const satisfies readonly SlotSpec[];

export type SlotName = (typeof SLOTS)[number]['name'];

export function slotIndex(name: SlotName): number {
  const slot = SLOTS.find((s) => s.name === name);
  if (!slot) throw new Error(`unknown slot ${name}`);
  return slot.index;
}
