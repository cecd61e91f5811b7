/** NDI settings: CLI flags -> engine settings, the discovery config file, the runtime search order. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyNdiDiscovery, ndiConfigJson } from '../../../../app/engine/ndi/discovery.js';
import { ndiSettingsFromFlags, parseNdiRate, parseNdiSize } from '../../../../app/engine/ndi/flags.js';
import { runtimeCandidates } from '../../../../app/engine/ndi/runtime.js';

describe('NDI settings', () => {
  it('turns --ndi flags into outputs with rational rates', () => {
    expect(parseNdiRate('59.94')).toEqual({ num: 60000, den: 1001 });
    expect(parseNdiRate('23.976')).toEqual({ num: 24000, den: 1001 });
    expect(() => parseNdiRate('59.9')).toThrow(/must be one of/);
    expect(parseNdiSize('1280x720')).toEqual({ width: 1280, height: 720 });
    expect(() => parseNdiSize('1281x720')).toThrow(/even width/);
    expect(ndiSettingsFromFlags({})).toBeUndefined();
    expect(ndiSettingsFromFlags({ ndi: ['Wall A', 'Wall B'], ndiRate: '50', ndiSize: '1920x1080', ndiExtraIps: '127.0.0.1' })).toEqual({
      outputs: [
        { name: 'Wall A', width: 1920, height: 1080, rate: { num: 50, den: 1 } },
        { name: 'Wall B', width: 1920, height: 1080, rate: { num: 50, den: 1 } },
      ],
      extraIps: '127.0.0.1',
    });
  });

  it('writes ndi-config.v1.json with extra IPs and discovery servers and points NDI_CONFIG_DIR at it', () => {
    expect(JSON.parse(ndiConfigJson({ extraIps: '127.0.0.1', discoveryServers: '10.0.0.2:5959' }))).toEqual({
      ndi: { networks: { ips: '127.0.0.1', discovery: '10.0.0.2:5959' } },
    });
    const env: NodeJS.ProcessEnv = {};
    expect(applyNdiDiscovery({}, env)).toBeNull();
    expect(env.NDI_CONFIG_DIR).toBeUndefined();
    const dir = mkdtempSync(path.join(tmpdir(), 'cyclorama-ndi-unit-'));
    try {
      expect(applyNdiDiscovery({ extraIps: '10.1.1.1', configDir: dir }, env)).toBe(dir);
      expect(env.NDI_CONFIG_DIR).toBe(dir);
      expect(JSON.parse(readFileSync(path.join(dir, 'ndi-config.v1.json'), 'utf8')).ndi.networks.ips).toBe('10.1.1.1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('looks for an installed runtime (V6 before V5) before the bundled one; an explicit folder is the only one tried', () => {
    const list = runtimeCandidates({ env: { NDI_RUNTIME_DIR_V5: '/opt/ndi5', NDI_RUNTIME_DIR_V6: '/opt/ndi6' } });
    const files = list.map((c) => c.file);
    const v6 = files.findIndex((f) => f.startsWith('/opt/ndi6'));
    const v5 = files.findIndex((f) => f.startsWith('/opt/ndi5'));
    const bundled = list.findIndex((c) => c.source === 'bundled');
    expect(v6).toBeGreaterThanOrEqual(0);
    expect(v6).toBeLessThan(v5);
    expect(v5).toBeLessThan(bundled);
    expect(bundled).toBe(list.length - list.filter((c) => c.source === 'bundled').length);
    const only = runtimeCandidates({ runtimeDir: '/somewhere', env: { NDI_RUNTIME_DIR_V6: '/opt/ndi6' } });
    expect(only.every((c) => c.source === 'explicit' && c.file.startsWith('/somewhere'))).toBe(true);
  });
});
