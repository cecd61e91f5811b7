/**
 * The output range of a tiny VAE decoder read from its graph, for folders that
 * do not say (no config.json, no model.json `tinyVaeOutputRange`):
 *
 *   diffusers' AutoencoderTiny (DecoderTiny.forward ends in `x.mul(2).sub(1)`)  -> -1..1
 *   a graph that ends in Tanh                                                    -> -1..1
 *   madebyollin's raw TAESD decoder (ends in its last Conv, trained to 0..1)     -> 0..1
 *
 * Only the node that makes the output is looked at (through Identity/Cast, which
 * fp16 exports add), so reading a TAESD-sized file (about 5 MB) is the whole cost.
 */
import { readFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';

const PASS_THROUGH = new Set(['Identity', 'Cast']);

export function tinyDecoderRangeFromGraph(graphPath: string): '-1..1' | '0..1' {
  const model = onnxProto.onnx.ModelProto.decode(readFileSync(graphPath));
  const nodes = model.graph?.node ?? [];
  const producer = new Map<string, onnxProto.onnx.INodeProto>();
  for (const node of nodes) for (const out of node.output ?? []) producer.set(out, node);
  let node = producer.get(model.graph?.output?.[0]?.name ?? '');
  for (let hops = 0; node && PASS_THROUGH.has(node.opType ?? '') && hops < 8; hops++) node = producer.get(node.input?.[0] ?? '');
  if (!node) return '-1..1';
  if (node.opType === 'Tanh') return '-1..1';
  // x*2 - 1 (or x*2 + -1): the -1..1 rescale of diffusers' tiny decoder.
  if (node.opType === 'Sub' || node.opType === 'Add') {
    const inputs = (node.input ?? []).map((name) => producer.get(name)?.opType);
    if (inputs.includes('Mul')) return '-1..1';
  }
  return '0..1';
}
