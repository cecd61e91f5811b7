/**
 * NDI outputs inside the real engine (built-in ONNX model in its worker, the engine's
 * commands and state): the missing-runtime path (loader pointed at an empty folder),
 * and add / rename / remove through the contract's commands with a real libndi
 * receiver on 127.0.0.1 counting connections.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandSchema, type CommandInput } from '../../app/contract/commands.js';
import type { OutputStatus } from '../../app/contract/state.js';
import { Engine } from '../../app/engine/engine.js';
import { NdiReceiver, findNdiSource } from '../../app/engine/ndi/receiver.js';
import { loadNdiRuntime } from '../../app/engine/ndi/runtime.js';
import { removeNdiMarkers } from '../helpers/ndi-pattern.js';
import { waitUntil, type Probe } from '../helpers/wait.js';

const NAME = `Cyclorama Engine Out ${process.pid}`;
const RENAMED = `Cyclorama Engine Renamed ${process.pid}`;
const MISSING = `Cyclorama No Runtime ${process.pid}`;
const RECEIVER = `Cyclorama Engine Test Receiver ${process.pid}`;
const emptyDir = mkdtempSync(path.join(tmpdir(), 'cyclorama-no-ndi-'));
const configDir = mkdtempSync(path.join(tmpdir(), 'cyclorama-ndi-cfg-'));
const logs: string[] = [];
let engine: Engine;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const send = (command: CommandInput) => engine.dispatch(commandSchema.parse(command));
const ndiOutputs = (): OutputStatus[] => engine.state().outputs.filter((o) => o.kind === 'ndi');
const until = <T>(probe: Probe<T>, timeoutMs = 15_000) => waitUntil(probe, { timeoutMs, intervalMs: 50 });

beforeAll(async () => {
  engine = await Engine.start({ configDir: null, width: 640, height: 360, ndi: { extraIps: '127.0.0.1', configDir } });
  engine.on('log', (line) => logs.push(line));
});

afterAll(async () => {
  await engine?.stop();
  removeNdiMarkers([NAME, RENAMED, MISSING, RECEIVER]);
  rmSync(emptyDir, { recursive: true, force: true });
  rmSync(configDir, { recursive: true, force: true });
});

describe('NDI outputs in the engine', () => {
  it('without a runtime: one clear message, the output listed as failed, the engine and preview keep running', async () => {
    const lonely = await Engine.start({ configDir: null, width: 320, height: 180, ndi: { runtimeDir: emptyDir, outputs: [{ name: MISSING }] } });
    try {
      const failed = await until(() => lonely.state().outputs.find((o) => o.kind === 'ndi' && o.status === 'failed'));
      expect(failed.name).toBe(MISSING);
      expect(failed.message).toMatch(/NDI runtime not found in .*cyclorama-no-ndi-.*Install the NDI Runtime/);
      // A second output: still reported, still one message.
      expect((await lonely.dispatch(commandSchema.parse({ type: 'addNdiOutput', name: `${MISSING} 2` }))).ok).toBe(true);
      const messages = lonely.state().recentErrors.filter((e) => /NDI runtime not found/.test(e.message));
      expect(messages).toHaveLength(1);
      expect(messages[0]!.details?.reason).toBe('ndi-runtime-missing');
      const preview = lonely.state().outputs.find((o) => o.id === 'preview')!;
      expect(preview.status).toBe('running');
      const before = preview.freshFrames + preview.repeatedFrames;
      await sleep(500);
      const after = lonely.state().outputs.find((o) => o.id === 'preview')!;
      expect(after.freshFrames + after.repeatedFrames).toBeGreaterThan(before);
    } finally {
      await lonely.stop();
    }
  });

  it('loadNdiRuntime on an empty folder fails as a value, listing what it tried', () => {
    const result = loadNdiRuntime({ runtimeDir: emptyDir });
    expect(result.ok).toBe(false);
    if (!result.ok) expect((result.error.details?.tried as string[]).length).toBeGreaterThan(0);
  });

  it('addNdiOutput: a receiver connects, the state shows the connection, tally, its own rate and size', async () => {
    expect(await send({ type: 'addNdiOutput', name: NAME, width: 320, height: 180, rate: { num: 25, den: 1 } })).toEqual({ ok: true });
    const runtime = loadNdiRuntime();
    if (!runtime.ok) throw new Error(runtime.error.message);
    const source = await findNdiSource(runtime.value.lib, (s) => s.name.endsWith(`(${NAME})`), { extraIps: '127.0.0.1' });
    expect(source).not.toBeNull();
    const receiver = NdiReceiver.connect(runtime.value.lib, source!, RECEIVER);
    try {
      const frame = await receiver.next(15_000);
      expect(frame && [frame.width, frame.height]).toEqual([320, 180]);
      const output = await until(() => ndiOutputs().find((o) => o.name === NAME && o.connections === 1));
      expect(output.rate).toEqual({ num: 25, den: 1 });
      expect(output.width).toBe(320);
      await sleep(1100);
      const fps = ndiOutputs().find((o) => o.name === NAME)!.fps;
      expect(fps).toBeGreaterThanOrEqual(23);
      expect(fps).toBeLessThanOrEqual(26);
      expect(logs.some((l) => l.startsWith('NDI runtime: NDI SDK'))).toBe(true);
      // Tally: the receiver puts the source on program; the output reports it.
      receiver.setTally(true, false);
      const onAir = await until(() => ndiOutputs().find((o) => o.name === NAME && o.tally?.program));
      expect(onAir.tally).toEqual({ program: true, preview: false });
      // Deselected: the sender keeps sending at its rate, black (UYVY luma 16), so the receiver keeps its lock.
      expect(await send({ type: 'selectOutput', output: NAME, live: false })).toEqual({ ok: true });
      const lumaMax = (data: Uint8Array) => {
        let max = 0;
        for (let i = 1; i < data.length; i += 2) max = Math.max(max, data[i]!);
        return max;
      };
      const black = await until(async () => {
        const next = await receiver.next(2000);
        return next && lumaMax(next.data) <= 16 ? next : null;
      });
      expect([black.width, black.height]).toEqual([320, 180]);
      expect(ndiOutputs().find((o) => o.name === NAME)!.live).toBe(false);
    } finally {
      receiver.close();
    }
    await until(() => ndiOutputs().find((o) => o.name === NAME && o.connections === 0));
  }, 40_000);

  it('updateNdiOutput renames (a new sender under the new name), removeNdiOutput takes it away; bad input is refused', async () => {
    const id = ndiOutputs().find((o) => o.name === NAME)!.id;
    expect(await send({ type: 'updateNdiOutput', id, name: RENAMED, rate: { num: 30000, den: 1001 } })).toEqual({ ok: true });
    const renamed = ndiOutputs().find((o) => o.id === id)!;
    expect(renamed.name).toBe(RENAMED);
    expect(renamed.rate).toEqual({ num: 30000, den: 1001 });
    // The sender was recreated; it stays deselected until selected again.
    expect(renamed.live).toBe(false);
    expect(await send({ type: 'selectOutput', output: id, live: true })).toEqual({ ok: true });
    expect(ndiOutputs().find((o) => o.id === id)!.live).toBe(true);
    const runtime = loadNdiRuntime();
    if (!runtime.ok) throw new Error(runtime.error.message);
    expect(await findNdiSource(runtime.value.lib, (s) => s.name.endsWith(`(${RENAMED})`), { extraIps: '127.0.0.1' })).not.toBeNull();
    // Duplicate names and unknown ids are errors as values; odd widths fail validation at the edge.
    expect((await send({ type: 'addNdiOutput', name: RENAMED })).ok).toBe(false);
    expect((await send({ type: 'removeNdiOutput', id: 'ndi-999' })).ok).toBe(false);
    expect(commandSchema.safeParse({ type: 'addNdiOutput', name: 'X', width: 1919 }).success).toBe(false);
    expect(commandSchema.safeParse({ type: 'addNdiOutput', name: 'bad (name)' }).success).toBe(false);
    expect(await send({ type: 'removeNdiOutput', id })).toEqual({ ok: true });
    expect(ndiOutputs().find((o) => o.id === id)).toBeUndefined();
  }, 30_000);
});
