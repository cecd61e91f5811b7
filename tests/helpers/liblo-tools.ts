/**
 * liblo (Debian liblo-tools / liblo-dev, the most common C OSC library) as the real
 * OSC client in tests: `oscsend` and `oscdump` as they ship, plus
 * tests/fixtures/liblo/osc-tcp-client.c (compiled with `cc ... -llo` into a temp
 * folder) for what oscsend cannot do: SLIP over TCP, and reading the replies and
 * feedback that come back on the connection.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SOURCE = join(import.meta.dirname, '../fixtures/liblo/osc-tcp-client.c');
const INSTALL = 'install it: apt-get install -y liblo-tools liblo-dev (scripts/setup-test-machine.sh)';

/** `oscsend URL ADDRESS TYPES VALUES...`, as a person types it. */
export async function oscsend(url: string, address: string, types = '', ...values: string[]): Promise<void> {
  try {
    await run('oscsend', [url, address, ...(types ? [types, ...values] : [])], { timeout: 10_000 });
  } catch (error) {
    throw new Error(`oscsend ${url} ${address} failed (${INSTALL}): ${String(error)}`);
  }
}

export interface OscDump {
  /** Lines as oscdump prints them: "/cyclorama/standby/name s \"Snow\"". */
  lines: string[];
  stop(): void;
}

/** `oscdump -L PORT` (UDP), collecting its lines. */
export function oscdump(port: number): OscDump {
  const child: ChildProcess = spawn('oscdump', ['-L', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let rest = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.on('error', (error) => lines.push(`oscdump failed to start (${INSTALL}): ${error.message}`));
  return { lines, stop: () => void child.kill() };
}

export interface LibloTcpClient {
  /** Sends one message over TCP in liblo's framing, then prints what arrives on the connection for `waitMs`. */
  send(port: number, framing: 'slip' | 'length', address: string, int?: number, waitMs?: number): Promise<string[]>;
  dispose(): void;
}

export function buildLibloTcpClient(): LibloTcpClient {
  const dir = mkdtempSync(join(tmpdir(), 'liblo-client-'));
  const binary = join(dir, 'osc-tcp-client');
  try {
    execFileSync('cc', ['-O2', '-o', binary, SOURCE, '-llo'], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not build the liblo test client (${INSTALL}): ${String((error as { stderr?: Buffer }).stderr ?? error)}`);
  }
  return {
    async send(port, framing, address, int, waitMs = 0) {
      const args = [String(port), framing, String(waitMs), address, ...(int === undefined ? [] : [String(int)])];
      const { stdout } = await run(binary, args, { timeout: 10_000 + waitMs });
      return stdout.split('\n').filter((l) => l.length > 0);
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
