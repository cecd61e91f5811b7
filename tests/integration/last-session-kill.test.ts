/**
 * Back where it was after a kill -9 (issue 16; the same mechanism Electron main's
 * crash restart uses): the built CLI on a config folder of its own opens a show,
 * fires to cue 2, makes an edit that is autosaved but not saved, and is SIGKILLed.
 * Started again with no flags it reopens the same show file at the same cue
 * position (cue 2 last fired, cue 3 on standby), with cue 2's look on air, and
 * offers the autosave at once. A clean stop leaves nothing to resume.
 * Run `npm run build` first (it uses dist/).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestClient, type TestClient } from '../helpers/engine-client.js';
import { startCli, type CliProcess } from '../helpers/cli-process.js';
import { waitUntil } from '../helpers/wait.js';

let dir: string;
const running: CliProcess[] = [];
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-resume-'));
});
afterAll(async () => {
  for (const cli of running) await cli.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const configDir = () => path.join(dir, 'config');
function serve(...args: string[]): CliProcess {
  const cli = startCli(['serve', '--port', '0', '--no-saved-outputs', ...args], { CYCLORAMA_CONFIG_DIR: configDir() });
  running.push(cli);
  return cli;
}
const wsUrl = (url: string) => `${url.replace(/^http/, 'ws')}ws`;
const lastSessionFile = () => path.join(configDir(), 'last-session.json');
/** The newest show status, or null before the first state arrives. */
function showOf(client: TestClient) {
  try {
    return client.latestState().show ?? null;
  } catch {
    return null;
  }
}

describe('a start after kill -9 comes back where the engine was', () => {
  it('reopens the show at the same cue position and offers the autosave', async () => {
    const showFile = path.join(dir, 'gig.json');
    const first = serve('--show', showFile);
    const client = await connectTestClient(wsUrl((await first.ready()).url));
    for (const prompt of ['harbour at dawn', 'storm over the sea', 'night city']) {
      expect(await client.connection.send({ type: 'addCue', patch: { prompt, name: prompt } })).toEqual({ ok: true });
    }
    expect(await client.connection.send({ type: 'saveShow' })).toEqual({ ok: true });
    expect(await client.connection.send({ type: 'fireCue', number: '2' })).toEqual({ ok: true });
    const cues = await client.waitFor(() => (showOf(client)?.currentCueId ? showOf(client)!.document.cues : null));
    const [, cue2, cue3] = cues;
    expect(client.latestState().show?.currentCueId).toBe(cue2!.id);
    // An edit after the save: autosaved, not saved.
    expect(await client.connection.send({ type: 'updateCue', cueId: cue3!.id, patch: { notes: 'edited after the save' } })).toEqual({ ok: true });
    await client.waitFor(() => showOf(client)?.lastAutosaveAtMs);
    // lastAutosaveAtMs may still be the autosave from before the save: wait for this edit's own autosave on disk.
    await waitUntil(() => existsSync(`${showFile}.autosave`) && readFileSync(`${showFile}.autosave`, 'utf8').includes('edited after the save'), {
      what: 'the autosave with the edit',
    });
    await waitUntil(() => existsSync(lastSessionFile()) && JSON.parse(readFileSync(lastSessionFile(), 'utf8')).currentCueId === cue2!.id, { what: 'last-session.json with cue 2' });
    client.close();
    await first.stop('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = serve();
    const again = await connectTestClient(wsUrl((await second.ready()).url));
    const show = await again.waitFor(() => showOf(again));
    expect(show.path).toBe(showFile);
    expect(show.currentCueId).toBe(cue2!.id);
    expect(show.standbyCueId).toBe(cue3!.id);
    expect(show.recovery, 'the autosave is offered at once').not.toBeNull();
    // The offer is the autosave with the edit made after the save, and the state says how young an edit may be lost.
    expect(readFileSync(show.recovery!.path, 'utf8')).toContain('edited after the save');
    expect(show.autosaveDelayMs, 'the autosave window, for the console').toBeGreaterThan(0);
    expect(again.latestState().program.prompt).toBe('storm over the sea');
    await second.waitForLine(/resumed the last session .*gig\.json/);
    expect(await again.connection.send({ type: 'recoverShow' })).toEqual({ ok: true });
    await again.waitFor(() => showOf(again)?.document.cues.find((c) => c.id === cue3!.id)?.notes === 'edited after the save');
    again.close();

    // A clean stop: nothing to resume, the next start is a fresh untitled show.
    await second.stop('SIGTERM');
    expect((await second.exited).code).toBe(0);
    expect(existsSync(lastSessionFile())).toBe(false);
    const third = serve();
    const fresh = await connectTestClient(wsUrl((await third.ready()).url));
    expect((await fresh.waitFor(() => showOf(fresh))).path).toBeNull();
    fresh.close();
    await third.stop();
  }, 180_000);
});
