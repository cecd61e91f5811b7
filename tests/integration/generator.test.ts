/**
 * The generator runtime with the real built-in model in onnxruntime-node: stepped
 * renders (determinism, seeds, morphs) and model-loading failures that must name
 * the file and the problem while the engine keeps running.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../app/engine/engine.js';
import { Generator } from '../../app/engine/generate/generator.js';
import { builtinModelDir, loadModelFolder } from '../../app/engine/generate/model-folder.js';
import type { WorkerLook } from '../../app/engine/generate/worker-protocol.js';
import { meanAbsDiff, meanRgb, rgbDistance } from '../helpers/engine-client.js';

const WIDTH = 384;
const HEIGHT = 216;
const EPOCH_MS = 1_000_000;

let generator: Generator;
const tempDirs: string[] = [];

function look(partial: Partial<WorkerLook> & { to: WorkerLook['to'] }): WorkerLook {
  return { lookId: 1, from: null, transition: { durationMs: 0, curve: 'linear' }, startedAtMs: EPOCH_MS, ...partial };
}

async function renderCopy(showTimeMs: number): Promise<Uint8Array> {
  const frame = await generator.renderAt(showTimeMs);
  if (!frame.ok) throw new Error(frame.error.message);
  const copy = frame.value.pixels.slice();
  generator.release(frame.value);
  return copy;
}

function modelCopy(edit: (manifest: Record<string, any>) => void): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cyclorama-model-'));
  tempDirs.push(dir);
  cpSync(builtinModelDir(), dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
  edit(manifest);
  writeFileSync(path.join(dir, 'model.json'), JSON.stringify(manifest));
  return dir;
}

beforeAll(async () => {
  const folder = loadModelFolder(builtinModelDir());
  if (!folder.ok) throw new Error(folder.error.message);
  const started = await Generator.start({ model: folder.value, width: WIDTH, height: HEIGHT, showEpochMs: EPOCH_MS, onlyProvider: 'cpu' });
  if (!started.ok) throw new Error(started.error.message);
  generator = started.value;
});

afterAll(async () => {
  await generator?.stop();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('generator (stepped renders)', () => {
  it('makes the same frame for the same prompt, seed and time, and another for another seed', async () => {
    generator.setLook(look({ to: { prompt: 'sunset over the desert', seed: 5 } }));
    const a = await renderCopy(2000);
    const b = await renderCopy(2000);
    expect(a.length).toBe(WIDTH * HEIGHT * 4);
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
    generator.setLook(look({ lookId: 2, to: { prompt: 'sunset over the desert', seed: 6 } }));
    const otherSeed = await renderCopy(2000);
    expect(meanAbsDiff(a, otherSeed)).toBeGreaterThan(1);
  });

  it('morphs the conditioning over a transition: the middle lies between the two prompts', async () => {
    const transition = { durationMs: 1000, curve: 'linear' as const };
    const from = { prompt: 'underwater deep blue', seed: 1 };
    const to = { prompt: 'sunset orange fire', seed: 1 };
    generator.setLook(look({ lookId: 3, from, to, transition }));
    const start = meanRgb(await renderCopy(0));
    const middle = meanRgb(await renderCopy(500));
    const end = meanRgb(await renderCopy(1000));
    expect(rgbDistance(start, end)).toBeGreaterThan(40);
    // A morph, not a cut: the middle is clearly away from both ends...
    expect(rgbDistance(start, middle)).toBeGreaterThan(8);
    expect(rgbDistance(middle, end)).toBeGreaterThan(8);
    // ...and red rises monotonically from the blue end to the orange end.
    expect(start[0]).toBeLessThan(middle[0]);
    expect(middle[0]).toBeLessThan(end[0]);
  });
});

describe('model loading failures', () => {
  it('names a graph input the model lacks', async () => {
    const dir = modelCopy((m) => {
      m.inputs.time.name = 'clock';
    });
    const folder = loadModelFolder(dir);
    if (!folder.ok) throw new Error(folder.error.message);
    const started = await Generator.start({ model: folder.value, width: 64, height: 36, showEpochMs: 0, onlyProvider: 'cpu' });
    expect(started.ok).toBe(false);
    if (!started.ok) {
      expect(started.error.code).toBe('model-load-failed');
      expect(started.error.message).toContain(path.join(dir, 'model.onnx'));
      expect(started.error.message).toMatch(/missing input\(s\) clock/);
    }
  });

  it('says when the requested provider is not in this build', async () => {
    const folder = loadModelFolder(builtinModelDir());
    if (!folder.ok) throw new Error(folder.error.message);
    const started = await Generator.start({ model: folder.value, width: 64, height: 36, showEpochMs: 0, onlyProvider: 'coreml' });
    expect(!started.ok && started.error.message).toMatch(/coreml \(not in this onnxruntime build\)/);
  });

  it('keeps the engine running on the built-in model when the chosen model is broken', async () => {
    const dir = modelCopy((m) => {
      m.files.graph = 'missing.onnx';
    });
    const engine = await Engine.start({ modelDir: dir, width: 64, height: 36 });
    try {
      const state = engine.state();
      expect(state.model.id).toBe('cyclorama-builtin');
      expect(state.model.status).toBe('running');
      const error = state.recentErrors.find((e) => e.code === 'model-load-failed');
      expect(error?.message).toContain(path.join(dir, 'missing.onnx'));
      expect(error?.message).toContain('built-in model instead');
    } finally {
      await engine.stop();
    }
  });
});
