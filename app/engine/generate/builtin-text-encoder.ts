/**
 * Text encoder of the built-in model: prompt -> conditioning vector.
 *
 * Not a neural encoder: a vocabulary (models/builtin/vocab.json) maps words to
 * settings of named slots (palette colours, brightness, turbulence, ...).
 * For each slot, the words that *set* it are averaged (colours in OKLab, so a
 * mix stays vivid instead of going muddy); words that *add* nudge it after.
 * Word weight: 1, plus 1 for every repeat; "very" and friends multiply the
 * next word's weight, "slightly" divides it, "no"/"without" drop it.
 * Unknown words never fail: an FNV-1a hash of the word seeds a small, fixed
 * perturbation (a palette hue turn, a faint tint, small nudges of motion and
 * texture), so every prompt is a stable, distinct look.
 * Empty prompt -> the slots' neutral values: a soft studio-grey backdrop.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #a1b2c3');
const slotValue = z.union([z.number(), hexColour]);

const slotSchema = z.object({
  name: z.string().min(1),
  index: z.number().int().nonnegative(),
  size: z.union([z.literal(1), z.literal(3)]),
  /** Value when no word sets the slot: a number for scalars, a hex colour for colours. */
  neutral: slotValue,
  doc: z.string().optional(),
});

const wordSchema = z.object({
  /** Absolute values; averaged with the other words that set the slot. */
  set: z.record(z.string(), slotValue).optional(),
  /** Deltas added after averaging (scalars only). */
  add: z.record(z.string(), z.number()).optional(),
});

export const builtinVocabularySchema = z.object({
  schemaVersion: z.literal(1),
  conditioningSize: z.number().int().positive(),
  slots: z.array(slotSchema).min(1),
  stopWords: z.array(z.string()),
  /** Multiply the next word's weight ("very": 1.8, "slightly": 0.45). */
  intensifiers: z.record(z.string(), z.number().positive()),
  /** The next known word is ignored ("no fog"). */
  negations: z.array(z.string()),
  /** Spelling variants and synonyms: word -> vocabulary word. */
  aliases: z.record(z.string(), z.string()),
  words: z.record(z.string(), wordSchema),
});

export type BuiltinVocabularyFile = z.infer<typeof builtinVocabularySchema>;

type Lab = [number, number, number];

interface CompiledSlot {
  readonly index: number;
  readonly size: 1 | 3;
  readonly neutral: number | Lab;
}

interface CompiledWord {
  readonly set: ReadonlyArray<{ slot: number; value: number | Lab }>;
  readonly add: ReadonlyArray<{ slot: number; delta: number }>;
}

/** A vocabulary ready for encodePrompt: slots resolved, colours in OKLab. */
export interface Vocabulary {
  readonly conditioningSize: number;
  readonly slots: readonly CompiledSlot[];
  readonly slotByName: ReadonlyMap<string, number>;
  readonly words: ReadonlyMap<string, CompiledWord>;
  readonly aliases: ReadonlyMap<string, string>;
  readonly stopWords: ReadonlySet<string>;
  readonly intensifiers: ReadonlyMap<string, number>;
  readonly negations: ReadonlySet<string>;
}

// ---- Colour: sRGB <-> OKLab (Björn Ottosson's matrices). ----

function srgbToLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}
function linearToSrgb(c: number): number {
  const v = c <= 0.0031308 ? c * 12.92 : 1.055 * Math.max(c, 0) ** (1 / 2.4) - 0.055;
  return Math.min(1, Math.max(0, v));
}

export function srgbToOklab(r: number, g: number, b: number): Lab {
  const lr = srgbToLinear(r), lg = srgbToLinear(g), lb = srgbToLinear(b);
  const l = Math.cbrt(0.4122214708 * lr + 0.5363325363 * lg + 0.0514459929 * lb);
  const m = Math.cbrt(0.2119034982 * lr + 0.6806995451 * lg + 0.1073969566 * lb);
  const s = Math.cbrt(0.0883024619 * lr + 0.2817188376 * lg + 0.6299787005 * lb);
  return [
    0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s,
  ];
}

export function oklabToSrgb([L, a, b]: Lab): [number, number, number] {
  const l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (L - 0.0894841775 * a - 1.291485548 * b) ** 3;
  return [
    linearToSrgb(4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s),
    linearToSrgb(-1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s),
    linearToSrgb(-0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s),
  ];
}

