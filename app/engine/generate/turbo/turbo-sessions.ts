/**
 * Opens the turbo folder's graphs on one execution provider: the text
 * encoder(s), the UNet, the VAE decoder (the tiny one when the layout says so)
 * and the post-process graph built for the output size. Each graph's I/O is
 * checked as it opens (graph-io.ts); on a mismatch or an error every session
 * opened so far is released again.
 */
import * as ort from 'onnxruntime-node';
import type { ExecutionProviderName } from '../../../contract/providers.js';
import { GraphLoadError } from '../pipelines/pipeline.js';
import { loadClipTokenizer } from '../clip-tokenizer.js';
import { checkDecoder, checkTextEncoder, checkUnet, encoderWidths, type DecoderIo } from './graph-io.js';
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
}

/**
 * The sessions, or a message when a graph does not match what the pipeline
 * feeds (no provider will fix that). Throws when the provider fails to open one.
 */
export async function openTurboSessions(
  layout: TurboLayout,
  provider: ExecutionProviderName,
  output: { width: number; height: number; intraOpThreads: number },
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
    const post = await create('post-process graph (built by Cyclorama)', buildPostprocessGraph({ inputType: decoderIo.outputType, range, width: output.width, height: output.height }));
    return { encoders, unet, decoder, decoderIo, post };
  } catch (error) {
    await releaseAll().catch(() => {});
    throw error;
  }
}

export async function releaseTurboSessions(sessions: TurboSessions): Promise<void> {
  for (const session of [...sessions.encoders.map((e) => e.session), sessions.unet, sessions.decoder, sessions.post]) await session.release();
}
