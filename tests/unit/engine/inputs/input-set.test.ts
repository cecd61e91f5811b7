import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import type { LookInput } from '../../../../app/contract/inputs.js';
import { inputStatusSchema } from '../../../../app/contract/inputs.js';
import { INPUT_IDLE_CLOSE_MS, InputSet } from '../../../../app/engine/inputs/input-set.js';
import type { InputPicture } from '../../../../app/engine/inputs/input-picture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cyclorama-input-set-'));
const sets: InputSet[] = [];
afterAll(() => {
  for (const set of sets) set.close();
  rmSync(dir, { recursive: true, force: true });
});

function solidPng(name: string, rgb: [number, number, number], width = 8, height = 8): string {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) png.data.set([...rgb, 255], i * 4);
  const file = path.join(dir, name);
  writeFileSync(file, PNG.sync.write(png));
  return file;
}

const image = (file: string, fit: LookInput['fit'] = 'fill'): LookInput => ({ source: { kind: 'image', path: file }, fit });
const program: LookInput = { source: { kind: 'program' }, fit: 'fill' };
const first = (p: InputPicture) => Array.from(p.rgba.subarray(0, 4));

function frame(rgb: [number, number, number], width = 4, height = 4): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) rgba.set([...rgb, 255], i * 4);
  return rgba;
}

