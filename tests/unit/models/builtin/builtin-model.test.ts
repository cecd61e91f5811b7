/**
 * The built-in model, run for real through onnxruntime-node on the CPU:
 * contract (names, dtypes, dims), determinism, seeds, prompts that look
 * different, smooth motion, no banding, and a byte-exact rebuild.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinModelManifestSchema } from '../../../../app/engine/generate/model-manifest.js';
import { encodePrompt } from '../../../../app/engine/generate/builtin-text-encoder.js';
import { loadBuiltinVocabulary, type Vocabulary } from '../../../../app/engine/generate/builtin-vocabulary.js';
import { buildBuiltinModel, buildBuiltinVocabularyText } from '../../../../models/builtin/build.js';

const FOLDER = join(import.meta.dirname, '..', '..', '..', '..', 'models', 'builtin');
const MODEL_PATH = join(FOLDER, 'model.onnx');

let session: ort.InferenceSession;
let vocab: Vocabulary;

interface RenderOptions {
  prompt?: string;
  time?: number;
  seed?: number;
  height?: number;
  width?: number;
}

async function render({ prompt = '', time = 10, seed = 1, height = 216, width = 384 }: RenderOptions = {}): Promise<ort.Tensor> {
  const conditioning = encodePrompt(prompt, vocab);
  const result = await session.run({
    conditioning: new ort.Tensor('float32', conditioning, [1, conditioning.length]),
    time: new ort.Tensor('float32', Float32Array.of(time), [1]),
    seed: new ort.Tensor('float32', Float32Array.of(seed), [1]),
    outputSize: new ort.Tensor('int64', BigInt64Array.of(BigInt(height), BigInt(width)), [2]),
    // Text only, as the pipeline runs it: a 1x1 picture at strength 1.
    input: new ort.Tensor('uint8', new Uint8Array(4), [1, 1, 4]),
    inputStrength: new ort.Tensor('float32', Float32Array.of(1), [1]),
  });
  const frame = result['frame'];
  if (!frame) throw new Error('no frame output');
  return frame;
}

function pixels(frame: ort.Tensor): Uint8Array {
  return frame.data as Uint8Array;
}

/** Mean R, G, B in 0..255. */
function meanColour(frame: ort.Tensor): [number, number, number] {
  const data = pixels(frame);
  const sum = [0, 0, 0];
  for (let i = 0; i < data.length; i += 4) {
    sum[0]! += data[i]!;
    sum[1]! += data[i + 1]!;
    sum[2]! += data[i + 2]!;
  }
  const n = data.length / 4;
  return [sum[0]! / n, sum[1]! / n, sum[2]! / n];
}

function luma([r, g, b]: [number, number, number]): number {
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function meanAbsDiff(a: ort.Tensor, b: ort.Tensor): number {
  const x = pixels(a);
  const y = pixels(b);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!);
  return sum / x.length;
}

beforeAll(async () => {
  vocab = loadBuiltinVocabulary(join(FOLDER, 'vocab.json'));
  // The engine's settings: one thread, full CPU graph optimisation.
  session = await ort.InferenceSession.create(MODEL_PATH, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
  });
});

describe('built-in model: files and manifest', () => {
  it('has a manifest that validates against the model manifest schema', () => {
    const manifest = builtinModelManifestSchema.parse(JSON.parse(readFileSync(join(FOLDER, 'model.json'), 'utf8')));
    expect(manifest.kind).toBe('frame-model');
    expect(manifest.files.graph).toBe('model.onnx');
    expect(manifest.conditioningSize).toBe(vocab.conditioningSize);
    expect(manifest.inputs.conditioning.dims).toEqual([1, manifest.conditioningSize]);
  });

  it('declares exactly the graph inputs and outputs the session sees', () => {
    const manifest = builtinModelManifestSchema.parse(JSON.parse(readFileSync(join(FOLDER, 'model.json'), 'utf8')));
    const declared = Object.values(manifest.inputs)
      .map((t) => t.name)
      .sort();
    expect([...session.inputNames].sort()).toEqual(declared);
    expect([...session.outputNames]).toEqual([manifest.outputs.frame.name]);
  });

  it('is small enough to ship', () => {
    expect(statSync(MODEL_PATH).size).toBeLessThan(5 * 1024 * 1024);
  });

  it('rebuilds byte for byte from models/builtin/build.ts', () => {
    const rebuilt = buildBuiltinModel();
    const committed = readFileSync(MODEL_PATH);
    expect(rebuilt.length).toBe(committed.length);
    expect(Buffer.from(rebuilt).equals(committed)).toBe(true);
    expect(buildBuiltinVocabularyText()).toBe(readFileSync(join(FOLDER, 'vocab.json'), 'utf8'));
  });
});

describe('built-in model: output contract', () => {
  it('makes a 1080p uint8 RGBA frame with opaque alpha', async () => {
    const frame = await render({ prompt: 'sunset', height: 1080, width: 1920 });
    expect(frame.type).toBe('uint8');
    expect(frame.dims).toEqual([1080, 1920, 4]);
    const data = pixels(frame);
    for (let i = 3; i < data.length; i += 4 * 997) expect(data[i]).toBe(255);
  });

  it('makes preview and odd sizes on request', async () => {
    const preview = await render({ height: 216, width: 384 });
    expect(preview.dims).toEqual([216, 384, 4]);
    const odd = await render({ height: 101, width: 203 });
    expect(odd.dims).toEqual([101, 203, 4]);
    expect(pixels(odd).every((v, i) => i % 4 !== 3 || v === 255)).toBe(true);
  });

  it('is deterministic: same prompt, seed and time give identical bytes', async () => {
    const a = await render({ prompt: 'neon', seed: 4, time: 33.3 });
    const b = await render({ prompt: 'neon', seed: 4, time: 33.3 });
    expect(Buffer.from(pixels(a)).equals(Buffer.from(pixels(b)))).toBe(true);
  });

  it('gives a different variation for a different seed, of the same look', async () => {
    const a = await render({ prompt: 'forest', seed: 1 });
    const b = await render({ prompt: 'forest', seed: 2 });
    expect(meanAbsDiff(a, b)).toBeGreaterThan(8);
    // Same palette: the mean colours stay close.
    const [ma, mb] = [meanColour(a), meanColour(b)];
    expect(Math.hypot(ma[0] - mb[0], ma[1] - mb[1], ma[2] - mb[2])).toBeLessThan(40);
  });
});

