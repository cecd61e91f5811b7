/**
 * The UDP side of the OSC listener: one socket that receives datagrams (each
 * one OSC packet) and sends replies and feedback. Like osc-tcp-listener.ts it
 * knows only its transport: which sources may send (the allow list; a refused
 * source is not answered, so it learns nothing) and where a reply goes back to.
 * Decoding, rate limiting and dispatch are the OSC server's.
 */
import dgram from 'node:dgram';
import type { OscDestination } from './osc-feedback.js';
import { normaliseIp } from './osc-tcp-listener.js';

/** Receive buffer asked of the OS: room for bursts while the engine's thread is busy (a frame conversion); the OS drops what does not fit. */
const RECV_BUFFER_BYTES = 1 << 20;

/** A datagram's source, as the OSC server sees it. */
export interface OscUdpSender {
  /** Source IP, IPv4-mapped IPv6 unwrapped. */
  readonly ip: string;
  /** Names the sender in log lines: "osc 10.0.0.5:53000". */
  readonly label: string;
  /** Sends one packet back to the datagram's source address and port. */
  reply(packet: Uint8Array): void;
}

export interface OscUdpListenerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Normalised source IPs allowed to send; empty = any. */
  allow: ReadonlySet<string>;
  /** A datagram from an allowed source. */
  onPacket(packet: Buffer, from: OscUdpSender): void;
  /** A datagram from a source outside the allow list (already logged, not answered). */
  onRefused(): void;
  log(line: string): void;
}

export class OscUdpListener {
  readonly port: number;

  private constructor(
    private readonly socket: dgram.Socket,
    private readonly log: (line: string) => void,
  ) {
    this.port = socket.address().port;
  }

  static async start(options: OscUdpListenerOptions): Promise<OscUdpListener> {
    const socket = dgram.createSocket({ type: options.host.includes(':') ? 'udp6' : 'udp4' });
    socket.on('error', (error) => options.log(`osc socket error: ${error.message}`));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(options.port, options.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    const listener = new OscUdpListener(socket, options.log);
    socket.on('message', (data, rinfo) => {
      const ip = normaliseIp(rinfo.address);
      const sender: OscUdpSender = { ip, label: `osc ${ip}:${rinfo.port}`, reply: (packet) => listener.send(packet, [{ host: rinfo.address, port: rinfo.port }]) };
      if (options.allow.size > 0 && !options.allow.has(ip)) {
        options.onRefused();
        options.log(`${sender.label}: ignored, not in the OSC allow list`);
        return;
      }
      options.onPacket(data, sender);
    });
    try {
      socket.setRecvBufferSize(RECV_BUFFER_BYTES);
    } catch {
      /* the OS cap applies */
    }
    return listener;
  }

  /** One packet to each destination; a failed send is a log line (feedback is best effort). */
  send(packet: Uint8Array, to: readonly OscDestination[]): void {
    for (const d of to) this.socket.send(packet, d.port, d.host, (error) => error && this.log(`osc feedback to ${d.host}:${d.port}: ${error.message}`));
  }

  stop(): Promise<void> {
    return new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}
