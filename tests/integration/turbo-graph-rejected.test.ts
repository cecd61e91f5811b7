/**
 * A graph that ONNX Runtime rejects says which graph and why: a hand-made SD-Turbo
 * export whose text encoder has an invalid node (ReduceMean with an axes input at
 * opset 17, where axes is still an attribute) loaded through the real pipeline on
 * onnxruntime-node's CPU provider; and the frame-model path with the same kind of
 * graph gives the provider's reason too.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attr, GraphBuilder } from '../../app/engine/generate/onnx-builder.js';
import { loadModelFolder } from '../../app/engine/generate/model-folder.js';
import { FrameModelPipeline } from '../../app/engine/generate/pipelines/frame-model.js';
import { TurboDiffusionPipeline } from '../../app/engine/generate/pipelines/turbo-diffusion.js';
import { buildTurboFixture } from '../../models/fixtures/build-turbo-fixtures.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'cyclorama-turbo-rejected-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** input_ids -> ReduceMean(x, axes) at opset 17: ReduceMean-13 takes one input, so every provider rejects it. */
function invalidTextEncoder(): Uint8Array {
  const g = new GraphBuilder('text_encoder');
  const ids = g.input('input_ids', 'int32', ['batch_size', 'sequence_length']);
  const f = g.op('Unsqueeze', [g.op('Cast', [ids], { to: attr.int(1) }), g.ints([2])]);
  const mean = g.op('ReduceMean', [f, g.ints([2], 'axes')], { keepdims: attr.int(1) });
  g.output(g.op('Expand', [mean, g.ints([1, 77, 32])]), 'last_hidden_state', 'float32', ['batch_size', 77, 32]);
  return g.encode({ opset: 17, producer: 'hand-made' });
}

const RUNTIME_REASON = /ReduceMean.*has input size 2 not in range \[min=1, max=1\]/;

describe('graphs ONNX Runtime rejects', () => {
  it('names the turbo graph that failed (the text encoder, not the UNet) and passes on the runtime reason', async () => {
    const dir = path.join(root, 'bad-text-encoder');
    buildTurboFixture(dir, { variant: 'sd', precision: 'fp32' });
    writeFileSync(path.join(dir, 'text_encoder', 'model.onnx'), invalidTextEncoder());
    const folder = loadModelFolder(dir);
    if (!folder.ok || folder.value.kind !== 'turbo-diffusion') throw new Error('fixture');
    const loaded = await new TurboDiffusionPipeline(folder.value.layout, { providers: ['cpu'], width: 64, height: 64, intraOpThreads: 1 }).load();
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.message).toContain(`text encoder (${path.join(dir, 'text_encoder', 'model.onnx')})`);
    expect(loaded.message).not.toContain('unet');
    expect(loaded.message).toMatch(RUNTIME_REASON);
    // Each provider's own reason, by provider.
    expect(loaded.fallbacks).toHaveLength(1);
    expect(loaded.fallbacks[0]?.provider).toBe('cpu');
    expect(loaded.fallbacks[0]?.reason).toMatch(RUNTIME_REASON);
    expect(loaded.fallbacks[0]?.reason).toContain('text encoder');
  });

  it('gives the frame-model path the provider reasons too', async () => {
    const graphPath = path.join(root, 'bad-frame-model.onnx');
    const g = new GraphBuilder('frame');
    const c = g.input('conditioning', 'float32', [1, 8]);
    g.input('time', 'float32', [1]);
    g.input('seed', 'float32', [1]);
    g.input('outputSize', 'int64', [2]);
    g.output(g.op('ReduceMean', [c, g.ints([1], 'axes')]), 'frame', 'float32', [1, 1]);
    writeFileSync(graphPath, g.encode({ opset: 17, producer: 'hand-made' }));
    const pipeline = new FrameModelPipeline(
      {
        kind: 'frame-model',
        graphPath,
        conditioningSize: 8,
        vocabularyPath: null,
        io: { conditioning: 'conditioning', time: 'time', seed: 'seed', outputSize: 'outputSize', frame: 'frame' },
      },
      { providers: ['cpu'], width: 64, height: 64, intraOpThreads: 1 },
    );
    const loaded = await pipeline.load();
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.message).toContain(graphPath);
    expect(loaded.message).toMatch(RUNTIME_REASON);
    expect(loaded.message).toContain('cpu: ');
  });
});
