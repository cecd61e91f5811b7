/**
 * Renders stills of the built-in model through onnxruntime-node into docs/stills/.
 *   npx tsc -p tsconfig.json && node dist/models/builtin/render-stills.js [width height] [--prompts "a|b|c"] [--out dir] [--time s] [--seed n]
 *     [--input picture.png --strength s]
 * Default: 960x540, the prompts below, time 12 s, seed 1, text only. With --input (a PNG
 * of exactly width x height) the stills restyle it at --strength (default 0.5) and are
 * named input-<prompt>.png.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { PNG } from 'pngjs';
import { encodePrompt } from '../../app/engine/generate/builtin-text-encoder.js';
import { loadBuiltinVocabulary } from '../../app/engine/generate/builtin-vocabulary.js';
import { builtinModelFolder } from './build.js';

export const STILL_PROMPTS = ['', 'warm brown painted canvas backdrop', 'sunset', 'dawn', 'underwater', 'snow', 'neon', 'forest', 'storm', 'fire', 'night', 'nebula'];

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function slug(prompt: string): string {
  return (
    prompt
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'empty-prompt'
  );
}

async function main(): Promise<void> {
  const folder = builtinModelFolder();
  const positional = (i: number, fallback: number) => (/^\d+$/.test(process.argv[i] ?? '') ? Number(process.argv[i]) : fallback);
  const width = positional(2, 960);
  const height = positional(3, 540);
  const prompts = option('--prompts')?.split('|') ?? STILL_PROMPTS;
  const outDir = option('--out') ?? join(folder, '..', '..', 'docs', 'stills');
  const time = Number(option('--time') ?? 12);
  const seed = Number(option('--seed') ?? 1);
  const inputFile = option('--input');
  const strength = Number(option('--strength') ?? 0.5);
  mkdirSync(outDir, { recursive: true });
  let picture = new ort.Tensor('uint8', new Uint8Array(4), [1, 1, 4]); // text only: 1x1 at strength 1
  if (inputFile) {
    const decoded = PNG.sync.read(readFileSync(inputFile));
    if (decoded.width !== width || decoded.height !== height) {
      throw new Error(`${inputFile} is ${decoded.width}x${decoded.height}: render at that size (positional width height) or remake the input`);
    }
    picture = new ort.Tensor('uint8', new Uint8Array(decoded.data), [height, width, 4]);
  }

  const vocab = loadBuiltinVocabulary(join(folder, 'vocab.json'));
  const session = await ort.InferenceSession.create(join(folder, 'model.onnx'), {
    intraOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  for (const prompt of prompts) {
    const conditioning = encodePrompt(prompt, vocab);
    const result = await session.run({
      conditioning: new ort.Tensor('float32', conditioning, [1, conditioning.length]),
      time: new ort.Tensor('float32', Float32Array.of(time), [1]),
      seed: new ort.Tensor('float32', Float32Array.of(seed), [1]),
      outputSize: new ort.Tensor('int64', BigInt64Array.of(BigInt(height), BigInt(width)), [2]),
      // Text only: a 1x1 picture at strength 1 (see README, "Graph I/O").
      input: picture,
      inputStrength: new ort.Tensor('float32', Float32Array.of(inputFile ? strength : 1), [1]),
    });
    const frame = result['frame'];
    if (!frame) throw new Error('model returned no frame');
    const rgba = frame.data as Uint8Array;
    const png = new PNG({ width, height });
    png.data = Buffer.from(rgba.buffer, rgba.byteOffset, width * height * 4);
    const file = join(outDir, `${inputFile ? 'input-' : ''}${slug(prompt)}.png`);
    writeFileSync(file, PNG.sync.write(png));
    console.log(`${file}  "${prompt}"`);
  }
  await session.release();
}

await main();
