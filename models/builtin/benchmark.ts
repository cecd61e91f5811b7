/**
 * Times one session.run of the built-in model the way the engine runs it
 * (CPU, one intra-op thread, graphOptimizationLevel 'all'): median and p90 of
 * 30 runs after 5 warm-up runs, for 1080p, 720p, a 384x216 preview and 2160p,
 * text only (a 1x1 input at strength 1, as the pipeline passes) and with an
 * input picture at the output size (strength 0.5).
 * Also prints the process CPU time per run (user + system; one intra-op thread, so about the
 * compute time): on a shared, busy machine it is a fairer figure than wall time.
 *   npx tsc -p tsconfig.json && node dist/models/builtin/benchmark.js [--text-only] [--size 1920x1080]
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

/** A diagonal gradient with a bright bar: any picture costs the same, this one is cheap to make. */
function testPicture(width: number, height: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const v = Math.abs(x - width / 3) < width / 20 ? 240 : Math.round((200 * (x + y)) / (width + height));
      rgba[i] = v;
      rgba[i + 1] = (v * 3) >> 2;
      rgba[i + 2] = 255 - v;
      rgba[i + 3] = 255;
    }
  }
  return rgba;
}

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
  const textOnly = process.argv.includes('--text-only');
  const sizeArg = process.argv.indexOf('--size');
  const only = sizeArg >= 0 ? process.argv[sizeArg + 1] : undefined;
  const sizes = only ? SIZES.filter(([w, h]) => `${w}x${h}` === only) : SIZES;
  if (sizes.length === 0) throw new Error(`--size ${only}: not one of ${SIZES.map(([w, h]) => `${w}x${h}`).join(', ')}`);
  const modes = textOnly ? (['text'] as const) : (['text', 'input'] as const);
  for (const mode of modes)
    for (const [width, height] of sizes) {
      const outputSize = new ort.Tensor('int64', BigInt64Array.of(BigInt(height), BigInt(width)), [2]);
      const input =
        mode === 'text'
          ? { input: new ort.Tensor('uint8', new Uint8Array(4), [1, 1, 4]), inputStrength: new ort.Tensor('float32', Float32Array.of(1), [1]) }
          : { input: new ort.Tensor('uint8', testPicture(width, height), [height, width, 4]), inputStrength: new ort.Tensor('float32', Float32Array.of(0.5), [1]) };
      const feeds = (t: number) => ({ conditioning, seed, outputSize, ...input, time: new ort.Tensor('float32', Float32Array.of(t), [1]) });
      for (let i = 0; i < WARM_UP; i++) await session.run(feeds(i / 50));
      const times: number[] = [];
      const cpuTimes: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        const cpuStart = process.cpuUsage();
        await session.run(feeds(10 + i / 50));
        const cpu = process.cpuUsage(cpuStart);
        times.push(performance.now() - start);
        cpuTimes.push((cpu.user + cpu.system) / 1000);
      }
      const at = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!.toFixed(2);
      console.log(
        `${mode} ${width}x${height}: median ${at(times, 0.5)} ms, p90 ${at(times, 0.9)} ms, min ${at(times, 0)} ms; ` +
          `cpu median ${at(cpuTimes, 0.5)} ms, min ${at(cpuTimes, 0)} ms`,
      );
    }
  await session.release();
}

await main();
