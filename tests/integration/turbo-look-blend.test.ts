/**
 * The turbo pipeline makes its frames from the look the show reports: during a
 * transition (cue crossfade, timeline segment) its model parameters are the
 * blend resolveShow gives, not the new target's alone. Real onnxruntime-node
 * (CPU) on the tiny random-weight turbo fixtures (models/fixtures/build-turbo-fixtures.ts);
 * the show side is the real reducer; the look goes to the pipeline the way the
 * engine hands the program to the worker (engine.ts pushLook).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandSchema, type CommandInput } from '../../app/contract/commands.js';
import { showSchema, type Show } from '../../app/contract/show.js';
import { loadModelFolder } from '../../app/engine/generate/model-folder.js';
import { TurboDiffusionPipeline } from '../../app/engine/generate/pipelines/turbo-diffusion.js';
import { timedLook } from '../../app/show/program.js';
import { emptyShow } from '../../app/show/show-file.js';
import { initialShowState, reduceShow, resolveShow, tickShow, type ShowState } from '../../app/show/show-state.js';
import { buildTurboFixture } from '../../models/fixtures/build-turbo-fixtures.js';

const WIDTH = 64;
const HEIGHT = 64;
let root: string;
let dir: string;
const opened: TurboDiffusionPipeline[] = [];

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'cyclorama-turbo-blend-'));
  dir = path.join(root, 'sd');
  buildTurboFixture(dir, { variant: 'sd', precision: 'fp32' });
});
afterAll(async () => {
  for (const p of opened) await p.release();
  rmSync(root, { recursive: true, force: true });
});

async function open(): Promise<TurboDiffusionPipeline> {
  const folder = loadModelFolder(dir);
  if (!folder.ok || folder.value.kind !== 'turbo-diffusion') throw new Error(`${dir} is not a turbo folder`);
  const pipeline = new TurboDiffusionPipeline(folder.value.layout, { providers: ['cpu'], width: WIDTH, height: HEIGHT, intraOpThreads: 1 });
  const loaded = await pipeline.load();
  if (!loaded.ok) throw new Error(loaded.message);
  opened.push(pipeline);
  return pipeline;
}

const reduce = (show: Show, s: ShowState, c: CommandInput, t: number) => reduceShow(show, s, commandSchema.parse(c), t);

async function render(pipeline: TurboDiffusionPipeline, clockMs: number): Promise<void> {
  await pipeline.renderInto(new ArrayBuffer(WIDTH * HEIGHT * 4), clockMs, clockMs, null);
}

describe('turbo pipeline: the look the show reports', () => {
  it('uses the blended params of a cue crossfade, as resolveShow reports them', async () => {
    const show = showSchema.parse({
      ...emptyShow('Blend'),
      cues: [
        { id: 'c1', number: '1', look: { prompt: 'dawn', seed: 1, params: { strength: 0.2, motion: 0 } }, transition: { durationMs: 0 } },
        { id: 'c2', number: '2', look: { prompt: 'dusk', seed: 1, params: { strength: 0.8, motion: 1 } }, transition: { durationMs: 1000, curve: 'linear' } },
      ],
    });
    let s = reduce(show, initialShowState(show, 0), { type: 'go' }, 0);
    s = reduce(show, s, { type: 'go' }, 1000);
    const pipeline = await open();
    pipeline.setLook(timedLook(s.program));
    for (const t of [1250, 1500, 1900]) {
      await render(pipeline, t);
      const reported = resolveShow(show, s, t);
      expect(reported.params.strength).toBeCloseTo(0.2 + 0.6 * reported.mix, 9);
      // The folder's defaults fill what the look leaves out (similarity here); the rest is the show's blend.
      expect(pipeline.lastParams).toEqual({ similarity: 0.995, ...reported.params });
    }
    // Once the crossfade is over, the new cue's own params.
    await render(pipeline, 2500);
    expect(pipeline.lastParams).toMatchObject({ strength: 0.8, motion: 1 });
  });

  it('holds the blended skip threshold of a paused timeline segment (the UNet skips as the blend says)', async () => {
    // similarity 0 (skip whenever nothing changes) -> 2 (never skip); paused a quarter of the way: 0.5.
    const show = showSchema.parse({
      ...emptyShow('Paused'),
      timeline: {
        durationMs: 8000,
        keyframes: [
          { id: 'k1', timeMs: 0, look: { prompt: 'sea', seed: 3, params: { similarity: 0 } }, curve: 'linear' },
          { id: 'k2', timeMs: 4000, look: { prompt: 'sky', seed: 3, params: { similarity: 2 } } },
        ],
      },
    });
    let s = reduce(show, initialShowState(show, 0), { type: 'timelinePlay' }, 0);
    s = reduce(show, s, { type: 'timelinePause' }, 1000);
    s = tickShow(show, s, 1000);
    expect(resolveShow(show, s, 5000)).toMatchObject({ mix: 0.25, params: { similarity: 0.5 } });
    const pipeline = await open();
    pipeline.setLook(timedLook(s.program));
    for (let i = 0; i < 8; i++) await render(pipeline, 1000 + i * 33);
    // Nothing changes while paused, so frames after the first two repeat the last picture
    // (a threshold of 2, the new keyframe's alone, would never skip).
    expect(pipeline.stats.unetSkips).toBeGreaterThan(0);
    expect(pipeline.stats.unetRuns + pipeline.stats.unetSkips).toBe(8);
  });
});
