/**
 * The engine's show session on a real file system (a temp folder): autosave
 * timing and atomicity, recovery offered after a "crash", save/open/save-as,
 * a broken file that leaves the current show loaded, undo/redo, wall log CSV.
 */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandSchema, type CommandInput } from '../../../../app/contract/commands.js';
import type { EngineError } from '../../../../app/contract/errors.js';
import { SHOW_FILE_VERSION } from '../../../../app/contract/show.js';
import { emptyShow, serializeShow } from '../../../../app/show/show-file.js';
import { makeFifo } from '../../../helpers/fifo.js';
import { ShowSession } from '../../../../app/engine/show-files/show-session.js';
import { autosavePathFor } from '../../../../app/engine/show-files/show-store.js';

let dir: string;
let errors: EngineError[];
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-show-'));
  errors = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cmd = (input: CommandInput) => commandSchema.parse(input);
const session = (file: string | null, autosaveDelayMs = 50) =>
  new ShowSession({ path: file, nowMs: 0, rate: { num: 30, den: 1 }, configDir: dir, autosaveDelayMs, onError: (e) => errors.push(e) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('show session', () => {
  it('autosaves every edit within a second, atomically, and offers it after a crash', async () => {
    const file = path.join(dir, 'gig.json');
    const s = session(file);
    expect(s.dispatch(cmd({ type: 'addCue', patch: { prompt: 'fog', seed: 3 } }), 0)).toEqual({ changed: true });
    s.dispatch(cmd({ type: 'addCue', patch: { prompt: 'rain' } }), 1);
    const editedAt = Date.now();
    await expect.poll(() => existsSync(autosavePathFor(file)), { timeout: 1000, interval: 10 }).toBe(true);
    expect(Date.now() - editedAt).toBeLessThan(1000);
    await s.flush();
    // No temp files left behind.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // "Crash": a new session on the same file finds the autosave and offers it without applying it.
    const next = session(file);
    const status = next.status(0);
    expect(status.recovery?.path).toBe(autosavePathFor(file));
    expect(status.document.cues).toEqual([]);
    expect(next.dispatch(cmd({ type: 'recoverShow' }), 0).changed).toBe(true);
    expect(next.show.cues.map((c) => c.look.prompt)).toEqual(['fog', 'rain']);
    expect(next.status(0).dirty).toBe(true);
    // Undo goes back to the file as it was.
    next.dispatch(cmd({ type: 'undo' }), 0);
    expect(next.show.cues).toEqual([]);
  });

  it('saves atomically, clears the autosave and the offer, and save-as moves the show', async () => {
    const file = path.join(dir, 'gig.json');
    const s = session(file);
    s.dispatch(cmd({ type: 'addCue', patch: { prompt: 'dunes' } }), 0);
    await s.flush();
    expect(s.dispatch(cmd({ type: 'saveShow' }), 0)).toEqual({ changed: true });
    expect(existsSync(autosavePathFor(file))).toBe(false);
    expect(JSON.parse(readFileSync(file, 'utf8')).cues[0].look.prompt).toBe('dunes');
    expect(s.status(0).dirty).toBe(false);
    expect(session(file).status(0).recovery).toBeNull();
    const other = path.join(dir, 'copy.json');
    s.dispatch(cmd({ type: 'saveShow', path: other }), 0);
    expect(s.status(0).path).toBe(other);
    expect(s.status(0).recent.slice(0, 2)).toEqual([other, file]);
    expect(s.dispatch(cmd({ type: 'saveShow', path: path.join(dir, 'evil.sh') }), 0).error?.code).toBe('show-file');
  });

  it('refuses a broken file with field and line and keeps the current show', () => {
    const s = session(null);
    s.dispatch(cmd({ type: 'addCue', patch: { prompt: 'keep me' } }), 0);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{\n  "version": 2,\n  "name": "x",\n  "settings": {},\n  "cues": [],\n  "timeline": { "durationMs": "long", "keyframes": [] }\n}\n');
    const outcome = s.dispatch(cmd({ type: 'openShow', path: bad }), 0);
    expect(outcome.changed).toBe(false);
    expect(outcome.error?.code).toBe('show-file');
    expect(outcome.error?.message).toMatch(/line 6, field "timeline\.durationMs"/);
    expect(outcome.error?.details).toMatchObject({ field: 'timeline.durationMs', line: 6 });
    expect(s.show.cues[0]?.look.prompt).toBe('keep me');
    const newer = path.join(dir, 'newer.json');
    writeFileSync(newer, '{\n  "version": 99\n}\n');
    expect(s.dispatch(cmd({ type: 'openShow', path: newer }), 0).error?.message).toMatch(/line 2, field "version".*newer Cyclorama/);
  });

  it('undoes and redoes every edit kind', () => {
    const s = session(null);
    const edits: CommandInput[] = [
      { type: 'addCue' },
      { type: 'updateCue', cueId: 'c1', patch: { prompt: 'p', seed: 9, transition: { durationMs: 500, curve: 'linear' } } },
      { type: 'addCue' },
      { type: 'moveCue', cueId: 'c2', toIndex: 0 },
      { type: 'addKeyframe', timeMs: 1000 },
      { type: 'updateKeyframe', keyframeId: 'k1', patch: { timeMs: 2000 } },
      { type: 'updateTimeline', loop: true },
      { type: 'updateShow', name: 'Renamed', settings: { goGuardMs: 500 } },
      { type: 'deleteKeyframe', keyframeId: 'k1' },
      { type: 'deleteCue', cueId: 'c1' },
    ];
    const snapshots = [s.show];
    for (const edit of edits) {
      expect(s.dispatch(cmd(edit), 0).error).toBeUndefined();
      snapshots.push(s.show);
    }
    for (let i = edits.length - 1; i >= 0; i--) {
      s.dispatch(cmd({ type: 'undo' }), 0);
      expect(s.show).toEqual(snapshots[i]);
    }
    expect(s.dispatch(cmd({ type: 'undo' }), 0).error?.code).toBe('show-edit');
    for (let i = 1; i <= edits.length; i++) {
      s.dispatch(cmd({ type: 'redo' }), 0);
      expect(s.show).toEqual(snapshots[i]);
    }
  });

  it('logs what was on the wall and exports it as CSV', () => {
    const s = session(path.join(dir, 'gig.json'));
    s.dispatch(cmd({ type: 'addCue', patch: { number: '10', name: 'Open', prompt: 'harbour, dawn', seed: 4 } }), 0);
    s.dispatch(cmd({ type: 'go' }), 1000);
    s.dispatch(cmd({ type: 'setPrompt', prompt: 'live tweak' }), 2000);
    s.dispatch(cmd({ type: 'panic', mode: 'black' }), 3000);
    expect(s.wallLogEntries.map((e) => [e.source, e.cueNumber, e.prompt])).toEqual([
      ['cue', '10', 'harbour, dawn'],
      ['live', '', 'live tweak'],
      ['panic', '', 'live tweak'],
    ]);
    expect(s.dispatch(cmd({ type: 'exportWallLog' }), 0).error).toBeUndefined();
    const csv = readFileSync(path.join(dir, 'gig.wall-log.csv'), 'utf8').split('\r\n');
    expect(csv[0]).toMatch(/^time_utc,timecode,look_id,source,cue_number/);
    // tick and chase_timecode (frame lock) last: this session has no frame tick and chases nothing.
    expect(csv[1]).toMatch(/^\d{4}-\d\d-\d\dT.*,\d\d:\d\d:\d\d:\d\d,\d+,cue,10,Open,"harbour, dawn",,4,2000,ease-in-out,none,,$/);
  });
});

/** A show file that failed to load, in each way seen: the file must survive the next Save. */
const badFiles: { kind: string; write: (file: string) => void; reason: RegExp }[] = [
  {
    kind: 'newer (current version + 1)',
    write: (f) => writeFileSync(f, JSON.stringify({ ...emptyShow('Future'), version: SHOW_FILE_VERSION + 1 }, null, 2)),
    reason: /newer Cyclorama/,
  },
  { kind: 'broken JSON', write: (f) => writeFileSync(f, '{\n  "version": 2,\n  "name": "half'), reason: /not valid JSON at line 3/ },
  { kind: 'schema errors', write: (f) => writeFileSync(f, JSON.stringify({ ...emptyShow(), cues: [{ id: 'c1' }] }, null, 2)), reason: /cues\.0/ },
  { kind: 'unreadable (a folder)', write: (f) => mkdirSync(f), reason: /not a regular file/ },
];

describe('show files that failed to load are never replaced', () => {
  for (const bad of badFiles) {
    it(`starting on a ${bad.kind} file binds the show read-only, says why, and records the error`, () => {
      const file = path.join(dir, 'gig.json');
      bad.write(file);
      const before = existsSync(file) && !bad.kind.startsWith('unreadable') ? readFileSync(file, 'utf8') : null;
      const s = session(file);
      expect(errors.map((e) => e.code)).toEqual(['show-file']);
      expect(errors[0]?.message).toMatch(bad.reason);
      const status = s.status(0);
      expect(status.path).toBe(file);
      expect(status.readOnly?.reason).toMatch(bad.reason);
      s.dispatch(cmd({ type: 'addCue', patch: { prompt: 'new work' } }), 0);
      const saved = s.dispatch(cmd({ type: 'saveShow' }), 0);
      expect(saved.changed).toBe(false);
      expect(saved.error?.message).toMatch(/failed to load.*Save As/);
      if (before !== null) expect(readFileSync(file, 'utf8')).toBe(before);
      // Save As to another file works, and the show then lives there, writable.
      const other = path.join(dir, 'rescued.json');
      expect(s.dispatch(cmd({ type: 'saveShow', path: other }), 0)).toEqual({ changed: true });
      expect(s.status(0).readOnly ?? null).toBeNull();
      expect(s.status(0).path).toBe(other);
      if (before !== null) expect(readFileSync(file, 'utf8')).toBe(before);
    });
  }

  it('a missing file at start is a new show there (no error, writable)', () => {
    const file = path.join(dir, 'new.json');
    const s = session(file);
    expect(errors).toEqual([]);
    expect(s.status(0).readOnly ?? null).toBeNull();
    expect(s.dispatch(cmd({ type: 'saveShow' }), 0)).toEqual({ changed: true });
  });
});

describe('recovery data is kept until the operator decides', () => {
  it('an edit made before Recover/Discard does not overwrite the autosave, so a second crash still offers it', async () => {
    const file = path.join(dir, 'gig.json');
    writeFileSync(file, serializeShow(emptyShow('Gig')));
    const first = session(file);
    first.dispatch(cmd({ type: 'addCue', patch: { prompt: 'unsaved work' } }), 0);
    await first.flush();
    // Crash 1; the next session offers the autosave and the operator edits before deciding.
    const second = session(file);
    expect(second.status(0).recovery).not.toBeNull();
    second.dispatch(cmd({ type: 'addCue', patch: { prompt: 'edit before deciding' } }), 0);
    await second.flush();
    expect(JSON.parse(readFileSync(autosavePathFor(file), 'utf8')).cues.map((c: { look: { prompt: string } }) => c.look.prompt)).toEqual(['unsaved work']);
    // Crash 2: the recovered work is still offered.
    const third = session(file);
    expect(third.status(0).recovery).not.toBeNull();
    third.dispatch(cmd({ type: 'recoverShow' }), 0);
    expect(third.show.cues.map((c) => c.look.prompt)).toEqual(['unsaved work']);
    // Decided: autosaves go back to the usual file.
    third.dispatch(cmd({ type: 'addCue', patch: { prompt: 'after recovery' } }), 0);
    await third.flush();
    expect(JSON.parse(readFileSync(autosavePathFor(file), 'utf8')).cues).toHaveLength(2);
  });
});

describe("no overwrite of a file that is not this show's without overwrite: true", () => {
  it('Save As onto an existing file is refused until the command says overwrite', () => {
    const file = path.join(dir, 'gig.json');
    const full = path.join(dir, 'full.json');
    writeFileSync(full, "the operator's other show");
    const s = session(file);
    const refused = s.dispatch(cmd({ type: 'saveShow', path: full }), 0);
    expect(refused.changed).toBe(false);
    expect(refused.error?.message).toMatch(/already exists/);
    expect(refused.error?.details).toMatchObject({ path: full, overwritable: true });
    expect(readFileSync(full, 'utf8')).toBe("the operator's other show");
    expect(s.dispatch(cmd({ type: 'saveShow', path: full, overwrite: true }), 0)).toEqual({ changed: true });
    expect(JSON.parse(readFileSync(full, 'utf8')).version).toBe(SHOW_FILE_VERSION);
    // Its own file afterwards: plain Save needs no flag.
    s.dispatch(cmd({ type: 'addCue' }), 0);
    expect(s.dispatch(cmd({ type: 'saveShow' }), 0)).toEqual({ changed: true });
  });

  it('the wall log export does not overwrite an existing .csv without overwrite', () => {
    const s = session(path.join(dir, 'gig.json'));
    const csv = path.join(dir, 'takes.csv');
    writeFileSync(csv, 'keep,me\r\n');
    const refused = s.dispatch(cmd({ type: 'exportWallLog', path: csv }), 0);
    expect(refused.error?.details).toMatchObject({ path: csv, overwritable: true });
    expect(readFileSync(csv, 'utf8')).toBe('keep,me\r\n');
    expect(s.dispatch(cmd({ type: 'exportWallLog', path: csv, overwrite: true }), 0).error).toBeUndefined();
    expect(readFileSync(csv, 'utf8')).toMatch(/^time_utc,/);
  });

  it('an untitled show writes its wall log only to a path the operator gives, never the working folder', () => {
    const s = session(null);
    const before = readdirSync(process.cwd());
    const refused = s.dispatch(cmd({ type: 'exportWallLog' }), 0);
    expect(refused.error?.message).toMatch(/no file yet.*Save As first.*give the log a path/);
    expect(readdirSync(process.cwd())).toEqual(before);
    expect(s.dispatch(cmd({ type: 'exportWallLog', path: path.join(dir, 'log.csv') }), 0).error).toBeUndefined();
  });
});

describe('autosave temp files', () => {
  it('never follows a symlink planted where a temp file could be', async () => {
    const file = path.join(dir, 'gig.json');
    const victim = path.join(dir, 'victim.txt');
    writeFileSync(victim, 'untouched');
    // Every name the old scheme (.NAME.PID.N.tmp) could pick, for the autosave and the show.
    for (const base of [path.basename(autosavePathFor(file)), path.basename(file)]) {
      for (let n = 1; n <= 50; n++) symlinkSync(victim, path.join(dir, `.${base}.${process.pid}.${n}.tmp`));
    }
    const s = session(file);
    s.dispatch(cmd({ type: 'addCue', patch: { prompt: 'fog' } }), 0);
    await s.flush();
    expect(s.dispatch(cmd({ type: 'saveShow' }), 0).error).toBeUndefined();
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    expect(JSON.parse(readFileSync(file, 'utf8')).cues[0].look.prompt).toBe('fog');
  });
});

describe('only regular files of sensible size are read', () => {
  it('a FIFO as the show file is refused at once (start and openShow), never waited on', () => {
    const fifo = makeFifo(path.join(dir, 'pipe.json'), '{"version":');
    try {
      const s = session(fifo.path);
      expect(errors[0]?.message).toMatch(/not a regular file/);
      expect(s.status(0).readOnly?.reason).toMatch(/not a regular file/);
      const opened = session(null).dispatch(cmd({ type: 'openShow', path: fifo.path }), 0);
      expect(opened.error?.message).toMatch(/not a regular file/);
    } finally {
      fifo.close();
    }
  });

  it('a show file over 16 MB is refused with its size before it is read', () => {
    const big = path.join(dir, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, 17 * 1024 * 1024);
    const opened = session(null).dispatch(cmd({ type: 'openShow', path: big }), 0);
    expect(opened.error?.code).toBe('show-file');
    expect(opened.error?.message).toMatch(/17(\.0)? MB.*limit is 16(\.0)? MB/);
  });
});

describe('openShow errors say what is wrong without quoting other files', () => {
  it('a file that is not a show is named, its content never echoed', () => {
    for (const [name, text] of [
      ['notes.txt', '\u00a7top secret\n'],
      ['almost.json', '{"version": \u00a7secret}'],
      ['list.json', '["\u00a7secret"]'],
    ] as const) {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      const opened = session(null).dispatch(cmd({ type: 'openShow', path: file }), 0);
      expect(opened.error?.code).toBe('show-file');
      expect(opened.error?.message).not.toContain('\u00a7');
      expect(opened.error?.message).not.toContain('secret');
    }
  });

  it('a missing file says there is no show file there and what to do', () => {
    const missing = path.join(dir, 'missing.json');
    const opened = session(null).dispatch(cmd({ type: 'openShow', path: missing }), 0);
    expect(opened.error?.message).toContain(`No show file at ${missing}`);
    expect(opened.error?.message).toMatch(/check the path|Save As/i);
    expect(opened.error?.message).not.toContain('ENOENT');
  });
});

describe('openShow off the engine thread (openShowAsync)', () => {
  it('opens a large show with the event loop still turning, and answers errors as dispatch does', async () => {
    const big = path.join(dir, 'big-show.json');
    const show = emptyShow('Big');
    show.cues = Array.from({ length: 500 }, (_, i) => ({
      id: `c${i + 1}`,
      number: String(i + 1),
      name: '',
      look: { prompt: 'p'.repeat(900), seed: i, params: {} },
      transition: { durationMs: 0, curve: 'linear' as const },
      notes: '',
      continueMode: 'none' as const,
      delayMs: 0,
    }));
    writeFileSync(big, serializeShow(show));
    const s = session(null);
    let turns = 0;
    const ticker = setInterval(() => turns++, 1);
    try {
      expect(await s.openShowAsync(big, () => 0)).toEqual({ changed: true });
    } finally {
      clearInterval(ticker);
    }
    expect(turns).toBeGreaterThan(0);
    expect(s.show.cues).toHaveLength(500);
    expect(s.status(0).path).toBe(big);
    // A pathological 15 MB file: an error value, parsed in the worker.
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '[' + '1,'.repeat(7 * 1024 * 1024) + '}');
    const refused = await s.openShowAsync(bad, () => 0);
    expect(refused.error?.message).toMatch(/not valid JSON at line 1, column \d+/);
    expect(s.status(0).path).toBe(big);
    expect((await s.openShowAsync(path.join(dir, 'missing.json'), () => 0)).error?.message).toContain('No show file at');
    const huge = path.join(dir, 'huge.json');
    writeFileSync(huge, '');
    truncateSync(huge, 17 * 1024 * 1024);
    expect((await s.openShowAsync(huge, () => 0)).error?.message).toMatch(/too large/);
  });
});

describe('issue 16: undo names the action, saves are confirmed, Save As names what it would replace', () => {
  it('the status names the next undo and redo, with the number the deleted cue had', () => {
    const s = session(path.join(dir, 'gig.json'));
    s.dispatch(cmd({ type: 'addCue', patch: { name: 'harbour' } }), 0);
    s.dispatch(cmd({ type: 'addCue', patch: { name: 'storm' } }), 0);
    s.dispatch(cmd({ type: 'addCue', patch: { name: 'night' } }), 0);
    expect(s.status(0).undoLabel).toBe('add cue 3 "night"');
    s.dispatch(cmd({ type: 'deleteCue', cueId: s.show.cues[2]!.id }), 0);
    expect(s.status(0)).toMatchObject({ undoLabel: 'delete cue 3 "night"', redoLabel: null });
    s.dispatch(cmd({ type: 'undo' }), 0);
    expect(s.show.cues.map((c) => c.name)).toEqual(['harbour', 'storm', 'night']);
    expect(s.status(0)).toMatchObject({ undoLabel: 'add cue 3 "night"', redoLabel: 'delete cue 3 "night"' });
    s.dispatch(cmd({ type: 'updateShow', name: 'Opening night' }), 0);
    expect(s.status(0)).toMatchObject({ undoLabel: 'rename show to "Opening night"', redoLabel: null });
    expect(s.status(0).document.name).toBe('Opening night');
  });

  it('live state is not undone: undo after a GO changes only the show, never the cue position or the wall', () => {
    const s = session(null);
    s.dispatch(cmd({ type: 'addCue', patch: { prompt: 'fog' } }), 0);
    s.dispatch(cmd({ type: 'addCue', patch: { prompt: 'rain' } }), 0);
    s.dispatch(cmd({ type: 'go' }), 1000);
    const onAir = s.program.to.prompt;
    expect(s.status(0).undoLabel).toBe('add cue 2');
    s.dispatch(cmd({ type: 'undo' }), 2000);
    expect(s.show.cues).toHaveLength(1);
    expect(s.program.to.prompt).toBe(onAir);
  });

  it('a recovered autosave is undone as "recover the autosave"', async () => {
    const file = path.join(dir, 'gig.json');
    const s = session(file);
    s.dispatch(cmd({ type: 'addCue' }), 0);
    await s.flush();
    const next = session(file);
    next.dispatch(cmd({ type: 'recoverShow' }), 0);
    expect(next.status(0).undoLabel).toBe('recover the autosave');
  });

  it('a save is confirmed in the state with its file and time; the autosave window is in the state', () => {
    const file = path.join(dir, 'gig.json');
    const s = new ShowSession({ path: file, nowMs: 0, rate: { num: 30, den: 1 }, configDir: dir, autosaveDelayMs: 50, wallNow: () => 1_700_000_000_000, onError: () => {} });
    expect(s.status(0)).toMatchObject({ lastSave: null, autosaveDelayMs: 50 });
    s.dispatch(cmd({ type: 'saveShow' }), 0);
    expect(s.status(0).lastSave).toEqual({ path: file, atMs: 1_700_000_000_000 });
    // An untitled show autosaves into the config folder; only without one is there no window to show.
    expect(session(null).status(0).autosaveDelayMs).toBe(50);
    expect(new ShowSession({ path: null, nowMs: 0, rate: { num: 30, den: 1 }, configDir: null, onError: () => {} }).status(0).autosaveDelayMs).toBeNull();
  });

  it('Save As onto another show names it and its cue count, so the console can ask "Replace X (N cues)?"', () => {
    const other = session(path.join(dir, 'full.json'));
    for (let i = 0; i < 4; i++) other.dispatch(cmd({ type: 'addCue' }), 0);
    other.dispatch(cmd({ type: 'updateShow', name: 'Full show' }), 0);
    other.dispatch(cmd({ type: 'saveShow' }), 0);
    const before = readFileSync(path.join(dir, 'full.json'), 'utf8');
    const empty = session(null);
    const refused = empty.dispatch(cmd({ type: 'saveShow', path: path.join(dir, 'full.json') }), 0);
    expect(refused.error?.message).toBe(
      `${path.join(dir, 'full.json')} already exists (a show "Full show" of 4 cues) and is not this show's file. Replace it with this show, or choose another name.`,
    );
    expect(refused.error?.details).toMatchObject({ overwritable: true, existingCues: 4 });
    expect(readFileSync(path.join(dir, 'full.json'), 'utf8')).toBe(before);
  });

  it('Save As into a folder that does not exist says so in words, not ENOENT', () => {
    const s = session(null);
    const refused = s.dispatch(cmd({ type: 'saveShow', path: path.join(dir, 'nope', 'gig.json') }), 0);
    expect(refused.error?.message).toBe(
      `Could not write ${path.join(dir, 'nope', 'gig.json')}: the folder ${path.join(dir, 'nope')} does not exist: create it first, or choose a file in a folder that exists.`,
    );
    expect(s.status(0).path).toBeNull();
  });
});

describe('an untitled show is autosaved too (nothing is lost before the first Save As)', () => {
  it('autosaves into the config folder and offers it to the next untitled start; Save As gives it a home and clears it', async () => {
    const s = session(null);
    s.dispatch(cmd({ type: 'addCue', patch: { prompt: 'unsaved fog' } }), 0);
    expect(s.status(0).autosaveDelayMs).toBe(50);
    await expect.poll(() => readdirSync(dir).filter((f) => f.endsWith('.autosave')).length, { timeout: 1000, interval: 10 }).toBe(1);
    await s.flush();
    // "Crash": the next start (untitled, as last session reopens it) offers the work without applying it.
    const next = session(null);
    const offered = next.status(0).recovery;
    expect(offered?.path.startsWith(dir)).toBe(true);
    expect(next.show.cues).toEqual([]);
    expect(next.dispatch(cmd({ type: 'recoverShow' }), 0).changed).toBe(true);
    expect(next.show.cues.map((c) => c.look.prompt)).toEqual(['unsaved fog']);
    // Save As: the show has its file; the untitled autosave is gone and a further untitled start offers nothing.
    const file = path.join(dir, 'named.json');
    expect(next.dispatch(cmd({ type: 'saveShow', path: file }), 0).error).toBeUndefined();
    expect(existsSync(offered?.path ?? '')).toBe(false);
    expect(session(null).status(0).recovery).toBeNull();
  });

  it('New discards the untitled autosave (the operator chose to start again); an untouched untitled show writes nothing', async () => {
    const s = session(null);
    s.dispatch(cmd({ type: 'addCue', patch: { prompt: 'scratch' } }), 0);
    await s.flush();
    expect(readdirSync(dir).filter((f) => f.endsWith('.autosave')).length).toBe(1);
    s.dispatch(cmd({ type: 'newShow' }), 0);
    await s.flush();
    expect(readdirSync(dir).filter((f) => f.endsWith('.autosave'))).toEqual([]);
    expect(session(null).status(0).recovery).toBeNull();
  });
});
