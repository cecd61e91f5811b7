/**
 * The frame-model pipeline with an input picture, for real: the built-in model folder
 * loaded as the engine loads it (model-folder.ts), FrameModelPipeline on onnxruntime-node's
 * CPU provider, real RGBA pixels in and out. Also an older model folder whose graph and
 * model.json have no picture input: it loads, makes text-only frames and says so once (notices()).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineModel } from '../../app/engine/generate/generator.js';
import { builtinModelDir, loadModelFolder, type FrameModelFolder } from '../../app/engine/generate/model-folder.js';
import { builtinModelManifestSchema } from '../../app/engine/generate/model-manifest.js';
import { FrameModelPipeline, type FrameModelConfig } from '../../app/engine/generate/pipelines/frame-model.js';
import type { WorkerLook } from '../../app/engine/generate/worker-protocol.js';
import type { InputPicture } from '../../app/engine/inputs/input-picture.js';
import type { LookTarget } from '../../app/show/look-resolver.js';
import { writeOldFrameModel } from '../helpers/old-frame-model.js';
import { barPicture, meanColourDifference, meanRgb, structureCorrelation, withNoise } from '../unit/models/builtin/input-pictures.js';

const WIDTH = 640;
const HEIGHT = 360;
const common = { providers: ['cpu' as const], width: WIDTH, height: HEIGHT, intraOpThreads: 1 };
const stillImage = { source: { kind: 'image' as const, path: '/stills/bar.png' }, fit: 'fill' as const };

/** The worker's model config for a frame-model folder, made as the engine makes it. */
function configOf(folder: FrameModelFolder): FrameModelConfig {
  const model = pipelineModel(folder);
  if (model.kind !== 'frame-model') throw new Error(`${folder.dir} is not a frame model`);
  return model;
}

function frameFolder(dir: string): FrameModelFolder {
  const loaded = loadModelFolder(dir);
  if (!loaded.ok) throw new Error(loaded.error.message);
  if (loaded.value.kind !== 'frame-model') throw new Error('not a frame model');
  return loaded.value;
}

function look(target: Partial<LookTarget> & { prompt: string }, lookId = 1): WorkerLook {
  return { lookId, from: null, to: { seed: 1, ...target }, transition: { durationMs: 0, curve: 'linear' }, startedAtMs: 0 };
}

function picture(rgba: Uint8Array, version: number): InputPicture {
  return { rgba, width: WIDTH, height: HEIGHT, version, receivedAtMs: 0 };
}

async function frameOf(pipeline: FrameModelPipeline, input: InputPicture | null, showTimeMs = 4000): Promise<Uint8Array> {
  const buffer = new ArrayBuffer(WIDTH * HEIGHT * 4);
  await pipeline.renderInto(buffer, showTimeMs, 0, input);
  return new Uint8Array(buffer);
}

