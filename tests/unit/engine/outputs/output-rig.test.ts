/** The saved output rig file: round trip, validation with the add-command schemas, broken files kept aside. */
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OUTPUT_RIG_FILE, readOutputRig, writeOutputRig, type RigEntry } from '../../../../app/engine/outputs/output-rig.js';
import { makeFifo } from '../../../helpers/fifo.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-rig-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const rig: RigEntry[] = [
  { kind: 'ndi', name: 'Wall A', width: 1920, height: 1080, rate: { num: 60000, den: 1001 }, groups: 'stage', live: true },
  { kind: 'display', name: 'Ceiling', width: 960, height: 540, rate: { num: 50, den: 1 }, crop: { x: 0, y: 0, width: 0.5, height: 1 }, display: '1920,0', live: false },
];

describe('output rig file', () => {
  it('is empty without a file, and reads back what was written', () => {
    expect(readOutputRig(dir)).toEqual({ outputs: [], error: null });
    expect(writeOutputRig(dir, rig)).toBeNull();
    expect(readOutputRig(dir)).toEqual({ outputs: rig, error: null });
  });

  it('refuses an entry the add command would refuse, naming the field, and keeps the file aside', () => {
    const file = path.join(dir, OUTPUT_RIG_FILE);
    const bad = { version: 1, outputs: [{ ...rig[0], width: 1919 }] };
    writeFileSync(file, JSON.stringify(bad));
    const read = readOutputRig(dir);
    expect(read.outputs).toEqual([]);
    expect(read.error?.message).toMatch(/field "outputs\.0\.width"/);
    expect(read.error?.message).toMatch(/kept as .*outputs\.json\.broken/);
    expect(existsSync(file)).toBe(false);
    expect(JSON.parse(readFileSync(`${file}.broken`, 'utf8'))).toEqual(bad);
    // The next save writes a fresh file; the broken one stays for the operator.
    expect(writeOutputRig(dir, rig)).toBeNull();
    expect(existsSync(`${file}.broken`)).toBe(true);
  });

  it('reports a file that is not JSON, without throwing', () => {
    writeFileSync(path.join(dir, OUTPUT_RIG_FILE), '{"version": 1, "outputs": [');
    const read = readOutputRig(dir);
    expect(read.outputs).toEqual([]);
    expect(read.error?.code).toBe('output-failed');
    expect(read.error?.message).toMatch(/could not be read/);
  });

  it('refuses a FIFO as outputs.json at once (no wait for a writer) and moves it aside', () => {
    const fifo = makeFifo(path.join(dir, OUTPUT_RIG_FILE), JSON.stringify({ version: 1, outputs: [] }));
    try {
      const read = readOutputRig(dir);
      expect(read.outputs).toEqual([]);
      expect(read.error?.message).toMatch(/not a regular file \(it is a named pipe/);
    } finally {
      fifo.close();
    }
  });

  it('refuses an oversized outputs.json by its size', () => {
    const file = path.join(dir, OUTPUT_RIG_FILE);
    writeFileSync(file, '');
    truncateSync(file, 3 * 1024 * 1024);
    const read = readOutputRig(dir);
    expect(read.outputs).toEqual([]);
    expect(read.error?.message).toMatch(/too large \(3(\.0)? MB; the limit is 1(\.0)? MB\)/);
  });
});
