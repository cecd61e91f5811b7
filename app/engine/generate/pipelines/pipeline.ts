/**
 * What the inference worker runs: a `FramePipeline` turns looks into RGBA8 frames
 * at the engine's size, written into a buffer the worker owns. The worker
 * (inference-worker.ts) keeps the loop, pacing, buffer ownership and transfer;
 * a pipeline keeps its sessions and per-look state.
 *
 *   FrameModelPipeline  (frame-model.ts)      one graph: conditioning/time/seed/outputSize -> frame
 *   TurboDiffusionPipeline (turbo-diffusion.ts) text encoder(s) -> UNet (one step, img2img feedback)
 *                                             -> VAE decoder -> post-process graph -> frame
 */
import * as ort from 'onnxruntime-node';
import type { ExecutionProviderName } from '../../../contract/providers.js';
import type { WorkerLook } from '../worker-protocol.js';
import type { InputPicture } from '../../inputs/input-picture.js';

export type PipelineLoad =
  | { ok: true; provider: ExecutionProviderName; fallbacks: { provider: string; reason: string }[] }
  | { ok: false; message: string; fallbacks: { provider: string; reason: string }[] };

export interface FramePipeline {
  /** Opens the sessions on the first provider that loads them all. Never throws. */
  load(): Promise<PipelineLoad>;
  /** The look every following frame is made from (a transition resolves per frame, by show/look-resolver.ts). */
  setLook(look: WorkerLook): void;
  /**
   * One frame into `buffer` (RGBA8, width*height*4 bytes) at `showTimeMs` (motion),
   * with transitions resolved at engine-clock `clockMs`. `input` is the picture the
   * look restyles (already at the working size), or null for text only. Throws when a run fails.
   */
  renderInto(buffer: ArrayBuffer, showTimeMs: number, clockMs: number, input: InputPicture | null): Promise<void>;
  /** One-time warnings since the last call, for the state (e.g. a look names an input this model cannot encode). */
  notices?(): string[];
  release(): Promise<void>;
}

export function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim().length > 0) ?? text;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** Longest runtime reason kept: ONNX Runtime puts the cause at the end of a long line ("... has input size 2 not in range"). */
const REASON_CHARS = 1000;

/** A provider's reason in one line, the runtime's own words kept whole (up to REASON_CHARS). */
export function providerReason(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > REASON_CHARS ? `${line.slice(0, REASON_CHARS)}…` : line;
}

/**
 * A graph of a multi-graph pipeline that a provider would not open: `graph` names it
 * ("text encoder (/models/x/text_encoder/model.onnx)"), `reason` is the runtime's own message.
 */
export class GraphLoadError extends Error {
  constructor(
    readonly graph: string,
    readonly reason: string,
  ) {
    super(`${graph}: ${providerReason(reason)}`);
  }
}

/**
 * Tries `open` on each provider in order. A thrown error is a provider failure
 * (recorded with the provider's own reason, next provider); a returned string is a
 * model mismatch that no provider will fix (stop at once, like the frame model's I/O check).
 * When every provider fails, the message names the graph that failed (a GraphLoadError's,
 * else `what`) and each provider's reason.
 */
export async function openOnFirstProvider(
  providers: readonly ExecutionProviderName[],
  open: (provider: ExecutionProviderName) => Promise<string | null>,
  what: string,
): Promise<PipelineLoad> {
  // Providers that are absent fail loudly on stderr; we report each failure ourselves
  // (in the state, with the reason), so onnxruntime's own log stays for fatal errors.
  ort.env.logLevel = 'fatal';
  const fallbacks: { provider: string; reason: string }[] = [];
  const failures: { provider: string; graph: string | null; reason: string }[] = [];
  for (const provider of providers) {
    try {
      const mismatch = await open(provider);
      if (mismatch) return { ok: false, message: mismatch, fallbacks };
      return { ok: true, provider, fallbacks };
    } catch (error) {
      const graph = error instanceof GraphLoadError ? error.graph : null;
      const reason = providerReason(error instanceof GraphLoadError ? error.reason : (error as Error).message);
      failures.push({ provider, graph, reason });
      fallbacks.push({ provider, reason: graph ? `${graph}: ${reason}` : reason });
    }
  }
  const graphs = new Set(failures.map((f) => f.graph));
  const [only] = graphs;
  const byProvider = failures.map((f) => `${f.provider}: ${f.reason}`).join('; ');
  if (graphs.size === 1 && only) return { ok: false, message: `${only} did not load on any execution provider (${byProvider})`, fallbacks };
  const detail = failures.map((f) => `${f.provider}: ${f.graph ? `${f.graph}: ` : ''}${f.reason}`).join('; ');
  return { ok: false, message: `No execution provider could load ${what}${detail ? ` (${detail})` : ''}.`, fallbacks };
}
