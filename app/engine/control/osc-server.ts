/**
 * OSC over UDP and TCP: the listener control desks, QLab and Companion talk to,
 * and the feedback it sends back to surfaces. Every message is mapped by
 * osc-map.ts onto a contract command and goes through ClientHub.submit (the same
 * zod validation and engine.dispatch path as the WebSocket).
 *
 * A UDP datagram and a TCP frame (osc-tcp-listener.ts) are one packet each and
 * take the same path from there: same size limit, decoding, allow list, rate
 * limiter (keyed by source IP and address, whichever transport it came on) and
 * counters. Replies go back the way the packet came; feedback goes to the
 * configured UDP destinations and to every TCP connection.
 *
 * Safe by default: binds 127.0.0.1; sources can be limited to an allow list; a
 * token bucket per source and address caps what any one button can do; packets
 * over MAX_OSC_PACKET_BYTES, malformed packets, unknown addresses and wrong
 * argument types are refused with a (throttled) log line and a /cyclorama/error
 * message, and change nothing.
 *
 * This module is the dispatch (limits, mapping, submit, error replies) and the
 * status; the transports are osc-udp-listener.ts and osc-tcp-listener.ts, the
 * packet decoding osc-packets.ts, the state feedback osc-feedback.ts.
 */
import type { ControlCounters } from '../../contract/control.js';
import type { EngineEvent } from '../../contract/messages.js';
import { engineNowMs } from '../clock.js';
import type { Engine } from '../engine.js';
import { isLoopbackHost } from './access.js';
import type { ClientHub } from './client-hub.js';
import { OscFeedback, type OscDestination } from './osc-feedback.js';
import { OSC_PREFIX, oscToCommand, type OscArg } from './osc-map.js';
import { encodeOscMessage, MAX_OSC_PACKET_BYTES, unpackOscPacket } from './osc-packets.js';
import type { OscTcpFraming, OscTcpFramingSetting } from './osc-tcp-framing.js';
import { DEFAULT_MAX_TCP_CONNECTIONS, normaliseIp, OscTcpListener, type OscTcpConnection, type OscTcpOptions } from './osc-tcp-listener.js';
import { OscUdpListener } from './osc-udp-listener.js';
import { RateLimiter, throttledLog, type RateLimitOptions } from './rate-limit.js';

export interface OscServerOptions {
  hub: ClientHub;
  engine: Engine;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Source IPs allowed to send; empty or absent = any source that can reach the socket. */
  allow?: string[];
  /** Where state feedback (and /cyclorama/error) is sent. */
  feedback?: OscDestination[];
  /**
   * OSC over TCP on the same host, with the same allow list, limiter and counters.
   * Absent = on, on the UDP port's number, framing detected per connection; false = UDP only.
   */
  tcp?: OscTcpOptions | false;
  rateLimit?: RateLimitOptions;
  log?: (line: string) => void;
}

/** What the control status reports about the TCP listener. */
export interface OscTcpStatus {
  port: number;
  framing: OscTcpFramingSetting;
  connections: number;
  maxConnections: number;
  /** Open connections by the framing they use. */
  byFraming: Record<OscTcpFraming, number>;
  /** Connections whose first bytes fit neither framing, since start. */
  unrecognised: number;
}

/** Where a packet came from and how to answer it: a UDP datagram's source, or a TCP connection. */
interface OscSender {
  /** Normalised source IP: the allow list and the rate limiter key on it. */
  ip: string;
  /** Names the sender in log lines and as the command source. */
  label: string;
  reply(packet: Uint8Array): void;
}

export class OscServer {
  readonly counters: ControlCounters = { received: 0, dispatched: 0, rejected: 0, rateLimited: 0 };
  readonly limiter: RateLimiter;
  private readonly errorReplies = new RateLimiter({ perSecond: 5, burst: 10 });
  private readonly log: (line: string) => void;
  private readonly allow: Set<string>;
  private readonly destinations: OscDestination[];
  private readonly feedback: OscFeedback;
  private udp: OscUdpListener | null = null;
  private tcp: OscTcpListener | null = null;
  /** TCP connections whose first bytes fit neither framing. */
  private unrecognised = 0;
  private readonly onEngineEvent = (event: EngineEvent) => {
    if (event.kind === 'state') this.feedback.send(event.state, false);
  };
  port = 0;
  readonly host: string;

  private constructor(private readonly options: OscServerOptions) {
    this.host = options.host ?? '127.0.0.1';
    this.log = throttledLog(options.log ?? (() => {}));
    this.limiter = new RateLimiter(options.rateLimit);
    this.allow = new Set((options.allow ?? []).map(normaliseIp));
    this.destinations = options.feedback ?? [];
    this.feedback = new OscFeedback({ destinations: this.destinations, sendUdp: (packet, to) => this.udp?.send(packet, to), tcp: () => this.tcp });
  }

  static async start(options: OscServerOptions): Promise<OscServer> {
    const server = new OscServer(options);
    const udp = await OscUdpListener.start({
      host: server.host,
      port: options.port,
      allow: server.allow,
      onPacket: (packet, from) => server.receivePacket(packet, from, engineNowMs()),
      onRefused: () => {
        server.counters.received++;
        server.counters.rejected++;
      },
      log: server.log,
    });
    server.udp = udp;
    server.port = udp.port;
    try {
      if (options.tcp !== false) server.tcp = await server.startTcp(options.tcp ?? {});
    } catch (error) {
      await udp.stop();
      throw error;
    }
    if (!isLoopbackHost(server.host) && server.allow.size === 0) {
      server.log(`OSC listens on ${server.host}:${server.port} for any source: limit it with --osc-allow <ip,...>`);
    }
    options.engine.on('event', server.onEngineEvent);
    server.feedback.send(options.hub.state(), true);
    return server;
  }

