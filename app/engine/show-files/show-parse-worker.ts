/**
 * Worker thread that parses show file text (show-parse.ts starts one per large
 * file): a 16 MB file takes about a second to parse on a slow machine, which must
 * not be the engine thread's second (the output clocks tick there).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseShowFile } from '../../show/show-file.js';

const { bytes } = workerData as { bytes: Uint8Array };
parentPort?.postMessage(parseShowFile(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')));
