/**
 * The part of Cyclorama's public WebSocket API this module uses (docs/api/websocket.md).
 * Declared here rather than imported from the app, because a Companion module is
 * built and shipped on its own (its build's rootDir is src/, and it has no zod).
 * tests/unit/companion-module/protocol.test.ts ties these types to the contract's
 * schemas at type-check time (a command the engine does not accept, or a state
 * field it does not send, fails `npm run typecheck`), and the integration test runs
 * the module against the real engine.
 */
export type CycloramaCommand =
  | { type: 'go' }
  | { type: 'back' }
  | { type: 'fireCue'; number: string }
  | { type: 'panic'; mode: 'black' | 'freeze' | 'safe-plate'; fadeMs?: number }
  | { type: 'restore' }
  | { type: 'setPrompt'; prompt: string; transition?: { durationMs: number; curve?: 'linear' | 'ease-in-out' | 'ease-in' | 'ease-out' } }
  | { type: 'setSeed'; seed: number }
  | {
      type: 'setInput';
      /** The live look's input; null = text only, absent = keep it (strength only). */
      input?: { source: { kind: 'ndi'; name: string } | { kind: 'image'; path: string } | { kind: 'program' }; fit?: 'fill' | 'fit' | 'crop' } | null;
      strength?: number;
    }
  | { type: 'timelinePlay' }
  | { type: 'timelinePause' }
  | { type: 'timelineStop' }
  | { type: 'selectOutput'; output: string; live: boolean | 'toggle' }
  | { type: 'startRecording'; folder?: string; codec?: 'h264-mp4' | 'prores-mov'; source?: string }
  | { type: 'stopRecording' }
  | { type: 'pullModel'; name: string }
  | { type: 'cancelPull'; name: string };

/** A model download in the engine's library (state.models.downloads). */
export interface CycloramaDownload {
  model: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  totalBytes: number;
  doneBytes: number;
}

export interface CycloramaCue {
  id: string;
  number: string;
  name: string;
  look: { prompt: string };
}

/** The fields of the engine's state snapshot the module reads. */
export interface CycloramaState {
  program: { prompt: string; seed: number; panic: 'none' | 'black' | 'freeze' | 'safe-plate' };
  stats: { modelFps: number };
  model: { name: string; status: string };
  /** `live` is false while an NDI/display output is blanked (absent for the console monitor). */
  outputs: { id: string; kind: string; name: string; live?: boolean }[];
  show?: {
    document: { name: string; cues: CycloramaCue[] };
    standbyCueId: string | null;
    currentCueId: string | null;
    timeline: { playing: boolean };
  };
  /** The model library; absent on older engines. */
  models?: { downloads: CycloramaDownload[] };
}

export interface CommandReply {
  ok: boolean;
  error?: { code: string; message: string };
}
