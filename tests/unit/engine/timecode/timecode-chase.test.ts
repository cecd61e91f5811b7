/**
 * The engine's timecode chase without a signal (timecode/timecode-chase.ts,
 * timecode-config.ts): inputs saved in and read from timecode.json (a broken one moved
 * aside), the reader opened only for an external source, and ports that cannot be
 * read here said in words (no MTC input set, a MIDI port missing, LTC from a sound card).
 * MIDI comes from a stand-in for MidiPorts (no ALSA sequencer on this machine).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { engineError, type EngineError } from '../../../../app/contract/errors.js';
import type { MidiPorts } from '../../../../app/engine/midi/midi-ports.js';
import { fail } from '../../../../app/engine/result.js';
import { TimecodeChase } from '../../../../app/engine/timecode/timecode-chase.js';
import { readTimecodeConfig } from '../../../../app/engine/timecode/timecode-config.js';
import { SOUND_CARD_LTC_MISSING } from '../../../../app/engine/timecode/timecode-readers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'cyclorama-tc-unit-'));
  dirs.push(d);
  return d;
};

/** A stand-in for MidiPorts with no inputs at all. */
const noMidiPorts: MidiPorts = {
  inputNames: () => [],
  outputNames: () => [],
  openInput: (name) => fail(engineError('input-failed', `No MIDI input named "${name}". Inputs here: none.`)),
  openOutput: (name) => fail(engineError('output-failed', `No MIDI output named "${name}".`)),
};

function chase(configDir: string | null, errors: EngineError[] = []) {
  const clock = { nowMs: () => 1000, wallMs: () => 5000 };
  return new TimecodeChase({
    configDir,
    clock,
    midi: () => ({ ok: true, value: noMidiPorts }),
    ndi: () => 'no NDI runtime in this test',
    onChange: () => {},
    onError: (e) => errors.push(e),
  });
}

describe('TimecodeChase without a signal', () => {
  it('saves the inputs in timecode.json and reads them back at the next start', () => {
    const dir = tempDir();
    const first = chase(dir);
    expect(first.setInputs({ mtc: { port: 'Desk' }, ltc: { from: 'ndi', source: 'DESK (LTC)', channel: 1 } })).toEqual({ ok: true });
    expect(first.setInputs({ mtc: null })).toEqual({ ok: true });
    expect(JSON.parse(readFileSync(path.join(dir, 'timecode.json'), 'utf8'))).toEqual({
      version: 1,
      inputs: { mtc: null, ltc: { from: 'ndi', source: 'DESK (LTC)', channel: 1 } },
    });
    expect(chase(dir).status(1000, 5000).inputs.ltc).toEqual({ from: 'ndi', source: 'DESK (LTC)', channel: 1 });
  });

  it('moves a broken timecode.json aside and says so', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'timecode.json'), '{"version":1,"inputs":{"ltc":{"from":"tape"}}}');
    const read = readTimecodeConfig(dir);
    expect(read.inputs).toEqual({ mtc: null, ltc: null });
    expect(read.error?.message).toMatch(/timecode\.json\) could not be read \(field "inputs\.ltc\.from"/);
    expect(read.error?.message).toMatch(/kept as .*timecode\.json\.broken/);
    expect(existsSync(path.join(dir, 'timecode.json.broken'))).toBe(true);
  });

  it('opens nothing on the internal clock; names what is missing for an external source', () => {
    const errors: EngineError[] = [];
    const c = chase(null, errors);
    c.follow({ source: 'internal', offsetMs: 0, engaged: false });
    expect(c.status(1000, 5000)).toMatchObject({ input: { kind: 'none', status: 'off' }, lock: 'unlocked', chasing: false, label: null, atMs: 5000 });
    expect(c.input()).toEqual({ reading: null, rate: null });

    c.follow({ source: 'mtc', offsetMs: 0, engaged: true });
    expect(c.status(1000, 5000).input).toMatchObject({ kind: 'mtc', status: 'off', message: expect.stringMatching(/no MTC input set/) });

    c.setInputs({ mtc: { port: 'Desk MTC' } });
    expect(c.status(1000, 5000).input).toMatchObject({ kind: 'mtc', status: 'failed', message: 'No MIDI input named "Desk MTC". Inputs here: none.' });
    expect(errors.map((e) => e.message)).toContain('No MIDI input named "Desk MTC". Inputs here: none.');

    c.setInputs({ ltc: { from: 'soundCard', device: 'hw:1', channel: 0 } });
    c.follow({ source: 'ltc', offsetMs: 0, engaged: true });
    expect(c.status(1000, 5000).input).toMatchObject({ kind: 'ltc-sound-card', name: 'hw:1', status: 'failed', message: SOUND_CARD_LTC_MISSING });

    c.setInputs({ ltc: { from: 'ndi', source: 'DESK (LTC)', channel: 0 } });
    expect(c.status(1000, 5000).input).toMatchObject({ kind: 'ltc-ndi', status: 'failed', message: 'LTC over NDI needs the NDI runtime: no NDI runtime in this test' });
    c.close();
  });
});