function hexToLab(hex: string): Lab {
  const n = Number.parseInt(hex.slice(1), 16);
  return srgbToOklab(((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255);
}

// ---- Loading. ----

/** Validates a parsed vocab.json and compiles it. `source` names it in errors. */
export function compileBuiltinVocabulary(json: unknown, source = 'vocabulary'): Vocabulary {
  const parsed = builtinVocabularySchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`invalid built-in vocabulary ${source}: ${issues}`);
  }
  const file = parsed.data;
  const fail = (message: string): never => {
    throw new Error(`invalid built-in vocabulary ${source}: ${message}`);
  };

  const slotByName = new Map<string, number>();
  const slots: CompiledSlot[] = [];
  const covered = new Array<boolean>(file.conditioningSize).fill(false);
  for (const slot of file.slots) {
    if (slot.index + slot.size > file.conditioningSize) fail(`slot ${slot.name} runs past conditioningSize`);
    for (let i = slot.index; i < slot.index + slot.size; i++) {
      if (covered[i]) fail(`slot ${slot.name} overlaps another slot at index ${i}`);
      covered[i] = true;
    }
    if (slot.size === 3 && typeof slot.neutral !== 'string') fail(`colour slot ${slot.name} needs a hex neutral`);
    if (slot.size === 1 && typeof slot.neutral !== 'number') fail(`scalar slot ${slot.name} needs a numeric neutral`);
    slotByName.set(slot.name, slots.length);
    slots.push({
      index: slot.index,
      size: slot.size,
      neutral: typeof slot.neutral === 'string' ? hexToLab(slot.neutral) : slot.neutral,
    });
  }

  const words = new Map<string, CompiledWord>();
  for (const [word, entry] of Object.entries(file.words)) {
    const set = Object.entries(entry.set ?? {}).map(([name, value]) => {
      const slot = slotByName.get(name) ?? fail(`word "${word}" sets unknown slot ${name}`);
      const isColour = slots[slot]!.size === 3;
      if (isColour !== (typeof value === 'string')) fail(`word "${word}": slot ${name} wants a ${isColour ? 'hex colour' : 'number'}`);
      return { slot, value: typeof value === 'string' ? hexToLab(value) : value };
    });
    const add = Object.entries(entry.add ?? {}).map(([name, delta]) => {
      const slot = slotByName.get(name) ?? fail(`word "${word}" adds to unknown slot ${name}`);
      if (slots[slot]!.size !== 1) fail(`word "${word}": cannot add to colour slot ${name}`);
      return { slot, delta };
    });
    words.set(word, { set, add });
  }
  for (const [alias, target] of Object.entries(file.aliases)) {
    if (!words.has(target)) fail(`alias "${alias}" points at unknown word "${target}"`);
  }

  return {
    conditioningSize: file.conditioningSize,
    slots,
    slotByName,
    words,
    aliases: new Map(Object.entries(file.aliases)),
    stopWords: new Set(file.stopWords),
    intensifiers: new Map(Object.entries(file.intensifiers)),
    negations: new Set(file.negations),
  };
}

