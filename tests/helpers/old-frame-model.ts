/**
 * A frame-model folder from before live inputs: its graph and model.json have no picture
 * input (conditioning, time, seed, outputSize -> frame, a flat colour from the conditioning).
 * Real ONNX, built here, so tests can show what such a model does with a look that names an input.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphBuilder, attr } from '../../app/engine/generate/onnx-builder.js';
import { builtinModelDir } from '../../app/engine/generate/model-folder.js';

export const OLD_FRAME_MODEL_NAME = 'A frame model from before live inputs';

/** Writes the folder's model.onnx, vocab.json and model.json into `dir`. */
export function writeOldFrameModel(dir: string): void {
  const g = new GraphBuilder('old_frame_model');
  const conditioning = g.input('conditioning', 'float32', [1, 32]);
  g.input('time', 'float32', [1]);
  g.input('seed', 'float32', [1]);
  const outputSize = g.input('outputSize', 'int64', [2]);
  const rgb = g.op('Slice', [conditioning, g.ints([0]), g.ints([3]), g.ints([1])]);
  const rgba = g.op('Cast', [g.op('Concat', [g.mul(rgb, g.scalar(255)), g.constant('alpha', 'float32', [1, 1], [255])], { axis: attr.int(1) })], { to: attr.int(2) });
  const frame = g.op('Expand', [g.op('Reshape', [rgba, g.ints([1, 1, 4])]), g.op('Concat', [outputSize, g.ints([4])], { axis: attr.int(0) })]);
  g.output(frame, 'frame', 'uint8', ['height', 'width', 4]);
  writeFileSync(join(dir, 'model.onnx'), g.encode({ opset: 17, producer: 'test' }));
  copyFileSync(join(builtinModelDir(), 'vocab.json'), join(dir, 'vocab.json'));
  const manifest = {
    schemaVersion: 1,
    id: 'old-frame-model',
    name: OLD_FRAME_MODEL_NAME,
    kind: 'frame-model',
    licence: 'test fixture',
    files: { graph: 'model.onnx', vocabulary: 'vocab.json' },
    nativeSize: { width: 1920, height: 1080 },
    conditioningSize: 32,
    inputs: {
      conditioning: { name: 'conditioning', dtype: 'float32', dims: [1, 32] },
      time: { name: 'time', dtype: 'float32', dims: [1] },
      seed: { name: 'seed', dtype: 'float32', dims: [1] },
      outputSize: { name: 'outputSize', dtype: 'int64', dims: [2] },
    },
    outputs: { frame: { name: 'frame', dtype: 'uint8', dims: ['height', 'width', 4] } },
    preferredProviders: ['cpu'],
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(manifest));
}
