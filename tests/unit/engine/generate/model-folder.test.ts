import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { providerCandidates } from '../../../../app/engine/generate/execution-providers.js';
import { builtinModelDir, loadModelFolder } from '../../../../app/engine/generate/model-folder.js';
import { makeFifo } from '../../../helpers/fifo.js';

const dirs: string[] = [];
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cyclorama-model-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('model folders', () => {
  it('loads the built-in model manifest', () => {
    const result = loadModelFolder(builtinModelDir());
    expect(result.ok).toBe(true);
  });

  it('names the missing model.json', () => {
    const dir = folder({});
    const result = loadModelFolder(dir);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('model-load-failed');
      expect(result.error.message).toContain(path.join(dir, 'model.json'));
    }
  });

  it('names the file and the field of a bad manifest', () => {
    const manifest = JSON.parse(readFileSync(path.join(builtinModelDir(), 'model.json'), 'utf8'));
    manifest.nativeSize.width = -5;
    const result = loadModelFolder(folder({ 'model.json': JSON.stringify(manifest) }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain('nativeSize.width');
    const broken = loadModelFolder(folder({ 'model.json': '{ "id": ' }));
    expect(!broken.ok && broken.error.message).toContain('not valid JSON');
  });

  it('refuses a FIFO named model.json at once instead of waiting for a writer', () => {
    const dir = folder({});
    const fifo = makeFifo(path.join(dir, 'model.json'), '{"schemaVersion": 1');
    try {
      const result = loadModelFolder(dir);
      expect(!result.ok && result.error.message).toMatch(/model\.json is not a regular file \(it is a named pipe/);
    } finally {
      fifo.close();
    }
  });

  it('refuses an oversized model.json by its size, and never quotes it in a JSON error', () => {
    const dir = folder({ 'model.json': '' });
    truncateSync(path.join(dir, 'model.json'), 5 * 1024 * 1024);
    const big = loadModelFolder(dir);
    expect(!big.ok && big.error.message).toMatch(/too large \(5(\.0)? MB; the limit is 1(\.0)? MB\)/);
    const quoted = loadModelFolder(folder({ 'model.json': '\u00a7 not json' }));
    expect(!quoted.ok && quoted.error.message).toContain('not valid JSON');
    expect(!quoted.ok && quoted.error.message).not.toContain('\u00a7');
  });

  it('names a graph file the manifest promises but the folder lacks', () => {
    const manifest = readFileSync(path.join(builtinModelDir(), 'model.json'), 'utf8');
    const result = loadModelFolder(folder({ 'model.json': manifest }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/files\.graph|files\.vocabulary/);
  });
});

describe('execution provider order', () => {
  const supported = [
    { name: 'cpu', bundled: true },
    { name: 'webgpu', bundled: true },
    { name: 'cuda', bundled: false },
  ];
  it('keeps the model preference, drops what this build lacks, and always ends on the CPU', () => {
    const { candidates, skipped } = providerCandidates(['tensorrt', 'cuda', 'webgpu'], supported);
    expect(candidates).toEqual(['cuda', 'webgpu', 'cpu']);
    expect(skipped.map((s) => s.provider)).toEqual(['tensorrt']);
  });
  it('skips WebGPU without a GPU device (software Vulkan is slower than the CPU) unless asked for by name', () => {
    const { candidates, skipped } = providerCandidates(['cuda', 'webgpu', 'cpu'], supported, undefined, false);
    expect(candidates).toEqual(['cuda', 'cpu']);
    expect(skipped.find((s) => s.provider === 'webgpu')?.reason).toMatch(/no GPU device/);
    expect(providerCandidates(['cpu'], supported, 'webgpu', false).candidates).toEqual(['webgpu']);
  });

  it('honours an explicit provider without adding a fallback', () => {
    expect(providerCandidates(['cpu'], supported, 'webgpu').candidates).toEqual(['webgpu']);
    expect(providerCandidates(['cpu'], supported, 'coreml').candidates).toEqual([]);
  });
});
