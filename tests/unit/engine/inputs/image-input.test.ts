import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import type { InputStatus } from '../../../../app/contract/inputs.js';
import { decodeImage, MAX_IMAGE_SIDE, readImageHeader } from '../../../../app/engine/inputs/image-decode.js';
import { heldCopy } from '../../../../app/engine/inputs/image-source.js';
import { InputSet } from '../../../../app/engine/inputs/input-set.js';
import type { InputPicture } from '../../../../app/engine/inputs/input-picture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cyclorama-image-input-'));
const sets: InputSet[] = [];
afterAll(() => {
  for (const set of sets) set.close();
  rmSync(dir, { recursive: true, force: true });
});

/** 32x16: left half red, right half blue. */
function halves(width = 32, height = 16): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgba.set(x < width / 2 ? [255, 0, 0, 255] : [0, 0, 255, 255], (y * width + x) * 4);
  return rgba;
}

function writePng(name: string, rgba: Uint8Array, width: number, height: number): string {
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba);
  const file = path.join(dir, name);
  writeFileSync(file, PNG.sync.write(png));
  return file;
}

function writeJpeg(name: string, rgba: Uint8Array, width: number, height: number): string {
  const file = path.join(dir, name);
  writeFileSync(file, jpeg.encode({ data: Buffer.from(rgba), width, height }, 95).data);
  return file;
}

/** A PNG that is only a signature and an IHDR claiming width x height (no pixel data is ever made). */
function pngHeaderOnly(name: string, width: number, height: number): string {
  const bytes = Buffer.alloc(8 + 8 + 13 + 4);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes, 0);
  bytes.writeUInt32BE(13, 8);
  bytes.write('IHDR', 12, 'ascii');
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  bytes.set([8, 6, 0, 0, 0], 24); // 8-bit RGBA
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

async function settle(set: InputSet, file: string, w = 16, h = 8): Promise<{ picture: InputPicture | null; status: InputStatus }> {
  const input = { source: { kind: 'image' as const, path: file }, fit: 'fill' as const };
  const until = performance.now() + 15_000;
  for (;;) {
    const picture = set.pictureFor(null, input, 1, w, h);
    const status = set.status().find((s) => s.key === `image:${file}`)!;
    if (picture || status.state === 'failed' || performance.now() > until) return { picture, status };
    await new Promise((r) => setTimeout(r, 10));
  }
}

const px = (p: InputPicture, x: number, y: number) => Array.from(p.rgba.subarray((y * p.width + x) * 4, (y * p.width + x) * 4 + 4));

