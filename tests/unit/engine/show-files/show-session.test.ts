/**
 * The engine's show session on a real file system (a temp folder): autosave
 * timing and atomicity, recovery offered after a "crash", save/open/save-as,
 * a broken file that leaves the current show loaded, undo/redo, wall log CSV.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandSchema, type CommandInput } from '../../../../app/contract/commands.js';
import type { EngineError } from '../../../../app/contract/errors.js';
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
    expect(csv[1]).toMatch(/^\d{4}-\d\d-\d\dT.*,\d\d:\d\d:\d\d:\d\d,\d+,cue,10,Open,"harbour, dawn",,4,2000,ease-in-out,none$/);
  });
});
