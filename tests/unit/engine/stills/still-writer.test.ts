/**
 * What a still is called and what it says (app/engine/stills/still-writer.ts): names
 * from show, cue and timecode that every file system takes, the text entries in file
 * order, and the folder checks' messages (a real temporary folder).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STILL_TEXT_KEYS } from '../../../../app/contract/stills.js';
import { checkStillFolder, stillFileName, stillText, type StillDescription } from '../../../../app/engine/stills/still-writer.js';

const description: StillDescription = {
  showName: 'Spring: "Look" book / 2026',
  prompt: 'snow',
  negativePrompt: '',
  seed: 9,
  cue: '3.5 Sunrise',
  timecode: '14:02:11;05',
  model: 'Built-in',
  software: 'Cyclorama 0.1.0',
  createdAt: '2026-12-01T14:02:11.000Z',
};

describe('still names and text', () => {
  it('names a still from show, cue number and timecode, safe on every file system', () => {
    expect(stillFileName(description)).toBe('Spring Look book 2026 - cue 3.5 - 14-02-11-05.png');
    expect(stillFileName(description, 2)).toBe('Spring Look book 2026 - cue 3.5 - 14-02-11-05 2.png');
    expect(stillFileName({ showName: '', cue: '', timecode: '10:00:00:00' })).toBe('Cyclorama - 10-00-00-00.png');
  });

  it('writes every documented key, in order, with the look id', () => {
    const text = stillText(description, 17);
    expect(text.map(([key]) => key)).toEqual([...STILL_TEXT_KEYS]);
    expect(Object.fromEntries(text)).toMatchObject({ Prompt: 'snow', Seed: '9', Cue: '3.5 Sunrise', Timecode: '14:02:11;05', Look: '17' });
  });

  it('says what is wrong with a folder: relative, missing, a file', async () => {
    expect((await checkStillFolder('stills'))?.message).toMatch(/full path/);
    const missing = path.join(tmpdir(), 'cyclorama-still-writer-missing');
    expect((await checkStillFolder(missing))?.message).toBe(`The stills folder ${missing} does not exist: create it or choose another.`);
    const dir = mkdtempSync(path.join(tmpdir(), 'cyclorama-still-writer-'));
    expect(await checkStillFolder(dir)).toBeNull();
    const file = path.join(dir, 'a.txt');
    writeFileSync(file, '');
    expect((await checkStillFolder(file))?.message).toMatch(/is not a folder/);
  });
});
