/**
 * A JSON file of the engine's config folder (outputs.json, models.json), read and
 * validated by its schema. A file that cannot be used is moved aside (FILE.broken),
 * never overwritten, so what the operator had stays on disk for them to fix; the
 * caller says in its own words what starts empty instead.
 */
import { existsSync, renameSync } from 'node:fs';
import type { z } from 'zod';
import { readRegularTextSync } from './safe-files.js';

export type ConfigRead<T> = { kind: 'absent' } | { kind: 'ok'; value: T } | { kind: 'broken'; problem: string; aside: string };

/** Reads `file` (a regular file of at most `maxBytes`: a FIFO or device planted there must not hold the engine at start). */
export function readConfigFileSync<T>(file: string, schema: z.ZodType<T>, maxBytes: number): ConfigRead<T> {
  if (!existsSync(file)) return { kind: 'absent' };
  let problem: string;
  const text = readRegularTextSync(file, maxBytes);
  if (!text.ok) problem = `it is ${text.failure.message}`;
  else {
    try {
      const parsed = schema.safeParse(JSON.parse(text.value));
      if (parsed.success) return { kind: 'ok', value: parsed.data };
      const issue = parsed.error.issues[0];
      problem = `field "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}`;
    } catch {
      problem = 'not valid JSON';
    }
  }
  const aside = `${file}.broken`;
  try {
    renameSync(file, aside);
  } catch {
    /* the caller reports it either way; the next save then replaces it */
  }
  return { kind: 'broken', problem, aside };
}
