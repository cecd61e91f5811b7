/**
 * scripts/setup-test-machine.sh elevates itself only when needed: as root it runs apt-get
 * directly, as a user with sudo it goes through sudo, and with neither it prints one line
 * naming what to install and exits non-zero. Run with stand-ins for id, sudo, apt-get and
 * dpkg-query on a PATH of their own (nothing is installed; the real tools are never called).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = path.resolve(import.meta.dirname, '../../../scripts/setup-test-machine.sh');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function stub(dir: string, name: string, body: string): void {
  writeFileSync(path.join(dir, name), `#!/bin/bash\n${body}\n`);
  chmodSync(path.join(dir, name), 0o755);
}

/** A PATH with nothing installed (no chromium, no cc, no backports Mesa) and a log of privileged calls. */
function machine({ uid, sudo }: { uid: number; sudo: boolean }): { bin: string; log: string } {
  const bin = mkdtempSync(path.join(tmpdir(), 'cyclorama-setup-'));
  dirs.push(bin);
  const log = path.join(bin, 'calls.log');
  for (const tool of ['grep', 'cat', 'env'])
    symlinkSync(
      spawnSync('bash', ['-c', `command -v ${tool}`])
        .stdout.toString()
        .trim(),
      path.join(bin, tool),
    );
  stub(bin, 'id', `echo "\${FAKE_UID}"`);
  stub(bin, 'dpkg-query', 'exit 1');
  stub(bin, 'apt-get', `echo "apt-get as uid $(id -u): $*" >> "${log}"`);
  stub(bin, 'tee', `echo "tee as uid $(id -u): $*" >> "${log}"; cat > /dev/null`);
  if (sudo) stub(bin, 'sudo', `echo "sudo $1" >> "${log}"; FAKE_UID=0 env "$@"`);
  return { bin, log };
}

function run(uid: number, sudo: boolean) {
  const { bin, log } = machine({ uid, sudo });
  const result = spawnSync('/bin/bash', [SCRIPT], { env: { PATH: bin, FAKE_UID: String(uid) }, encoding: 'utf8' });
  const calls = spawnSync('/bin/bash', ['-c', `cat "${log}" 2>/dev/null`], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .filter(Boolean);
  return { status: result.status, stderr: result.stderr, calls };
}

describe('setup-test-machine.sh, with stand-ins for id, sudo and apt-get', () => {
  it('as root, runs apt-get directly (no sudo)', () => {
    const { calls } = run(0, true);
    expect(calls).toContain('apt-get as uid 0: install -y -qq chromium');
    expect(calls).toContain('apt-get as uid 0: install -y -qq gcc libc6-dev');
    expect(calls.some((line) => line.startsWith('sudo'))).toBe(false);
  });

  it('as a user with sudo, runs every apt-get through sudo', () => {
    const { calls } = run(1000, true);
    const aptCalls = calls.filter((line) => line.startsWith('apt-get'));
    expect(aptCalls.length).toBeGreaterThanOrEqual(4);
    expect(aptCalls.every((line) => line.startsWith('apt-get as uid 0:'))).toBe(true);
    expect(calls.filter((line) => line === 'sudo DEBIAN_FRONTEND=noninteractive')).toHaveLength(aptCalls.length);
  });

  it('as a user without sudo, prints one line naming the packages and exits non-zero', () => {
    const { status, stderr, calls } = run(1000, false);
    expect(status).not.toBe(0);
    expect(calls).toEqual([]);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/not root and no sudo/);
    expect(lines[0]).toMatch(/chromium/);
    expect(lines[0]).toMatch(/gcc/);
    expect(lines[0]).toMatch(/mesa-vulkan-drivers/);
  });
});
