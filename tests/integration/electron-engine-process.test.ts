/**
 * Electron main's engine supervisor (app/main/engine-process.ts) driving the real
 * built engine entry (dist/app/engine/utility-entry.js) in real processes, with a
 * stand-in for Electron's utilityProcess: child_process.fork plus a parentPort shim
 * (tests/helpers/utility-process-stand-in.mjs). The start flags reach the engine
 * (show, prompt, console port); after a crash (SIGKILL) main restarts it and it
 * comes back with the same show, cue position and look; a deliberate stop ends it
 * cleanly (no restart, nothing left to resume). Run `npm run build` first.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { showSchema } from '../../app/contract/show.js';
import { EngineProcess, type UtilityProcessLike } from '../../app/main/engine-process.js';
import { RestartPolicy } from '../../app/main/restart-policy.js';
import { emptyShow, serializeShow } from '../../app/show/show-file.js';
import { connectTestClient, type TestClient } from '../helpers/engine-client.js';
import { waitUntil } from '../helpers/wait.js';

const entry = path.resolve('dist/app/engine/utility-entry.js');
const shim = path.resolve('tests/helpers/utility-process-stand-in.mjs');
let dir: string;
const children: ChildProcess[] = [];
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-utility-'));
});
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Stand-in for utilityProcess.fork: a Node child with the parentPort shim; its stdout lines are kept. */
function forkStandIn(args: string[]): UtilityProcessLike<never> & { child: ChildProcess; lines: string[] } {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" first.`);
  const child = fork(entry, args, {
    execArgv: ['--import', shim],
    silent: true,
    env: { ...process.env, CYCLORAMA_CONFIG_DIR: path.join(dir, 'config'), FORCE_COLOR: '0' },
  });
  children.push(child);
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
  createInterface({ input: child.stderr! }).on('line', (l) => lines.push(`[stderr] ${l}`));
  return {
    child,
    lines,
    postMessage: (message) => void (child.connected && child.send(message as object)),
    on: (event: 'message' | 'exit', listener: (value: never) => void) => child.on(event, listener as (value: unknown) => void),
    kill: () => child.kill('SIGKILL'),
  } as UtilityProcessLike<never> & { child: ChildProcess; lines: string[] };
}

function showOf(client: TestClient) {
  try {
    return client.latestState().show ?? null;
  } catch {
    return null;
  }
}

async function consoleOf(standIn: { lines: string[] }): Promise<TestClient> {
  const line = await waitUntil(() => standIn.lines.find((l) => l.startsWith('Cyclorama console: ')), {
    timeoutMs: 60_000,
    what: () => `the console line:\n${standIn.lines.join('\n')}`,
  });
  const url = /http:\/\/[^/\s?]+/.exec(line)![0];
  return connectTestClient(`${url.replace('http', 'ws')}/ws`);
}

describe('Electron main with a stand-in for utilityProcess, on the real engine entry', () => {
  it('carries the start flags, restarts a crashed engine where it was, and stops it cleanly on quit', async () => {
    const showFile = path.join(dir, 'gig.json');
    const cue = (n: number, prompt: string) => ({ id: `c${n}`, number: String(n), look: { prompt, seed: n }, transition: { durationMs: 0 } });
    writeFileSync(showFile, serializeShow(showSchema.parse({ ...emptyShow('gig'), cues: [cue(1, 'harbour at dawn'), cue(2, 'storm over the sea'), cue(3, 'night city')] })));

    const forked: ReturnType<typeof forkStandIn>[] = [];
    const logs: string[] = [];
    const engine = new EngineProcess<never>({
      fork: (args) => {
        const standIn = forkStandIn(args);
        forked.push(standIn);
        return standIn;
      },
      channel: () => ({ port1: undefined as never, port2: undefined as never }),
      startFlags: { show: showFile, prompt: 'snow field', seed: 11, port: 0, savedOutputs: false },
      policy: new RestartPolicy(),
      now: () => Date.now(),
      onConsolePort: () => {},
      onStarted: () => {},
      onDisplays: () => {},
      log: (line) => logs.push(line),
      // A clean stop on a loaded 2-core test machine can take seconds; the point here is that it is clean.
      stopTimeoutMs: 60_000,
    });
    engine.start();

    const first = await consoleOf(forked[0]!);
    const opened = await first.waitFor(() => showOf(first));
    expect(opened.path).toBe(showFile);
    expect(first.latestState().program).toMatchObject({ prompt: 'snow field', seed: 11 });
    expect(await first.connection.send({ type: 'fireCue', number: '2' })).toEqual({ ok: true });
    const lastSession = path.join(dir, 'config', 'last-session.json');
    await waitUntil(() => existsSync(lastSession) && JSON.parse(readFileSync(lastSession, 'utf8')).currentCueId === 'c2', { what: 'last-session.json at cue 2' });
    first.close();

    // A crash: main restarts the engine without --show/--prompt/--seed; it resumes its last session.
    forked[0]!.child.kill('SIGKILL');
    await waitUntil(() => forked.length === 2, { what: 'a restart' });
    expect(forked[1]!.child.spawnargs).not.toContain('--show');
    expect(logs[0]).toMatch(/restarting/);
    const second = await consoleOf(forked[1]!);
    const resumed = await second.waitFor(() => showOf(second));
    expect([resumed.path, resumed.currentCueId, resumed.standbyCueId]).toEqual([showFile, 'c2', 'c3']);
    expect(second.latestState().program.prompt).toBe('storm over the sea');
    second.close();

    // A deliberate quit: asked to stop, it exits 0, is not restarted, and leaves nothing to resume.
    await engine.stop();
    expect(logs.join('\n') + '\n' + forked[1]!.lines.join('\n')).not.toMatch(/did not stop in time/);
    expect(forked[1]!.child.exitCode).toBe(0);
    expect(forked).toHaveLength(2);
    expect(existsSync(lastSession)).toBe(false);
  }, 180_000);
});