async function until<T>(get: () => T | null, timeoutMs = 15_000): Promise<T> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value) return value;
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('InputSet: which picture, crossfades and versions', () => {
  it('a look with no input gives null; the program is copied only once a look names it', () => {
    const set = new InputSet({ ndi: null });
    sets.push(set);
    expect(set.pictureFor(null, null, 1, 4, 4)).toBeNull();
    expect(set.pictureFor(undefined, undefined, 0.5, 4, 4)).toBeNull();
    // Not named yet: this frame is not kept.
    set.noteProgramFrame(frame([10, 20, 30]), 4, 4);
    expect(set.pictureFor(null, program, 1, 4, 4), 'named now, but no frame was kept before').toBeNull();
    const caller = frame([40, 50, 60]);
    set.noteProgramFrame(caller, 4, 4);
    caller.fill(0); // the caller reuses its buffer: the input kept a copy
    const a = set.pictureFor(null, program, 1, 4, 4)!;
    expect(first(a)).toEqual([40, 50, 60, 255]);
    expect(set.pictureFor(null, program, 1, 4, 4)!.version, 'same pixels, same version').toBe(a.version);
    set.noteProgramFrame(frame([70, 80, 90]), 4, 4);
    const b = set.pictureFor(null, program, 1, 4, 4)!;
    expect(b.version).not.toBe(a.version);
    expect(first(b)).toEqual([70, 80, 90, 255]);
    // Fitted to another working size: 4x4 -> 2x2.
    const small = set.pictureFor(null, program, 1, 2, 2)!;
    expect([small.width, small.height, small.rgba.length]).toEqual([2, 2, 16]);
    expect(first(small)).toEqual([70, 80, 90, 255]);
    const row = set.status().find((s) => s.key === 'program')!;
    expect(inputStatusSchema.parse(row)).toMatchObject({ state: 'connected', width: 4, height: 4, framesReceived: 2 });
  });

  it('crossfades from one input to another by mix; versions follow the pixels', async () => {
    const set = new InputSet({ ndi: null });
    sets.push(set);
    const red = image(solidPng('red.png', [200, 0, 0]));
    const blue = image(solidPng('blue.png', [0, 0, 200]));
    await until(() => set.pictureFor(null, red, 1, 8, 8));
    await until(() => set.pictureFor(null, blue, 1, 8, 8));
    const redOnly = set.pictureFor(null, red, 1, 8, 8)!;
    const blueOnly = set.pictureFor(null, blue, 1, 8, 8)!;
    expect(first(redOnly)).toEqual([200, 0, 0, 255]);

    const quarter = set.pictureFor(red, blue, 0.25, 8, 8)!;
    expect(first(quarter)).toEqual([150, 0, 50, 255]);
    expect(set.pictureFor(red, blue, 0.25, 8, 8)!.version, 'same mix, same pixels, same version').toBe(quarter.version);
    const half = set.pictureFor(red, blue, 0.5, 8, 8)!;
    expect(first(half)).toEqual([100, 0, 100, 255]);
    expect(half.version).not.toBe(quarter.version);
    expect(half.version).not.toBe(redOnly.version);
    // The ends are the inputs' own pictures (and their versions).
    const end = set.pictureFor(red, blue, 1, 8, 8)!;
    expect(first(end)).toEqual([0, 0, 200, 255]);
    expect(end.version).toBe(blueOnly.version);
    const start = set.pictureFor(red, blue, 0, 8, 8)!;
    expect(first(start)).toEqual([200, 0, 0, 255]);
    expect(start.version).toBe(redOnly.version);
    // Back to a mix seen before: new version (the blend buffer was rewritten meanwhile), right pixels.
    const quarterAgain = set.pictureFor(red, blue, 0.25, 8, 8)!;
    expect(first(quarterAgain)).toEqual([150, 0, 50, 255]);
    expect(quarterAgain.version).not.toBe(half.version);
  });

  it('while the new input has no frame yet, the old one is held; a look with no input is text-only', async () => {
    const set = new InputSet({ ndi: null });
    sets.push(set);
    const green = image(solidPng('green.png', [0, 180, 0]));
    await until(() => set.pictureFor(null, green, 1, 8, 8));
    const missing = image(path.join(dir, 'not-there.png'));
    const held = set.pictureFor(green, missing, 0.7, 8, 8)!;
    expect(first(held)).toEqual([0, 180, 0, 255]);
    expect(set.pictureFor(green, null, 0.5, 8, 8)).toBeNull();
    // The same input on both sides with another fit is two pictures of one open input.
    const wide = image(solidPng('wide.png', [90, 90, 90], 16, 8), 'fit');
    const wideFill = { ...wide, fit: 'fill' as const };
    await until(() => set.pictureFor(null, wide, 1, 8, 8));
    await until(() => set.pictureFor(null, wideFill, 1, 8, 8));
    const mixed = set.pictureFor(wideFill, wide, 0.5, 8, 8)!;
    // Top row: black bar in 'fit' (16x8 into 8x8 -> rows 2..5), grey in 'fill': half way.
    expect(first(mixed)).toEqual([45, 45, 45, 255]);
    expect(set.status().filter((s) => s.key.endsWith('wide.png'))).toHaveLength(1);
  });

  it('closes an input no look named for a few seconds (its status row goes)', () => {
    let now = 0;
    const set = new InputSet({ ndi: null, nowMs: () => now });
    sets.push(set);
    set.pictureFor(null, program, 1, 4, 4);
    set.pictureFor(null, { source: { kind: 'ndi', name: 'CAM (Stage)' }, fit: 'fill' }, 1, 4, 4);
    expect(
      set
        .status()
        .map((s) => s.key)
        .sort(),
    ).toEqual(['ndi:CAM (Stage)', 'program']);
    now = INPUT_IDLE_CLOSE_MS - 1;
    set.pictureFor(null, program, 1, 4, 4); // program still named
    expect(set.status()).toHaveLength(2);
    now = INPUT_IDLE_CLOSE_MS + 10;
    set.pictureFor(null, program, 1, 4, 4);
    expect(set.status().map((s) => s.key)).toEqual(['program']);
    now = 2 * INPUT_IDLE_CLOSE_MS + 20;
    set.pictureFor(null, null, 1, 4, 4);
    expect(set.status()).toEqual([]);
    // A program frame now is not copied anywhere (nobody names it).
    set.noteProgramFrame(frame([1, 2, 3]), 4, 4);
    expect(set.pictureFor(null, program, 1, 4, 4)).toBeNull();
  });

  it('with no NDI runtime an NDI input is failed with what to install; other inputs work', () => {
    const set = new InputSet({ ndi: null });
    sets.push(set);
    const ndi: LookInput = { source: { kind: 'ndi', name: 'CAM (Stage)' }, fit: 'fill' };
    expect(set.pictureFor(null, ndi, 1, 4, 4)).toBeNull();
    const row = inputStatusSchema.parse(set.status()[0]);
    expect(row.state).toBe('failed');
    expect(row.error).toContain('CAM (Stage)');
    expect(row.error).toMatch(/NDI runtime is missing/);
    expect(row.error).toMatch(/Install the NDI Runtime/);
    set.pictureFor(null, program, 1, 4, 4);
    set.noteProgramFrame(frame([5, 6, 7]), 4, 4);
    expect(first(set.pictureFor(null, program, 1, 4, 4)!)).toEqual([5, 6, 7, 255]);
  });

  it('never throws on nonsense (zero size, NaN mix) and after close', () => {
    const set = new InputSet({ ndi: null });
    expect(set.pictureFor(null, program, 1, 0, 0)).toBeNull();
    set.noteProgramFrame(frame([1, 1, 1]), 4, 4);
    set.pictureFor(null, program, Number.NaN, 4, 4);
    set.noteProgramFrame(new Uint8Array(3), 4, 4); // short buffer: ignored
    set.close();
    expect(set.pictureFor(null, program, 1, 4, 4)).toBeNull();
    expect(set.status()).toEqual([]);
  });
});