describe('image input: PNG and JPEG stills, checked before decoding', () => {
  it('a real PNG arrives decoded and fitted (16x8), the same version while unchanged', async () => {
    const set = new InputSet({ ndi: null });
    sets.push(set);
    const file = writePng('halves.png', halves(), 32, 16);
    const { picture, status } = await settle(set, file);
    expect(status.error).toBeNull();
    expect(status.state).toBe('connected');
    expect([status.width, status.height]).toEqual([32, 16]);
    expect(picture).not.toBeNull();
    expect([picture!.width, picture!.height]).toEqual([16, 8]);
    expect(px(picture!, 2, 4)).toEqual([255, 0, 0, 255]);
    expect(px(picture!, 13, 4)).toEqual([0, 0, 255, 255]);
    const again = set.pictureFor(null, { source: { kind: 'image', path: file }, fit: 'fill' }, 1, 16, 8)!;
    expect(again.version).toBe(picture!.version);
  });

  it('a real JPEG arrives decoded (within JPEG tolerance)', async () => {
    const set = new InputSet({ ndi: null });
    sets.push(set);
    const file = writeJpeg('halves.jpg', halves(64, 32), 64, 32);
    const { picture, status } = await settle(set, file);
    expect(status.error).toBeNull();
    expect([status.width, status.height]).toEqual([64, 32]);
    const red = px(picture!, 3, 4);
    const blue = px(picture!, 12, 4);
    expect(red[0]).toBeGreaterThan(230);
    expect(red[2]).toBeLessThan(30);
    expect(blue[2]).toBeGreaterThan(230);
    expect(blue[0]).toBeLessThan(30);
  });

  it('resolves a relative path with resolveImagePath (relative to the show file)', async () => {
    writePng('relative.png', halves(), 32, 16);
    const set = new InputSet({ ndi: null, resolveImagePath: (p) => path.join(dir, p) });
    sets.push(set);
    const input = { source: { kind: 'image' as const, path: 'relative.png' }, fit: 'fill' as const };
    let picture: InputPicture | null = null;
    const until = performance.now() + 15_000;
    while (!picture && performance.now() < until) {
      picture = set.pictureFor(null, input, 1, 16, 8);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(picture).not.toBeNull();
    expect(set.status()[0]!.key).toBe('image:relative.png');
  });

  it('a file that is not an image: failed, naming the file and what is accepted', async () => {
    const set = new InputSet({ ndi: null });
    sets.push(set);
    const file = path.join(dir, 'notes.png');
    writeFileSync(file, 'these are my notes, not a picture\n');
    const { picture, status } = await settle(set, file);
    expect(picture).toBeNull();
    expect(status.state).toBe('failed');
    expect(status.error).toContain(file);
    expect(status.error).toMatch(/PNG or JPEG/);
  });

  it('a PNG whose header claims 20000x20000 is refused from the header (never decoded)', async () => {
    const file = pngHeaderOnly('huge.png', 20000, 20000);
    expect(readImageHeader(new Uint8Array(readFileSync(file)), file)).toEqual({ format: 'png', width: 20000, height: 20000 });
    const direct = decodeImage(new Uint8Array(readFileSync(file)), file);
    expect(direct).toBeInstanceOf(Error);
    // The message is the size check's, not a decoder's complaint about the missing pixel data.
    expect((direct as Error).message).toContain('20000x20000');
    expect((direct as Error).message).toContain(`${MAX_IMAGE_SIDE}x${MAX_IMAGE_SIDE}`);
    const set = new InputSet({ ndi: null });
    sets.push(set);
    const { picture, status } = await settle(set, file);
    expect(picture).toBeNull();
    expect(status.state).toBe('failed');
    expect(status.error).toContain('20000x20000');
    expect(status.error).toContain('8192x8192');
  });

  it('a JPEG whose frame header claims 9000x100 is refused from the header', () => {
    // SOI, then SOF0 with height 100, width 9000; nothing else.
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x64, 0x23, 0x28, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    const result = decodeImage(bytes, 'wide.jpg');
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toContain('9000x100');
  });

  it('a PNG with a good header and broken data: failed, naming the file', async () => {
    const good = readFileSync(writePng('whole.png', halves(), 32, 16));
    const file = path.join(dir, 'truncated.png');
    writeFileSync(file, good.subarray(0, 40));
    const set = new InputSet({ ndi: null });
    sets.push(set);
    const { picture, status } = await settle(set, file);
    expect(picture).toBeNull();
    expect(status.state).toBe('failed');
    expect(status.error).toContain(file);
    expect(status.error).toMatch(/could not be decoded/);
  });

  it('a large still is held reduced to 2048 on its long side, its status the size it has', () => {
    const big = heldCopy({ rgba: new Uint8Array(4096 * 1024 * 4).fill(77), width: 4096, height: 1024 });
    expect([big.width, big.height, big.data.length]).toEqual([2048, 512, 2048 * 512 * 4]);
    expect(big.data[0]).toBe(77);
    const small = { rgba: new Uint8Array(16), width: 2, height: 2 };
    expect(heldCopy(small).data).toBe(small.rgba);
  });

  it('a missing file: failed, naming the file', async () => {
    const set = new InputSet({ ndi: null });
    sets.push(set);
    const file = path.join(dir, 'not-there.png');
    const { status } = await settle(set, file);
    expect(status.state).toBe('failed');
    expect(status.error).toContain(file);
    expect(status.error).toContain('no such file');
  });

  it('a file over the size cap is refused before it is read (a sparse 300 MiB file)', async () => {
    const file = path.join(dir, 'big.png');
    writeFileSync(file, '');
    truncateSync(file, 300 * 1024 * 1024);
    const set = new InputSet({ ndi: null });
    sets.push(set);
    const { status } = await settle(set, file);
    expect(status.state).toBe('failed');
    expect(status.error).toContain('300 MiB');
    expect(status.error).toContain('256 MiB');
  });
});
