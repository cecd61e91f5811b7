/**
 * The shared frame ring between the engine and the inference process, with real
 * processes, the real native/shm addon and the real built-in model:
 *  - two processes see the same bytes in the same slot (no copy over a pipe), mapped
 *    or by copy (the access taken where V8 refuses external ArrayBuffers, as in Electron);
 *  - the generator's frames come from the inference process and reuse the ring's slots;
 *  - a SIGKILLed inference process: the frame the engine holds stays intact, the dead
 *    process's slots are reclaimed (the new process makes frames while the engine
 *    still holds one), the held slot is reused once released;
 *  - without the process (forced here), the worker-thread fallback says so in the log.
 */
import { fork } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Generator, type GeneratedFrame } from '../../app/engine/generate/generator.js';
import { builtinModelDir, loadModelFolder } from '../../app/engine/generate/model-folder.js';
import { SharedFrameRing } from '../../app/engine/generate/shared-frame-ring.js';
import type { WorkerLook } from '../../app/engine/generate/worker-protocol.js';
import { engineNowMs } from '../../app/engine/clock.js';
import { waitUntil } from '../helpers/wait.js';

const WIDTH = 256;
const HEIGHT = 144;
const started: Generator[] = [];

afterEach(async () => {
  while (started.length) await started.pop()?.stop();
});

/** Runs `make` with CYCLORAMA_SHM set for the ring access wanted (read when a ring is mapped, inherited by children). */
function withShmMode<T>(access: 'mapped' | 'copied', make: () => T): T {
  const saved = process.env.CYCLORAMA_SHM;
  process.env.CYCLORAMA_SHM = access === 'copied' ? 'copy' : '';
  try {
    return make();
  } finally {
    if (saved === undefined) delete process.env.CYCLORAMA_SHM;
    else process.env.CYCLORAMA_SHM = saved;
  }
}

async function withShmModeAsync<T>(access: 'mapped' | 'copied', make: () => Promise<T>): Promise<T> {
  const saved = process.env.CYCLORAMA_SHM;
  process.env.CYCLORAMA_SHM = access === 'copied' ? 'copy' : '';
  try {
    return await make();
  } finally {
    if (saved === undefined) delete process.env.CYCLORAMA_SHM;
    else process.env.CYCLORAMA_SHM = saved;
  }
}

function look(lookId: number, prompt: string): WorkerLook {
  return { lookId, from: null, to: { prompt, seed: 3 }, transition: { durationMs: 0, curve: 'linear' }, startedAtMs: engineNowMs() };
}

async function startGenerator(extra: { forceWorkerThread?: boolean; log?: (line: string) => void } = {}): Promise<Generator> {
  const folder = loadModelFolder(builtinModelDir());
  if (!folder.ok) throw new Error(folder.error.message);
  const result = await Generator.start({ model: folder.value, width: WIDTH, height: HEIGHT, showEpochMs: engineNowMs(), onlyProvider: 'cpu', maxFps: 30, ...extra });
  if (!result.ok) throw new Error(result.error.message);
  started.push(result.value);
  return result.value;
}

