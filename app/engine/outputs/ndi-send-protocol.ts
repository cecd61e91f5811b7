/**
 * What the engine thread and an NDI output's send worker share (ndi-worker-sink.ts,
 * ndi-send-worker.ts): no message per frame, no allocation per frame. One
 * SharedArrayBuffer of Int32 control words and Float64 stamps, and one of RGBA
 * source pixels (the program frame copied in when it changed; a new one, sent once
 * by message, only when the frame size changes).
 *
 * One job taken at a time: the engine thread writes a job only once the worker has
 * taken the previous one (posted === taken: its fields read and its source pixels
 * converted, so the shared source may be rewritten); a tick that finds the worker
 * still converting is that output's dropped tick (counted as its missed tick), never
 * a wait on the engine thread. On the worker, the job goes through the same
 * NdiFrameSink as an in-thread output (three buffers, libndi's send on a libuv
 * thread, one frame queued behind a send still blocked by the encoder), so the
 * send's inputs (the frame, its tick number) reach the NDI call exactly as there.
 */
import type { NdiOutputConfig } from './ndi-frame-sink.js';

/** Int32 control words (index into the Int32Array). */
export const CTL = {
  /** Jobs posted by the engine thread (the worker waits on this word). */
  posted: 0,
  /** Jobs the worker has taken (fields read, source converted): the engine may write the next one. */
  taken: 1,
  /** 1 = the worker should flush, let go of its buffers and exit. */
  stop: 2,
  /** 1 once the worker loaded libndi and the converter and waits for jobs. */
  ready: 3,
  /** Job: the program frame's sequence (a repeat at the same level is sent again unconverted). */
  sequence: 4,
  /** (5 is free: the job's tick number is a Float64 word, JOB.tick.) */
  /** Job: source frame size and the source buffer generation it lies in. */
  srcWidth: 6,
  srcHeight: 7,
  srcGeneration: 8,
  /** Job: the level, 0..1 in millionths (black panic fade). */
  levelMicros: 9,
  /** Job: the look whose picture this is (TTFF trace). */
  lookId: 10,
  /** The look the engine thread traces (TTFF): the worker stamps its first frame's stages; 0 = none. */
  traceLook: 11,
  /** Counters the worker keeps. */
  converted: 12,
  resent: 13,
  encoderSkipped: 14,
  length: 16,
} as const;

/** Float64 stamps the worker writes for the traced look (engine ms, engineNowMs: one epoch for all threads), read back for the TTFF trace. */
export const STAMP = { lookId: 0, converted: 1, sendStarted: 2, sendReturned: 3, length: 4 } as const;
export const STAMPED_STAGES = ['converted', 'sendStarted', 'sendReturned'] as const;

/**
 * Float64 job words after the stamps: the grid tick k (the NDI timecode and the
 * <cyclorama tick> metadata come from it; ~1e11 since the Unix epoch, too large for
 * an Int32 word) and the instant the tick fired (engine ms, the metadata's `fired`).
 */
export const JOB = { tick: 0, firedAtMs: 1, length: 2 } as const;

export const CONTROL_BYTES = CTL.length * 4 + STAMP.length * 8 + JOB.length * 8;

export interface NdiSendWorkerData {
  /** Path of the loaded libndi (the worker loads the same file: one runtime per process). */
  libPath: string;
  /** The sender made on the engine thread (koffi.address), sent to by the worker only. */
  senderAddress: bigint;
  /** The output as the engine thread opened it (size, rate, filter, name). */
  config: NdiOutputConfig;
  control: SharedArrayBuffer;
  /**
   * Test hook, never set by the engine: busy-waits this long after each conversion,
   * a stand-in for an output too heavy for the machine (tests/integration/ndi-output-workers.test.ts).
   */
  injectedSlowConversionMs?: number;
}

/** The source buffer of one generation, sent by message when the frame size changes. */
export interface NdiSourceMessage {
  type: 'source';
  generation: number;
  pixels: SharedArrayBuffer;
}

/** What the worker reports by message (rare: once, or on failure). */
export type NdiWorkerMessage = { type: 'error'; message: string };
