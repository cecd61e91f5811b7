/**
 * A small, deterministic ONNX graph builder: the turbo post-process graph at run time
 * (generate/turbo/postprocess-graph.ts) and the model build scripts in models/.
 *
 * Nodes are named and numbered in the order they are added, initializers are
 * stored as little-endian raw data, and the protobuf is written by onnx-proto
 * (protobufjs), so the same calls always produce the same bytes.
 *
 *   const g = new GraphBuilder('my-graph');
 *   const x = g.input('x', 'float32', [1, 'n']);
 *   const y = g.op('Sin', [g.op('Mul', [x, g.scalar(2)])]);
 *   g.output(y, 'y', 'float32', [1, 'n']);
 *   const bytes = g.encode({ opset: 17, producer: 'cyclorama' });
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export type ElementType = 'float32' | 'int64' | 'uint8' | 'int32' | 'float16';
export type Dim = number | string;

/** ONNX TensorProto.DataType codes. */
const ELEMENT_TYPE_CODE: Record<ElementType, number> = {
  float32: 1,
  uint8: 2,
  int32: 6,
  int64: 7,
  float16: 10,
};

/** A node attribute, tagged with its ONNX type (ONNX cannot tell 1 from 1.0). */
export type Attribute =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; value: onnxProto.onnx.ITensorProto };

export const attr = {
  int: (value: number): Attribute => ({ kind: 'int', value }),
  float: (value: number): Attribute => ({ kind: 'float', value }),
  ints: (value: readonly number[]): Attribute => ({ kind: 'ints', value }),
  floats: (value: readonly number[]): Attribute => ({ kind: 'floats', value }),
  string: (value: string): Attribute => ({ kind: 'string', value }),
};

const ATTRIBUTE_TYPE = {
  float: 1,
  int: 2,
  string: 3,
  tensor: 4,
  floats: 6,
  ints: 7,
} as const;

function encodeAttribute(name: string, a: Attribute): onnxProto.onnx.IAttributeProto {
  switch (a.kind) {
    case 'int':
      return { name, type: ATTRIBUTE_TYPE.int, i: a.value };
    case 'float':
      return { name, type: ATTRIBUTE_TYPE.float, f: a.value };
    case 'ints':
      return { name, type: ATTRIBUTE_TYPE.ints, ints: [...a.value] };
    case 'floats':
      return { name, type: ATTRIBUTE_TYPE.floats, floats: [...a.value] };
    case 'string':
      return { name, type: ATTRIBUTE_TYPE.string, s: new TextEncoder().encode(a.value) };
    case 'tensor':
      return { name, type: ATTRIBUTE_TYPE.tensor, t: a.value };
  }
}

function valueInfo(name: string, type: ElementType, dims: readonly Dim[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEMENT_TYPE_CODE[type],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** Little-endian raw bytes of a typed array (ONNX raw_data is always little-endian). */
function littleEndianBytes(data: Float32Array | BigInt64Array | Uint8Array | Int32Array): Uint8Array {
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  if (data instanceof Float32Array) data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  else if (data instanceof BigInt64Array) data.forEach((v, i) => view.setBigInt64(i * 8, v, true));
  else if (data instanceof Int32Array) data.forEach((v, i) => view.setInt32(i * 4, v, true));
  else out.set(data);
  return out;
}

export class GraphBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly usedNames = new Set<string>();
  private counter = 0;

  constructor(private readonly graphName: string) {}

  /** A fresh tensor name; `hint` keeps the graph readable in Netron. */
  private fresh(hint: string): string {
    let name = hint;
    while (this.usedNames.has(name)) name = `${hint}_${++this.counter}`;
    this.usedNames.add(name);
    return name;
  }

  input(name: string, type: ElementType, dims: readonly Dim[]): string {
    this.usedNames.add(name);
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Declares `tensor` as a graph output, renaming it through an Identity when needed. */
  output(tensor: string, name: string, type: ElementType, dims: readonly Dim[]): void {
    if (tensor !== name) this.op('Identity', [tensor], {}, name);
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** A constant tensor stored as an initializer. */
  constant(hint: string, type: 'float32' | 'int64' | 'uint8' | 'int32', dims: readonly number[], values: ArrayLike<number>): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (values.length !== count) {
      throw new Error(`constant ${hint}: ${values.length} values for dims [${dims.join(', ')}]`);
    }
    const name = this.fresh(hint);
    let data: Float32Array | BigInt64Array | Uint8Array | Int32Array;
    if (type === 'float32') data = Float32Array.from(values);
    else if (type === 'int64') data = BigInt64Array.from(Array.from(values, (v) => BigInt(v)));
    else if (type === 'int32') data = Int32Array.from(values);
    else data = Uint8Array.from(values);
    this.initializers.push({ name, dims: [...dims], dataType: ELEMENT_TYPE_CODE[type], rawData: littleEndianBytes(data) });
    return name;
  }

  /** A float32 scalar (rank 0) constant. */
  scalar(value: number, hint = 'c'): string {
    return this.constant(hint, 'float32', [], [value]);
  }

  /** An int64 1-D constant, the usual shape/axes argument. */
  ints(values: readonly number[], hint = 'i'): string {
    return this.constant(hint, 'int64', [values.length], values);
  }

  /** Adds one node with one output and returns the output name. */
  op(opType: string, inputs: readonly string[], attributes: Record<string, Attribute> = {}, outputName?: string): string {
    const [out] = this.opMulti(opType, inputs, 1, attributes, outputName ? [outputName] : undefined);
    return out as string;
  }

  /** Adds one node with several outputs. */
  opMulti(opType: string, inputs: readonly string[], outputCount: number, attributes: Record<string, Attribute> = {}, outputNames?: readonly string[]): string[] {
    const index = this.nodes.length;
    const outputs = Array.from({ length: outputCount }, (_, i) => {
      const wanted = outputNames?.[i];
      if (wanted !== undefined) {
        if (this.usedNames.has(wanted)) throw new Error(`tensor name ${wanted} used twice`);
        this.usedNames.add(wanted);
        return wanted;
      }
      return this.fresh(`${opType.toLowerCase()}${index}${outputCount > 1 ? `_${i}` : ''}`);
    });
    this.nodes.push({
      name: `${opType}_${index}`,
      opType,
      input: [...inputs],
      output: outputs,
      attribute: Object.entries(attributes).map(([k, v]) => encodeAttribute(k, v)),
    });
    return outputs;
  }

  // Shorthands for the element-wise ops the build scripts use most.
  add(a: string, b: string): string {
    return this.op('Add', [a, b]);
  }
  sub(a: string, b: string): string {
    return this.op('Sub', [a, b]);
  }
  mul(a: string, b: string): string {
    return this.op('Mul', [a, b]);
  }
  div(a: string, b: string): string {
    return this.op('Div', [a, b]);
  }
  matmul(a: string, b: string): string {
    return this.op('MatMul', [a, b]);
  }
  sin(a: string): string {
    return this.op('Sin', [a]);
  }
  relu(a: string): string {
    return this.op('Relu', [a]);
  }
  sigmoid(a: string): string {
    return this.op('Sigmoid', [a]);
  }

  encode(options: { opset: number; producer: string; docString?: string; irVersion?: number }): Uint8Array {
    const model: onnxProto.onnx.IModelProto = {
      irVersion: options.irVersion ?? 8,
      opsetImport: [{ domain: '', version: options.opset }],
      producerName: options.producer,
      producerVersion: '1',
      docString: options.docString ?? '',
      graph: {
        name: this.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    };
    return onnx.ModelProto.encode(onnx.ModelProto.fromObject(model)).finish();
  }
}
