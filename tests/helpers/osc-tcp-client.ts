/**
 * A tiny OSC-over-TCP peer on loopback for tests: frames what it sends (SLIP or
 * length prefix, with the engine's own codec) and decodes what arrives.
 */
import net from 'node:net';
import { fromBuffer, type OscArgInput, type OscMessageOutput, type OscPacketInput } from 'osc-min';
import { createFrameDecoder, encodeFrame, type OscTcpFraming } from '../../app/engine/control/osc-tcp-framing.js';
import { encode } from './osc-client.js';
import { waitUntil } from './wait.js';

export interface OscTcpPeer {
  socket: net.Socket;
  received: OscMessageOutput[];
  /** Resolves when the server closes the connection (or it errors). */
  closed: Promise<void>;
  isClosed(): boolean;
  send(address: string, args?: OscArgInput[]): void;
  /** One packet, framed. */
  sendPacket(packet: OscPacketInput): void;
  /** Bytes as they are: already framed, garbage, or part of a frame. */
  sendRaw(bytes: Uint8Array): void;
  frame(packet: OscPacketInput): Uint8Array;
  count(address: string): number;
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

export async function oscTcpPeer(port: number, framing: OscTcpFraming = 'slip'): Promise<OscTcpPeer> {
  const socket = net.connect({ port, host: '127.0.0.1' });
  socket.setNoDelay(true);
  const received: OscMessageOutput[] = [];
  const decoder = createFrameDecoder(framing, 1 << 16);
  let closedFlag = false;
  const closed = new Promise<void>((resolve) => {
    socket.on('close', () => {
      closedFlag = true;
      resolve();
    });
  });
  socket.on('error', () => {}); // a reset shows up as 'close'
  socket.on('data', (chunk) => {
    for (const frame of decoder.push(chunk).frames) {
      try {
        const packet = fromBuffer(frame);
        if (packet.oscType === 'message') received.push(packet);
      } catch {
        /* not ours to judge */
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  const frame = (packet: OscPacketInput) => encodeFrame(framing, encode(packet));
  const sendRaw = (bytes: Uint8Array) => void socket.write(bytes);
  return {
    socket,
    received,
    closed,
    isClosed: () => closedFlag,
    send: (address, args = []) => sendRaw(frame({ address, args })),
    sendPacket: (packet) => sendRaw(frame(packet)),
    sendRaw,
    frame,
    count: (address) => received.filter((m) => m.address === address).length,
    waitFor: (predicate, timeoutMs = 10_000) => waitUntil(predicate, { timeoutMs, intervalMs: 10 }),
    async close() {
      if (closedFlag) return;
      socket.end();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 1000))]);
      socket.destroy();
    },
  };
}
