/**
 * The engine's input reports (app/engine/input-reports.ts): rows kept for the state,
 * one alert per episode (not found, lost, failed), the thumbnail as an 'input' stream message.
 */
import { describe, expect, it } from 'vitest';
import type { EngineError } from '../../../app/contract/errors.js';
import { readFrame } from '../../../app/contract/frame-wire.js';
import type { InputStatus } from '../../../app/contract/inputs.js';
import { INPUT_MISSING_AFTER_MS, InputReports } from '../../../app/engine/input-reports.js';

const row = (patch: Partial<InputStatus>): InputStatus => ({
  key: 'ndi:CAM (1)',
  source: { kind: 'ndi', name: 'CAM (1)' },
  state: 'waiting',
  width: null,
  height: null,
  rate: null,
  fpsReceived: 0,
  framesReceived: 0,
  framesDropped: 0,
  lastFrameAgeMs: null,
  error: null,
  ...patch,
});

function reports() {
  let now = 0;
  const errors: EngineError[] = [];
  const thumbnails: Uint8Array[] = [];
  let changes = 0;
  const r = new InputReports({ nowMs: () => now, onError: (e) => errors.push(e), onChange: () => changes++, onThumbnail: (m) => thumbnails.push(m) });
  return { r, errors, thumbnails, changes: () => changes, at: (ms: number) => (now = ms) };
}

describe('input reports', () => {
  it('reports a named source that is not found once, after a while, and again only after it was connected and lost', () => {
    const { r, errors, at } = reports();
    for (let t = 0; t < INPUT_MISSING_AFTER_MS; t += 250) {
      at(t);
      r.report([row({})], null);
    }
    expect(errors).toEqual([]);
    for (let t = INPUT_MISSING_AFTER_MS; t < INPUT_MISSING_AFTER_MS + 2000; t += 250) {
      at(t);
      r.report([row({})], null);
    }
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'input-failed' });
    expect(errors[0]!.message).toMatch(/NDI source "CAM \(1\)" not found.*text only until it appears/);
    r.report([row({ state: 'connected', framesReceived: 10, width: 1920, height: 1080 })], null);
    r.report([row({ state: 'lost', framesReceived: 10, error: 'no frame for 1.0 s' })], null);
    r.report([row({ state: 'lost', framesReceived: 10, error: 'no frame for 1.2 s' })], null);
    expect(errors).toHaveLength(2);
    expect(errors[1]!.message).toMatch(/stopped sending.*holding its last frame/);
    expect(r.rows()[0]?.state).toBe('lost');
  });

  it('a failed input is reported with its reason; the rows follow the reports', () => {
    const { r, errors, changes } = reports();
    r.report([row({ key: 'image:/x.png', source: { kind: 'image', path: '/x.png' }, state: 'failed', error: '/x.png is not a PNG or JPEG image' })], null);
    r.report([row({ key: 'image:/x.png', source: { kind: 'image', path: '/x.png' }, state: 'failed', error: '/x.png is not a PNG or JPEG image' })], null);
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/image \/x\.png cannot be used: \/x\.png is not a PNG or JPEG image/)]);
    r.report([], null);
    expect(r.rows()).toEqual([]);
    expect(changes()).toBe(2);
  });

  it('a thumbnail becomes an input-stream frame message, kept for consoles that connect later', () => {
    const { r, thumbnails } = reports();
    const rgba = new Uint8Array(4 * 2 * 4).fill(200);
    r.report([row({ state: 'connected', framesReceived: 1 })], { rgba, width: 4, height: 2, version: 7 });
    expect(thumbnails).toHaveLength(1);
    const frame = readFrame(r.thumbnail() as Uint8Array);
    expect(frame?.header).toMatchObject({ stream: 'input', width: 4, height: 2, sequence: 1 });
    expect([...(frame?.pixels ?? [])].every((v) => v === 200)).toBe(true);
  });
});
