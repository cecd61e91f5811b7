/** The built-in model's text encoder: prompt -> conditioning vector. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodePrompt, fnv1a, tokenize } from '../../../../app/engine/generate/builtin-text-encoder.js';
import { compileBuiltinVocabulary, loadBuiltinVocabulary, type Vocabulary } from '../../../../app/engine/generate/builtin-vocabulary.js';
import { CONDITIONING_SIZE, SLOTS } from '../../../../models/builtin/conditioning-layout.js';

const VOCAB_PATH = join(import.meta.dirname, '..', '..', '..', '..', 'models', 'builtin', 'vocab.json');
let vocab: Vocabulary;

beforeAll(() => {
  vocab = loadBuiltinVocabulary(VOCAB_PATH);
});

const slot = (v: Float32Array, name: string): number => v[SLOTS.find((s) => s.name === name)!.index]!;
const colour = (v: Float32Array, name: string): [number, number, number] => {
  const i = SLOTS.find((s) => s.name === name)!.index;
  return [v[i]!, v[i + 1]!, v[i + 2]!];
};
const same = (a: Float32Array, b: Float32Array) => Array.from(a).every((x, i) => x === b[i]);

describe('vocabulary file', () => {
  it('matches the graph slot layout and has a few hundred words', () => {
    const file = JSON.parse(readFileSync(VOCAB_PATH, 'utf8')) as { slots: { name: string; index: number; size: number }[] };
    expect(file.slots.map(({ name, index, size }) => ({ name, index, size }))).toEqual(SLOTS.map(({ name, index, size }) => ({ name, index, size })));
    expect(vocab.conditioningSize).toBe(CONDITIONING_SIZE);
    expect(vocab.words.size + vocab.aliases.size).toBeGreaterThan(300);
    for (const word of [
      'sunset',
      'neon',
      'underwater',
      'snow',
      'forest',
      'studio',
      'grey',
      'gray',
      'fog',
      'storm',
      'desert',
      'ocean',
      'fire',
      'night',
      'dawn',
      'warm',
      'cold',
      'soft',
      'dramatic',
    ]) {
      expect(vocab.words.has(word) || vocab.aliases.has(word), word).toBe(true);
    }
  });

  it('reports a broken vocabulary with the file name and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cyclorama-vocab-'));
    const bad = join(dir, 'vocab.json');
    const file = JSON.parse(readFileSync(VOCAB_PATH, 'utf8')) as Record<string, unknown>;
    writeFileSync(bad, JSON.stringify({ ...file, conditioningSize: 'thirty-two' }));
    expect(() => loadBuiltinVocabulary(bad)).toThrow(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*conditioningSize`));
    writeFileSync(bad, '{ not json');
    expect(() => loadBuiltinVocabulary(bad)).toThrow(/not valid JSON/);
    expect(() => loadBuiltinVocabulary(join(dir, 'missing.json'))).toThrow(/missing\.json/);
  });

  it('rejects words that set slots that do not exist', () => {
    const file = JSON.parse(readFileSync(VOCAB_PATH, 'utf8')) as { words: Record<string, unknown> };
    file.words['oops'] = { set: { sparkle: 1 } };
    expect(() => compileBuiltinVocabulary(file, 'test.json')).toThrow(/test\.json.*oops.*sparkle/);
  });
});

describe('encodePrompt', () => {
  it('returns conditioningSize finite values in 0..1', () => {
    for (const prompt of ['', 'sunset', 'a very dramatic stormy night over the ocean', 'qwzx plorb', '🌅 !!! ...']) {
      const v = encodePrompt(prompt, vocab);
      expect(v).toHaveLength(CONDITIONING_SIZE);
      for (const x of v) {
        expect(Number.isFinite(x)).toBe(true);
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(1);
      }
    }
  });

  it('maps the empty prompt (and pure stop words) to a neutral grey studio look', () => {
    const empty = encodePrompt('', vocab);
    for (const name of ['shadow', 'body', 'light']) {
      const [r, g, b] = colour(empty, name);
      expect(Math.max(r, g, b) - Math.min(r, g, b), name).toBeLessThan(0.04);
    }
    expect(slot(empty, 'spot')).toBeGreaterThan(0.3);
    expect(same(encodePrompt('   the of a  ', vocab), empty)).toBe(true);
  });

  it('ignores case, punctuation and plurals', () => {
    const sunset = encodePrompt('sunset', vocab);
    expect(same(encodePrompt('SUNSET!!!', vocab), sunset)).toBe(true);
    expect(same(encodePrompt('  Sunsets, ', vocab), sunset)).toBe(true);
    expect(same(encodePrompt('snowy', vocab), encodePrompt('snow', vocab))).toBe(true);
    expect(same(encodePrompt('foggy', vocab), encodePrompt('fog', vocab))).toBe(true);
    expect(same(encodePrompt('gray', vocab), encodePrompt('grey', vocab))).toBe(true);
    expect(tokenize("Neon-lit café's glow")).toEqual(['neon', 'lit', 'cafe', 'glow']);
  });

  it('maps unknown words deterministically to a small, word-specific change', () => {
    const empty = encodePrompt('', vocab);
    const a = encodePrompt('xylophone', vocab);
    expect(same(a, encodePrompt('xylophone', vocab))).toBe(true);
    expect(same(a, empty)).toBe(false);
    expect(same(a, encodePrompt('marmalade', vocab))).toBe(false);
    const biggest = Math.max(...Array.from(a, (x, i) => Math.abs(x - empty[i]!)));
    expect(biggest).toBeLessThan(0.2);
    expect(fnv1a('a')).toBe(0xe40c292c); // FNV-1a reference value
  });

  it('makes different scenes different, and keeps mixes vivid', () => {
    const sunset = encodePrompt('sunset', vocab);
    const underwater = encodePrompt('underwater', vocab);
    expect(colour(sunset, 'body')[0]).toBeGreaterThan(colour(underwater, 'body')[0] + 0.4);
    // Blue + orange in OKLab with the chroma restored: not a grey.
    const [r, g, b] = colour(encodePrompt('blue sunset', vocab), 'body');
    expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeGreaterThan(0.2);
  });

  it('weights repeats, intensifiers and negations', () => {
    const blueness = (v: Float32Array) => {
      const [r, , b] = colour(v, 'body');
      return b - r;
    };
    expect(blueness(encodePrompt('blue blue sunset', vocab))).toBeGreaterThan(blueness(encodePrompt('blue sunset', vocab)));
    expect(slot(encodePrompt('very warm', vocab), 'temperature')).toBeGreaterThan(slot(encodePrompt('warm', vocab), 'temperature'));
    expect(slot(encodePrompt('slightly warm', vocab), 'temperature')).toBeLessThan(slot(encodePrompt('warm', vocab), 'temperature'));
    expect(same(encodePrompt('sunset, no fog', vocab), encodePrompt('sunset', vocab))).toBe(true);
    expect(slot(encodePrompt('soft', vocab), 'contrast')).toBeLessThan(slot(encodePrompt('dramatic', vocab), 'contrast'));
  });

  it('is cheap: well under a millisecond per prompt', () => {
    const prompt = 'a very dramatic, stormy sunset over the ocean with neon glow and xylophones';
    encodePrompt(prompt, vocab);
    const start = performance.now();
    for (let i = 0; i < 200; i++) encodePrompt(prompt, vocab);
    expect((performance.now() - start) / 200).toBeLessThan(1);
  });
});
