/**
 * The turbo pipeline's last step as a small ONNX graph, built at load time with
 * app/engine/generate/onnx-builder.ts and run on the same provider as the VAE: the decoder's
 * float NCHW image (-1..1 for the full VAE and diffusers' tiny one, 0..1 for raw
 * TAESD) becomes the engine's RGBA8 frame at the requested output size.
 * ARCHITECTURE.md (data path): conversions happen once, in the graph where possible.
 *
 *   image [1,3,h,w] (float16|float32) -> Cast float -> x*a+b (to 0..255, +0.5 so
 *   the truncating Cast rounds) -> Clip -> Resize linear (half_pixel) to [1,3,H,W]
 *   -> Pad an alpha plane of 255 -> Transpose NHWC -> Reshape [H,W,4] -> Cast uint8
 *
 * The scale happens at the generation size, before the upscale, so the
 * full-resolution work is only Resize, Pad, Transpose and Cast.
 */
import { attr, GraphBuilder } from '../onnx-builder.js';

export const POSTPROCESS_INPUT = 'image';
export const POSTPROCESS_OUTPUT = 'frame';

export interface PostprocessOptions {
  inputType: 'float32' | 'float16';
  range: '-1..1' | '0..1';
  width: number;
  height: number;
}

const FLOAT = 1;
const UINT8 = 2;

export function buildPostprocessGraph(options: PostprocessOptions): Uint8Array {
  const g = new GraphBuilder('cyclorama-turbo-postprocess');
  let x = g.input(POSTPROCESS_INPUT, options.inputType, [1, 3, 'h', 'w']);
  if (options.inputType === 'float16') x = g.op('Cast', [x], { to: attr.int(FLOAT) });
  const [scale, offset] = options.range === '-1..1' ? [127.5, 128] : [255, 0.5];
  x = g.add(g.mul(x, g.scalar(scale, 'scale')), g.scalar(offset, 'offset'));
  x = g.op('Clip', [x, g.scalar(0, 'lo'), g.scalar(255, 'hi')]);
  x = g.op('Resize', [x, '', '', g.ints([1, 3, options.height, options.width], 'sizes')], {
    mode: attr.string('linear'),
    coordinate_transformation_mode: attr.string('half_pixel'),
  });
  x = g.op('Pad', [x, g.ints([0, 0, 0, 0, 0, 1, 0, 0], 'pads'), g.scalar(255, 'alpha')], { mode: attr.string('constant') });
  x = g.op('Transpose', [x], { perm: attr.ints([0, 2, 3, 1]) });
  x = g.op('Reshape', [x, g.ints([options.height, options.width, 4], 'hw4')]);
  x = g.op('Cast', [x], { to: attr.int(UINT8) });
  g.output(x, POSTPROCESS_OUTPUT, 'uint8', [options.height, options.width, 4]);
  return g.encode({ opset: 17, producer: 'cyclorama' });
}
