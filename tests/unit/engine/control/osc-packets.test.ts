/** OSC packet unpacking (app/engine/control/osc-packets.ts): messages in order, bundles flattened, limits refused with a code. */
import { toBuffer, type OscPacketInput } from 'osc-min';
import { describe, expect, it } from 'vitest';
import { encodeOscMessage, MAX_OSC_PACKET_BYTES, unpackOscPacket } from '../../../../app/engine/control/osc-packets.js';

const bytes = (packet: OscPacketInput): Uint8Array => {
  const view = toBuffer(packet);
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
};
const message = (address: string): OscPacketInput => ({ address, args: [] });
const bundle = (elements: OscPacketInput[]): OscPacketInput => ({ timetag: [0, 1], elements });

describe('unpackOscPacket', () => {
  it("gives one message, and a nested bundle's messages in order", () => {
    const one = unpackOscPacket(encodeOscMessage({ address: '/cyclorama/go', args: [{ type: 'integer', value: 3 }] }));
    expect(one).toEqual({ ok: true, messages: [{ address: '/cyclorama/go', args: [{ type: 'integer', value: 3 }] }] });
    const nested = unpackOscPacket(bytes(bundle([message('/a'), bundle([message('/b'), message('/c')]), message('/d')])));
    expect(nested.ok && nested.messages.map((m) => m.address)).toEqual(['/a', '/b', '/c', '/d']);
  });

  it('refuses an oversized, malformed, too-deep or too-full packet with a code', () => {
    expect(unpackOscPacket(new Uint8Array(MAX_OSC_PACKET_BYTES + 1))).toMatchObject({
      ok: false,
      code: 'too-large',
      message: `packet of ${MAX_OSC_PACKET_BYTES + 1} bytes (limit ${MAX_OSC_PACKET_BYTES})`,
    });
    expect(unpackOscPacket(new Uint8Array([1, 2, 3]))).toMatchObject({ ok: false, code: 'invalid-message' });
    let deep: OscPacketInput = message('/x');
    for (let i = 0; i < 5; i++) deep = bundle([deep]);
    expect(unpackOscPacket(bytes(deep))).toMatchObject({ ok: false, code: 'too-large' });
    let fourDeep: OscPacketInput = message('/x');
    for (let i = 0; i < 4; i++) fourDeep = bundle([fourDeep]);
    expect(unpackOscPacket(bytes(fourDeep)).ok).toBe(true);
    expect(unpackOscPacket(bytes(bundle(Array.from({ length: 33 }, (_, i) => message(`/m${i}`)))))).toMatchObject({ ok: false, code: 'too-large' });
    expect(unpackOscPacket(bytes(bundle(Array.from({ length: 32 }, (_, i) => message(`/m${i}`)))))).toMatchObject({ ok: true });
  });
});