describe('built-in model: prompts matter', () => {
  it('gives far apart mean colours for sunset, underwater, snow and neon', async () => {
    const prompts = ['sunset', 'underwater', 'snow', 'neon'];
    const means = await Promise.all(prompts.map(async (prompt) => meanColour(await render({ prompt }))));
    for (let i = 0; i < means.length; i++) {
      for (let j = i + 1; j < means.length; j++) {
        const [a, b] = [means[i]!, means[j]!];
        const distance = Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
        expect(distance, `${prompts[i]} vs ${prompts[j]}`).toBeGreaterThan(45);
      }
    }
  });

  it('makes underwater bluer than sunset, and sunset redder than underwater', async () => {
    const [sr, , sb] = meanColour(await render({ prompt: 'sunset' }));
    const [ur, , ub] = meanColour(await render({ prompt: 'underwater' }));
    expect(ub - ur).toBeGreaterThan(sb - sr + 60);
  });

  it('makes snow brighter than night, and the empty prompt a near-neutral grey', async () => {
    expect(luma(meanColour(await render({ prompt: 'snow' })))).toBeGreaterThan(luma(meanColour(await render({ prompt: 'night' }))) + 100);
    const [r, g, b] = meanColour(await render({ prompt: '' }));
    expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeLessThan(8);
    expect(luma([r, g, b])).toBeGreaterThan(50);
    expect(luma([r, g, b])).toBeLessThan(200);
  });

  it('lets a modifier move the look: "warm studio" is warmer than "cold studio"', async () => {
    const [wr, , wb] = meanColour(await render({ prompt: 'warm studio' }));
    const [cr, , cb] = meanColour(await render({ prompt: 'cold studio' }));
    expect(wr - wb).toBeGreaterThan(cr - cb + 20);
  });
});

describe('built-in model: motion and smoothness', () => {
  it('moves smoothly: one 50 fps frame apart is a small, non-zero change', async () => {
    for (const [prompt, time] of [
      ['storm', 10],
      ['sunset', 3600],
    ] as const) {
      const a = await render({ prompt, time });
      const b = await render({ prompt, time: time + 1 / 50 });
      const diff = meanAbsDiff(a, b);
      expect(diff, prompt).toBeGreaterThan(0);
      expect(diff, prompt).toBeLessThan(1.5);
    }
  });

  it('does change over seconds', async () => {
    const a = await render({ prompt: 'ocean', time: 10 });
    const b = await render({ prompt: 'ocean', time: 20 });
    expect(meanAbsDiff(a, b)).toBeGreaterThan(3);
  });

  it('has no bands in smooth gradients at 1080p (dithered quantisation)', async () => {
    // A soft, low-contrast look: the worst case for banding. Without dither a
    // slow gradient is a staircase: a flat run of value v straight followed
    // by a flat run of v +- 1, both long. With dither the steps dissolve into
    // short runs. (A long run alone is fine: a truly flat area is flat.)
    const frame = await render({ prompt: 'soft fog', height: 1080, width: 1920 });
    const data = pixels(frame);
    const LONG = 24;
    let staircaseSteps = 0;
    let runCount = 0;
    let gradientSpan = 0;
    for (let y = 0; y < 1080; y += 9) {
      for (let c = 0; c < 3; c++) {
        const runs: { value: number; length: number }[] = [];
        let lo = 255;
        let hi = 0;
        for (let x = 0; x < 1920; x++) {
          const v = data[(y * 1920 + x) * 4 + c]!;
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
          const last = runs.at(-1);
          if (last && last.value === v) last.length++;
          else runs.push({ value: v, length: 1 });
        }
        for (let i = 1; i < runs.length; i++) {
          const [a, b] = [runs[i - 1]!, runs[i]!];
          if (a.length >= LONG && b.length >= LONG && Math.abs(a.value - b.value) === 1) staircaseSteps++;
        }
        runCount += runs.length;
        gradientSpan = Math.max(gradientSpan, hi - lo);
      }
    }
    expect(gradientSpan).toBeGreaterThan(10); // there is a gradient that could band
    expect(runCount).toBeGreaterThan(1920 * 3 * 120 * 0.2); // values change often along rows
    expect(staircaseSteps).toBe(0);
  });

  it('has no harsh high-frequency noise: neighbouring pixels differ by little', async () => {
    for (const prompt of ['', 'storm', 'neon', 'fire']) {
      const data = pixels(await render({ prompt, height: 1080, width: 1920 }));
      let sum = 0;
      let count = 0;
      for (let i = 4; i < data.length; i += 4 * 13) {
        for (let c = 0; c < 3; c++) sum += Math.abs(data[i + c]! - data[i + c - 4]!);
        count += 3;
      }
      expect(sum / count, prompt).toBeLessThan(1.5);
    }
  });
});
