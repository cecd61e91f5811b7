/** Cue thumbnails on the wire ('CYT1'): round trip, older readers ignore them, the connection routes them, malformed ones are dropped. */
import { describe, expect, it } from 'vitest';
import { createEngineConnection } from '../../../app/contract/client.js';
import type { MessageBridge } from '../../../app/contract/connection.js';
import { readFrame, readThumbnail, writeThumbnailMessage, type ThumbnailMessage } from '../../../app/contract/frame-wire.js';

const KEY = '0123456789abcdef';
const pixels = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => i);
const message = () => writeThumbnailMessage({ key: KEY, width: 3, height: 2, showTimeMs: 12_000, sequence: 5 }, pixels);

describe('thumbnail messages', () => {
  it('round-trip key, size, time and pixels', () => {
    const read = readThumbnail(message())!;
    expect(read).toMatchObject({ key: KEY, width: 3, height: 2, showTimeMs: 12_000, sequence: 5 });
    expect([...read.pixels]).toEqual([...pixels]);
  });

  it('are not frames: readFrame (what older consoles run) ignores them', () => {
    expect(readFrame(message())).toBeNull();
  });

  it('malformed ones are dropped, never thrown', () => {
    const short = message().subarray(0, 30);
    const badKey = message();
    badKey[24] = 'X'.charCodeAt(0);
    const extra = new Uint8Array(message().length + 4);
    extra.set(message());
    for (const bad of [short, badKey, extra]) expect(readThumbnail(bad)).toBeNull();
    expect(() => writeThumbnailMessage({ key: 'not-a-key', width: 3, height: 2, showTimeMs: 0, sequence: 0 }, pixels)).toThrow();
  });

  it('the connection hands them to thumbnail listeners only', () => {
    let binary: (data: ArrayBuffer) => void = () => {};
    const bridge: MessageBridge = { postText() {}, onText() {}, onBinary: (l) => void (binary = l), onStatus() {}, close() {} };
    const connection = createEngineConnection(bridge);
    const seen: ThumbnailMessage[] = [];
    let frames = 0;
    connection.onThumbnail((t) => seen.push(t));
    connection.onFrame(() => frames++);
    connection.onStandbyFrame(() => frames++);
    binary(message().slice().buffer);
    expect(seen.map((t) => t.key)).toEqual([KEY]);
    expect(frames).toBe(0);
  });
});
