/**
 * The repository is whole on its own: no source, test, benchmark or script reads the
 * development setup's folder beside the checkout (the one named "shared"), however the path is spelled.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const FOLDERS = ['app', 'renderer', 'tests', 'bench', 'scripts', 'models', 'companion-module/src', '.ci'];
const SOURCE = /\.(ts|tsx|cts|mts|js|mjs|cjs|json|sh|yml)$|^run$/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'build' ? [] : files(full);
    return SOURCE.test(entry.name) ? [full] : [];
  });
}

// Built from parts so that this file does not match itself.
const up = '..';
const name = 'shared';
const spellings = [new RegExp(`${up.replace(/\./g, '\\.')}[/\\\\]${name}\\b`), new RegExp(`['"]${up.replace(/\./g, '\\.')}['"]\\s*,\\s*['"]${name}['"]`)];

describe('the repository is self-contained', () => {
  it(`nothing reads ${up}/${name} (relative path or path.join parts)`, () => {
    const all = FOLDERS.flatMap((folder) => files(path.join(root, folder)));
    expect(all.length).toBeGreaterThan(100);
    const offenders = all.filter((file) => spellings.some((re) => re.test(readFileSync(file, 'utf8')))).map((file) => path.relative(root, file));
    expect(offenders).toEqual([]);
  });
});
