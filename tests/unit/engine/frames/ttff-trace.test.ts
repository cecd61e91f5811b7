import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TtffTrace, type TtffTraceLine } from '../../../../app/engine/frames/ttff-trace.js';

const dirs: string[] = [];
const traceFile = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cyclorama-ttff-'));
  dirs.push(dir);
  return path.join(dir, 'trace.jsonl');
};
const lines = (file: string): TtffTraceLine[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TtffTraceLine);

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('TtffTrace', () => {
  it('writes one line per look once its first frame left through NDI, first stamp of each stage wins', () => {
    const file = traceFile();
    const trace = new TtffTrace(file);
    trace.begin(2, { received: 10, dispatched: 10.5, applied: 11 });
    trace.mark(2, 'posted', 11.2);
    trace.mark(2, 'posted', 50); // a later frame of the same look changes nothing
    trace.mark(1, 'done', 12); // an older look's frame: not this line
    expect(trace.wants(2, 'tick')).toBe(true);
    trace.mark(2, 'tick', 40);
    expect(trace.wants(2, 'tick')).toBe(false);
    expect(existsSync(file)).toBe(false); // not written before the frame went out
    trace.mark(2, 'sendReturned', 45);
    expect(lines(file)).toEqual([{ lookId: 2, stamps: { received: 10, dispatched: 10.5, applied: 11, posted: 11.2, tick: 40, sendReturned: 45 } }]);
  });

  it('writes a look that never reached an output when the next one begins', () => {
    const file = traceFile();
    const trace = new TtffTrace(file);
    trace.begin(3, { received: 1 });
    trace.begin(4, { received: 2 });
    trace.mark(4, 'sendReturned', 9);
    expect(lines(file).map((l) => l.lookId)).toEqual([3, 4]);
  });

  it('is off without a file: nothing is wanted, nothing is written', () => {
    const trace = new TtffTrace(null);
    trace.begin(1, { received: 1 });
    expect(trace.on).toBe(false);
    expect(trace.wants(1, 'tick')).toBe(false);
  });
});
