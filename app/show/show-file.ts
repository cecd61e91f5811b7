/**
 * Show file text <-> show document: parse, migrate from older versions,
 * validate, and name the field and line of anything wrong. Pure: the engine
 * reads and writes the bytes (engine/show-files/), this decides what they mean.
 *
 * Migrations: each step takes version N's validated document to version N+1.
 * A file is validated against its own version's schema first (so an error names
 * a field and line that exist in the file), then migrated step by step.
 *
 * Cost is bounded for any text (the engine reads at most 16 MB, engine/show-files/
 * safe-files.ts): a linear nesting-depth check first (deep nesting would recurse),
 * then the native JSON.parse; the slower line-tracking parser (json-locate.ts) runs
 * only to place an error, and records just the one path it needs. Errors never
 * quote the file's text: an operator may point at any file on the machine.
 */
import type { z } from 'zod';
import {
  MAX_CUES,
  MAX_KEYFRAMES,
  SHOW_FILE_VERSION,
  showSchema,
  showV1Schema,
  showV2Schema,
  showV3Schema,
  showV4Schema,
  type Show,
  type ShowV1,
  type ShowV2,
  type ShowV3,
  type ShowV4,
} from '../contract/show.js';
import { parseJsonWithPositions, positionOf, type JsonPath } from './json-locate.js';

/** Deepest nesting of objects and lists accepted. A show is 5 deep (show.cues[].look.params); 32 leaves room for what may come. */
export const MAX_SHOW_JSON_DEPTH = 32;

export interface ShowFileError {
  /** Dotted path of the offending field ("cues.2.transition.durationMs"), or "(file)" for syntax. */
  field: string;
  /** 1-based line in the file text; null when the text has no line for it. */
  line: number | null;
  message: string;
}

export type ShowFileResult = { ok: true; show: Show; migratedFrom: number | null } | { ok: false; error: ShowFileError };

/** A fresh show: empty cue list, empty 60 s timeline, default settings. */
export function emptyShow(name = 'Untitled show'): Show {
  return {
    version: SHOW_FILE_VERSION,
    name,
    settings: {
      goGuardMs: 300,
      panicFadeMs: 1000,
      safePlate: null,
      loopCueList: false,
      panicGo: 'restore',
      timecode: { source: 'internal', offsetMs: 0, engaged: false },
    },
    cues: [],
    timeline: { durationMs: 60_000, loop: false, keyframes: [] },
  };
}

/** v1 -> v2: cues gain ids, a look object, notes and continue modes; settings and the timeline appear. */
export function migrateV1toV2(v1: ShowV1): ShowV2 {
  const { settings, ...base } = emptyShow(v1.name);
  const { goGuardMs, panicFadeMs, safePlate, loopCueList } = settings;
  return {
    ...base,
    version: 2,
    settings: { goGuardMs, panicFadeMs, safePlate, loopCueList },
    cues: v1.cues.map((cue, index) => ({
      id: `c${index + 1}`,
      number: cue.number,
      name: '',
      look: { prompt: cue.prompt, seed: cue.seed, params: {} },
      transition: { durationMs: cue.fadeMs, curve: 'ease-in-out' as const },
      notes: '',
      continueMode: 'none' as const,
      delayMs: 0,
    })),
  };
}

/** v2 -> v3: looks may name a live input; a v2 look has none (text only), so only the version changes. */
export function migrateV2toV3(v2: ShowV2): ShowV3 {
  return { ...v2, version: 3 };
}

/**
 * v3 -> v4: a panic GO restores only (the safer choice, and what v3 engines did not ask), the timeline
 * runs on its internal clock, and no cue has a timecode trigger: the show behaves as before.
 */
export function migrateV3toV4(v3: ShowV3): ShowV4 {
  return { ...v3, version: 4, settings: { ...v3.settings, panicGo: 'restore', timecode: { source: 'internal', offsetMs: 0, engaged: false } } };
}

/** v4 -> v5: a cue may record while it is on; no v4 cue does (absent = off), so only the version changes. */
export function migrateV4toV5(v4: ShowV4): Show {
  return { ...v4, version: 5 };
}

/** Per version: its schema and the step to the next version. The last entry is the current version. */
const VERSIONS: Record<number, { schema: z.ZodType; up?: (doc: never) => unknown }> = {
  1: { schema: showV1Schema, up: migrateV1toV2 as (doc: never) => unknown },
  2: { schema: showV2Schema, up: migrateV2toV3 as (doc: never) => unknown },
  3: { schema: showV3Schema, up: migrateV3toV4 as (doc: never) => unknown },
  4: { schema: showV4Schema, up: migrateV4toV5 as (doc: never) => unknown },
  5: { schema: showSchema },
};

/** 1-based line of `offset` in `text`. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Offset of the first bracket nested deeper than `limit`, or -1. Linear, no
 * recursion: strings are skipped (a bracket inside a string does not count).
 */
export function excessNestingAt(text: string, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > limit) return i;
    } else if (c === 125 || c === 93) depth--;
  }
  return -1;
}