/** Reads, validates and compiles vocab.json; errors name the file. */
export function loadBuiltinVocabulary(path: string): Vocabulary {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read built-in vocabulary ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`built-in vocabulary ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return compileBuiltinVocabulary(json, path);
}

// ---- Tokenising. ----

/** Lower-case words of letters/digits; accents folded, punctuation and hyphens split. */
export function tokenize(prompt: string): string[] {
  return prompt
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['\u2019]s\b/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** The vocabulary word a token stands for: exact, alias, plural, or adjective in -y. */
function lookup(token: string, vocab: Vocabulary): string | undefined {
  const direct = (w: string) => (vocab.words.has(w) ? w : vocab.aliases.get(w));
  const candidates = [token];
  if (token.length > 3) {
    if (token.endsWith('ies')) candidates.push(`${token.slice(0, -3)}y`);
    if (token.endsWith('es')) candidates.push(token.slice(0, -2));
    if (token.endsWith('s') && !token.endsWith('ss')) candidates.push(token.slice(0, -1));
    // snowy -> snow, foggy -> fog, sunny -> sun, misty -> mist
    if (token.endsWith('y')) {
      const stem = token.slice(0, -1);
      candidates.push(stem);
      if (stem.length > 2 && stem.at(-1) === stem.at(-2)) candidates.push(stem.slice(0, -1));
    }
  }
  for (const c of candidates) {
    const found = direct(c);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** 32-bit FNV-1a of a string's UTF-16 code units. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Deterministic uniform numbers in [-1, 1) from a 32-bit seed (xorshift32). */
function signedStream(seed: number): () => number {
  let x = seed || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return (x / 4294967296) * 2 - 1;
  };
}

/** Scalar slots an unknown word nudges, and by at most how much. */
const UNKNOWN_WORD_NUDGES: ReadonlyArray<[string, number]> = [
  ['turbulence', 0.12],
  ['warp', 0.12],
  ['scale', 0.1],
  ['speed', 0.06],
  ['clouds', 0.08],
  ['stretch', 0.1],
  ['flow', 0.08],
  ['spotX', 0.08],
];
/** Palette hue turn per unknown word, at most, in radians (~20 degrees). */
const UNKNOWN_WORD_HUE_TURN = 0.35;
/** OKLab a/b tint per unknown word, at most (gives grey looks a faint colour). */
const UNKNOWN_WORD_TINT = 0.025;

interface Accumulator {
  weight: number;
  sum: number[];
  /** Colours: sum of weight * chroma, to restore vividness after averaging a, b. */
  chroma: number;
}

/**
 * Prompt -> conditioning vector (length vocab.conditioningSize). Pure: no I/O,
 * no clock, no randomness beyond the words themselves.
 */
export function encodePrompt(prompt: string, vocab: Vocabulary): Float32Array {
  const acc: Array<Accumulator | undefined> = new Array(vocab.slots.length);
  const deltas = new Float64Array(vocab.slots.length);
  let hueTurn = 0;
  let tintA = 0;
  let tintB = 0;
  const unknownNudges = new Map<number, number>();

  let pendingWeight = 1;
  let negate = false;
  const seenCount = new Map<string, number>();
  for (const token of tokenize(prompt)) {
    if (vocab.negations.has(token)) {
      negate = true;
      continue;
    }
    const intensity = vocab.intensifiers.get(token);
    if (intensity !== undefined) {
      pendingWeight *= intensity;
      continue;
    }
    if (vocab.stopWords.has(token)) continue;
    const weight = pendingWeight;
    const skip = negate;
    pendingWeight = 1;
    negate = false;
    if (skip) continue;

    const word = lookup(token, vocab);
    if (word === undefined) {
      const next = signedStream(fnv1a(token));
      hueTurn += next() * UNKNOWN_WORD_HUE_TURN;
      tintA += next() * UNKNOWN_WORD_TINT;
      tintB += next() * UNKNOWN_WORD_TINT;
      for (const [name, size] of UNKNOWN_WORD_NUDGES) {
        const slot = vocab.slotByName.get(name);
        const r = next();
        if (slot !== undefined) unknownNudges.set(slot, (unknownNudges.get(slot) ?? 0) + r * size);
      }
      continue;
    }
    // A repeated word counts again, so "blue blue sea" is bluer than "blue sea".
    seenCount.set(word, (seenCount.get(word) ?? 0) + 1);
    const entry = vocab.words.get(word)!;
    for (const { slot, value } of entry.set) {
      let a = acc[slot];
      if (!a) {
        a = { weight: 0, sum: [0, 0, 0], chroma: 0 };
        acc[slot] = a;
      }
      a.weight += weight;
      if (typeof value === 'number') {
        a.sum[0]! += weight * value;
      } else {
        a.sum[0]! += weight * value[0];
        a.sum[1]! += weight * value[1];
        a.sum[2]! += weight * value[2];
        a.chroma += weight * Math.hypot(value[1], value[2]);
      }
    }
    for (const { slot, delta } of entry.add) deltas[slot]! += weight * delta;
  }

  const out = new Float32Array(vocab.conditioningSize);
  const cosTurn = Math.cos(hueTurn);
  const sinTurn = Math.sin(hueTurn);
  vocab.slots.forEach((slot, s) => {
    const a = acc[s];
    if (slot.size === 1) {
      const base = a ? a.sum[0]! / a.weight : (slot.neutral as number);
      const value = base + deltas[s]! + (unknownNudges.get(s) ?? 0);
      out[slot.index] = Math.min(1, Math.max(0, value));
      return;
    }
    let lab: Lab;
    if (a) {
      const L = a.sum[0]! / a.weight;
      let ca = a.sum[1]! / a.weight;
      let cb = a.sum[2]! / a.weight;
      // Averaging a, b pulls opposite hues towards grey; restore the mean
      // chroma (at most 2.5x) so "blue sunset" stays a colour.
      const meanChroma = a.chroma / a.weight;
      const chroma = Math.hypot(ca, cb);
      if (chroma > 1e-6) {
        const gain = Math.min(2.5, meanChroma / chroma);
        ca *= gain;
        cb *= gain;
      }
      lab = [L, ca, cb];
    } else {
      lab = slot.neutral as Lab;
    }
    const turnedA = lab[1] * cosTurn - lab[2] * sinTurn + tintA;
    const turnedB = lab[1] * sinTurn + lab[2] * cosTurn + tintB;
    const rgb = oklabToSrgb([lab[0], turnedA, turnedB]);
    out[slot.index] = rgb[0];
    out[slot.index + 1] = rgb[1];
    out[slot.index + 2] = rgb[2];
  });
  return out;
}
