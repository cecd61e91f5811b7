/** The safe plate still: a FIFO or a folder named as the plate is refused at once (the engine thread never waits on it). */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSafePlate } from '../../../../app/engine/show-files/safe-plate.js';
import { makeFifo } from '../../../helpers/fifo.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-plate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('safe plate file', () => {
  it('refuses a FIFO without waiting for a writer, and a folder, naming what it is', () => {
    const fifo = makeFifo(path.join(dir, 'plate.png'));
    try {
      const plate = loadSafePlate(fifo.path, 4, 4);
      expect(!plate.ok && plate.error.message).toMatch(/is not a regular file \(it is a named pipe.*Safe plate shows black/);
    } finally {
      fifo.close();
    }
    mkdirSync(path.join(dir, 'folder.png'));
    const folder = loadSafePlate(path.join(dir, 'folder.png'), 4, 4);
    expect(!folder.ok && folder.error.message).toMatch(/not a regular file \(it is a folder\)/);
  });
});
