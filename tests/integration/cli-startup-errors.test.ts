/**
 * Startup errors as a user sees them (the built CLI, real processes, real sockets
 * on loopback): a port in use, a host that is not this machine's, an OSC port in
 * use, an unreadable flag each give one clear line on stderr (what is wrong, what
 * to do) and a clean non-zero exit, never a native abort ("terminate called ...").
 * Problems with --show / --model do not stop the node: they reach the log, with
 * what to do, and stay in the state for the console. Run `npm run build` first.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineState } from '../../app/contract/state.js';
import { startCli, type CliProcess } from '../helpers/cli-process.js';

let configDir: string;
const running: CliProcess[] = [];
beforeAll(() => {
  configDir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-startup-'));
});
afterAll(async () => {
  for (const cli of running) await cli.stop('SIGKILL');
  rmSync(configDir, { recursive: true, force: true });
});

function cli(...args: string[]): CliProcess {
  const started = startCli(args, { CYCLORAMA_CONFIG_DIR: configDir });
  running.push(started);
  return started;
}

/** The one-line failure contract: non-zero exit, not a signal, no native abort, one `cyclorama:` line on stderr. */
async function expectCleanFailure(failing: CliProcess, wanted: RegExp): Promise<string> {
  const { code, signal } = await failing.exited;
  const stderr = failing.stderr.join('\n');
  expect(signal, stderr).toBeNull();
  expect(code, stderr).toBe(1);
  expect(stderr).not.toMatch(/terminate called|Napi::Error|Aborted|core dumped/);
  expect(stderr).not.toMatch(/^\s+at /m); // no stack trace
  const lines = failing.stderr.filter((l) => l.trim() !== '');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(wanted);
  return lines[0]!;
}

describe('cyclorama serve: startup errors are one clear line and a clean exit', () => {
  it('a console port in use by another program', async () => {
    const first = cli('serve', '--port', '0', '--no-saved-outputs');
    const { port } = await first.ready();
    const second = cli('serve', '--port', String(port), '--no-saved-outputs');
    const line = await expectCleanFailure(second, new RegExp(`port ${port}.* in use by another program.*--port N`));
    expect(line).toMatch(/^cyclorama: /);
    // The first node is untouched.
    const state = (await (await fetch(`http://127.0.0.1:${port}/api/state`)).json()) as EngineState;
    expect(state.model.status).toBe('running');
    await first.stop();
  }, 120_000);

  it('an OSC port in use by another program', async () => {
    const blocker = dgram.createSocket('udp4');
    const oscPort = await new Promise<number>((resolve) => blocker.bind(0, '127.0.0.1', () => resolve(blocker.address().port)));
    try {
      const failing = cli('serve', '--port', '0', '--osc-port', String(oscPort), '--no-saved-outputs');
      await expectCleanFailure(failing, new RegExp(`OSC port ${oscPort} \\(UDP\\).* in use by another program.*--osc-port N`));
    } finally {
      blocker.close();
    }
  }, 120_000);

  it('an OSC-over-TCP port asked for that is in use', async () => {
    const blocker = net.createServer();
    const tcpPort = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)));
    try {
      const failing = cli('serve', '--port', '0', '--osc-port', '0', '--osc-tcp-port', String(tcpPort), '--no-saved-outputs');
      await expectCleanFailure(failing, new RegExp(`OSC port ${tcpPort} \\(TCP\\).* in use by another program.*--osc-tcp-port N, or --no-osc-tcp`));
    } finally {
      blocker.close();
    }
  }, 120_000);

  it('a --host that is not an address of this machine', async () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a real machine.
    const failing = cli('serve', '--host', '192.0.2.1', '--port', '0', '--no-saved-outputs');
    await expectCleanFailure(failing, /192\.0\.2\.1 is not an address of this machine.*--host/);
  }, 120_000);

  it('an unreadable flag value', async () => {
    const failing = cli('serve', '--port', 'lots');
    await expectCleanFailure(failing, /--port.*must be a whole number/);
  }, 60_000);
});

describe('cyclorama serve: problems with --show and --model reach the log and the state', () => {
  it('a broken show file and a missing model folder are logged with what to do, and listed in the state', async () => {
    const broken = path.join(configDir, 'broken.json');
    writeFileSync(broken, '{ "version": 1, "cues": [ oops ] }');
    const missingModel = path.join(configDir, 'no-such-model');
    const node = cli('serve', '--port', '0', '--no-saved-outputs', '--show', broken, '--model', missingModel);
    const { url } = await node.ready();
    const showLine = await node.waitForLine(/show-file: .*broken\.json/);
    expect(showLine).toMatch(/fix the file|--show/i);
    const modelLine = await node.waitForLine(/model-load-failed: .*no-such-model/);
    expect(modelLine).toMatch(/--model/);
    const state = (await (await fetch(`${url}api/state`)).json()) as EngineState;
    const codes = state.recentErrors.map((e) => e.code);
    expect(codes).toContain('show-file');
    expect(codes).toContain('model-load-failed');
    await node.stop();
    expect((await node.exited).code).toBe(0);
  }, 120_000);
});
