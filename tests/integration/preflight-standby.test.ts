/**
 * Preflight and the standby preview inside the real engine (built-in ONNX model):
 * the NDI runtime hidden (loader pointed at an empty folder) turns that check red,
 * the model/TTFF/outputs checks are green, the show check follows Save; a cue on
 * standby is pre-rendered as a still on the 'standby' frame stream.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandSchema, type CommandInput } from '../../app/contract/commands.js';
import { readFrame } from '../../app/contract/frame-wire.js';
import type { PreflightReport } from '../../app/contract/preflight.js';
import { Engine } from '../../app/engine/engine.js';
import { waitUntil, type Probe } from '../helpers/wait.js';

const emptyDir = mkdtempSync(path.join(tmpdir(), 'cyclorama-no-ndi-'));
const showDir = mkdtempSync(path.join(tmpdir(), 'cyclorama-preflight-show-'));
let engine: Engine;
const stills: Uint8Array[] = [];
const send = (command: CommandInput) => engine.dispatch(commandSchema.parse(command));

const until = <T>(probe: Probe<T>, timeoutMs = 20_000) => waitUntil(probe, { timeoutMs, intervalMs: 50 });

async function preflight(): Promise<PreflightReport> {
  const startedAfter = Date.now();
  expect((await send({ type: 'preflight' })).ok).toBe(true);
  expect(engine.state().preflight?.running).toBe(true);
  return until(() => {
    const report = engine.state().preflight;
    return report && !report.running && report.startedAtMs >= startedAfter - 5 ? report : null;
  });
}

beforeAll(async () => {
  engine = await Engine.start({ configDir: null, width: 320, height: 180, ndi: { runtimeDir: emptyDir } });
  engine.on('standby', (still) => stills.push(still.slice()));
  await until(() => engine.state().stats.modelFps > 0 && engine.state().outputs[0]!.fps > 20);
});

afterAll(async () => {
  await engine?.stop();
  rmSync(emptyDir, { recursive: true, force: true });
  rmSync(showDir, { recursive: true, force: true });
});

describe('preflight in the engine', () => {
  it('NDI runtime hidden: red with the folder and what to install; model, TTFF and outputs green; untitled show red', async () => {
    const report = await preflight();
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(byId['ndi-runtime']).toMatchObject({ ok: false, detail: expect.stringContaining('cyclorama-no-ndi-'), action: expect.stringMatching(/NDI Runtime/) });
    expect(byId['model-provider']).toMatchObject({ ok: true, detail: expect.stringMatching(/on CPU \(intended\)/) });
    expect(byId.ttff!.ok, byId.ttff!.detail).toBe(true);
    expect(byId.ttff!.detail).toMatch(/^\d+ ms, measured now\.$/);
    expect(byId.outputs!.ok, byId.outputs!.detail).toBe(true);
    expect(byId['show-saved']).toMatchObject({ ok: false, detail: expect.stringMatching(/untitled/) });
    expect(report.finishedAtMs).toBeGreaterThanOrEqual(report.startedAtMs);
    // The probe was a real look change measured by the engine's own TTFF.
    expect(engine.state().stats.lastTtffMs).not.toBeNull();
  });

  it('after Save the show check is green; a panic makes TTFF red with the reason', async () => {
    expect((await send({ type: 'saveShow', path: path.join(showDir, 'gig.json') })).ok).toBe(true);
    send({ type: 'panic', mode: 'freeze' });
    const report = await preflight();
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(byId['show-saved']!.ok, byId['show-saved']!.detail).toBe(true);
    expect(byId.ttff).toMatchObject({ ok: false, detail: expect.stringMatching(/freeze panic/) });
    send({ type: 'restore' });
  });
});

describe('standby preview', () => {
  it('a cue on standby is rendered as a small still on the standby stream; a changed cue renders again', async () => {
    expect((await send({ type: 'addCue', patch: { prompt: 'neon night city, magenta and cyan', transition: { durationMs: 0, curve: 'linear' } } })).ok).toBe(true);
    const first = await until(() => stills.length > 0 && stills[stills.length - 1]);
    const frame = readFrame(first)!;
    expect(frame.header.stream).toBe('standby');
    expect([frame.header.width, frame.header.height]).toEqual([384, 216]);
    expect(engine.standbyStill()).not.toBeNull();
    const cueId = engine.state().show!.standbyCueId!;
    const count = stills.length;
    expect((await send({ type: 'updateCue', cueId, patch: { prompt: 'deep green forest moss' } })).ok).toBe(true);
    const second = await until(() => stills.length > count && stills[stills.length - 1]);
    const mean = (px: Uint8Array) =>
      [0, 1, 2].map((c) => {
        let s = 0;
        for (let i = c; i < px.length; i += 4) s += px[i]!;
        return s / (px.length / 4);
      });
    const [a, b] = [mean(frame.pixels), mean(readFrame(second)!.pixels)];
    expect(Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!)).toBeGreaterThan(10);
  });
});
