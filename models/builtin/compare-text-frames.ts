/**
 * Checks that text-only frames did not change: renders the same looks with a previous
 * model.onnx (fed the old inputs only) and with this one (a 1x1 picture at strength 1,
 * as the pipeline runs text-only looks) and counts the bytes that differ. Exit code 1
 * when any does.
 *   git show main:models/builtin/model.onnx > /tmp/previous-model.onnx
 *   npx tsc -p tsconfig.json && node dist/models/builtin/compare-text-frames.js /tmp/previous-model.onnx
 */
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { encodePrompt } from '../../app/engine/generate/builtin-text-encoder.js';
import { loadBuiltinVocabulary } from '../../app/engine/generate/builtin-vocabulary.js';
import { builtinModelFolder } from './build.js';

const PROMPTS = ['', 'sunset', 'neon city', 'storm', 'snow', 'underwater', 'fire lava', 'warm brown painted canvas backdrop'];
const FRAMES: ReadonlyArray<[width: number, height: number, timeS: number]> = [
  [384, 216, 3],
  [1920, 1080, 12.5],
  [333, 77, 100],
];

async function main(): Promise<void> {
  const previousPath = process.argv[2];
  if (!previousPath) throw new Error('usage: compare-text-frames.js <previous model.onnx>');
  const folder = builtinModelFolder();
  const vocab = loadBuiltinVocabulary(join(folder, 'vocab.json'));
  const options = { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' } as const;
  const previous = await ort.InferenceSession.create(previousPath, options);
  const current = await ort.InferenceSession.create(join(folder, 'model.onnx'), options);
  let differing = 0;
  let total = 0;
  for (const prompt of PROMPTS) {
    for (const [width, height, time] of FRAMES) {
      const conditioning = encodePrompt(prompt, vocab);
      const feeds = {
        conditioning: new ort.Tensor('float32', conditioning, [1, conditioning.length]),
        time: new ort.Tensor('float32', Float32Array.of(time), [1]),
        seed: new ort.Tensor('float32', Float32Array.of(3), [1]),
        outputSize: new ort.Tensor('int64', BigInt64Array.of(BigInt(height), BigInt(width)), [2]),
      };
      const before = (await previous.run(feeds))['frame']!.data as Uint8Array;
      const textOnly = { input: new ort.Tensor('uint8', new Uint8Array(4), [1, 1, 4]), inputStrength: new ort.Tensor('float32', Float32Array.of(1), [1]) };
      const after = (await current.run({ ...feeds, ...textOnly }))['frame']!.data as Uint8Array;
      for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) differing++;
      total += before.length;
    }
  }
  console.log(`text-only frames: ${differing} of ${total} bytes differ`);
  await previous.release();
  await current.release();
  if (differing > 0) process.exitCode = 1;
}

await main();
