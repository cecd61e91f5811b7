/**
 * The recording journal: recording.json in the engine's config folder says which
 * file is being written and how far (updated about once a second). A clean stop
 * removes it; one still there at the next start is a recording a kill or crash
 * interrupted, and the notice says where its file is and how far it plays.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { clockText } from './recording-names.js';

const JOURNAL_FILE = 'recording.json';

const journalSchema = z.object({
  file: z.string(),
  /** Media written so far, ms. */
  durationMs: z.number(),
  startTimecode: z.string(),
  /** The encoder's process id (tests kill it as a crash would). */
  encoderPid: z.number().int().nullable(),
});
export type RecordingJournalEntry = z.infer<typeof journalSchema>;

export interface InterruptedRecording {
  file: string;
  durationMs: number;
  message: string;
}

export class RecordingJournal {
  constructor(private readonly dir: string | null) {}

  private get path(): string | null {
    return this.dir ? join(this.dir, JOURNAL_FILE) : null;
  }

  /** Written through a temporary file and a rename: a kill mid-write leaves the previous entry, never half of one. */
  write(entry: RecordingJournalEntry): void {
    const path = this.path;
    if (!path) return;
    try {
      writeFileSync(`${path}.tmp`, JSON.stringify(entry));
      renameSync(`${path}.tmp`, path);
    } catch {
      // A config folder that cannot be written loses only the interruption notice, never the recording.
    }
  }

  clear(): void {
    const path = this.path;
    if (path) rmSync(path, { force: true });
  }

  /** The recording the last run left unfinished, if any (the journal is then cleared: the notice is given once). */
  takeInterrupted(): InterruptedRecording | null {
    const path = this.path;
    if (!path) return null;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return null;
    }
    this.clear();
    let value: unknown = null;
    try {
      value = JSON.parse(text);
    } catch {
      return null;
    }
    const parsed = journalSchema.safeParse(value);
    if (!parsed.success) return null;
    const { file, durationMs } = parsed.data;
    return { file, durationMs, message: `Recording "${file}" was interrupted at ${clockText(durationMs)}; the file plays up to there.` };
  }
}
