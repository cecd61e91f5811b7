/**
 * Times one session.run of the built-in model the way the engine runs it
 * (CPU, one intra-op thread, graphOptimizationLevel 'all'): median and p90 of
 * 30 runs after 5 warm-up runs, for 1080p, a 384x216 preview and 2160p.
 *   npx tsc -p tsconfig.json && node dist/models/builtin/benchmark.js
 */
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { encodePrompt } from '../../app/engine/generate/builtin-text-encoder.js';
import { loadBuiltinVocabulary } from '../../app/engine/generate/builtin-vocabulary.js';
import { builtinModelFolder } from './build.js';

const SIZES: ReadonlyArray<[width: number, height: number]> = [
  [1920, 1080],
  [1280, 720],
  [384, 216],
  [3840, 2160],
];
const WARM_UP = 5;
const RUNS = 30;

async function main(): Promise<void> {
  const folder = builtinModelFolder();
  const vocab = loadBuiltinVocabulary(join(folder, 'vocab.json'));
  const session = await ort.InferenceSession.create(join(folder, 'model.onnx'), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const conditioning = new ort.Tensor('float32', encodePrompt('dramatic stormy sunset', vocab), [1, vocab.conditioningSize]);
  const seed = new ort.Tensor('float32', Float32Array.of(7), [1]);
  for (const [width, height] of SIZES) {
    const outputSize = new ort.Tensor('int64', BigInt64Array.of(BigInt(height), BigInt(width)), [2]);
    const feeds = (t: number) => ({ conditioning, seed, outputSize, time: new ort.Tensor('float32', Float32Array.of(t), [1]) });
    for (let i = 0; i < WARM_UP; i++) await session.run(feeds(i / 50));
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      await session.run(feeds(10 + i / 50));
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2);
    console.log(`${width}x${height}: median ${at(0.5)} ms, p90 ${at(0.9)} ms, min ${at(0)} ms`);
  }
  await session.release();
}

await main();
