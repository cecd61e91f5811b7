/** A tiny OSC peer on loopback for tests: sends messages/packets and keeps what arrives. */
import dgram from 'node:dgram';
import { fromBuffer, toBuffer, type OscArgInput, type OscMessageOutput, type OscPacketInput } from 'osc-min';
import { waitUntil } from './wait.js';

export interface OscPeer {
  port: number;
  received: OscMessageOutput[];
  send(address: string, args?: OscArgInput[]): void;
  sendPacket(packet: OscPacketInput): void;
  sendRaw(bytes: Uint8Array): void;
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

export function encode(packet: OscPacketInput): Uint8Array {
  const view = toBuffer(packet);
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** `target`: the engine's OSC port (0 for a receive-only peer). */
export async function oscPeer(target: number): Promise<OscPeer> {
  const socket = dgram.createSocket('udp4');
  const received: OscMessageOutput[] = [];
  socket.on('message', (data) => {
    try {
      const packet = fromBuffer(data);
      if (packet.oscType === 'message') received.push(packet);
    } catch {
      /* not ours to judge */
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const sendRaw = (bytes: Uint8Array) => socket.send(bytes, target, '127.0.0.1');
  return {
    port: socket.address().port,
    received,
    send: (address, args = []) => sendRaw(encode({ address, args })),
    sendPacket: (packet) => sendRaw(encode(packet)),
    sendRaw,
    waitFor: (predicate, timeoutMs = 10_000) => waitUntil(predicate, { timeoutMs, intervalMs: 10 }),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** The last value sent to `address`, or undefined. */
export function lastValue(peer: OscPeer, address: string): unknown {
  for (let i = peer.received.length - 1; i >= 0; i--) {
    const m = peer.received[i];
    if (m?.address === address) return m.args[0]?.value;
  }
  return undefined;
}
