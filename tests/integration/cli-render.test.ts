/**
 * The `cyclorama` command as a user runs it (the built dist/ CLI, a real process):
 * render writes PNG frames, the same prompt and seed give the same files, bad
 * arguments get a message that names the problem.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = path.resolve('dist/app/cli.js');
const out = mkdtempSync(path.join(tmpdir(), 'cyclorama-render-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function cyclorama(...args: string[]) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first (npm test does).`);
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
}

describe('cyclorama render', () => {
  it('writes PNG frames of the requested size, identical for the same prompt and seed', () => {
    const args = ['--prompt', 'storm clouds over the sea', '--seed', '4', '--frames', '2', '--width', '320', '--height', '180'];
    const first = cyclorama('render', ...args, '--out', path.join(out, 'a'));
    expect(first.status, first.stderr).toBe(0);
    const second = cyclorama('render', ...args, '--out', path.join(out, 'b'));
    expect(second.status, second.stderr).toBe(0);
    for (const name of ['frame-0001.png', 'frame-0002.png']) {
      const a = readFileSync(path.join(out, 'a', name));
      expect(a.equals(readFileSync(path.join(out, 'b', name)))).toBe(true);
      const png = PNG.sync.read(a);
      expect([png.width, png.height]).toEqual([320, 180]);
    }
    // Frames 1 and 2 are 1/30 s apart: the picture moves.
    expect(readFileSync(path.join(out, 'a', 'frame-0001.png')).equals(readFileSync(path.join(out, 'a', 'frame-0002.png')))).toBe(false);
  });

  it('explains bad arguments and exits non-zero', () => {
    const result = cyclorama('render', '--prompt', 'x', '--out', out, '--frames', 'lots');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/--frames.*must be a whole number/);
    const missingModel = cyclorama('render', '--prompt', 'x', '--out', out, '--model', path.join(out, 'no-such-model'));
    expect(missingModel.status).toBe(1);
    expect(missingModel.stderr).toMatch(/no-such-model.*model\.json not found/);
  });
});
