/**
 * Show file text -> show document without holding the engine thread: small texts
 * (every real show) are parsed in place, large ones in a one-shot worker thread
 * (show-parse-worker.ts). Either way the answer is the same ShowFileResult.
 */
import { Worker } from 'node:worker_threads';
import { parseShowFile, type ShowFileResult } from '../../show/show-file.js';

/** Above this many bytes the decode and parse move to a worker (below it, they cost a few ms at most). */
export const PARSE_IN_WORKER_BYTES = 256 * 1024;

/** The worker is compiled to .js in dist/; under the test runner this module is .ts and the worker is bootstrapped through tsx (as generator.ts does). */
function spawnParseWorker(bytes: Uint8Array): Worker {
  // The bytes' memory is handed over (transferred, not copied); the worker decodes them.
  const transfer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  const options = { name: 'cyclorama-show-parse', workerData: { bytes: transfer }, transferList: [transfer.buffer as ArrayBuffer] };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./show-parse-worker.js', import.meta.url), options);
  const source = new URL('./show-parse-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** Parses show file bytes (UTF-8). Never rejects: a failure is an error value. */
export function parseShowFileOffThread(bytes: Uint8Array): Promise<ShowFileResult> {
  if (bytes.byteLength <= PARSE_IN_WORKER_BYTES) return Promise.resolve(parseShowFile(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')));
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: ShowFileResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
      void worker.terminate();
    };
    const worker = spawnParseWorker(bytes);
    worker.once('message', (result: ShowFileResult) => settle(result));
    // A worker that dies (out of memory) is an error value like any other.
    worker.once('error', (error) => settle({ ok: false, error: { field: '(file)', line: null, message: `could not be parsed (${error.message})` } }));
    worker.once('exit', (code) => settle({ ok: false, error: { field: '(file)', line: null, message: `could not be parsed (parser stopped with code ${code})` } }));
  });
}
