/**
 * An NDI source as an input. Received in a worker thread of its own (ndi-capture.ts)
 * rather than on the inference thread: a 30 ms model step then never delays capture,
 * libndi's queue is drained as frames come (latest wins, counted as they arrive), and the
 * fit to the model's size happens there once per frame. The inference thread reads the
 * newest fitted picture from shared memory without an event-loop turn.
 *
 * With no NDI runtime the input is 'failed' with what to install; other inputs work.
 */
import type { InputSource } from '../../contract/inputs.js';
import { inputKey } from '../../contract/inputs.js';
import type { LibNdi } from '../ndi/libndi.js';
import { NDI_RUNTIME_HELP } from '../ndi/runtime.js';
import { emptyStatus, type LiveInput } from './live-input.js';
import { WorkerInput } from './worker-input.js';

type NdiSourceSpec = Extract<InputSource, { kind: 'ndi' }>;

/** An input that cannot run: no pictures, one status row saying why. */
class FailedInput implements LiveInput {
  readonly key: string;
  constructor(
    readonly source: InputSource,
    private readonly error: string,
  ) {
    this.key = inputKey(source);
  }
  picture(): null {
    return null;
  }
  status() {
    return emptyStatus(this.key, this.source, 'failed', this.error);
  }
  close(): void {}
}

export function ndiRuntimeMissingError(name: string): string {
  return `NDI input "${name}" cannot be received: the NDI runtime is missing. ${NDI_RUNTIME_HELP}`;
}

export function createNdiInput(source: NdiSourceSpec, ndi: LibNdi | null, extraIps: string | undefined, nowMs?: () => number): LiveInput {
  if (!ndi) return new FailedInput(source, ndiRuntimeMissingError(source.name));
  return new WorkerInput(source, { kind: 'ndi', name: source.name, extraIps: extraIps ?? null, libPath: ndi.path }, { state: 'waiting', error: null }, nowMs);
}
