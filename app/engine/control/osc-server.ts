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
 */
import dgram from 'node:dgram';
import { fromBuffer, toBuffer, type OscArgInput, type OscPacketOutput } from 'osc-min';
import type { ControlCounters } from '../../contract/control.js';
import type { EngineEvent } from '../../contract/messages.js';
import type { EngineState } from '../../contract/state.js';
import { engineNowMs } from '../clock.js';
import type { Engine } from '../engine.js';
import { isLoopbackHost } from './access.js';
import type { ClientHub } from './client-hub.js';
import { OSC_PREFIX, oscToCommand, type OscArg } from './osc-map.js';
import type { OscTcpFraming } from './osc-tcp-framing.js';
import { DEFAULT_MAX_TCP_CONNECTIONS, normaliseIp, OscTcpListener, type OscTcpConnection, type OscTcpOptions } from './osc-tcp-listener.js';
import { RateLimiter, throttledLog, type RateLimitOptions } from './rate-limit.js';

/** Largest packet accepted, bytes. A long prompt fits with room to spare; anything bigger is refused unread. */
export const MAX_OSC_PACKET_BYTES = 8192;
/** Most messages one packet (bundles included) may carry, and how deep bundles may nest. */
const MAX_MESSAGES_PER_PACKET = 32;
const MAX_BUNDLE_DEPTH = 4;

export interface OscDestination {
  host: string;
  port: number;
}

/** "host:port" -> destination; throws a message for the CLI on anything else. */
export function parseOscDestination(text: string): OscDestination {
  const match = /^(.+):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[2]) : NaN;
  if (!match || !match[1] || port < 1 || port > 65535) throw new Error(`"${text}" is not host:port`);
  return { host: match[1].replace(/^\[(.*)\]$/, '$1'), port };
}

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
   * Absent = on, on the UDP port's number, SLIP framing; false = UDP only.
   */
  tcp?: OscTcpOptions | false;
  rateLimit?: RateLimitOptions;
  log?: (line: string) => void;
}

/** What the control status reports about the TCP listener. */
export interface OscTcpStatus {
  port: number;
  framing: OscTcpFraming;
  connections: number;
  maxConnections: number;
}

type FeedbackValue = string | number;
/** Feedback sent as OSC floats even when the value is whole. */
const FLOAT_ADDRESSES = new Set([`${OSC_PREFIX}/fps`, `${OSC_PREFIX}/output/fps`]);

export interface OscMessageInput {
  address: string;
  args: OscArgInput[];
}

/** Where a packet came from and how to answer it: a UDP datagram's source, or a TCP connection. */
interface OscSender {
  /** Normalised source IP: the allow list and the rate limiter key on it. */
  ip: string;
  /** Names the sender in log lines and as the command source. */
  label: string;
  reply(packet: Uint8Array): void;
}

