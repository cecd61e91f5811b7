/**
 * OSC packets in and out: a received datagram or TCP frame becomes the list
 * of messages it carries (bundles flattened, in order), within limits that keep
 * one packet from costing the engine much; outgoing messages are encoded here.
 * Pure: no sockets, no clock.
 */
import { fromBuffer, toBuffer, type OscArgInput, type OscPacketOutput } from 'osc-min';
import type { OscArg } from './osc-map.js';

/** Largest packet accepted, bytes. A long prompt fits with room to spare; anything bigger is refused unread. */
export const MAX_OSC_PACKET_BYTES = 8192;
/** Most messages one packet (bundles included) may carry, and how deep bundles may nest. */
const MAX_MESSAGES_PER_PACKET = 32;
const MAX_BUNDLE_DEPTH = 4;

export interface OscMessageInput {
  address: string;
  args: OscArgInput[];
}

export interface ReceivedOscMessage {
  address: string;
  args: OscArg[];
}

/** A packet's messages, or why it is refused (`code` as in /cyclorama/error). */
export type UnpackedPacket = { ok: true; messages: ReceivedOscMessage[] } | { ok: false; code: 'too-large' | 'invalid-message'; message: string };

export function unpackOscPacket(data: Uint8Array): UnpackedPacket {
  if (data.length > MAX_OSC_PACKET_BYTES) return { ok: false, code: 'too-large', message: `packet of ${data.length} bytes (limit ${MAX_OSC_PACKET_BYTES})` };
  let packet: OscPacketOutput;
  try {
    packet = fromBuffer(data);
  } catch (error) {
    return { ok: false, code: 'invalid-message', message: `malformed OSC packet (${(error as Error).message})` };
  }
  const messages: ReceivedOscMessage[] = [];
  const collect = (p: OscPacketOutput, depth: number): boolean => {
    if (p.oscType === 'message') {
      messages.push({ address: p.address, args: p.args as OscArg[] });
      return messages.length <= MAX_MESSAGES_PER_PACKET;
    }
    if (depth >= MAX_BUNDLE_DEPTH) return false;
    // Bundle time tags are not scheduled: elements run on arrival, in order.
    return p.elements.every((element) => collect(element, depth + 1));
  };
  if (!collect(packet, 0)) {
    return { ok: false, code: 'too-large', message: `bundle too large or too deep (limit ${MAX_MESSAGES_PER_PACKET} messages, depth ${MAX_BUNDLE_DEPTH})` };
  }
  return { ok: true, messages };
}

export function encodeOscMessage(message: OscMessageInput): Uint8Array {
  const view = toBuffer({ address: message.address, args: message.args });
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}
