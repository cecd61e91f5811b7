/**
 * Opens the turbo folder's graphs on one execution provider: the text
 * encoder(s), the UNet, the VAE decoder (the tiny one when the layout says so)
 * the post-process graph built for the output size, and (when the folder has a VAE
 * encoder) the input's preprocess graph and encoder. Each graph's I/O is
 * checked as it opens (graph-io.ts); on a mismatch or an error every session
 * opened so far is released again.
 */
import * as ort from 'onnxruntime-node';
import type { ExecutionProviderName } from '../../../contract/providers.js';
import { GraphLoadError } from '../pipelines/pipeline.js';
import { loadClipTokenizer } from '../clip-tokenizer.js';
import { checkDecoder, checkEncoder, checkTextEncoder, checkUnet, encoderWidths, type DecoderIo } from './graph-io.js';
import { buildPreprocessGraph, InputEncoder } from './input-encoding.js';
import { buildPostprocessGraph } from './postprocess-graph.js';
import type { TextEncoder } from './prompt-conditioning.js';
import type { TurboLayout } from './turbo-folder.js';

export interface TurboSessions {
  encoders: TextEncoder[];
  unet: ort.InferenceSession;
  decoder: ort.InferenceSession;
  decoderIo: DecoderIo;
  /** Decoded image -> RGBA8 [height, width, 4] at the output size. */
  post: ort.InferenceSession;
  /** The input -> latents path (preprocess graph + VAE encoder); null when the folder has no encoder. */
  input: { encoder: InputEncoder; sessions: ort.InferenceSession[] } | null;
}

/**
 * The sessions, or a message when a graph does not match what the pipeline
 * feeds (no provider will fix that). Throws when the provider fails to open one.
 */
export async function openTurboSessions(
  layout: TurboLayout,
  provider: ExecutionProviderName,
  output: { width: number; height: number; intraOpThreads: number },
  /** The generation size (pixels) the input is encoded at: the UNet's latent x 8. */
  generation: (unet: ort.InferenceSession) => { width: number; height: number },
): Promise<string | TurboSessions> {
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: [provider],
    intraOpNumThreads: output.intraOpThreads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  };
  const opened: ort.InferenceSession[] = [];
  // `graph`: the graph's role and file, so a rejection names the graph that failed (not the UNet).
  const create = async (graph: string, source: string | Uint8Array) => {
    try {
      const session = typeof source === 'string' ? await ort.InferenceSession.create(source, options) : await ort.InferenceSession.create(source, options);
      opened.push(session);
      return session;
    } catch (error) {
      throw new GraphLoadError(typeof source === 'string' ? `${graph} (${source})` : graph, (error as Error).message);
    }
  };
  const releaseAll = async () => {
    for (const s of opened) await s.release();
  };
  try {
    const encoders: TextEncoder[] = [];
    for (const [index, encoder] of layout.textEncoders.entries()) {
      const session = await create(index === 0 ? 'text encoder' : `text encoder ${index + 1}`, encoder.graphPath);
      const io = checkTextEncoder(session, encoder.graphPath, index, layout.variant);
      if (typeof io === 'string') {
        await releaseAll();
        return io;
      }
      encoders.push({ session, tokenizer: loadClipTokenizer(encoder.tokenizerDir), ...io });
    }
    const unet = await create('UNet', layout.unetPath);
    const unetProblem = checkUnet(unet, layout, encoderWidths(encoders));
    if (unetProblem) {
      await releaseAll();
      return unetProblem;
    }
    const decoderPath = (layout.decoder === 'tiny' ? layout.tinyVaeDecoderPath : layout.vaeDecoderPath) as string;
    const decoder = await create(layout.decoder === 'tiny' ? 'tiny VAE decoder' : 'VAE decoder', decoderPath);
    const decoderIo = checkDecoder(decoder, decoderPath, layout.decoder);
    if (typeof decoderIo === 'string') {
      await releaseAll();
      return decoderIo;
    }
    const range = layout.decoder === 'tiny' ? layout.tinyVaeOutputRange : '-1..1';
    const post = await create(
      'post-process graph (built by Cyclorama)',
      buildPostprocessGraph({ inputType: decoderIo.outputType, range, width: output.width, height: output.height }),
    );
    let input: TurboSessions['input'] = null;
    if (layout.encoder && layout.vaeEncoderPath) {
      const encoderSession = await create(layout.encoder === 'tiny' ? 'tiny VAE encoder' : 'VAE encoder', layout.vaeEncoderPath);
      const encoderIo = checkEncoder(encoderSession, layout.vaeEncoderPath, layout.encoder);
      if (typeof encoderIo === 'string') {
        await releaseAll();
        return encoderIo;
      }
      // The full VAE encoder gives unscaled latents and takes -1..1; the tiny one the model's latents, in its decoder's range.
      const inputRange = layout.encoder === 'tiny' ? layout.tinyVaeOutputRange : '-1..1';
      const scale = layout.encoder === 'tiny' ? 1 : layout.vaeScalingFactor;
      const pre = await create('input preprocess graph (built by Cyclorama)', buildPreprocessGraph({ outputType: encoderIo.inputType, range: inputRange, ...generation(unet) }));
      input = { encoder: new InputEncoder(pre, encoderSession, encoderIo, scale), sessions: [pre, encoderSession] };
    }
    return { encoders, unet, decoder, decoderIo, post, input };
  } catch (error) {
    await releaseAll().catch(() => {});
    throw error;
  }
}

export async function releaseTurboSessions(sessions: TurboSessions): Promise<void> {
  for (const session of [...sessions.encoders.map((e) => e.session), sessions.unet, sessions.decoder, sessions.post, ...(sessions.input?.sessions ?? [])]) await session.release();
}
