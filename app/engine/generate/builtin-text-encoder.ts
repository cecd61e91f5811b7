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
 *
 * The vocabulary file and its compiled form: builtin-vocabulary.ts; colour math: oklab.ts.
 */
import type { Vocabulary } from './builtin-vocabulary.js';
import { oklabToSrgb, type Lab } from './oklab.js';

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