  status(): { host: string; port: number; allow: string[]; feedback: string[]; counters: ControlCounters; tcp: OscTcpStatus | null } {
    return {
      host: this.host,
      port: this.port,
      allow: [...this.allow],
      feedback: this.destinations.map((d) => `${d.host}:${d.port}`),
      counters: { ...this.counters },
      tcp: this.tcp
        ? {
            port: this.tcp.port,
            framing: this.tcp.framing,
            connections: this.tcp.connectionCount,
            maxConnections: this.tcp.maxConnections,
            byFraming: this.tcp.connectionsByFraming(),
            unrecognised: this.unrecognised,
          }
        : null,
    };
  }

  async stop(): Promise<void> {
    this.options.engine.off('event', this.onEngineEvent);
    await Promise.all([this.udp?.stop(), this.tcp?.stop()]);
  }

  /**
   * The TCP listener, on the UDP port's number unless told otherwise. When that
   * default number is taken for TCP, OSC carries on over UDP alone (with a log
   * line) rather than failing a node that ran fine before TCP existed; a port
   * asked for explicitly must be had.
   */
  private async startTcp(tcp: OscTcpOptions): Promise<OscTcpListener | null> {
    const port = tcp.port ?? this.port;
    try {
      return await OscTcpListener.start({
        host: this.host,
        port,
        framing: tcp.framing ?? 'auto',
        maxConnections: tcp.maxConnections ?? DEFAULT_MAX_TCP_CONNECTIONS,
        maxFrameBytes: MAX_OSC_PACKET_BYTES,
        allow: this.allow,
        onPacket: (packet, from) => this.receivePacket(packet, this.tcpSender(from), engineNowMs()),
        onConnect: (connection) => this.feedback.sendAllTo(connection, this.options.hub.state()),
        onOversized: (connection, message) => {
          this.counters.received++; // as an oversized datagram is
          this.reject(this.tcpSender(connection), 'too-large', `${message}; connection closed`);
        },
        onRefused: () => this.counters.rejected++,
        onUnrecognised: () => this.unrecognised++,
        log: this.log,
      });
    } catch (error) {
      if (tcp.port !== undefined) throw error;
      this.log(`OSC over TCP is off: port ${port} on ${this.host}: ${(error as Error).message} (choose one with --osc-tcp-port)`);
      return null;
    }
  }

  private tcpSender(connection: OscTcpConnection): OscSender {
    return { ip: connection.ip, label: connection.label, reply: (packet) => connection.send(packet) };
  }

  private reject(sender: OscSender, code: string, message: string): void {
    this.counters.rejected++;
    this.log(`${sender.label}: rejected: ${message}`);
    this.sendError(code, message, sender);
  }

  /** One packet (a datagram or a TCP frame) from an allowed sender. */
  private receivePacket(data: Uint8Array, sender: OscSender, receivedAtMs: number): void {
    this.counters.received++;
    const unpacked = unpackOscPacket(data);
    if (!unpacked.ok) return this.reject(sender, unpacked.code, unpacked.message);
    for (const { address, args } of unpacked.messages) this.handleMessage(address, args, sender, receivedAtMs);
  }

  private handleMessage(address: string, args: OscArg[], sender: OscSender, receivedAtMs: number): void {
    const source = sender.label;
    if (!this.limiter.take(`${sender.ip}|${address}`, receivedAtMs)) {
      this.counters.rateLimited++;
      this.log(`${source}: ${address} rate limited (${this.limiter.perSecond}/s, burst ${this.limiter.burst})`);
      return;
    }
    const mapped = oscToCommand(address, args);
    switch (mapped.kind) {
      case 'release':
        return;
      case 'local':
        if (mapped.what === 'ping') sender.reply(encodeOscMessage({ address: `${OSC_PREFIX}/pong`, args: [] }));
        else this.feedback.send(this.options.hub.state(), true);
        return;
      case 'error':
        this.counters.rejected++;
        this.log(`${source}: rejected ${address}: ${mapped.message}`);
        this.sendError(mapped.code, `${address}: ${mapped.message}`, sender);
        return;
      case 'command': {
        // Applied now, in packet order; the reply (loadModel: when the model is live or failed) is awaited.
        void this.options.hub.submit(mapped.command, source, receivedAtMs).then((result) => {
          if (result.ok) {
            this.counters.dispatched++;
            return;
          }
          this.counters.rejected++;
          this.log(`${source}: ${address} refused: ${result.error.message}`);
          this.sendError(result.error.code, `${address}: ${result.error.message}`, sender);
        });
      }
    }
  }

  /**
   * /cyclorama/error <code> <message>, to the sender and the UDP feedback destinations
   * (not to other TCP connections: one surface's mistakes are not another's
   * business); at most a few per second per source.
   */
  private sendError(code: string, message: string, sender: OscSender): void {
    if (!this.errorReplies.take(sender.ip, engineNowMs())) return;
    const packet = encodeOscMessage({
      address: `${OSC_PREFIX}/error`,
      args: [
        { type: 'string', value: code },
        { type: 'string', value: message.slice(0, 500) },
      ],
    });
    sender.reply(packet);
    this.udp?.send(packet, this.destinations);
  }
}
