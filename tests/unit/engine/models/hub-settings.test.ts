import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { hubSettingsFromEnv, proxyFor } from '../../../../app/engine/models/hub-settings.js';

const home = mkdtempSync(path.join(tmpdir(), 'cyclorama-hub-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('hub settings from the environment (the hub tools’ conventions)', () => {
  it('defaults to huggingface.co and ~/.cache/huggingface/hub, online, no token, direct', () => {
    expect(hubSettingsFromEnv({ HOME: home })).toEqual({
      endpoint: 'https://huggingface.co',
      token: null,
      cacheDir: path.join(home, '.cache', 'huggingface', 'hub'),
      offline: false,
      proxy: null,
    });
  });

  it('reads HF_ENDPOINT (trailing slash dropped), HF_TOKEN, HF_HUB_CACHE and HF_HUB_OFFLINE', () => {
    const s = hubSettingsFromEnv({ HOME: home, HF_ENDPOINT: 'https://mirror.example/', HF_TOKEN: ' hf_abc\n', HF_HUB_CACHE: '/data/hub', HF_HUB_OFFLINE: 'YES' });
    expect(s).toMatchObject({ endpoint: 'https://mirror.example', token: 'hf_abc', cacheDir: '/data/hub', offline: true });
    expect(hubSettingsFromEnv({ HOME: home, HF_HUB_OFFLINE: '0' }).offline).toBe(false);
  });

  it('HF_HOME moves the cache and the token file; HF_TOKEN_PATH names the token file', () => {
    const hfHome = path.join(home, 'hf');
    const s = hubSettingsFromEnv({ HOME: home, HF_HOME: hfHome });
    expect(s.cacheDir).toBe(path.join(hfHome, 'hub'));
    mkdirSync(hfHome, { recursive: true });
    writeFileSync(path.join(hfHome, 'token'), 'hf_saved_by_login\n'); // where `huggingface-cli login` saves it
    expect(hubSettingsFromEnv({ HOME: home, HF_HOME: hfHome }).token).toBe('hf_saved_by_login');
    expect(hubSettingsFromEnv({ HOME: home, HF_HOME: hfHome, HF_TOKEN: 'hf_env' }).token).toBe('hf_env'); // the variable wins
    const tokenFile = path.join(home, 'token.txt');
    writeFileSync(tokenFile, 'hf_fromfile\n');
    expect(hubSettingsFromEnv({ HOME: home, HF_TOKEN_PATH: tokenFile }).token).toBe('hf_fromfile');
  });

  it('takes the proxies from HTTPS_PROXY / HTTP_PROXY / NO_PROXY in either case, and NO_PROXY bypasses them', () => {
    const s = hubSettingsFromEnv({ HOME: home, https_proxy: 'http://proxy:3128', NO_PROXY: 'localhost, .internal.example,mirror:8080' });
    expect(s.proxy).toEqual({ httpProxy: null, httpsProxy: 'http://proxy:3128', noProxy: 'localhost, .internal.example,mirror:8080' });
    expect(proxyFor('https://huggingface.co/x', s)).toBe('http://proxy:3128');
    expect(proxyFor('https://localhost/x', s)).toBeNull();
    expect(proxyFor('https://hub.internal.example/x', s)).toBeNull();
    expect(proxyFor('https://mirror:8080/x', s)).toBeNull();
    expect(proxyFor('https://mirror:443/x', s)).toBe('http://proxy:3128');
    expect(proxyFor('http://huggingface.co/x', s)).toBeNull(); // no HTTP_PROXY for http:// URLs
    const httpOnly = hubSettingsFromEnv({ HOME: home, HTTP_PROXY: 'http://p:1' });
    expect(proxyFor('https://huggingface.co/x', httpOnly)).toBe('http://p:1'); // undici falls back to HTTP_PROXY
  });
});
