/**
 * Autosave against a real kill: the built headless engine (`cyclorama serve
 * --show FILE`) takes a stream of edits over the WebSocket, is SIGKILLed in the
 * middle of them, and restarted on the same file. The restart must offer the
 * autosave, and recovering it must bring back every edit acknowledged more than
 * a second before the kill. Run `npm run build` first (it uses dist/).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOW_FILE_VERSION } from '../../app/contract/show.js';
import type { EngineState } from '../../app/contract/state.js';
import { emptyShow } from '../../app/show/show-file.js';
import { connectTestClient, type TestClient } from '../helpers/engine-client.js';

const cli = path.resolve('dist/app/cli.js');
let dir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-kill-'));
});
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function startServe(showFile: string): Promise<{ child: ChildProcess; url: string }> {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run "npm run build" first.`);
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--show', showFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CYCLORAMA_CONFIG_DIR: dir, FORCE_COLOR: '0' },
  });
  children.push(child);
  const lines: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line:\n${lines.join('\n')}`)), 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const match = /^Cyclorama console: http:\/\/(127\.0\.0\.1:\d+)\//.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(`ws://${match[1]}/ws`);
      }
    });
    createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
    child.once('exit', (code) => reject(new Error(`engine exited (${code}):\n${lines.join('\n')}`)));
  });
  return { child, url };
}

function maybeShow(client: TestClient): EngineState['show'] | null {
  for (let i = client.events.length - 1; i >= 0; i--) {
    const event = client.events[i];
    if (event && (event.kind === 'state' || event.kind === 'hello') && event.state.show) return event.state.show;
  }
  return null;
}
function latestShow(client: TestClient): NonNullable<EngineState['show']> {
  const show = maybeShow(client);
  if (!show) throw new Error('no show state yet');
  return show;
}

describe('autosave survives SIGKILL', () => {
  it('after a kill mid-edit, the restart offers the autosave and nothing older than a second is lost', async () => {
    const showFile = path.join(dir, 'gig.json');
    const first = await startServe(showFile);
    const client = await connectTestClient(first.url);
    expect(await client.connection.send({ type: 'addCue', patch: { prompt: 'harbour at dawn', name: 'edit-0' } })).toEqual({ ok: true });

    // A stream of edits, each acknowledged by the engine; the kill lands at a random moment in it.
    const acked: { n: number; atMs: number }[] = [];
    const killAfterMs = 1500 + Math.random() * 1500;
    const startedAt = performance.now();
    let n = 0;
    let killedAt = 0;
    const editing = (async () => {
      while (killedAt === 0) {
        n++;
        const sent = n;
        const edit = sent % 5 === 0 ? { type: 'addCue' as const, patch: { name: `edit-${sent}` } } : { type: 'updateCue' as const, cueId: 'c1', patch: { name: `edit-${sent}` } };
        const result = await client.connection.send(edit);
        if (result.ok) acked.push({ n: sent, atMs: performance.now() });
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    await new Promise((r) => setTimeout(r, killAfterMs));
    // Listen before killing: the child may be gone before `editing` settles.
    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    killedAt = performance.now();
    await editing;
    client.close();
    await exited;
    expect(startedAt).toBeLessThan(killedAt);

    // Everything acknowledged a second or more before the kill must come back.
    const mustHave = acked.filter((a) => a.atMs <= killedAt - 1000).at(-1);
    expect(mustHave, 'edits were acknowledged more than a second before the kill').toBeDefined();
    expect(readdirSync(dir).some((f) => f.endsWith('.autosave'))).toBe(true);

    const second = await startServe(showFile);
    const again = await connectTestClient(second.url);
    await again.waitFor(() => maybeShow(again));
    expect(latestShow(again).recovery, 'the restart offers the autosave').not.toBeNull();
    expect(await again.connection.send({ type: 'recoverShow' })).toEqual({ ok: true });
    await again.waitFor(() => latestShow(again).recovery === null && latestShow(again).document.cues.length > 0);
    const doc = latestShow(again).document;
    const seen = Math.max(...doc.cues.map((c) => Number(/^edit-(\d+)$/.exec(c.name)?.[1] ?? -1)));
    test_note(`kill after ${Math.round(killAfterMs)} ms, ${acked.length} edits acknowledged, must have #${mustHave!.n}, recovered up to #${seen}`);
    expect(seen).toBeGreaterThanOrEqual(mustHave!.n);
    // Added cues are there too (every 5th edit added one).
    expect(doc.cues.length).toBeGreaterThanOrEqual(1 + Math.floor(mustHave!.n / 5));
    again.close();
    const secondExited = new Promise((r) => second.child.once('exit', r));
    second.child.kill('SIGTERM');
    await secondExited;
  }, 120_000);
});

async function killAndWait(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

describe('show files are not lost across restarts', () => {
  it('a newer show file given with --show stays read-only: the state says why, the error is recorded, Save refuses, the file is intact', async () => {
    const file = path.join(dir, 'newer.json');
    const text = JSON.stringify({ ...emptyShow('From a newer build'), version: SHOW_FILE_VERSION + 1 }, null, 2);
    writeFileSync(file, text);
    const engine = await startServe(file);
    const client = await connectTestClient(engine.url);
    await client.waitFor(() => maybeShow(client));
    expect(latestShow(client).path).toBe(file);
    expect(latestShow(client).readOnly?.reason).toMatch(new RegExp(`newer Cyclorama \\(file version ${SHOW_FILE_VERSION + 1};`));
    await client.waitFor(() => client.latestState().recentErrors.find((e) => e.code === 'show-file' && /newer Cyclorama/.test(e.message)));
    expect(await client.connection.send({ type: 'addCue', patch: { prompt: 'new work' } })).toEqual({ ok: true });
    const saved = await client.connection.send({ type: 'saveShow' });
    expect(saved.ok).toBe(false);
    if (!saved.ok) expect(saved.error.message).toMatch(/failed to load.*Save As/);
    expect(readFileSync(file, 'utf8')).toBe(text);
    client.close();
    await killAndWait(engine.child);
    expect(readFileSync(file, 'utf8')).toBe(text);
  }, 120_000);

  it("a second kill before Recover/Discard still offers the first crash's work", async () => {
    const file = path.join(dir, 'twice.json');
    const first = await startServe(file);
    const a = await connectTestClient(first.url);
    await a.connection.send({ type: 'addCue', patch: { prompt: 'work from before the first crash' } });
    await a.waitFor(() => latestShow(a).lastAutosaveAtMs !== null);
    a.close();
    await killAndWait(first.child);

    const second = await startServe(file);
    const b = await connectTestClient(second.url);
    await b.waitFor(() => maybeShow(b));
    expect(latestShow(b).recovery).not.toBeNull();
    // An edit before deciding, autosaved, then a second crash.
    await b.connection.send({ type: 'addCue', patch: { prompt: 'edit before deciding' } });
    await b.waitFor(() => latestShow(b).lastAutosaveAtMs !== null);
    b.close();
    await killAndWait(second.child);

    const third = await startServe(file);
    const c = await connectTestClient(third.url);
    await c.waitFor(() => maybeShow(c));
    expect(latestShow(c).recovery, "the first crash's work is still offered").not.toBeNull();
    expect(await c.connection.send({ type: 'recoverShow' })).toEqual({ ok: true });
    await c.waitFor(() => latestShow(c).recovery === null);
    expect(latestShow(c).document.cues.map((cue) => cue.look.prompt)).toEqual(['work from before the first crash']);
    c.close();
    await killAndWait(third.child);
  }, 120_000);
});

function test_note(line: string): void {
  console.log(`[kill test] ${line}`);
}
