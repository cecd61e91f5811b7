/**
 * The PNG text chunk writer (app/engine/stills/png-text.ts): chunks spliced after IHDR
 * leave a PNG that pngjs still decodes (it checks every CRC) to the same pixels; each
 * iTXt carries its keyword and UTF-8 text byte for byte; a keyword PNG does not allow,
 * or a file that is not a PNG, is refused.
 */
import { crc32 } from 'node:zlib';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { iTxtChunk, isPngKeyword, pngChunk, withTextChunks } from '../../../../app/engine/stills/png-text.js';

function smallPng(): Buffer {
  const png = new PNG({ width: 3, height: 2 });
  for (let i = 0; i < png.data.length; i++) png.data[i] = (i * 37) & 255;
  return PNG.sync.write(png);
}

describe('PNG text chunks', () => {
  it('writes length, type, data and the CRC-32 of type and data', () => {
    const chunk = pngChunk('tEXt', Buffer.from('Seed\u000042', 'latin1'));
    expect(chunk.readUInt32BE(0)).toBe(7);
    expect(chunk.toString('latin1', 4, 8)).toBe('tEXt');
    expect(chunk.readUInt32BE(15)).toBe(crc32(chunk.subarray(4, 15)));
  });

  it('puts iTXt chunks after IHDR; pngjs decodes the same pixels', () => {
    const plain = smallPng();
    const prompt = 'forêt de mousse, 森の苔 🌿';
    const tagged = withTextChunks(plain, [
      ['Prompt', prompt],
      ['Seed', '42'],
    ]);
    expect(tagged.toString('latin1', 33 + 4, 33 + 8)).toBe('iTXt');
    expect(PNG.sync.read(tagged).data).toEqual(PNG.sync.read(plain).data);
    const first = iTxtChunk('Prompt', prompt);
    expect(tagged.subarray(33, 33 + first.length)).toEqual(first);
    // keyword NUL, compression 0, method 0, empty language NUL, empty translated keyword NUL, UTF-8 text
    const data = first.subarray(8, first.length - 4);
    expect(data.subarray(0, 11)).toEqual(Buffer.from([...Buffer.from('Prompt', 'latin1'), 0, 0, 0, 0, 0]));
    expect(data.subarray(11).toString('utf8')).toBe(prompt);
  });

  it('refuses keywords PNG does not allow and files that are not PNGs', () => {
    expect(isPngKeyword('Creation Time')).toBe(true);
    for (const bad of ['', ' Seed', 'Seed ', 'two  spaces', 'x'.repeat(80), 'Prompt\u0000', 'Léa\u2019s']) expect(isPngKeyword(bad), JSON.stringify(bad)).toBe(false);
    expect(() => iTxtChunk('Bad  key', 'x')).toThrow(/not a PNG keyword/);
    expect(() => withTextChunks(Buffer.from('GIF89a not a png at all, padding padding'), [['Seed', '1']])).toThrow(/not a PNG/);
  });
});
