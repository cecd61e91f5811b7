/**
 * The turbo diffusion pipeline on onnxruntime-node's CPU provider, on tiny
 * random-weight fixtures with the real exports' tensor names, dtypes and ranks
 * (models/fixtures/build-turbo-fixtures.ts, built into a temp folder here).
 * In-process, so the counters (text encoder runs, UNet runs and skips) are read directly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelFolder } from '../../app/engine/generate/model-folder.js';
import { TurboDiffusionPipeline } from '../../app/engine/generate/pipelines/turbo-diffusion.js';
import type { WorkerLook } from '../../app/engine/generate/worker-protocol.js';
import { buildTurboFixture, type TurboFixtureOptions } from '../../models/fixtures/build-turbo-fixtures.js';
import { meanAbsDiff } from '../helpers/engine-client.js';

const WIDTH = 160;
const HEIGHT = 90;
let root: string;
const opened: TurboDiffusionPipeline[] = [];
const fixtures = new Map<string, string>();

function fixture(name: string, options: TurboFixtureOptions): string {
  const existing = fixtures.get(name);
  if (existing) return existing;
  const dir = path.join(root, name);
  buildTurboFixture(dir, options);
  fixtures.set(name, dir);
  return dir;
}

async function open(dir: string, provider: 'cpu' | 'webgpu' = 'cpu'): Promise<TurboDiffusionPipeline> {
  const folder = loadModelFolder(dir);
  if (!folder.ok) throw new Error(folder.error.message);
  if (folder.value.kind !== 'turbo-diffusion') throw new Error(`${dir} is not a turbo folder`);
  const pipeline = new TurboDiffusionPipeline(folder.value.layout, { providers: [provider], width: WIDTH, height: HEIGHT, intraOpThreads: 1 });
  const loaded = await pipeline.load();
  if (!loaded.ok) throw new Error(loaded.message);
  opened.push(pipeline);
  return pipeline;
}

function look(prompt: string, seed: number, params: Record<string, number> = {}, extra: Partial<WorkerLook> = {}): WorkerLook {
  return { lookId: 1, from: null, to: { prompt, seed, params }, transition: { durationMs: 0, curve: 'linear' }, startedAtMs: 0, ...extra };
}

async function frame(pipeline: TurboDiffusionPipeline, showTimeMs = 0): Promise<Uint8Array> {
  const buffer = new ArrayBuffer(WIDTH * HEIGHT * 4);
  await pipeline.renderInto(buffer, showTimeMs, showTimeMs, null);
  return new Uint8Array(buffer);
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'cyclorama-turbo-fixtures-'));
});
afterAll(async () => {
  for (const p of opened) await p.release();
  rmSync(root, { recursive: true, force: true });
});

describe('turbo pipeline: shapes and dtypes', () => {
  it("fixtures carry the exports' names, dtypes and ranks", async () => {
    const dir = fixture('sd', { variant: 'sd', precision: 'fp32' });
    const unet = await ort.InferenceSession.create(path.join(dir, 'unet', 'model.onnx'));
    const meta = Object.fromEntries(unet.inputMetadata.map((m) => [m.name, m.isTensor ? `${m.type}[${m.shape.join(',')}]` : '']));
    expect(meta).toEqual({
      sample: 'float32[batch_size,4,height,width]',
      timestep: 'int64[1]',
      encoder_hidden_states: 'float32[batch_size,sequence_length,32]',
    });
    expect(unet.outputNames).toEqual(['out_sample']);
    await unet.release();
    const fp16 = fixture('sd16', { variant: 'sd', precision: 'fp16' });
    const te = await ort.InferenceSession.create(path.join(fp16, 'text_encoder', 'model.onnx'));
    expect(te.inputMetadata.map((m) => m.isTensor && `${m.name}:${m.type}`)).toEqual(['input_ids:int32']);
    expect(te.outputMetadata.map((m) => m.isTensor && `${m.name}:${m.type}[${m.shape.join(',')}]`)).toEqual([
      // 77: the fixture's position table fixes the sequence length, and onnxruntime infers it.
      'last_hidden_state:float16[batch_size,77,32]',
      'pooler_output:float16[batch_size,32]',
    ]);
    await te.release();
    const vae = await ort.InferenceSession.create(path.join(fp16, 'vae_decoder', 'model.onnx'));
    expect(vae.inputNames).toEqual(['latent_sample']);
    expect(vae.outputNames).toEqual(['sample']);
    await vae.release();
  });

  for (const [name, options] of [
    ['sd', { variant: 'sd', precision: 'fp32' }],
    ['sd16', { variant: 'sd', precision: 'fp16' }],
    ['sdxl', { variant: 'sdxl', precision: 'fp32' }],
    ['sdxl16-tiny', { variant: 'sdxl', precision: 'fp16', tinyVae: true }],
  ] as const) {
    it(`makes RGBA8 frames at the output size (${name})`, async () => {
      const pipeline = await open(fixture(name, options));
      pipeline.setLook(look('a photo of a cat', 1));
      const pixels = await frame(pipeline);
      expect(pixels.length).toBe(WIDTH * HEIGHT * 4);
      // Generation at 512x512's pixel count, 16:9: 704x384, latent 4x48x88.
      expect(pipeline.latentShape).toEqual([4, 48, 88]);
      let alpha = true;
      let min = 255;
      let max = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        alpha &&= pixels[i + 3] === 255;
        min = Math.min(min, pixels[i] as number);
        max = Math.max(max, pixels[i] as number);
      }
      expect(alpha).toBe(true);
      expect(max - min).toBeGreaterThan(10); // a picture, not a flat fill
      expect(pipeline.stats).toMatchObject({ textEncoderRuns: name.startsWith('sdxl') ? 2 : 1, unetRuns: 1, decoderRuns: 1 });
    });
  }
});

describe('turbo pipeline: behaviour', () => {
  it('is deterministic for a seed (same frames from a fresh pipeline) and changes with the seed', async () => {
    const dir = fixture('sd', { variant: 'sd', precision: 'fp32' });
    const run = async (seed: number) => {
      const p = await open(dir);
      p.setLook(look('neon city at night', seed, { similarity: 2 }));
      return [await frame(p, 0), await frame(p, 33), await frame(p, 66)];
    };
    const a = await run(5);
    const b = await run(5);
    a.forEach((f, i) => expect(same(f, b[i] as Uint8Array)).toBe(true));
    const c = await run(6);
    expect(meanAbsDiff(a[0] as Uint8Array, c[0] as Uint8Array)).toBeGreaterThan(1);
  });

  it('feeds the previous frame back: frame t+1 depends on frame t; strength 1 means no feedback', async () => {
    const dir = fixture('sd', { variant: 'sd', precision: 'fp32' });
    const secondFrame = async (firstPrompt: string, strength: number) => {
      const p = await open(dir);
      p.setLook(look(firstPrompt, 3, { strength, similarity: 2 }));
      await frame(p);
      p.setLook(look('sunset over the sea', 3, { strength, similarity: 2 }));
      return frame(p, 33);
    };
    const afterCat = await secondFrame('a photo of a cat', 0.5);
    const afterForest = await secondFrame('forest', 0.5);
    expect(meanAbsDiff(afterCat, afterForest)).toBeGreaterThan(0.5);
    expect(same(await secondFrame('a photo of a cat', 1), await secondFrame('forest', 1))).toBe(true);
  });

  it('starts a text-only first frame from pure noise at full strength, whatever the strength (no grey first frame)', async () => {
    const dir = fixture('sd', { variant: 'sd', precision: 'fp32' });
    const first = async (strength: number) => {
      const p = await open(dir);
      p.setLook(look('neon city at night', 7, { strength, similarity: 2 }));
      return frame(p);
    };
    const full = await first(1);
    expect(same(await first(0.5), full)).toBe(true);
    expect(same(await first(0.2), full)).toBe(true);
    // After resetFeedback the next frame has no source again: the same full-strength start.
    const p = await open(dir);
    p.setLook(look('neon city at night', 7, { strength: 0.3, similarity: 2 }));
    await frame(p);
    await frame(p, 33);
    p.resetFeedback();
    expect(same(await frame(p, 66), full)).toBe(true);
  });

  it('skips the UNet when look and feedback latent stop changing, and never when the threshold is above 1', async () => {
    const dir = fixture('sd', { variant: 'sd', precision: 'fp32' });
    const p = await open(dir);
    p.setLook(look('a photo of a cat', 2, { similarity: 0.99 }));
    const frames: Uint8Array[] = [];
    for (let i = 0; i < 10; i++) frames.push(await frame(p, i * 33));
    expect(p.stats.unetSkips).toBeGreaterThan(0);
    expect(p.stats.unetRuns + p.stats.unetSkips).toBe(10);
    // A skipped frame is the last picture again.
    expect(same(frames[8] as Uint8Array, frames[9] as Uint8Array)).toBe(true);
    // A new prompt runs the UNet again at once.
    const runs = p.stats.unetRuns;
    p.setLook(look('forest', 2, { similarity: 0.99 }));
    await frame(p, 400);
    expect(p.stats.unetRuns).toBe(runs + 1);

    const never = await open(dir);
    never.setLook(look('a photo of a cat', 2, { similarity: 2 }));
    for (let i = 0; i < 6; i++) await frame(never, i * 33);
    expect(never.stats).toMatchObject({ unetRuns: 6, unetSkips: 0 });
  });

  it('runs the text encoder once per prompt, never per frame, transitions included', async () => {
    const p = await open(fixture('sdxl', { variant: 'sdxl', precision: 'fp32' }));
    const encoders = 2;
    p.setLook(look('a photo of a cat', 1, { similarity: 2 }));
    for (let i = 0; i < 5; i++) await frame(p, i * 33);
    expect(p.stats.textEncoderRuns).toBe(1 * encoders);
    const transition = { durationMs: 1000, curve: 'linear' as const };
    p.setLook({ ...look('neon city', 1, { similarity: 2 }), from: { prompt: 'a photo of a cat', seed: 1 }, transition, startedAtMs: 0 });
    for (let i = 0; i <= 10; i++) await frame(p, i * 100);
    expect(p.stats.textEncoderRuns).toBe(2 * encoders);
    p.setLook(look('a photo of a cat', 1, { similarity: 2 }));
    await frame(p, 2000);
    expect(p.stats.textEncoderRuns).toBe(2 * encoders);
    expect(p.stats.unetRuns).toBe(17);
  });

  it('transitions by slerp of embeddings and noise: the ends equal the two looks, the middle is between', async () => {
    const dir = fixture('sd', { variant: 'sd', precision: 'fp32' });
    // Strength 1 (no feedback) so each frame is a pure function of the look.
    const params = { strength: 1, similarity: 2 };
    const at = async (holdMix: number | null) => {
      const p = await open(dir);
      if (holdMix === null) p.setLook(look('a photo of a cat', 4, params));
      else p.setLook({ ...look('neon city at night', 9, params), from: { prompt: 'a photo of a cat', seed: 4 }, transition: { durationMs: 1000, curve: 'linear' }, holdMix });
      return frame(p);
    };
    const cat = await at(null);
    const neon = await (async () => {
      const p = await open(dir);
      p.setLook(look('neon city at night', 9, params));
      return frame(p);
    })();
    expect(same(await at(0), cat)).toBe(true);
    expect(same(await at(1), neon)).toBe(true);
    const middle = await at(0.5);
    const ends = meanAbsDiff(cat, neon);
    expect(meanAbsDiff(middle, cat)).toBeGreaterThan(0.5);
    expect(meanAbsDiff(middle, neon)).toBeGreaterThan(0.5);
    expect(meanAbsDiff(middle, cat)).toBeLessThan(ends * 1.2);
  });

  it('drifts with `motion` and stays still without it', async () => {
    const p = await open(fixture('sd', { variant: 'sd', precision: 'fp32' }));
    p.setLook(look('forest', 1, { strength: 1, similarity: 2, motion: 0.5 }));
    const a = await frame(p, 0);
    const b = await frame(p, 1000);
    expect(meanAbsDiff(a, b)).toBeGreaterThan(0.1);
    p.setLook(look('forest', 1, { strength: 1, similarity: 2, motion: 0 }));
    expect(same(await frame(p, 0), await frame(p, 1000))).toBe(true);
  });
});

describe('turbo pipeline: graph-level errors', () => {
  it('names a UNet input the graph lacks and the inputs it has', async () => {
    const dir = fixture('wrong-unet', { variant: 'sd', precision: 'fp32', rename: { unetSample: 'latents' } });
    const folder = loadModelFolder(dir);
    if (!folder.ok || folder.value.kind !== 'turbo-diffusion') throw new Error('fixture');
    const pipeline = new TurboDiffusionPipeline(folder.value.layout, { providers: ['cpu'], width: WIDTH, height: HEIGHT, intraOpThreads: 1 });
    const loaded = await pipeline.load();
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) {
      expect(loaded.message).toContain(path.join(dir, 'unet', 'model.onnx'));
      expect(loaded.message).toContain('input sample not found (the graph has latents, timestep, encoder_hidden_states)');
    }
  });

  it('refuses an SDXL export whose text encoders lack hidden_states.* (it would condition on the wrong layer)', async () => {
    const dir = fixture('sdxl-no-hidden', { variant: 'sdxl', precision: 'fp32', hiddenStates: false });
    const folder = loadModelFolder(dir);
    if (!folder.ok || folder.value.kind !== 'turbo-diffusion') throw new Error('fixture');
    const loaded = await new TurboDiffusionPipeline(folder.value.layout, { providers: ['cpu'], width: WIDTH, height: HEIGHT, intraOpThreads: 1 }).load();
    expect(loaded.ok).toBe(false);
    expect(!loaded.ok && loaded.message).toMatch(/text_encoder \(.*\): SDXL conditions on the penultimate hidden layer but the graph has no hidden_states\.\* outputs/);
    expect(!loaded.ok && loaded.message).toContain('re-export');
  });

  it('names a text encoder input the graph lacks', async () => {
    const dir = fixture('wrong-te', { variant: 'sd', precision: 'fp32', rename: { textEncoderIds: 'ids' } });
    const folder = loadModelFolder(dir);
    if (!folder.ok || folder.value.kind !== 'turbo-diffusion') throw new Error('fixture');
    const loaded = await new TurboDiffusionPipeline(folder.value.layout, { providers: ['cpu'], width: WIDTH, height: HEIGHT, intraOpThreads: 1 }).load();
    expect(!loaded.ok && loaded.message).toMatch(/text_encoder \(.*\): input input_ids not found \(the graph has ids\)/);
  });
});