describe('shared frame ring', () => {
  it.each([
    ['mapped', 'mapped'],
    ['copied', 'mapped'],
    ['mapped', 'copied'],
  ] as const)(
    'two processes see the same bytes in a slot, both ways (engine %s, other process %s)',
    async (engineAccess, childAccess) => {
      const frameBytes = WIDTH * HEIGHT * 4;
      const ring = withShmMode(engineAccess, () => SharedFrameRing.create(frameBytes, 3));
      expect(ring.access).toBe(engineAccess);
      // Created exclusively and unlinked at once: nothing named is left in /dev/shm.
      if (existsSync('/dev/shm')) expect(readdirSync('/dev/shm').filter((f) => f.startsWith(`cyclorama-frames-${process.pid}-`))).toEqual([]);
      const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
      const child = fork(new URL('../helpers/ring-child.ts', import.meta.url).pathname, [String(frameBytes), String(ring.slotStride), '3'], {
        execArgv: ['--import', tsx],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc', ring.fd],
        env: { ...process.env, CYCLORAMA_SHM: childAccess === 'copied' ? 'copy' : '' },
      });
      const replies: Record<string, unknown>[] = [];
      child.on('message', (m: Record<string, unknown>) => replies.push(m));
      try {
        const ready = await waitUntil(() => replies.find((r) => r.ready), { timeoutMs: 20_000, what: 'ring child ready' });
        expect(ready.access).toBe(childAccess);
        // Engine side writes slot 2; the child reads the same bytes.
        new Uint8Array(ring.slot(2)).fill(7);
        ring.publish(2);
        child.send({ read: 2 });
        const read = await waitUntil(() => replies.find((r) => r.slot === 2), { what: 'child read' });
        expect(read).toEqual({ slot: 2, sum: 7 * frameBytes, head: [7, 7, 7, 7] });
        // The child writes slot 0; the engine sees it, and slot 1 is untouched (slots do not overlap).
        child.send({ write: 0, value: 201 });
        await waitUntil(() => replies.find((r) => r.wrote === 0), { what: 'child write' });
        ring.fetch(0);
        ring.fetch(1);
        expect(new Uint8Array(ring.slot(0)).every((b) => b === 201)).toBe(true);
        expect(new Uint8Array(ring.slot(1)).every((b) => b === 0)).toBe(true);
      } finally {
        child.kill();
        ring.close();
      }
    },
    30_000,
  );

  it.each(['mapped', 'copied'] as const)(
    'frames come from the inference process and reuse the ring slots (%s)',
    async (access) => {
      const generator = await withShmModeAsync(access, () => startGenerator({ log: () => {} }));
      expect(generator.ready.isolation).toBe('process');
      expect(generator.inferencePid).not.toBeNull();
      expect(generator.inferencePid).not.toBe(process.pid);
      const buffers = new Set<ArrayBufferLike>();
      let frames = 0;
      let opaque = 0;
      generator.on('frame', (frame) => {
        buffers.add(frame.pixels.buffer);
        frames++;
        if (frame.pixels[3] === 255 && frame.pixels[frame.pixels.length - 1] === 255) opaque++; // the model's bytes, not an empty slot
        generator.release(frame);
      });
      generator.setLook(look(1, 'a blue ocean'));
      generator.stream(true);
      await waitUntil(() => frames >= 12, { timeoutMs: 30_000, what: '12 frames' });
      // At most the four slots, written again and again (a slot released at once is the next one taken): no buffer per frame.
      expect(buffers.size).toBeLessThanOrEqual(4);
      expect(opaque).toBe(frames);
    },
    60_000,
  );

  it('a SIGKILLed inference process: the held frame stays intact, its slots are reclaimed, the model comes back', async () => {
    const generator = await startGenerator({ log: () => {} });
    const errors: string[] = [];
    const restarts: { afterMs: number; pid: number | null }[] = [];
    generator.on('runFailed', (e) => errors.push(e.message));
    generator.on('restarted', (r) => restarts.push(r));
    let held: GeneratedFrame | null = null;
    const afterKill: GeneratedFrame[] = [];
    let killed = false;
    generator.on('frame', (frame) => {
      if (!held) {
        held = frame; // the engine keeps this one on the wall
        return;
      }
      if (killed) afterKill.push(frame);
      generator.release(frame);
    });
    generator.setLook(look(1, 'a red desert'));
    generator.stream(true);
    const wall = await waitUntil(() => held, { timeoutMs: 30_000, what: 'a first frame' });
    const wallCopy = wall.pixels.slice();
    const firstPid = generator.inferencePid as number;
    await new Promise((r) => setTimeout(r, 300)); // the loop is busy writing its other slots
    process.kill(firstPid, 'SIGKILL');
    killed = true;
    await waitUntil(() => errors.find((m) => /inference process stopped \(killed by SIGKILL\)/.test(m)), { timeoutMs: 10_000, what: 'the crash report' });
    expect(errors.some((m) => /hold the last frame; restarting the model on cpu now/.test(m))).toBe(true);
    await waitUntil(() => restarts.length === 1, { timeoutMs: 30_000, what: 'the restart' });
    expect(generator.inferencePid).not.toBe(firstPid);
    // The new process makes frames while the engine still holds one: the dead one's slots were reclaimed.
    generator.setLook(look(2, 'a green forest'));
    await waitUntil(() => afterKill.filter((f) => f.lookId === 2).length >= 3, { timeoutMs: 30_000, what: 'frames of the new look' });
    // ...and it never wrote into the slot on the wall.
    expect(afterKill.every((f) => f.pixels.buffer !== wall.pixels.buffer)).toBe(true);
    expect(Buffer.compare(Buffer.from(wall.pixels), Buffer.from(wallCopy))).toBe(0);
    // Released, the slot is granted to the new process and written again.
    generator.release(wall);
    await waitUntil(() => afterKill.some((f) => f.pixels.buffer === wall.pixels.buffer), { timeoutMs: 30_000, what: 'the released slot reused' });
  }, 90_000);

  it('a crash loop backs off and says so', async () => {
    const logs: string[] = [];
    const generator = await startGenerator({ log: (line) => logs.push(line) });
    const errors: string[] = [];
    let restarts = 0;
    generator.on('runFailed', (e) => errors.push(e.message));
    generator.on('restarted', () => restarts++);
    process.kill(generator.inferencePid as number, 'SIGKILL');
    await waitUntil(() => restarts === 1, { timeoutMs: 30_000, what: 'the first restart' });
    process.kill(generator.inferencePid as number, 'SIGKILL'); // dies again at once: a loop
    await waitUntil(() => errors.length === 2, { timeoutMs: 10_000, what: 'the second crash report' });
    expect(errors[0]).toMatch(/restarting the model on cpu now\.$/);
    expect(errors[1]).toMatch(/restarting the model on cpu in 0\.5 s \(2 failures in a row\)\.$/);
    expect(logs.some((l) => /in 0\.5 s \(2 failures in a row\)/.test(l))).toBe(true);
    await waitUntil(() => restarts === 2, { timeoutMs: 30_000, what: 'the second restart' });
  }, 90_000);

  it('the worker-thread fallback is logged, and still makes frames', async () => {
    const logs: string[] = [];
    const generator = await startGenerator({ forceWorkerThread: true, log: (line) => logs.push(line) });
    expect(generator.ready.isolation).toBe('thread');
    expect(generator.inferencePid).toBeNull();
    expect(logs.join('\n')).toMatch(
      /Inference runs in a worker thread of the engine, not its own process \(worker thread requested\): a crash of the model will stop the outputs too/,
    );
    let frames = 0;
    generator.on('frame', (frame) => {
      frames++;
      generator.release(frame);
    });
    generator.setLook(look(1, 'a grey sky'));
    generator.stream(true);
    await waitUntil(() => frames >= 3, { timeoutMs: 30_000, what: 'worker frames' });
  }, 60_000);
});