/** Parses show file text. Never throws: a bad file is an error value naming field and line. */
export function parseShowFile(text: string): ShowFileResult {
  const tooDeep = excessNestingAt(text, MAX_SHOW_JSON_DEPTH);
  if (tooDeep >= 0) {
    const line = lineAt(text, tooDeep);
    return {
      ok: false,
      error: { field: '(file)', line, message: `nested more than ${MAX_SHOW_JSON_DEPTH} levels deep at line ${line}: this is not a show file (a show is 5 levels deep)` },
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text; ours says where, without quoting.
    const where = parseJsonWithPositions(text, { only: [], scanOnly: true });
    if (!where.ok)
      return {
        ok: false,
        error: { field: '(file)', line: where.position.line, message: `not valid JSON at line ${where.position.line}, column ${where.position.column}: ${where.message}` },
      };
    return { ok: false, error: { field: '(file)', line: null, message: 'not valid JSON' } };
  }
  const located = (path: JsonPath, message: string): ShowFileError => {
    const field = path.length === 0 ? '(show)' : path.join('.');
    const where = parseJsonWithPositions(text, { only: path, scanOnly: true });
    return { field, line: where.ok ? (positionOf(where.positions, path)?.line ?? null) : null, message };
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: { field: '(show)', line: 1, message: 'a show file is a JSON object with a "version" field' } };
  }
  const version = (value as { version?: unknown }).version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, error: located(['version'], `"version" must be a whole number from 1 to ${SHOW_FILE_VERSION}`) };
  }
  if (version > SHOW_FILE_VERSION) {
    return {
      ok: false,
      error: located(
        ['version'],
        `this show was saved by a newer Cyclorama (file version ${version}; this one reads up to ${SHOW_FILE_VERSION}). Open it with that version or newer.`,
      ),
    };
  }
  // Lists longer than a show may hold are refused before the schema walks every element.
  for (const [list, max, what] of [
    [['cues'], MAX_CUES, 'cues'],
    [['timeline', 'keyframes'], MAX_KEYFRAMES, 'keyframes'],
  ] as const) {
    let node: unknown = value;
    for (const step of list) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[step] : undefined;
    if (Array.isArray(node) && node.length > max)
      return { ok: false, error: located(list, `${list.join('.')}: a show holds at most ${max} ${what} (this file has ${node.length})`) };
  }
  const entry = VERSIONS[version];
  if (!entry) return { ok: false, error: located(['version'], `unknown show file version ${version}`) };
  const checked = entry.schema.safeParse(value);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const path = (issue?.path ?? []).filter((p): p is string | number => typeof p !== 'symbol');
    const message = issue?.message ?? 'invalid';
    return { ok: false, error: located(path, `${path.join('.') || '(show)'}: ${message}`) };
  }
  let doc: unknown = checked.data;
  for (let v = version; v < SHOW_FILE_VERSION; v++) doc = (VERSIONS[v]?.up as (d: unknown) => unknown)(doc);
  // A migration that yields an invalid document is a bug; still a value, never a throw.
  const final = showSchema.safeParse(doc);
  if (!final.success) {
    const issue = final.error.issues[0];
    return { ok: false, error: { field: issue?.path.join('.') ?? '(show)', line: null, message: `migration from version ${version} failed: ${issue?.message}` } };
  }
  const consistent = checkConsistency(final.data);
  if (consistent) return { ok: false, error: located(consistent.path, consistent.message) };
  // The model keeps keyframes sorted by time (a hand-edited file may not be).
  const show: Show = { ...final.data, timeline: { ...final.data.timeline, keyframes: [...final.data.timeline.keyframes].sort((a, b) => a.timeMs - b.timeMs) } };
  return { ok: true, show, migratedFrom: version === SHOW_FILE_VERSION ? null : version };
}

/** Rules a schema cannot say: unique ids and numbers, goto targets that exist. */
export function checkConsistency(show: Show): { path: JsonPath; message: string } | null {
  const ids = new Set<string>();
  const numbers = new Set<string>();
  for (const [index, cue] of show.cues.entries()) {
    if (ids.has(cue.id)) return { path: ['cues', index, 'id'], message: `cue id "${cue.id}" is used twice` };
    if (numbers.has(cue.number)) return { path: ['cues', index, 'number'], message: `cue number "${cue.number}" is used twice` };
    ids.add(cue.id);
    numbers.add(cue.number);
  }
  for (const [index, cue] of show.cues.entries()) {
    if (cue.gotoCueId !== undefined && !ids.has(cue.gotoCueId)) return { path: ['cues', index, 'gotoCueId'], message: `goto target "${cue.gotoCueId}" is not a cue in this show` };
  }
  const keyIds = new Set<string>();
  for (const [index, key] of show.timeline.keyframes.entries()) {
    if (keyIds.has(key.id)) return { path: ['timeline', 'keyframes', index, 'id'], message: `keyframe id "${key.id}" is used twice` };
    keyIds.add(key.id);
  }
  return null;
}

/** The file text for a show: stable key order, 2-space indent, trailing newline (diffable). */
export function serializeShow(show: Show): string {
  return `${JSON.stringify(show, null, 2)}\n`;
}
