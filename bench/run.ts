/**
 * `npm run bench`: figures for the generator on this machine, one per line as
 * `BENCH <name> <value> <unit>`. Measured honestly: TTFF is the engine's own
 * figure, command arrival -> first output-ready frame carrying the new look id.
 */
import * as ort from 'onnxruntime-node';
import { commandSchema } from '../app/contract/commands.js';
import { engineNowMs } from '../app/engine/clock.js';
import { Engine } from '../app/engine/engine.js';
import { encodePrompt } from '../app/engine/generate/builtin-text-encoder.js';
import { loadBuiltinVocabulary } from '../app/engine/generate/builtin-vocabulary.js';
import { builtinModelDir, loadModelFolder } from '../app/engine/generate/model-folder.js';

const WIDTH = 1920;
const HEIGHT = 1080;
const PROMPT_CHANGES = Number(process.env.BENCH_PROMPT_CHANGES ?? 40);
const FPS_WINDOW_MS = Number(process.env.BENCH_FPS_WINDOW_MS ?? 5000);
const RAW_RUNS = Number(process.env.BENCH_RAW_RUNS ?? 60);

const PROMPTS = ['sunset over the desert', 'neon night city', 'underwater caustics', 'snow forest dawn', 'studio grey softbox', 'storm clouds', 'warm candle light', 'ocean fog'];

function print(name: string, value: number, unit: string): void {
  console.log(`BENCH ${name} ${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function engineFigures(): Promise<number> {
  const startCall = engineNowMs();
  const engine = await Engine.start({ width: WIDTH, height: HEIGHT });
  const nextOnAir = (lookId: number) =>
    new Promise<number>((resolve) => {
      const listener = (event: import('../app/contract/messages.js').EngineEvent) => {
        if (event.kind === 'lookOnAir' && event.lookId >= lookId) {
          engine.off('event', listener);
          resolve(event.ttffMs);
        }
      };
      engine.on('event', listener);
    });
  if (engine.state().model.status !== 'running') throw new Error(`model did not start: ${JSON.stringify(engine.state().recentErrors)}`);
  await nextOnAir(1);
  print('cold_start_ms', engineNowMs() - startCall, 'ms');
  console.log(`# provider ${engine.state().model.provider}, ${WIDTH}x${HEIGHT}`);

  await sleep(1000); // warm
  const ttffs: number[] = [];
  for (let i = 0; i < PROMPT_CHANGES; i++) {
    const lookId = engine.state().program.lookId + 1;
    const onAir = nextOnAir(lookId);
    engine.dispatch(commandSchema.parse({ type: 'setPrompt', prompt: PROMPTS[i % PROMPTS.length] }));
    ttffs.push(await onAir);
    await sleep(80 + ((i * 37) % 60)); // land changes at varied phases of the model's frame
  }
  print('ttff_p50_ms', percentile(ttffs, 50), 'ms');
  print('ttff_p95_ms', percentile(ttffs, 95), 'ms');
  print('ttff_max_ms', Math.max(...ttffs), 'ms');

  const preview = engine.state().outputs.find((o) => o.id === 'preview');
  if (preview) print('output_missed_ticks', preview.missedTicks, 'ticks');
  await engine.stop();

  // Sustained model pace: the same engine with the live cap lifted (in the app the
  // generator is paced to the output clock, which would hide the model's own speed).
  const unpaced = await Engine.start({ width: WIDTH, height: HEIGHT, generatorMaxFps: 1000 });
  await sleep(1500);
  const before = unpaced.state().stats.generatedFrames;
  const t0 = engineNowMs();
  await sleep(FPS_WINDOW_MS);
  const fps = ((unpaced.state().stats.generatedFrames - before) * 1000) / (engineNowMs() - t0);
  print('model_fps', fps, 'fps');
  await unpaced.stop();
  return fps;
}

/** A bare session.run loop: same graph, same size, same thread count, no engine around it. */
async function rawFps(): Promise<number> {
  const folder = loadModelFolder(builtinModelDir());
  if (!folder.ok) throw new Error(folder.error.message);
  if (folder.value.kind !== 'frame-model') throw new Error('the built-in model is a frame model');
  const { manifest, graphPath, vocabularyPath } = folder.value;
  const session = await ort.InferenceSession.create(graphPath, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const conditioning = encodePrompt('sunset over the desert', loadBuiltinVocabulary(vocabularyPath as string));
  const feeds = {
    [manifest.inputs.conditioning.name]: new ort.Tensor('float32', conditioning, [1, manifest.conditioningSize]),
    [manifest.inputs.time.name]: new ort.Tensor('float32', new Float32Array([1]), [1]),
    [manifest.inputs.seed.name]: new ort.Tensor('float32', new Float32Array([1]), [1]),
    [manifest.inputs.outputSize.name]: new ort.Tensor('int64', new BigInt64Array([BigInt(HEIGHT), BigInt(WIDTH)]), [2]),
    // Text only, as the pipeline runs it: a 1x1 picture at strength 1 (models/builtin/README.md, "Graph I/O").
    ...(manifest.inputs.input && manifest.inputs.inputStrength
      ? {
          [manifest.inputs.input.name]: new ort.Tensor('uint8', new Uint8Array(4), [1, 1, 4]),
          [manifest.inputs.inputStrength.name]: new ort.Tensor('float32', Float32Array.of(1), [1]),
        }
      : {}),
  };
  for (let i = 0; i < 5; i++) await session.run(feeds);
  const t0 = engineNowMs();
  for (let i = 0; i < RAW_RUNS; i++) await session.run(feeds);
  const ms = (engineNowMs() - t0) / RAW_RUNS;
  await session.release();
  print('raw_ms_per_frame', ms, 'ms');
  return 1000 / ms;
}

const modelFps = await engineFigures();
const raw = await rawFps();
print('raw_fps', raw, 'fps');
print('overhead_ratio', modelFps / raw, 'ratio');
