/**
 * The live input to latents, for image-to-image (StreamDiffusion's encode step):
 *
 *   InputPicture RGBA8 [H, W, 4] --preprocess graph--> image [1, 3, h, w] at the generation
 *   size, in the encoder's range --VAE encoder--> latents [1, 4 (or 8), h/8, w/8]
 *   --x scale--> the model's latent space (full VAE: x scaling_factor; TAESD's tiny encoder
 *   gives the model's latents as they are)
 *
 * The preprocess graph is built at load with onnx-builder (like the post-process graph)
 * and takes any input size (a resolution change mid-show needs no reload): Cast float,
 * drop alpha, NHWC -> NCHW, x*a+b to -1..1 (full VAE, diffusers' AutoencoderTiny) or 0..1
 * (madebyollin's raw TAESD), Resize linear to the generation size, Cast to the encoder's type.
 * An export whose encoder gives `latent_parameters` (mean and log-variance, 8 channels)
 * is read at its mean: deterministic, so a still input gives a still output.
 */
import * as ort from 'onnxruntime-node';
import type { InputPicture } from '../../inputs/input-picture.js';
import { attr, GraphBuilder } from '../onnx-builder.js';
import { floatData, type FloatType } from './float-tensors.js';
import { LATENT_CHANNELS } from './graph-io.js';

export const PREPROCESS_INPUT = 'rgba';
export const PREPROCESS_OUTPUT = 'image';

export interface PreprocessOptions {
  outputType: FloatType;
  range: '-1..1' | '0..1';
  width: number;
  height: number;
}

const FLOAT = 1;
const FLOAT16 = 10;

export function buildPreprocessGraph(options: PreprocessOptions): Uint8Array {
  const g = new GraphBuilder('cyclorama-turbo-preprocess');
  let x = g.input(PREPROCESS_INPUT, 'uint8', ['H', 'W', 4]);
  x = g.op('Cast', [x], { to: attr.int(FLOAT) });
  x = g.op('Slice', [x, g.ints([0], 'starts'), g.ints([3], 'ends'), g.ints([2], 'axes')]);
  x = g.op('Unsqueeze', [g.op('Transpose', [x], { perm: attr.ints([2, 0, 1]) }), g.ints([0], 'batch')]);
  const [scale, offset] = options.range === '-1..1' ? [2 / 255, -1] : [1 / 255, 0];
  x = g.add(g.mul(x, g.scalar(scale, 'scale')), g.scalar(offset, 'offset'));
  x = g.op('Resize', [x, '', '', g.ints([1, 3, options.height, options.width], 'sizes')], {
    mode: attr.string('linear'),
    coordinate_transformation_mode: attr.string('half_pixel'),
  });
  if (options.outputType === 'float16') x = g.op('Cast', [x], { to: attr.int(FLOAT16) });
  g.output(x, PREPROCESS_OUTPUT, options.outputType, [1, 3, options.height, options.width]);
  return g.encode({ opset: 17, producer: 'cyclorama' });
}

/** The encoder's tensor names: diffusers/optimum name them sample -> latent_sample (or latent_parameters). */
export interface EncoderIo {
  input: string;
  output: string;
  /** 4: latents; 8: mean and log-variance (the mean is used). */
  outputChannels: number;
}

export class InputEncoder {
  constructor(
    private readonly pre: ort.InferenceSession,
    private readonly encoder: ort.InferenceSession,
    private readonly io: EncoderIo,
    /** Latents x this = the model's latent space. */
    private readonly scale: number,
  ) {}

  /** The input's latents into `out` (channels x h x w of the UNet). Throws when a run fails or the sizes disagree. */
  async encode(input: InputPicture, out: Float32Array): Promise<void> {
    const rgba = new ort.Tensor('uint8', input.rgba, [input.height, input.width, 4]);
    const image = (await this.pre.run({ [PREPROCESS_INPUT]: rgba }, [PREPROCESS_OUTPUT]))[PREPROCESS_OUTPUT] as ort.Tensor;
    const result = await this.encoder.run({ [this.io.input]: image }, [this.io.output]);
    const latents = result[this.io.output] as ort.Tensor;
    const data = floatData(latents);
    const channels = latents.dims[1] as number;
    const plane = out.length / LATENT_CHANNELS;
    if (channels < LATENT_CHANNELS || data.length !== channels * plane) {
      throw new Error(`the VAE encoder gave latents [${latents.dims.join(', ')}], the UNet takes ${LATENT_CHANNELS} x ${plane} values`);
    }
    // The first 4 channels: the latents, or the mean of latent_parameters.
    for (let i = 0; i < out.length; i++) out[i] = (data[i] as number) * this.scale;
  }
}
