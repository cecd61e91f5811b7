/**
 * The built-in model's vocabulary (models/builtin/vocab.json): the file's
 * schema, and its compiled form for encodePrompt (builtin-text-encoder.ts):
 * slots resolved by name, colours converted to OKLab once, every reference
 * checked, with errors that name the file and the entry.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { hexToLab, type Lab } from './oklab.js';

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

export interface CompiledSlot {
  readonly index: number;
  readonly size: 1 | 3;
  readonly neutral: number | Lab;
}

export interface CompiledWord {
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
