/**
 * saveStill: the next program frame the console preview's clock sends (what the
 * wall shows, full resolution, at the output level), copied on the engine thread
 * (one memcpy, ~2 ms for 1080p) and handed to the encoder thread, which writes the
 * PNG with its text chunks into the folder the operator chose. The output clocks
 * never wait for it: the tick only copies when a still is asked for.
 *
 * The folder is checked first (absolute, exists, is a folder, writable), each
 * failure with a message that names it; the file is created new, never replacing
 * one (a name that is taken gets " 2", " 3", ...).
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CommandResult } from '../../contract/connection.js';
import { engineError, type EngineError } from '../../contract/errors.js';
import type { StillTextKey } from '../../contract/stills.js';
import type { FrameSink, OutputTick } from '../outputs/frame-sink.js';
import { ImageEncoder } from './image-encoder.js';

/** A still waits this long for the next program frame before it gives up, ms (the clock ticks every 33-42 ms). */
export const STILL_FRAME_TIMEOUT_MS = 3000;
/** Name clashes tried before giving up (the name carries the frame-exact timecode, so one is already rare). */
const MAX_NAME_TRIES = 20;

/** What a still's metadata says: the look on the wall and where in the show it was. */
export interface StillDescription {
  showName: string;
  prompt: string;
  negativePrompt: string;
  seed: number;
  /** The cue on air: "3 Sunrise"; '' after a live edit or before the first GO. */
  cue: string;
  /** The wall log's timecode (chased timecode, else time of day), "14:02:11:05". */
  timecode: string;
  model: string;
  software: string;
  /** ISO 8601 (PNG's "Creation Time"). */
  createdAt: string;
}

interface CapturedFrame {
  pixels: ArrayBuffer;
  width: number;
  height: number;
  level: number;
  lookId: number;
}

/** The clock's sink: idle (returns at once) unless a still is waiting for a frame. */
class StillTap implements FrameSink {
  readonly id = 'stills';
  readonly kind = 'null' as const;
  readonly name = 'Stills';
  private waiting: Array<(frame: CapturedFrame) => void> = [];

  next(): Promise<CapturedFrame | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((w) => w !== take);
        resolve(null);
      }, STILL_FRAME_TIMEOUT_MS);
      timer.unref();
      const take = (frame: CapturedFrame) => {
        clearTimeout(timer);
        resolve(frame);
      };
      this.waiting.push(take);
    });
  }

  send({ frame, level }: OutputTick): void {
    if (this.waiting.length === 0) return;
    const waiting = this.waiting;
    this.waiting = [];
    for (const take of waiting) {
      // A copy per still: the frame goes back to the generator after this tick, and each copy is transferred away.
      const pixels = frame.pixels.slice().buffer;
      take({ pixels, width: frame.width, height: frame.height, level, lookId: frame.lookId });
    }
  }

  close(): void {}
}

/** A file name from show, cue and timecode, safe on every file system ("Show - cue 3 - 14-02-11-05.png"). */
export function stillFileName(description: Pick<StillDescription, 'showName' | 'cue' | 'timecode'>, attempt = 1): string {
  const clean = (text: string) =>
    text
      .replace(/[\u0000-\u001f<>:"/\\|?*]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 60);
  const cueNumber = description.cue.split(' ')[0] ?? '';
  const parts = [clean(description.showName) || 'Cyclorama', ...(cueNumber ? [`cue ${clean(cueNumber)}`] : []), clean(description.timecode.replace(/[:;.]/g, '-'))];
  return `${parts.join(' - ')}${attempt > 1 ? ` ${attempt}` : ''}.png`;
}

/** The iTXt entries of a still, in file order (contract/stills.ts names the keys). */
export function stillText(description: StillDescription, lookId: number): Array<[StillTextKey, string]> {
  return [
    ['Software', description.software],
    ['Creation Time', description.createdAt],
    ['Prompt', description.prompt],
    ['Negative Prompt', description.negativePrompt],
    ['Seed', String(description.seed)],
    ['Cue', description.cue],
    ['Timecode', description.timecode],
    ['Model', description.model],
    ['Look', String(lookId)],
  ];
}

const failed = (message: string, details?: Record<string, unknown>): CommandResult => ({ ok: false, error: engineError('output-failed', message, details) });

/** Null when stills can be written into `folder`; else why not, in the operator's words. */
export async function checkStillFolder(folder: string): Promise<EngineError | null> {
  if (!path.isAbsolute(folder)) return engineError('invalid-message', `The stills folder must be a full path on the engine's machine, got "${folder}".`, { folder });
  try {
    const info = await stat(folder);
    if (!info.isDirectory()) return engineError('output-failed', `${folder} is not a folder: choose a folder for stills.`, { folder });
    await access(folder, constants.W_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return engineError('output-failed', `The stills folder ${folder} does not exist: create it or choose another.`, { folder });
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
      return engineError('output-failed', `Cannot write into ${folder} (${code === 'EROFS' ? 'read-only file system' : 'permission denied'}): choose a folder you can write to.`, {
        folder,
      });
    return engineError('output-failed', `Cannot use the stills folder ${folder}: ${(error as Error).message}`, { folder });
  }
}

/** The first name not taken in `folder` (the write itself still refuses to replace a file: 'wx'). */
async function freeStillPath(folder: string, description: StillDescription): Promise<string | null> {
  for (let attempt = 1; attempt <= MAX_NAME_TRIES; attempt++) {
    const file = path.join(folder, stillFileName(description, attempt));
    try {
      await access(file);
    } catch {
      return file;
    }
  }
  return null;
}

export class StillWriter {
  private readonly tap = new StillTap();
  private readonly encoder = new ImageEncoder('cyclorama-stills');

  constructor(private readonly describe: () => StillDescription) {}

  /** The sink the console preview's clock feeds (engine.ts adds it). */
  get sink(): FrameSink {
    return this.tap;
  }

  async save(folder: string): Promise<CommandResult> {
    const problem = await checkStillFolder(folder);
    if (problem) return { ok: false, error: problem };
    const frame = await this.tap.next();
    // The look and timecode of the frame's tick, read when the frame was taken.
    const description = this.describe();
    if (!frame) return failed(`No program frame to save: the outputs sent none for ${STILL_FRAME_TIMEOUT_MS / 1000} s (is the model running?).`);
    const file = await freeStillPath(folder, description);
    if (!file) return failed(`Could not find a free file name for the still in ${folder} (${MAX_NAME_TRIES} taken).`, { folder });
    const answer = await this.encoder.encode({
      kind: 'png',
      width: frame.width,
      height: frame.height,
      pixels: frame.pixels,
      level: frame.level,
      text: stillText(description, frame.lookId),
      path: file,
    });
    if (answer.ok) return { ok: true, data: { still: { path: file, width: frame.width, height: frame.height, bytes: answer.bytes ?? 0 } } };
    const why =
      answer.code === 'ENOSPC' ? 'the disk is full' : answer.code === 'EEXIST' ? 'a file of that name appeared meanwhile; save again' : (answer.message ?? 'unknown error');
    return failed(`Could not write the still ${file}: ${why}.`, { folder });
  }

  close(): Promise<void> {
    return this.encoder.close();
  }
}
