/** The Companion module's download feedbacks (companion-module/src/feedbacks.ts) on state snapshots. */
import { describe, expect, it } from 'vitest';
import { FEEDBACKS } from '../../../companion-module/src/feedbacks.js';
import type { CycloramaState } from '../../../companion-module/src/protocol.js';

const state = (downloads: NonNullable<CycloramaState['models']>['downloads']): CycloramaState => ({
  program: { prompt: '', seed: 1, panic: 'none' },
  stats: { modelFps: 0 },
  model: { name: 'x', status: 'running' },
  outputs: [],
  models: { downloads },
});

describe('Companion model download feedbacks', () => {
  it('follow the named model only, and show whole percent while running', () => {
    const s = state([
      { model: 'sd-turbo', state: 'running', totalBytes: 3000, doneBytes: 1999 },
      { model: 'taesd', state: 'failed', totalBytes: 10, doneBytes: 1 },
    ]);
    expect(FEEDBACKS.modelDownloading(s, 'sd-turbo')).toBe(true);
    expect(FEEDBACKS.modelDownloading(s, 'taesd')).toBe(false);
    expect(FEEDBACKS.modelDownloadFailed(s, 'taesd')).toBe(true);
    expect(FEEDBACKS.modelDownloadProgress(s, ' sd-turbo ')).toBe('66%');
    expect(FEEDBACKS.modelDownloadProgress(s, 'taesd')).toBe('');
  });

  it('read an older engine (no models in the state) as nothing downloading', () => {
    const { models: _none, ...old } = state([]);
    expect(FEEDBACKS.modelDownloading(old, 'sd-turbo')).toBe(false);
    expect(FEEDBACKS.modelDownloadProgress(null, 'sd-turbo')).toBe('');
  });
});
