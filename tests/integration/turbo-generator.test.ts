/**
 * A turbo diffusion folder through the real inference worker (Generator) and the
 * engine: the worker picks the turbo pipeline, frames come back at the engine's
 * size, and a wrong or partial folder fails with a message naming what is
 * missing while the engine keeps the wall alive on the built-in model.
 */
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../app/engine/engine.js';
import { Generator } from '../../app/engine/generate/generator.js';
import { loadModelFolder } from '../../app/engine/generate/model-folder.js';
import { buildTurboFixture, type TurboFixtureOptions } from '../../models/fixtures/build-turbo-fixtures.js';

const WIDTH = 192;
const HEIGHT = 108;
const dirs: string[] = [];
const generators: Generator[] = [];

function fixture(options: TurboFixtureOptions): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cyclorama-turbo-'));
  dirs.push(dir);
  buildTurboFixture(dir, options);
  return dir;
}

async function start(dir: string): Promise<Awaited<ReturnType<typeof Generator.start>>> {
  const folder = loadModelFolder(dir);
  if (!folder.ok) throw new Error(folder.error.message);
  const started = await Generator.start({ model: folder.value, width: WIDTH, height: HEIGHT, showEpochMs: 0, onlyProvider: 'cpu' });
  if (started.ok) generators.push(started.value);
  return started;
}

afterAll(async () => {
  for (const g of generators) await g.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('turbo diffusion through the inference worker', () => {
  it('renders frames of the requested size, the same sequence for the same seed', async () => {
    const dir = fixture({ variant: 'sd', precision: 'fp16', tinyVae: true });
    const sequences: Uint8Array[][] = [];
    for (let run = 0; run < 2; run++) {
      const started = await start(dir);
      if (!started.ok) throw new Error(started.error.message);
      const generator = started.value;
      expect(generator.ready.provider).toBe('cpu');
      generator.setLook({
        lookId: 1,
        from: null,
        to: { prompt: 'a photo of a cat', seed: 11, params: { similarity: 2 } },
        transition: { durationMs: 0, curve: 'linear' },
        startedAtMs: 0,
      });
      const frames: Uint8Array[] = [];
      for (const t of [0, 40, 80]) {
        const frame = await generator.renderAt(t);
        if (!frame.ok) throw new Error(frame.error.message);
        expect(frame.value.pixels.length).toBe(WIDTH * HEIGHT * 4);
        frames.push(frame.value.pixels.slice());
        generator.release(frame.value);
      }
      sequences.push(frames);
      await generator.stop();
    }
    sequences[0]?.forEach((f, i) => expect(Buffer.from(f).equals(Buffer.from(sequences[1]?.[i] as Uint8Array))).toBe(true));
  });

  it('fails to load a folder whose UNet lacks an input, naming it', async () => {
    const started = await start(fixture({ variant: 'sd', precision: 'fp32', rename: { unetSample: 'latents' } }));
    expect(started.ok).toBe(false);
    if (!started.ok) {
      expect(started.error.code).toBe('model-load-failed');
      expect(started.error.message).toMatch(/unet .*: input sample not found \(the graph has latents/);
    }
  });

  it('keeps the engine on the built-in model when the turbo folder is partial, saying what is missing', async () => {
    const dir = fixture({ variant: 'sd', precision: 'fp32' });
    unlinkSync(path.join(dir, 'unet', 'model.onnx'));
    const engine = await Engine.start({ modelDir: dir, width: 64, height: 36 });
    try {
      const state = engine.state();
      expect(state.model.id).toBe('cyclorama-builtin');
      const error = state.recentErrors.find((e) => e.code === 'model-load-failed');
      expect(error?.message).toContain(`${path.join('unet', 'model.onnx')} missing`);
      expect(error?.message).toContain('built-in model instead');
    } finally {
      await engine.stop();
    }
  });

  it('runs in the engine as the live model', async () => {
    const dir = fixture({ variant: 'sd', precision: 'fp32' });
    const engine = await Engine.start({ modelDir: dir, width: WIDTH, height: HEIGHT, provider: 'cpu' });
    try {
      const state = engine.state();
      expect(state.model.status).toBe('running');
      expect(state.model.name).toMatch(/^SD-Turbo/);
      const deadline = performance.now() + 10_000;
      while (engine.state().stats.generatedFrames < 3 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(engine.state().stats.generatedFrames).toBeGreaterThanOrEqual(3);
    } finally {
      await engine.stop();
    }
  });
});
