/**
 * A still image (PNG or JPEG) as an input, for rehearsal with no camera. Read, checked
 * (size in the header before any decode, file size cap) and decoded in a worker thread
 * (image-source.ts), which then fits it to the sizes asked: the inference thread never
 * waits for a large file.
 */
import type { InputSource } from '../../contract/inputs.js';
import { WorkerInput } from './worker-input.js';

export function createImageInput(source: Extract<InputSource, { kind: 'image' }>, resolvedPath: string, nowMs?: () => number): WorkerInput {
  return new WorkerInput(source, { kind: 'image', path: resolvedPath }, { state: 'waiting', error: null }, nowMs);
}
