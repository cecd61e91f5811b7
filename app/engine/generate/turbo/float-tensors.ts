/**
 * Dtype plumbing between the pipeline's float32 math and the graphs' own types:
 * fp16 exports take and give float16 (Uint16Array bits in onnxruntime-node),
 * fp32 exports float32, and the UNet's timestep is whatever integer or float
 * type the export chose. The pipeline works in float32 throughout and converts
 * only here, into buffers allocated once.
 */
import * as ort from 'onnxruntime-node';
import { fromHalfArray, toHalf, toHalfArray } from './latent-math.js';

export type FloatType = 'float32' | 'float16';

/** A float tensor's data as float32 (fp16 exports hand over Uint16Array bits); into `out` when given. */
export function floatData(tensor: ort.Tensor, out?: Float32Array): Float32Array {
  if (tensor.type === 'float16') {
    const bits = tensor.data as Uint16Array;
    return fromHalfArray(bits, out ?? new Float32Array(bits.length));
  }
  const data = tensor.data as Float32Array;
  if (out) {
    out.set(data);
    return out;
  }
  return new Float32Array(data);
}

/** A reusable model input in the graph's float type, filled from float32. */
export class FloatInput {
  readonly f32: Float32Array;
  private readonly f16: Uint16Array | null;
  readonly tensor: ort.Tensor;
  constructor(type: FloatType, dims: number[]) {
    const size = dims.reduce((a, b) => a * b, 1);
    this.f32 = new Float32Array(size);
    this.f16 = type === 'float16' ? new Uint16Array(size) : null;
    this.tensor = this.f16 ? new ort.Tensor('float16', this.f16, dims) : new ort.Tensor('float32', this.f32, dims);
  }
  /** Call after writing `f32`: converts to fp16 where the graph wants it. */
  commit(): void {
    if (this.f16) toHalfArray(this.f32, this.f16);
  }
}

/** The UNet's timestep input in the graph's type (int64, int32, float16 or float32), scalar or [1] as the graph has it. */
export interface TimestepInput {
  readonly tensor: ort.Tensor;
  set(timestep: number): void;
}

export function timestepInput(meta: ort.InferenceSession.TensorValueMetadata): TimestepInput {
  const dims = meta.shape.length === 0 ? [] : [1];
  switch (meta.type) {
    case 'int64': {
      const data = new BigInt64Array(1);
      return { tensor: new ort.Tensor('int64', data, dims), set: (t) => (data[0] = BigInt(t)) };
    }
    case 'int32': {
      const data = new Int32Array(1);
      return { tensor: new ort.Tensor('int32', data, dims), set: (t) => (data[0] = t) };
    }
    case 'float16': {
      const data = new Uint16Array(1);
      return { tensor: new ort.Tensor('float16', data, dims), set: (t) => (data[0] = toHalf(t)) };
    }
    default: {
      const data = new Float32Array(1);
      return { tensor: new ort.Tensor('float32', data, dims), set: (t) => (data[0] = t) };
    }
  }
}
