/**
 * The built-in model's input mode, run for real through onnxruntime-node on the CPU
 * with real pixels: the output keeps the input's structure (a bar moved in the input
 * moves in the output), takes the prompt's palette, and strength 0 / 1 mean the
 * picture as it is / the text look alone. Each measure is also shown to reject a
 * picture it must reject (noise, a shifted input), so the tests can fail.
 */
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodePrompt } from '../../../../app/engine/generate/builtin-text-encoder.js';
import { loadBuiltinVocabulary, type Vocabulary } from '../../../../app/engine/generate/builtin-vocabulary.js';
import { barPicture, correlation, lumaOf, meanColourDifference, meanRgb, structureCorrelation, withNoise } from './input-pictures.js';

const FOLDER = join(import.meta.dirname, '..', '..', '..', '..', 'models', 'builtin');
const WIDTH = 384;
const HEIGHT = 216;
/** Edge-map correlation an output must reach with its own input, and stay under with a shifted one. */
const FOLLOWS = 0.7;
const UNRELATED = 0.3;

let session: ort.InferenceSession;
let vocab: Vocabulary;

async function render(prompt: string, picture: Uint8Array | null, strength: number, time = 10): Promise<Uint8Array> {
  const conditioning = encodePrompt(prompt, vocab);
  const result = await session.run({
    conditioning: new ort.Tensor('float32', conditioning, [1, conditioning.length]),
    time: new ort.Tensor('float32', Float32Array.of(time), [1]),
    seed: new ort.Tensor('float32', Float32Array.of(1), [1]),
    outputSize: new ort.Tensor('int64', BigInt64Array.of(BigInt(HEIGHT), BigInt(WIDTH)), [2]),
    input: picture ? new ort.Tensor('uint8', picture, [HEIGHT, WIDTH, 4]) : new ort.Tensor('uint8', new Uint8Array(4), [1, 1, 4]),
    inputStrength: new ort.Tensor('float32', Float32Array.of(strength), [1]),
  });
  return result['frame']!.data as Uint8Array;
}

const barAt = (x: number) => barPicture(WIDTH, HEIGHT, x);

beforeAll(async () => {
  vocab = loadBuiltinVocabulary(join(FOLDER, 'vocab.json'));
  session = await ort.InferenceSession.create(join(FOLDER, 'model.onnx'), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
  });
});

describe('built-in model with an input picture: structure', () => {
  it('follows the input: a bar moved in the input moves in the output', async () => {
    const left = barAt(60);
    const right = barAt(260);
    for (const prompt of ['underwater', 'sunset', 'storm', 'neon city']) {
      const fromLeft = await render(prompt, left, 0.5);
      const fromRight = await render(prompt, right, 0.5);
      expect(structureCorrelation(fromLeft, left, WIDTH, HEIGHT), prompt).toBeGreaterThan(FOLLOWS);
      expect(structureCorrelation(fromLeft, right, WIDTH, HEIGHT), prompt).toBeLessThan(UNRELATED);
      expect(structureCorrelation(fromRight, right, WIDTH, HEIGHT), prompt).toBeGreaterThan(FOLLOWS);
      expect(structureCorrelation(fromRight, left, WIDTH, HEIGHT), prompt).toBeLessThan(UNRELATED);
      // Luminance follows too: the bar is the bright part of the output.
      expect(correlation(lumaOf(fromLeft), lumaOf(left)), prompt).toBeGreaterThan(FOLLOWS);
    }
  });

  it('rejects noise: the output with noise injected does not pass the structure test', async () => {
    const left = barAt(60);
    const output = await render('underwater', left, 0.5);
    expect(structureCorrelation(withNoise(output, 60), left, WIDTH, HEIGHT)).toBeLessThan(FOLLOWS);
    // Pure noise, and the text look alone, are unrelated to the input.
    expect(structureCorrelation(withNoise(new Uint8Array(output.length).fill(128), 127), left, WIDTH, HEIGHT)).toBeLessThan(UNRELATED);
    expect(structureCorrelation(await render('underwater', left, 1), left, WIDTH, HEIGHT)).toBeLessThan(UNRELATED);
  });
});

describe('built-in model with an input picture: palette and strength', () => {
  it('takes the palette from the prompt: two prompts, same input, different mean colours', async () => {
    const picture = barAt(150);
    const underwater = meanRgb(await render('underwater', picture, 0.5));
    const sunset = meanRgb(await render('sunset', picture, 0.5));
    const distance = Math.hypot(underwater[0] - sunset[0], underwater[1] - sunset[1], underwater[2] - sunset[2]);
    expect(distance).toBeGreaterThan(30);
    // Underwater is bluer than sunset, sunset redder than underwater (relative to their own green).
    expect(underwater[2] - underwater[0]).toBeGreaterThan(sunset[2] - sunset[0] + 20);
  });

  it('strength 0 is the input as it is (within the dither, 1 level)', async () => {
    const picture = barAt(150);
    const output = await render('neon city', picture, 0);
    let worst = 0;
    for (let i = 0; i < output.length; i++) worst = Math.max(worst, Math.abs(output[i]! - picture[i]!));
    expect(worst).toBeLessThanOrEqual(1);
    expect(meanColourDifference(output, picture)).toBeLessThan(0.05);
  });

  it('strength 1 is the text look alone: the same bytes as a text-only frame, whatever the picture', async () => {
    const textOnly = await render('forest', null, 1, 42);
    const withPicture = await render('forest', barAt(150), 1, 42);
    expect(Buffer.from(withPicture).equals(Buffer.from(textOnly))).toBe(true);
  });

  it('moves further from the input as strength grows', async () => {
    const picture = barAt(150);
    const distances: number[] = [];
    for (const strength of [0, 0.25, 0.5, 0.75, 1]) distances.push(meanColourDifference(await render('sunset', picture, strength), picture));
    for (let i = 1; i < distances.length; i++) expect(distances[i]!).toBeGreaterThan(distances[i - 1]!);
  });

  it('keeps alpha opaque and clamps the strength outside 0..1', async () => {
    const picture = barAt(150);
    const over = await render('fire', picture, 7);
    const under = await render('fire', picture, -3);
    const notOpaque = (frame: Uint8Array) => frame.filter((value, i) => i % 4 === 3 && value !== 255).length;
    expect(notOpaque(over)).toBe(0);
    expect(notOpaque(under)).toBe(0);
    expect(notOpaque(await render('fire', picture, 0.37))).toBe(0);
    expect(Buffer.from(over).equals(Buffer.from(await render('fire', picture, 1)))).toBe(true);
    expect(Buffer.from(under).equals(Buffer.from(await render('fire', picture, 0)))).toBe(true);
  });

  it('is deterministic and still for a still input: same input, look and time give the same bytes', async () => {
    const picture = barAt(100);
    const a = await render('storm', picture, 0.6, 5);
    const b = await render('storm', picture, 0.6, 5);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});
