/**
 * The show push (contract/cluster.ts clusterShowPart): the director's show document
 * travels as its show-file text, UTF-8, base64, in parts of at most
 * MAX_SHOW_PART_CHARS, so a show of any size fits the 64 KiB message limit
 * (contract/messages.ts) on the existing link, in order. The node assembles the
 * parts of one transfer and parses the text as a show file (migrations, field
 * errors); a new transfer drops an unfinished one (the newest show wins).
 */
import { MAX_SHOW_PART_CHARS, MAX_SHOW_PARTS } from '../../contract/cluster.js';
import type { Command } from '../../contract/commands.js';
import { engineError, type EngineError } from '../../contract/errors.js';
import type { Show } from '../../contract/show.js';
import { parseShowFile, serializeShow } from '../../show/show-file.js';

type ShowPart = Extract<Command, { type: 'clusterShowPart' }>;

/** Bytes of show text per part: base64 makes 4 characters of 3 bytes. */
const PART_BYTES = (MAX_SHOW_PART_CHARS / 4) * 3;

/** The parts that carry `show` as transfer `transfer`. */
export function showParts(show: Show, transfer: string): ShowPart[] {
  const bytes = Buffer.from(serializeShow(show), 'utf8');
  const parts = Math.max(1, Math.ceil(bytes.length / PART_BYTES));
  if (parts > MAX_SHOW_PARTS) throw new Error(`The show is ${bytes.length} bytes, more than ${MAX_SHOW_PARTS} parts can carry.`);
  return Array.from({ length: parts }, (_, part) => ({
    type: 'clusterShowPart' as const,
    transfer,
    part,
    parts,
    data: bytes.subarray(part * PART_BYTES, (part + 1) * PART_BYTES).toString('base64'),
  }));
}

export type AssemblyStep = { done: false } | { done: true; show: Show } | { done: true; error: EngineError };

/** The node side: one transfer at a time, parts in order. */
export class ShowAssembler {
  private transfer: string | null = null;
  private chunks: Buffer[] = [];

  receive(part: ShowPart): AssemblyStep {
    if (part.part === 0) {
      this.transfer = part.transfer;
      this.chunks = [];
    }
    if (part.transfer !== this.transfer || part.part !== this.chunks.length || part.part >= part.parts) {
      this.transfer = null;
      this.chunks = [];
      return {
        done: true,
        error: engineError('invalid-message', `Show push ${part.transfer}: part ${part.part} of ${part.parts} arrived out of order; the director sends the show again.`, {
          field: 'part',
        }),
      };
    }
    this.chunks.push(Buffer.from(part.data, 'base64'));
    if (this.chunks.length < part.parts) return { done: false };
    const text = Buffer.concat(this.chunks).toString('utf8');
    this.transfer = null;
    this.chunks = [];
    const parsed = parseShowFile(text);
    if (!parsed.ok) {
      return {
        done: true,
        error: engineError('show-file', `The director's show does not load here: field "${parsed.error.field}": ${parsed.error.message}`, { field: parsed.error.field }),
      };
    }
    return { done: true, show: parsed.show };
  }
}
