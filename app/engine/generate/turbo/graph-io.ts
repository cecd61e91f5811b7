/**
 * The turbo graphs' inputs and outputs, checked at load: each text encoder,
 * the UNet and the VAE decoder must have the tensors the pipeline feeds and
 * fetches, by name, dtype and rank. A mismatch is one message naming the graph,
 * the tensor and what the graph has instead (a model mismatch: no provider will fix it).
 */
import path from 'node:path';
import type * as ort from 'onnxruntime-node';
import type { FloatType } from './float-tensors.js';
import type { TurboLayout } from './turbo-folder.js';

export type Meta = ort.InferenceSession.TensorValueMetadata;
type MetaList = readonly ort.InferenceSession.ValueMetadata[];

/** Channels of the SD/SDXL latent. */
export const LATENT_CHANNELS = 4;
const FLOATS = ['float32', 'float16'] as const;

/** What the pipeline feeds and fetches on one text encoder. */
export interface TextEncoderIo {
  idsType: 'int32' | 'int64';
  /** The hidden-state output used: last_hidden_state (SD) or the penultimate hidden_states.N (SDXL). */
  hiddenOutput: string;
  pooledOutput: string | null;
}

/** The decoder's tensor names (diffusers: latent_sample -> sample) and float types. */
export interface DecoderIo {
  input: string;
  output: string;
  inputType: FloatType;
  outputType: FloatType;
}

const component = (graphPath: string) => `${path.basename(path.dirname(graphPath))} (${graphPath})`;

export function tensorMeta(list: MetaList, name: string): Meta | null {
  const found = list.find((m) => m.name === name);
  return found && found.isTensor ? found : null;
}

function names(list: MetaList): string {
  return list.map((m) => m.name).join(', ') || '(none)';
}

/** Last dimension when the graph fixes it, else null. */
export function lastDim(meta: Meta | null): number | null {
  const d = meta?.shape[meta.shape.length - 1];
  return typeof d === 'number' ? d : null;
}

/** Checks one tensor of a graph by name, dtype and rank; a message naming graph, tensor and what it has instead. */
function check(graphPath: string, list: MetaList, io: 'input' | 'output', name: string, types: readonly string[], ranks: readonly number[]): string | null {
  const meta = tensorMeta(list, name);
  if (!meta) return `${component(graphPath)}: ${io} ${name} not found (the graph has ${names(list)})`;
  if (!types.includes(meta.type)) return `${component(graphPath)}: ${io} ${name} is ${meta.type}, expected ${types.join(' or ')}`;
  // An undefined shape reads as [] (rank unknown): accept it.
  if (meta.shape.length > 0 && !ranks.includes(meta.shape.length)) {
    return `${component(graphPath)}: ${io} ${name} has rank ${meta.shape.length} [${meta.shape.join(', ')}], expected rank ${ranks.join(' or ')}`;
  }
  return null;
}