export function encodeOscMessage(message: OscMessageInput): Uint8Array {
  const view = toBuffer({ address: message.address, args: message.args });
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

export class OscServer {
  readonly counters: ControlCounters = { received: 0, dispatched: 0, rejected: 0, rateLimited: 0 };
  readonly limiter: RateLimiter;
  private readonly errorReplies = new RateLimiter({ perSecond: 5, burst: 10 });
  private readonly socket: dgram.Socket;
  private readonly log: (line: string) => void;
  private readonly allow: Set<string>;
  private readonly feedback: OscDestination[];
  private readonly lastSent = new Map<string, FeedbackValue>();
  private tcp: OscTcpListener | null = null;
  private readonly onEngineEvent = (event: EngineEvent) => {
    if (event.kind === 'state') this.sendFeedback(event.state, false);
  };
  port = 0;
  readonly host: string;

  private constructor(private readonly options: OscServerOptions) {
    this.host = options.host ?? '127.0.0.1';
    this.log = throttledLog(options.log ?? (() => {}));
    this.limiter = new RateLimiter(options.rateLimit);
    this.allow = new Set((options.allow ?? []).map(normaliseIp));
    this.feedback = options.feedback ?? [];
    this.socket = dgram.createSocket({ type: this.host.includes(':') ? 'udp6' : 'udp4' });
    this.socket.on('message', (data, rinfo) => this.receiveDatagram(data, rinfo));
    this.socket.on('error', (error) => this.log(`osc socket error: ${error.message}`));
  }

  static async start(options: OscServerOptions): Promise<OscServer> {
    const server = new OscServer(options);
    await new Promise<void>((resolve, reject) => {
      server.socket.once('error', reject);
      server.socket.bind(options.port, server.host, () => {
        server.socket.off('error', reject);
        resolve();
      });
    });
    server.port = server.socket.address().port;
    // Room for bursts while the engine's thread is busy (a frame conversion): the OS drops what does not fit.
    try {
      server.socket.setRecvBufferSize(1 << 20);
    } catch {
      /* the OS cap applies */
    }
    try {
      if (options.tcp !== false) server.tcp = await server.startTcp(options.tcp ?? {});
    } catch (error) {
      await new Promise<void>((resolve) => server.socket.close(() => resolve()));
      throw error;
    }
    if (!isLoopbackHost(server.host) && server.allow.size === 0) {
      server.log(`OSC listens on ${server.host}:${server.port} for any source: limit it with --osc-allow <ip,...>`);
    }
    options.engine.on('event', server.onEngineEvent);
    server.sendFeedback(options.hub.state(), true);
    return server;
  }

  status(): { host: string; port: number; allow: string[]; feedback: string[]; counters: ControlCounters; tcp: OscTcpStatus | null } {
    return {
      host: this.host,
      port: this.port,
      allow: [...this.allow],
      feedback: this.feedback.map((d) => `${d.host}:${d.port}`),
      counters: { ...this.counters },
      tcp: this.tcp
        ? { port: this.tcp.port, framing: this.tcp.framing, connections: this.tcp.connectionCount, maxConnections: this.tcp.maxConnections }
        : null,
    };
  }

  async stop(): Promise<void> {
    this.options.engine.off('event', this.onEngineEvent);
    await Promise.all([new Promise<void>((resolve) => this.socket.close(() => resolve())), this.tcp?.stop()]);
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
        framing: tcp.framing ?? 'slip',
        maxConnections: tcp.maxConnections ?? DEFAULT_MAX_TCP_CONNECTIONS,
        maxFrameBytes: MAX_OSC_PACKET_BYTES,
        allow: this.allow,
        onPacket: (packet, from) => this.receivePacket(packet, this.tcpSender(from), engineNowMs()),
        onConnect: (connection) => this.sendFeedbackTo(connection),
        onOversized: (connection, message) => {
          this.counters.received++; // as an oversized datagram is
          this.reject(this.tcpSender(connection), 'too-large', `${message}; connection closed`);
        },
        onRefused: () => this.counters.rejected++,
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

  private receiveDatagram(data: Buffer, rinfo: dgram.RemoteInfo): void {
    const receivedAtMs = engineNowMs();
    const ip = normaliseIp(rinfo.address);
    const sender: OscSender = { ip, label: `osc ${ip}:${rinfo.port}`, reply: (packet) => this.sendUdp(packet, [{ host: rinfo.address, port: rinfo.port }]) };
    if (this.allow.size > 0 && !this.allow.has(ip)) {
      // Not answered: a refused source learns nothing.
      this.counters.received++;
      this.counters.rejected++;
      this.log(`${sender.label}: ignored, not in the OSC allow list`);
      return;
    }
    this.receivePacket(data, sender, receivedAtMs);
  }

  private reject(sender: OscSender, code: string, message: string): void {
    this.counters.rejected++;
    this.log(`${sender.label}: rejected: ${message}`);
    this.sendError(code, message, sender);
  }

  /** One packet (a datagram or a TCP frame) from an allowed sender. */
  private receivePacket(data: Uint8Array, sender: OscSender, receivedAtMs: number): void {
    this.counters.received++;
    const reject = (code: string, message: string) => this.reject(sender, code, message);
    if (data.length > MAX_OSC_PACKET_BYTES) return reject('too-large', `packet of ${data.length} bytes (limit ${MAX_OSC_PACKET_BYTES})`);
    let packet: OscPacketOutput;
    try {
      packet = fromBuffer(data);
    } catch (error) {
      return reject('invalid-message', `malformed OSC packet (${(error as Error).message})`);
    }
    const messages: { address: string; args: OscArg[] }[] = [];
    const collect = (p: OscPacketOutput, depth: number): boolean => {
      if (p.oscType === 'message') {
        messages.push({ address: p.address, args: p.args as OscArg[] });
        return messages.length <= MAX_MESSAGES_PER_PACKET;
      }
      if (depth >= MAX_BUNDLE_DEPTH) return false;
      // Bundle time tags are not scheduled: elements run on arrival, in order.
      return p.elements.every((element) => collect(element, depth + 1));
    };
    if (!collect(packet, 0)) return reject('too-large', `bundle too large or too deep (limit ${MAX_MESSAGES_PER_PACKET} messages, depth ${MAX_BUNDLE_DEPTH})`);
    for (const { address, args } of messages) this.handleMessage(address, args, sender, receivedAtMs);
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
        else this.sendFeedback(this.options.hub.state(), true);
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
    const packet = encodeOscMessage({ address: `${OSC_PREFIX}/error`, args: [{ type: 'string', value: code }, { type: 'string', value: message.slice(0, 500) }] });
    sender.reply(packet);
    this.sendUdp(packet, this.feedback);
  }

  /**
   * Sends the feedback values that changed since the last send (all of them when
   * `all`) to every UDP destination and TCP connection. `lastSent` is kept current
   * even while nobody listens, so it is always what every listener has last seen.
   */
  private sendFeedback(state: EngineState, all: boolean): void {
    const listening = this.feedback.length > 0 || (this.tcp?.connectionCount ?? 0) > 0;
    for (const [address, value] of feedbackValues(state)) {
      if (!all && this.lastSent.get(address) === value) continue;
      this.lastSent.set(address, value);
      if (!listening) continue;
      const packet = encodeOscMessage(feedbackMessage(address, value));
      this.sendUdp(packet, this.feedback);
      this.tcp?.broadcast(packet);
    }
  }

  /**
   * A connection that just opened (not yet in the broadcast set) gets every value
   * at once, so a surface shows the show's state without waiting for a change:
   * the others are brought up to date first, then it is sent the same values.
   */
  private sendFeedbackTo(connection: OscTcpConnection): void {
    this.sendFeedback(this.options.hub.state(), false);
    for (const [address, value] of this.lastSent) connection.send(encodeOscMessage(feedbackMessage(address, value)));
  }

  private sendUdp(packet: Uint8Array, to: OscDestination[]): void {
    for (const d of to) this.socket.send(packet, d.port, d.host, (error) => error && this.log(`osc feedback to ${d.host}:${d.port}: ${error.message}`));
  }
}

/** One feedback value as an OSC message: strings as `s`, whole numbers as `i`, the rest (and fps) as `f`. */
export function feedbackMessage(address: string, value: FeedbackValue): OscMessageInput {
  const arg: OscArgInput = typeof value === 'string' ? { type: 'string', value } : !FLOAT_ADDRESSES.has(address) && Number.isInteger(value) ? { type: 'integer', value } : { type: 'float', value };
  return { address, args: [arg] };
}

/**
 * What surfaces see: cue names and numbers for the standby and current cue, panic
 * state, fps, prompt. Values only change when the show does (fps is rounded to 0.1
 * so it is not sent every half second for noise).
 */
export function feedbackValues(state: EngineState): Map<string, FeedbackValue> {
  const out = new Map<string, FeedbackValue>();
  const cues = state.show?.document.cues ?? [];
  for (const which of ['standby', 'current'] as const) {
    const id = which === 'standby' ? state.show?.standbyCueId : state.show?.currentCueId;
    const cue = id ? cues.find((c) => c.id === id) : undefined;
    out.set(`${OSC_PREFIX}/${which}/id`, cue?.id ?? '');
    out.set(`${OSC_PREFIX}/${which}/number`, cue?.number ?? '');
    out.set(`${OSC_PREFIX}/${which}/name`, cue?.name ?? '');
  }
  out.set(`${OSC_PREFIX}/panic`, state.program.panic);
  out.set(`${OSC_PREFIX}/panic/active`, state.program.panic === 'none' ? 0 : 1);
  out.set(`${OSC_PREFIX}/prompt`, state.program.prompt);
  out.set(`${OSC_PREFIX}/seed`, state.program.seed);
  out.set(`${OSC_PREFIX}/fps`, Math.round(state.stats.modelFps * 10) / 10);
  const preview = state.outputs.find((o) => o.kind === 'preview');
  out.set(`${OSC_PREFIX}/output/fps`, Math.round((preview?.fps ?? 0) * 10) / 10);
  out.set(`${OSC_PREFIX}/timeline/playing`, state.show?.timeline.playing ? 1 : 0);
  out.set(`${OSC_PREFIX}/model`, state.model.name);
  return out;
}
