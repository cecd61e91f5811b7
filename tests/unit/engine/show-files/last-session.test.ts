/**
 * last-session.json (app/engine/show-files/last-session.ts) on a real folder: read
 * (none, valid, broken, wrong field), the resume rules (only without --show and
 * --model; --prompt/--seed still win; a show that is gone is not reopened), the
 * cue position applied to a real show state, and the keeper's writes and clean stop.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { showSchema, type Show } from '../../../../app/contract/show.js';
import type { EngineState } from '../../../../app/contract/state.js';
import type { EngineError } from '../../../../app/contract/errors.js';
import {
  LAST_SESSION_FILE,
  LastSessionKeeper,
  openLastSession,
  readLastSession,
  resumeFrom,
  sessionOf,
  withCuePosition,
  type LastSession,
} from '../../../../app/engine/show-files/last-session.js';
import { emptyShow, serializeShow } from '../../../../app/show/show-file.js';
import { initialShowState } from '../../../../app/show/show-state.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-last-session-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function threeCueShow(): Show {
  const cue = (n: number) => ({ id: `c${n}`, number: String(n), look: { prompt: `look ${n}`, seed: n }, transition: { durationMs: 0 } });
  return showSchema.parse({ ...emptyShow('gig'), cues: [cue(1), cue(2), cue(3)] });
}

function session(patch: Partial<LastSession> = {}): LastSession {
  return { version: 1, showPath: null, standbyCueId: null, currentCueId: null, modelDir: null, prompt: 'harbour at dawn', seed: 7, ...patch };
}

const file = () => path.join(dir, LAST_SESSION_FILE);

describe('readLastSession', () => {
  it('is null when the last engine stopped cleanly (no file)', () => {
    expect(readLastSession(dir)).toEqual({ ok: true, value: null });
  });

  it('reads what was written', () => {
    const saved = session({ showPath: '/shows/gig.json', standbyCueId: 'c3', currentCueId: 'c2', modelDir: '/models/turbo' });
    writeFileSync(file(), JSON.stringify(saved));
    expect(readLastSession(dir)).toEqual({ ok: true, value: saved });
  });

  it('names the problem of a broken file, and says the start goes on with an untitled show', () => {
    writeFileSync(file(), '{"version":1,"showPa');
    const broken = readLastSession(dir);
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.error.message).toMatch(/not valid JSON.*untitled show/);
    writeFileSync(file(), JSON.stringify({ ...session(), seed: -3 }));
    const wrong = readLastSession(dir);
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error.message).toMatch(/field "seed"/);
  });
});

describe('resumeFrom', () => {
  it('fills in show, model, prompt and seed when neither --show nor --model was given', () => {
    const show = path.join(dir, 'gig.json');
    writeFileSync(show, serializeShow(threeCueShow()));
    expect(resumeFrom({}, session({ showPath: show, modelDir: '/models/turbo' }))).toEqual({
      showPath: show,
      modelDir: '/models/turbo',
      initialPrompt: 'harbour at dawn',
      initialSeed: 7,
    });
  });

  it('leaves the options alone when --show or --model was given', () => {
    const options = { showPath: '/other.json' };
    expect(resumeFrom(options, session({ showPath: '/shows/gig.json' }))).toBe(options);
    const model = { modelDir: '/models/x' };
    expect(resumeFrom(model, session({ showPath: '/shows/gig.json' }))).toBe(model);
  });

  it('keeps an explicit --prompt and --seed', () => {
    expect(resumeFrom({ initialPrompt: 'snow', initialSeed: 1 }, session())).toEqual({ initialPrompt: 'snow', initialSeed: 1 });
  });

  it('does not reopen a show file that is gone, unless its autosave is there', () => {
    const gone = path.join(dir, 'gone.json');
    expect(resumeFrom<{ showPath?: string }>({}, session({ showPath: gone })).showPath).toBeUndefined();
    writeFileSync(`${gone}.autosave`, serializeShow(threeCueShow()));
    expect(resumeFrom<{ showPath?: string }>({}, session({ showPath: gone })).showPath).toBe(gone);
  });
});

describe('withCuePosition', () => {
  it('puts standby and the last fired cue back', () => {
    const show = threeCueShow();
    const state = withCuePosition(show, initialShowState(show, 0), session({ standbyCueId: 'c3', currentCueId: 'c2' }));
    expect([state.currentCueId, state.standbyCueId]).toEqual(['c2', 'c3']);
  });

  it('drops cues that are no longer in the show (standby follows the last fired one)', () => {
    const show = threeCueShow();
    const state = withCuePosition(show, initialShowState(show, 0), session({ standbyCueId: 'gone', currentCueId: 'c1' }));
    expect([state.currentCueId, state.standbyCueId]).toEqual(['c1', 'c2']);
  });
});

describe('LastSessionKeeper', () => {
  it('writes on change only, the newest session wins, and a clean stop removes the file', async () => {
    const errors: EngineError[] = [];
    const keeper = new LastSessionKeeper(dir, (e) => errors.push(e));
    keeper.note(session({ currentCueId: 'c1' }));
    keeper.note(session({ currentCueId: 'c2' }));
    await keeper.flushed();
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual(session({ currentCueId: 'c2' }));
    keeper.note(session({ currentCueId: 'c2' }));
    await keeper.flushed();
    expect(JSON.parse(readFileSync(file(), 'utf8')).currentCueId).toBe('c2');
    await keeper.close();
    expect(existsSync(file())).toBe(false);
    keeper.note(session({ currentCueId: 'c3' }));
    await keeper.flushed();
    expect(existsSync(file()), 'nothing is written after a clean stop').toBe(false);
    expect(errors).toEqual([]);
  });

  it('reports a folder it cannot write to', async () => {
    const errors: EngineError[] = [];
    const blocked = path.join(dir, 'a-file');
    writeFileSync(blocked, '');
    const keeper = new LastSessionKeeper(path.join(blocked, 'config'), (e) => errors.push(e));
    keeper.note(session());
    await keeper.flushed();
    expect(errors[0]?.message).toMatch(/will not reopen this show/);
  });
});

describe('openLastSession (the engine start)', () => {
  const stateWith = (show: Show, patch: Partial<NonNullable<EngineState['show']>>): EngineState =>
    ({
      program: { prompt: 'p', seed: 2, lookId: 1, panic: 'none' },
      show: { document: show, path: null, standbyCueId: null, currentCueId: null, ...patch },
    }) as unknown as EngineState;

  it('is off unless asked for, or without a config folder', () => {
    writeFileSync(file(), JSON.stringify(session({ prompt: 'resumed' })));
    expect(openLastSession({ configDir: dir }).options).toEqual({ configDir: dir });
    expect(openLastSession({ configDir: null, lastSession: true }).options).toEqual({ configDir: null, lastSession: true });
  });

  it('resumes the file, restores the cue position, then keeps the file up to date', async () => {
    const show = threeCueShow();
    const showPath = path.join(dir, 'gig.json');
    writeFileSync(showPath, serializeShow(show));
    writeFileSync(file(), JSON.stringify(session({ showPath, standbyCueId: 'c3', currentCueId: 'c2' })));
    const start = openLastSession({ configDir: dir, lastSession: true });
    expect(start.options).toMatchObject({ showPath, initialPrompt: 'harbour at dawn', initialSeed: 7 });

    const target = { show, state: initialShowState(show, 0) };
    let publish: (state: EngineState) => void = () => {};
    const logs: string[] = [];
    const keeper = start.attach({ session: target, onState: (l) => (publish = l), modelDir: () => null, onError: () => {}, log: (l) => logs.push(l) });
    expect([target.state.currentCueId, target.state.standbyCueId]).toEqual(['c2', 'c3']);

    publish(stateWith(show, { path: showPath, standbyCueId: 'c1', currentCueId: 'c3' }));
    await keeper!.flushed();
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual(session({ showPath, standbyCueId: 'c1', currentCueId: 'c3', prompt: 'p', seed: 2 }));
    expect(logs).toEqual([]);
    keeper!.announce();
    expect(logs.join('\n')).toMatch(/resumed the last session.*gig\.json.*standby c3, last fired c2/);
    await keeper!.close();
  });

  it('reports a broken file and starts fresh', () => {
    writeFileSync(file(), 'nonsense');
    const start = openLastSession({ configDir: dir, lastSession: true });
    expect(start.options).toEqual({ configDir: dir, lastSession: true });
    const errors: EngineError[] = [];
    const show = emptyShow();
    void start.attach({ session: { show, state: initialShowState(show, 0) }, onState: () => {}, modelDir: () => null, onError: (e) => errors.push(e), log: () => {} })?.close();
    expect(errors[0]?.message).toMatch(/not valid JSON/);
  });
});

it('sessionOf reads the show position and program from a state', () => {
  const show = threeCueShow();
  const state = {
    program: { prompt: 'p', seed: 3, lookId: 2, panic: 'none' },
    show: { document: show, path: '/s.json', standbyCueId: 'c2', currentCueId: 'c1' },
  } as unknown as EngineState;
  expect(sessionOf(state, '/m')).toEqual({ version: 1, showPath: '/s.json', standbyCueId: 'c2', currentCueId: 'c1', modelDir: '/m', prompt: 'p', seed: 3 });
});