/** Text encoder `index` (0, or 1 for SDXL's second): its ids type and the outputs to fetch, or a mismatch. */
export function checkTextEncoder(session: ort.InferenceSession, graphPath: string, index: number, variant: TurboLayout['variant']): string | TextEncoderIo {
  const problem = check(graphPath, session.inputMetadata, 'input', 'input_ids', ['int32', 'int64'], [2]);
  if (problem) return problem;
  const idsType = (tensorMeta(session.inputMetadata, 'input_ids') as Meta).type as 'int32' | 'int64';
  const outputs = session.outputMetadata;
  let hiddenOutput = 'last_hidden_state';
  let pooledOutput: string | null = null;
  if (variant === 'sdxl') {
    // SDXL conditions on the penultimate layer of both encoders (diffusers: hidden_states[-2]).
    const layers = outputs
      .map((m) => /^hidden_states\.(\d+)$/.exec(m.name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number);
    // last_hidden_state is the wrong layer (and, on text_encoder_2, after the final layer norm):
    // a picture from it looks plausible and is wrong, so an export without the layers is refused.
    if (layers.length < 2) {
      return `${component(graphPath)}: SDXL conditions on the penultimate hidden layer but the graph has no hidden_states.* outputs (it has ${names(outputs)}); re-export the text encoder with its hidden states (optimum: the default SDXL export, or output_hidden_states=True)`;
    }
    hiddenOutput = `hidden_states.${Math.max(...layers) - 1}`;
    if (index === 1) {
      pooledOutput = 'text_embeds';
      const pooledProblem = check(graphPath, outputs, 'output', 'text_embeds', FLOATS, [2]);
      if (pooledProblem) return pooledProblem;
    }
  }
  const hiddenProblem = check(graphPath, outputs, 'output', hiddenOutput, FLOATS, [3]);
  if (hiddenProblem) return hiddenProblem;
  return { idsType, hiddenOutput, pooledOutput };
}

/** The widths the text encoders give (null where a graph leaves it open). */
export function encoderWidths(encoders: readonly { session: ort.InferenceSession; hiddenOutput: string }[]): (number | null)[] {
  return encoders.map((e) => lastDim(tensorMeta(e.session.outputMetadata, e.hiddenOutput)));
}

/** The UNet's inputs for the variant, its output, 4 latent channels, and a cross-attention width the encoders fill. */
export function checkUnet(unet: ort.InferenceSession, layout: TurboLayout, widths: readonly (number | null)[]): string | null {
  const p = layout.unetPath;
  const inputs = unet.inputMetadata;
  const problems = [
    check(p, inputs, 'input', 'sample', FLOATS, [4]),
    check(p, inputs, 'input', 'timestep', ['int64', 'int32', 'float32', 'float16'], [0, 1]),
    check(p, inputs, 'input', 'encoder_hidden_states', FLOATS, [3]),
    ...(layout.variant === 'sdxl' ? [check(p, inputs, 'input', 'text_embeds', FLOATS, [2]), check(p, inputs, 'input', 'time_ids', FLOATS, [2])] : []),
    check(p, unet.outputMetadata, 'output', 'out_sample', FLOATS, [4]),
  ].filter((x): x is string => x !== null);
  if (problems.length > 0) return problems.join('; ');
  const sample = tensorMeta(inputs, 'sample') as Meta;
  if (typeof sample.shape[1] === 'number' && sample.shape[1] !== LATENT_CHANNELS)
    return `${component(p)}: input sample has ${sample.shape[1]} channels, expected ${LATENT_CHANNELS}`;
  // The text encoders' width must be what the UNet cross-attends to.
  const wanted = lastDim(tensorMeta(inputs, 'encoder_hidden_states'));
  if (wanted !== null && widths.every((w) => w !== null)) {
    const total = (widths as number[]).reduce((a, b) => a + b, 0);
    if (total !== wanted) return `${component(p)}: encoder_hidden_states is ${wanted} wide but the text encoder(s) give ${widths.join(' + ')}: the folder mixes models`;
  }
  return null;
}

/** The decoder's input and output names and float types, or a mismatch. */
export function checkDecoder(decoder: ort.InferenceSession, graphPath: string, kind: TurboLayout['decoder']): string | DecoderIo {
  const inputs = decoder.inputMetadata;
  const outputs = decoder.outputMetadata;
  // The exports name them latent_sample -> sample; a raw TAESD export with one input and one output is accepted as is.
  const lone = kind === 'tiny' && inputs.length === 1 && outputs.length === 1;
  const input = lone && !tensorMeta(inputs, 'latent_sample') ? (inputs[0] as Meta).name : 'latent_sample';
  const output = lone && !tensorMeta(outputs, 'sample') ? (outputs[0] as Meta).name : 'sample';
  const problem = check(graphPath, inputs, 'input', input, FLOATS, [4]) ?? check(graphPath, outputs, 'output', output, FLOATS, [4]);
  if (problem) return problem;
  return { input, output, inputType: (tensorMeta(inputs, input) as Meta).type as FloatType, outputType: (tensorMeta(outputs, output) as Meta).type as FloatType };
}

/** The VAE encoder's input and output (sample -> latent_sample or latent_parameters; a lone tiny one as is), or a mismatch. */
export function checkEncoder(
  encoder: ort.InferenceSession,
  graphPath: string,
  kind: 'tiny' | 'full',
): string | { input: string; output: string; inputType: FloatType; outputChannels: number } {
  const inputs = encoder.inputMetadata;
  const outputs = encoder.outputMetadata;
  const lone = kind === 'tiny' && inputs.length === 1 && outputs.length === 1;
  const input = lone && !tensorMeta(inputs, 'sample') ? (inputs[0] as Meta).name : 'sample';
  const named = ['latent_sample', 'latent_parameters'].find((n) => tensorMeta(outputs, n));
  const output = named ?? (lone ? (outputs[0] as Meta).name : 'latent_sample');
  const problem = check(graphPath, inputs, 'input', input, FLOATS, [4]) ?? check(graphPath, outputs, 'output', output, FLOATS, [4]);
  if (problem) return problem;
  const channels = (tensorMeta(outputs, output) as Meta).shape[1];
  const outputChannels = typeof channels === 'number' ? channels : output === 'latent_parameters' ? 2 * LATENT_CHANNELS : LATENT_CHANNELS;
  if (outputChannels !== LATENT_CHANNELS && outputChannels !== 2 * LATENT_CHANNELS)
    return `${component(graphPath)}: output ${output} has ${outputChannels} channels, expected ${LATENT_CHANNELS} (or ${2 * LATENT_CHANNELS}: mean and log-variance)`;
  return { input, output, inputType: (tensorMeta(inputs, input) as Meta).type as FloatType, outputChannels };
}
