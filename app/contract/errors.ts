/**
 * Errors that cross a process edge travel as `{ code, message, details }` with a
 * stable code, never as thrown objects. The message is for the operator: it says
 * what is wrong and what to do.
 */
import { z } from 'zod';

export const ERROR_CODES = [
  'invalid-message', // not JSON, not an object, or fails the schema
  'unknown-command',
  'version-mismatch',
  'model-load-failed',
  'model-run-failed',
  'provider-fallback',
  'output-failed',
  'input-failed', // a live input that cannot be used, is not found, or stopped sending (the look runs on without it)
  'show-file', // a show file that cannot be read, parsed or written (message names file, field and line)
  'show-edit', // an edit or show command that cannot apply (unknown cue, nothing to undo, ...)
  'internal',
  'recording', // a recording that cannot start or had to stop (no encoder, no folder, disk nearly full, encoder failed)
  'model-library', // the model library: a download, import, removal or licence that cannot go ahead (the message says why and what to do)
  // External control (HTTP/OSC edges): missing or wrong token, no such endpoint, too large, too many.
  'unauthorized',
  'not-found',
  'too-large',
  'rate-limited',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const engineErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type EngineError = z.infer<typeof engineErrorSchema>;

export function engineError(code: ErrorCode, message: string, details?: Record<string, unknown>): EngineError {
  return details === undefined ? { code, message } : { code, message, details };
}
