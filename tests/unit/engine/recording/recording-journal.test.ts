import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordingJournal } from '../../../../app/engine/recording/recording-journal.js';

const dirs: string[] = [];
const fresh = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cyclorama-journal-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('recording journal (finds a recording a kill interrupted)', () => {
  it('an entry left by a killed run is named once, with how far the file plays', () => {
    const dir = fresh();
    new RecordingJournal(dir).write({ file: '/takes/Gala_10-00-00-00.mp4', durationMs: 83_400, startTimecode: '10:00:00:00', encoderPid: 123 });
    const next = new RecordingJournal(dir);
    expect(next.takeInterrupted()).toEqual({
      file: '/takes/Gala_10-00-00-00.mp4',
      durationMs: 83_400,
      message: 'Recording "/takes/Gala_10-00-00-00.mp4" was interrupted at 00:01:23; the file plays up to there.',
    });
    expect(next.takeInterrupted()).toBeNull();
  });

  it('a clean stop leaves nothing to report; a damaged journal or none at all is no notice', () => {
    const dir = fresh();
    const journal = new RecordingJournal(dir);
    journal.write({ file: '/takes/a.mp4', durationMs: 1000, startTimecode: '00:00:00:00', encoderPid: null });
    journal.clear();
    expect(journal.takeInterrupted()).toBeNull();
    writeFileSync(path.join(dir, 'recording.json'), '{"file": 3');
    expect(journal.takeInterrupted()).toBeNull();
    expect(new RecordingJournal(null).takeInterrupted()).toBeNull();
  });
});
