/** The frame streams on one wire: program (original magic), standby stills, display-output frames and the input thumbnail, told apart by magic. */
import { describe, expect, it } from 'vitest';
import { createEngineConnection } from '../../../app/contract/client.js';
import type { MessageBridge } from '../../../app/contract/connection.js';
import { FRAME_HEADER_BYTES, readFrame, writeFrameHeader, type FrameStream } from '../../../app/contract/frame-wire.js';

function message(stream: FrameStream | undefined, sequence: number): Uint8Array {
  const bytes = new Uint8Array(FRAME_HEADER_BYTES + 2 * 1 * 4);
  writeFrameHeader(bytes, { sequence, lookId: 1, width: 2, height: 1, showTimeMs: 0, ...(stream ? { stream } : {}) });
  return bytes;
}

describe('frame streams', () => {
  it('round-trips each stream; program frames read exactly as before (no stream field)', () => {
    expect(readFrame(message(undefined, 1))!.header.stream).toBeUndefined();
    expect(readFrame(message('program', 1))!.header.stream).toBeUndefined();
    expect(readFrame(message('standby', 2))!.header.stream).toBe('standby');
    expect(readFrame(message('output', 3))!.header.stream).toBe('output');
    expect(readFrame(message('input', 4))!.header.stream).toBe('input');
  });

  it('the connection hands each stream to its own listeners only', () => {
    let binary: (data: ArrayBuffer) => void = () => {};
    const bridge: MessageBridge = { postText() {}, onText() {}, onBinary: (l) => void (binary = l), onStatus() {}, close() {} };
    const connection = createEngineConnection(bridge);
    const seen: string[] = [];
    connection.onFrame((h) => seen.push(`program ${h.sequence}`));
    connection.onStandbyFrame((h) => seen.push(`standby ${h.sequence}`));
    connection.onOutputFrame((h) => seen.push(`output ${h.sequence}`));
    connection.onInputFrame((h) => seen.push(`input ${h.sequence}`));
    for (const [stream, n] of [
      [undefined, 1],
      ['standby', 2],
      ['output', 3],
      ['input', 4],
    ] as const)
      binary(message(stream, n).slice().buffer);
    expect(seen).toEqual(['program 1', 'standby 2', 'output 3', 'input 4']);
  });
});
