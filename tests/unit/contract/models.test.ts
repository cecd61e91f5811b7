/**
 * The model library's commands (contract/models.ts) as the engine's receiving edge
 * validates them: names are catalog-style slugs, folders are non-empty paths, and a
 * malformed command names the field at fault.
 */
import { describe, expect, it } from 'vitest';
import { commandSchema } from '../../../app/contract/commands.js';
import { engineStateSchema } from '../../../app/contract/state.js';

const issue = (input: unknown) => {
  const parsed = commandSchema.safeParse(input);
  return parsed.success ? null : parsed.error.issues[0];
};

describe('model library commands', () => {
  it('accepts the six commands in their valid forms', () => {
    for (const command of [
      { type: 'listModels' },
      { type: 'pullModel', name: 'sd-turbo' },
      { type: 'cancelPull', name: 'sd-turbo' },
      { type: 'importModel', dir: '/models/mine' },
      { type: 'importModel', dir: 'C:\\\\models\\\\mine', name: 'mine-2' },
      { type: 'removeModel', name: 'mine' },
      { type: 'acceptLicence', name: 'sdxl-turbo' },
    ])
      expect(issue(command), JSON.stringify(command)).toBeNull();
  });

  it('rejects a name that is not a library name, naming the field', () => {
    const bad = issue({ type: 'pullModel', name: '../../etc' });
    expect(bad?.path).toEqual(['name']);
    expect(bad?.message).toContain('lower-case letters');
    expect(issue({ type: 'removeModel', name: '' })?.path).toEqual(['name']);
    expect(issue({ type: 'acceptLicence' })?.path).toEqual(['name']);
  });

  it('rejects an import without a folder, or with a folder path too long to be one', () => {
    expect(issue({ type: 'importModel', dir: '' })?.path).toEqual(['dir']);
    expect(issue({ type: 'importModel', dir: 'x'.repeat(5000) })?.path).toEqual(['dir']);
  });

  it('a state without the library still parses (older engines), one with it too', () => {
    const base = {
      contractVersion: 2,
      engineVersion: '0.1.0',
      model: { id: 'builtin', name: 'Built-in', status: 'running', provider: 'cpu', fallbacks: [], width: 64, height: 36 },
      program: { prompt: '', seed: 1, lookId: 1, panic: 'none' },
      stats: { modelFps: 0, lastTtffMs: null, generatedFrames: 0, droppedFrames: 0, staleFrames: 0 },
      outputs: [],
      recentErrors: [],
    };
    expect(engineStateSchema.safeParse(base).success).toBe(true);
    const withModels = {
      ...base,
      models: {
        installed: [],
        catalog: [],
        downloads: [
          {
            model: 'taesd',
            state: 'running',
            totalBytes: 10,
            doneBytes: 5,
            bytesPerSecond: 1,
            etaSeconds: 5,
            files: [{ path: 'vae_decoder/model.onnx', size: 10, doneBytes: 5, state: 'downloading' }],
          },
        ],
      },
    };
    expect(engineStateSchema.safeParse(withModels).success).toBe(true);
    expect(engineStateSchema.safeParse({ ...withModels, models: { ...withModels.models, downloads: [{ model: 'taesd', state: 'paused' }] } }).success).toBe(false);
  });
});
