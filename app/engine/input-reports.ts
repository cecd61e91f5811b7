/**
 * The engine's side of the live inputs: the rows the inference loop reports (every
 * ~250 ms, generate/live-inputs.ts) kept for the state snapshot, the input thumbnail
 * as a binary message for consoles ('input' stream, contract/frame-wire.ts), and the
 * alerts an operator must see: an input that failed, one that stopped sending (its
 * last frame is held), and an NDI source named by the look that is not found (the
 * look runs from text only until it appears). Each alert is raised once per episode,
 * not on every report.
 */
import { engineError, type EngineError } from '../contract/errors.js';
import { FRAME_HEADER_BYTES, writeFrameHeader } from '../contract/frame-wire.js';
import type { InputSource, InputStatus } from '../contract/inputs.js';
import type { InputThumbnail } from './generate/worker-protocol.js';

/** A named input with no frame after this long is reported as not found, ms. */
export const INPUT_MISSING_AFTER_MS = 3000;

export interface InputReportsOptions {
  nowMs: () => number;
  onError: (error: EngineError) => void;
  /** An input changed state (connected, lost, ...): publish the state now rather than at the next stats tick. */
  onChange: () => void;
  /** A new thumbnail message for consoles. */
  onThumbnail: (message: Uint8Array) => void;
}

/** How an operator reads an input's name. */
export function describeInput(source: InputSource): string {
  switch (source.kind) {
    case 'ndi':
      return `NDI source "${source.name}"`;
    case 'image':
      return `image ${source.path}`;
    case 'program':
      return 'the program (feedback)';
  }
}

interface Episode {
  state: InputStatus['state'];
  /** Engine ms the input started waiting without a frame; null once it had one. */
  waitingSinceMs: number | null;
  reported: 'failed' | 'lost' | 'missing' | null;
  error: string | null;
}

export class InputReports {
  private current: InputStatus[] = [];
  private readonly episodes = new Map<string, Episode>();
  private thumbnailMessage: Uint8Array | null = null;
  private thumbnailSequence = 0;

  constructor(private readonly options: InputReportsOptions) {}

  rows(): InputStatus[] {
    return this.current;
  }

  /** The last thumbnail message, for a console that connects later (null before any). */
  thumbnail(): Uint8Array | null {
    return this.thumbnailMessage;
  }

  report(rows: InputStatus[], thumbnail: InputThumbnail | null): void {
    const now = this.options.nowMs();
    let changed = rows.length !== this.current.length;
    const seen = new Set<string>();
    for (const row of rows) {
      seen.add(row.key);
      const before = this.episodes.get(row.key);
      if (!before || before.state !== row.state) changed = true;
      const episode: Episode = before ?? { state: row.state, waitingSinceMs: null, reported: null, error: null };
      episode.state = row.state;
      if (row.state === 'waiting' && row.framesReceived === 0) episode.waitingSinceMs ??= now;
      else episode.waitingSinceMs = null;
      this.alert(row, episode, now);
      this.episodes.set(row.key, episode);
    }
    for (const key of [...this.episodes.keys()]) if (!seen.has(key)) this.episodes.delete(key);
    this.current = rows;
    if (thumbnail) this.thumbnailMessage = this.thumbnailBytes(thumbnail);
    if (thumbnail) this.options.onThumbnail(this.thumbnailMessage as Uint8Array);
    if (changed) this.options.onChange();
  }

  private alert(row: InputStatus, episode: Episode, now: number): void {
    const name = describeInput(row.source);
    if (row.state === 'connected') {
      episode.reported = null;
      return;
    }
    if (row.state === 'failed') {
      if (episode.reported === 'failed' && episode.error === row.error) return;
      episode.reported = 'failed';
      episode.error = row.error;
      this.options.onError(
        engineError('input-failed', `Input ${name} cannot be used: ${row.error ?? 'no reason given'}. The look runs from its text only; the output keeps running.`, {
          input: row.key,
        }),
      );
      return;
    }
    if (row.state === 'lost') {
      if (episode.reported === 'lost') return;
      episode.reported = 'lost';
      this.options.onError(
        engineError('input-failed', `Input ${name} stopped sending${row.error ? ` (${row.error})` : ''}: holding its last frame until it comes back. The output keeps its rate.`, {
          input: row.key,
        }),
      );
      return;
    }
    // waiting: no frame yet. An NDI source named but not found for a while -> say so once
    // (a still still decoding is not "missing"; a missing file is 'failed').
    if (row.source.kind === 'ndi' && episode.waitingSinceMs !== null && now - episode.waitingSinceMs >= INPUT_MISSING_AFTER_MS && episode.reported !== 'missing') {
      episode.reported = 'missing';
      const hint =
        row.source.kind === 'ndi'
          ? ' Check that the sender is running and its exact name (Inputs panel lists the sources found); on a network without mDNS start the engine with --ndi-extra-ips.'
          : '';
      this.options.onError(
        engineError('input-failed', `Input ${name} not found${row.error ? ` (${row.error})` : ''}: the look runs from its text only until it appears.${hint}`, { input: row.key }),
      );
    }
  }

  private thumbnailBytes(thumbnail: InputThumbnail): Uint8Array {
    const message = new Uint8Array(FRAME_HEADER_BYTES + thumbnail.width * thumbnail.height * 4);
    writeFrameHeader(message, { stream: 'input', sequence: ++this.thumbnailSequence, lookId: 0, width: thumbnail.width, height: thumbnail.height, showTimeMs: 0 });
    message.set(thumbnail.rgba, FRAME_HEADER_BYTES);
    return message;
  }
}
