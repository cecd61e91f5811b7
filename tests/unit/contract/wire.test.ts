import { describe, expect, it } from 'vitest';
import { commandSchema } from '../../../app/contract/commands.js';
import { FRAME_HEADER_BYTES, readFrame, writeFrameHeader } from '../../../app/contract/frame-wire.js';
import { clientMessageSchema } from '../../../app/contract/messages.js';

describe('frame wire format', () => {
  it('round-trips a header and pixels', () => {
    const message = new Uint8Array(FRAME_HEADER_BYTES + 3 * 2 * 4);
    writeFrameHeader(message, { sequence: 42, lookId: 7, width: 3, height: 2, showTimeMs: 1234.5 });
    message.fill(9, FRAME_HEADER_BYTES);
    const frame = readFrame(message);
    expect(frame?.header).toEqual({ sequence: 42, lookId: 7, width: 3, height: 2, showTimeMs: 1234.5 });
    expect(frame?.pixels.length).toBe(24);
    expect(frame?.pixels[23]).toBe(9);
  });

  it('rejects truncated, oversized and foreign messages instead of throwing', () => {
    const message = new Uint8Array(FRAME_HEADER_BYTES + 16);
    writeFrameHeader(message, { sequence: 1, lookId: 1, width: 2, height: 2, showTimeMs: 0 });
    expect(readFrame(message)).not.toBeNull();
    expect(readFrame(message.subarray(0, message.length - 1))).toBeNull();
    expect(readFrame(new Uint8Array(10))).toBeNull();
    const foreign = message.slice();
    foreign[0] = 0;
    expect(readFrame(foreign)).toBeNull();
  });
});

describe('command schema', () => {
  it('accepts each command and fills defaults', () => {
    expect(commandSchema.parse({ type: 'panic', mode: 'black' })).toEqual({ type: 'panic', mode: 'black', fadeMs: 0 });
    expect(commandSchema.parse({ type: 'setPrompt', prompt: 'x', transition: { durationMs: 500 } })).toEqual({
      type: 'setPrompt',
      prompt: 'x',
      transition: { durationMs: 500, curve: 'ease-in-out' },
    });
  });

  it('rejects unknown commands, wrong types and out-of-range values', () => {
    expect(commandSchema.safeParse({ type: 'selfDestruct' }).success).toBe(false);
    expect(commandSchema.safeParse({ type: 'setSeed', seed: 1.5 }).success).toBe(false);
    expect(commandSchema.safeParse({ type: 'setSeed', seed: -1 }).success).toBe(false);
    expect(commandSchema.safeParse({ type: 'setPrompt', prompt: 3 }).success).toBe(false);
    expect(commandSchema.safeParse({ type: 'setPrompt', prompt: 'a'.repeat(1001) }).success).toBe(false);
    expect(commandSchema.safeParse({ type: 'panic', mode: 'melt' }).success).toBe(false);
    expect(clientMessageSchema.safeParse({ kind: 'command', id: -1, command: { type: 'go' } }).success).toBe(false);
  });
});