describe('frame-model pipeline: the built-in model restyles an input picture', () => {
  let pipeline: FrameModelPipeline;

  beforeAll(async () => {
    pipeline = new FrameModelPipeline(configOf(frameFolder(builtinModelDir())), common);
    const loaded = await pipeline.load();
    expect(loaded.ok).toBe(true);
  });
  afterAll(() => pipeline.release());

  it('takes an input (its model.json names input and inputStrength), with no notice', async () => {
    expect(pipeline.takesInput).toBe(true);
    pipeline.setLook(look({ prompt: 'dawn', params: { strength: 0.5 }, input: stillImage }));
    await frameOf(pipeline, picture(barPicture(WIDTH, HEIGHT, 80), 1));
    expect(pipeline.notices()).toEqual([]);
  });

  it('follows the input: the bar moved in the input moves in the output, noise does not pass', async () => {
    pipeline.setLook(look({ prompt: 'underwater', params: { strength: 0.5 }, input: stillImage }));
    const left = barPicture(WIDTH, HEIGHT, 80);
    const right = barPicture(WIDTH, HEIGHT, 440);
    const fromLeft = await frameOf(pipeline, picture(left, 1));
    const fromRight = await frameOf(pipeline, picture(right, 2));
    expect(structureCorrelation(fromLeft, left, WIDTH, HEIGHT)).toBeGreaterThan(0.7);
    expect(structureCorrelation(fromLeft, right, WIDTH, HEIGHT)).toBeLessThan(0.3);
    expect(structureCorrelation(fromRight, right, WIDTH, HEIGHT)).toBeGreaterThan(0.7);
    expect(structureCorrelation(fromRight, left, WIDTH, HEIGHT)).toBeLessThan(0.3);
    expect(structureCorrelation(withNoise(fromLeft, 60), left, WIDTH, HEIGHT)).toBeLessThan(0.7);
  });

  it('takes the palette from the look: same input, two prompts, different mean colours', async () => {
    const bar = picture(barPicture(WIDTH, HEIGHT, 300), 3);
    pipeline.setLook(look({ prompt: 'underwater', params: { strength: 0.5 }, input: stillImage }));
    const underwater = meanRgb(await frameOf(pipeline, bar));
    pipeline.setLook(look({ prompt: 'sunset', params: { strength: 0.5 }, input: stillImage }, 2));
    const sunset = meanRgb(await frameOf(pipeline, bar));
    expect(Math.hypot(underwater[0] - sunset[0], underwater[1] - sunset[1], underwater[2] - sunset[2])).toBeGreaterThan(30);
    expect(sunset[0]).toBeGreaterThan(underwater[0] + 20);
  });

  it("reads the look's strength: 0 is the input as it is, 1 the text-only frame", async () => {
    const rgba = barPicture(WIDTH, HEIGHT, 300);
    pipeline.setLook(look({ prompt: 'neon', params: { strength: 0 }, input: stillImage }));
    expect(meanColourDifference(await frameOf(pipeline, picture(rgba, 4)), rgba)).toBeLessThan(0.05);

    pipeline.setLook(look({ prompt: 'neon', params: { strength: 1 }, input: stillImage }, 2));
    const atOne = await frameOf(pipeline, picture(rgba, 4));
    const textOnly = await frameOf(pipeline, null);
    expect(Buffer.from(atOne).equals(Buffer.from(textOnly))).toBe(true);
    expect(meanColourDifference(atOne, rgba)).toBeGreaterThan(20);
  });

  it('defaults the strength to 0.5 when the look sets none', async () => {
    const rgba = barPicture(WIDTH, HEIGHT, 200);
    pipeline.setLook(look({ prompt: 'forest', params: { strength: 0.5 }, input: stillImage }));
    const explicit = await frameOf(pipeline, picture(rgba, 5));
    pipeline.setLook(look({ prompt: 'forest', input: stillImage }, 2));
    const unset = await frameOf(pipeline, picture(rgba, 5));
    expect(Buffer.from(unset).equals(Buffer.from(explicit))).toBe(true);
  });

  it('says clearly when a picture is not at the working size, and the next frame still renders', async () => {
    pipeline.setLook(look({ prompt: 'storm', params: { strength: 0.5 }, input: stillImage }));
    const small: InputPicture = { rgba: new Uint8Array(320 * 180 * 4), width: 320, height: 180, version: 9, receivedAtMs: 0 };
    await expect(frameOf(pipeline, small)).rejects.toThrow(/input picture is 320x180 .* works at 640x360/);
    const rgba = barPicture(WIDTH, HEIGHT, 80);
    expect(structureCorrelation(await frameOf(pipeline, picture(rgba, 10)), rgba, WIDTH, HEIGHT)).toBeGreaterThan(0.7);
  });
});

describe('frame-model pipeline: an older model folder without a picture input', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cyclorama-old-frame-model-'));
    writeOldFrameModel(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads, makes text-only frames for a look that names an input, and says so once', async () => {
    const pipeline = new FrameModelPipeline(configOf(frameFolder(dir)), common);
    const loaded = await pipeline.load();
    expect(loaded.ok).toBe(true);
    expect(pipeline.takesInput).toBe(false);
    pipeline.setLook(look({ prompt: 'sunset' }));
    await frameOf(pipeline, null);
    expect(pipeline.notices()).toEqual([]); // text-only looks: nothing to say
    pipeline.setLook(look({ prompt: 'sunset', params: { strength: 0.5 }, input: stillImage }, 2));
    const withPicture = await frameOf(pipeline, picture(barPicture(WIDTH, HEIGHT, 80), 1));
    const textOnly = await frameOf(pipeline, null);
    expect(Buffer.from(withPicture).equals(Buffer.from(textOnly))).toBe(true);
    const notices = pipeline.notices();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/takes no input picture .* text look only/);
    // Once: a second look with an input, and more frames, add nothing.
    pipeline.setLook(look({ prompt: 'storm', input: stillImage }, 3));
    await frameOf(pipeline, picture(barPicture(WIDTH, HEIGHT, 80), 2));
    expect(pipeline.notices()).toEqual([]);
    await pipeline.release();
  });

  it('validates without input names, and refuses a manifest that names only one of the pair', () => {
    const raw = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(builtinModelManifestSchema.safeParse(raw).success).toBe(true);
    raw.inputs.input = { name: 'input', dtype: 'uint8', dims: ['h', 'w', 4] };
    const halfPair = builtinModelManifestSchema.safeParse(raw);
    expect(halfPair.success).toBe(false);
    if (!halfPair.success) expect(halfPair.error.issues[0]?.message).toMatch(/name both input and inputStrength, or neither/);
  });
});
