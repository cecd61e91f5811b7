/** The preflight checks at explicit inputs: each one green, and red with a reason and an action. */
import { describe, expect, it } from 'vitest';
import type { OutputStatus } from '../../../../app/contract/state.js';
import { evaluatePreflight, type PreflightInputs } from '../../../../app/engine/preflight/preflight.js';

const output = (patch: Partial<OutputStatus> = {}): OutputStatus => ({
  id: 'preview',
  kind: 'preview',
  name: 'Console program monitor',
  status: 'running',
  rate: { num: 30000, den: 1001 },
  fps: 30,
  freshFrames: 100,
  repeatedFrames: 0,
  missedTicks: 2,
  ...patch,
});
const good: PreflightInputs = {
  ndi: { ok: true, version: 'NDI SDK LINUX 5.5.2', path: '/vendor/ndi/libndi.so.5', source: 'bundled' },
  model: { id: 'builtin', name: 'Built-in', status: 'running', provider: 'cpu', fallbacks: [], width: 640, height: 360 },
  intendedProvider: 'cpu',
  ttff: { ok: true, ms: 42.4 },
  outputsBefore: [output()],
  outputsAfter: [output()],
  show: { path: '/shows/gig.json', dirty: false },
};
const byId = (inputs: PreflightInputs) => Object.fromEntries(evaluatePreflight(inputs).map((c) => [c.id, c]));

describe('evaluatePreflight', () => {
  it('all green: every check ok with what was found, no action', () => {
    const checks = evaluatePreflight(good);
    expect(checks.map((c) => c.id)).toEqual(['ndi-runtime', 'model-provider', 'ttff', 'outputs', 'show-saved']);
    for (const c of checks) {
      expect(c.ok, c.id).toBe(true);
      expect(c.action).toBeUndefined();
    }
    expect(byId(good)['ndi-runtime']!.detail).toContain('5.5.2');
    expect(byId(good).ttff!.detail).toBe('42 ms, measured now.');
  });

  it('NDI runtime missing is red with the loader message and what to install', () => {
    const c = byId({ ...good, ndi: { ok: false, message: 'NDI runtime not found in /tmp/empty.' } })['ndi-runtime']!;
    expect(c.ok).toBe(false);
    expect(c.detail).toContain('/tmp/empty');
    expect(c.action).toMatch(/Install the NDI Runtime/);
  });

  it('a model on another provider than intended is red and names both and why', () => {
    const c = byId({ ...good, intendedProvider: 'cuda', model: { ...good.model, fallbacks: [{ provider: 'cuda', reason: 'libcudart missing' }] } })['model-provider']!;
    expect(c.ok).toBe(false);
    expect(c.detail).toBe('Built-in runs on CPU, intended CUDA (libcudart missing).');
    expect(byId({ ...good, model: { ...good.model, status: 'failed' } })['model-provider']!.ok).toBe(false);
  });

  it('TTFF over the limit or not measurable is red', () => {
    expect(byId({ ...good, ttff: { ok: true, ms: 1500 } }).ttff!.ok).toBe(false);
    const c = byId({ ...good, ttff: { ok: false, reason: 'Not measured: a black panic is on.' } }).ttff!;
    expect(c.ok).toBe(false);
    expect(c.detail).toContain('panic');
  });

  it('outputs: under 95% of the rate, missed ticks during the run, or failed are red', () => {
    expect(byId({ ...good, outputsAfter: [output({ fps: 28.5 })] }).outputs!.ok).toBe(true); // 29.97 * 0.95 = 28.47
    expect(byId({ ...good, outputsAfter: [output({ fps: 28.4 })] }).outputs!.detail).toMatch(/28.4 of 29.97 fps/);
    expect(byId({ ...good, outputsAfter: [output({ missedTicks: 5 })] }).outputs!.detail).toBe('Console program monitor: 3 ticks missed just now');
    const failed = byId({ ...good, outputsAfter: [output(), output({ id: 'ndi-1', kind: 'ndi', name: 'Wall A', status: 'failed', fps: 0, message: 'no runtime' })] }).outputs!;
    expect(failed.ok).toBe(false);
    expect(failed.detail).toBe('Wall A: failed (no runtime)');
    expect(failed.action).toBeDefined();
  });
});

describe('show-saved check', () => {
  it('untitled and dirty shows are red with what to do; a saved one is green', () => {
    expect(byId({ ...good, show: { path: null, dirty: false } })['show-saved']!).toMatchObject({ ok: false, action: expect.stringMatching(/Save As/) });
    expect(byId({ ...good, show: { path: '/s/gig.json', dirty: true } })['show-saved']!).toMatchObject({ ok: false, detail: expect.stringMatching(/Unsaved edits/) });
    expect(byId(good)['show-saved']!.ok).toBe(true);
  });
});
