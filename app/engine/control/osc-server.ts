/**
 * OSC over UDP: the listener control desks, QLab and Companion talk to, and the
 * feedback it sends back to surfaces. Every message is mapped by osc-map.ts onto
 * a contract command and goes through ClientHub.submit (the same zod validation
 * and engine.dispatch path as the WebSocket).
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
  rateLimit?: RateLimitOptions;
  log?: (line: string) => void;
}

type FeedbackValue = string | number;
/** Feedback sent as OSC floats even when the value is whole. */
const FLOAT_ADDRESSES = new Set([`${OSC_PREFIX}/fps`, `${OSC_PREFIX}/output/fps`]);

function normaliseIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
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
    this.socket.on('message', (data, rinfo) => this.receive(data, rinfo));
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
    if (!isLoopbackHost(server.host) && server.allow.size === 0) {
      server.log(`OSC listens on ${server.host}:${server.port} for any source: limit it with --osc-allow <ip,...>`);
    }
    options.engine.on('event', server.onEngineEvent);
    server.sendFeedback(options.hub.state(), true);
    return server;
  }

  status(): { host: string; port: number; allow: string[]; feedback: string[]; counters: ControlCounters } {
    return {
      host: this.host,
      port: this.port,
      allow: [...this.allow],
      feedback: this.feedback.map((d) => `${d.host}:${d.port}`),
      counters: { ...this.counters },
    };
  }

  async stop(): Promise<void> {
    this.options.engine.off('event', this.onEngineEvent);
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private receive(data: Buffer, rinfo: dgram.RemoteInfo): void {
    const receivedAtMs = engineNowMs();
    const sourceIp = normaliseIp(rinfo.address);
    const source = `osc ${sourceIp}:${rinfo.port}`;
    this.counters.received++;
    if (this.allow.size > 0 && !this.allow.has(sourceIp)) {
      // Not answered: a refused source learns nothing.
      this.counters.rejected++;
      this.log(`${source}: ignored, not in the OSC allow list`);
      return;
    }
    const reject = (code: string, message: string) => {
      this.counters.rejected++;
      this.log(`${source}: rejected: ${message}`);
      this.sendError(code, message, rinfo);
    };
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
    for (const { address, args } of messages) this.handleMessage(address, args, source, sourceIp, rinfo, receivedAtMs);
  }

  private handleMessage(address: string, args: OscArg[], source: string, sourceIp: string, rinfo: dgram.RemoteInfo, receivedAtMs: number): void {
    if (!this.limiter.take(`${sourceIp}|${address}`, receivedAtMs)) {
      this.counters.rateLimited++;
      this.log(`${source}: ${address} rate limited (${this.limiter.perSecond}/s, burst ${this.limiter.burst})`);
      return;
    }
    const mapped = oscToCommand(address, args);
    switch (mapped.kind) {
      case 'release':
        return;
      case 'local':
        if (mapped.what === 'ping') this.send([{ address: `${OSC_PREFIX}/pong`, args: [] }], [{ host: rinfo.address, port: rinfo.port }]);
        else this.sendFeedback(this.options.hub.state(), true);
        return;
      case 'error':
        this.counters.rejected++;
        this.log(`${source}: rejected ${address}: ${mapped.message}`);
        this.sendError(mapped.code, `${address}: ${mapped.message}`, rinfo);
        return;
      case 'command': {
        const result = this.options.hub.submit(mapped.command, source, receivedAtMs);
        if (result.ok) {
          this.counters.dispatched++;
          return;
        }
        this.counters.rejected++;
        this.log(`${source}: ${address} refused: ${result.error.message}`);
        this.sendError(result.error.code, `${address}: ${result.error.message}`, rinfo);
      }
    }
  }

  /** /cyclorama/error <code> <message>, to the sender and the feedback destinations; at most a few per second per source. */
  private sendError(code: string, message: string, rinfo: dgram.RemoteInfo): void {
    if (!this.errorReplies.take(rinfo.address, engineNowMs())) return;
    const to = [{ host: rinfo.address, port: rinfo.port }, ...this.feedback];
    this.send([{ address: `${OSC_PREFIX}/error`, args: [{ type: 'string', value: code }, { type: 'string', value: message.slice(0, 500) }] }], to);
  }

  /** Sends the feedback values that changed since the last send (all of them when `all`). */
  private sendFeedback(state: EngineState, all: boolean): void {
    if (this.feedback.length === 0) return;
    const values = feedbackValues(state);
    const changed: { address: string; args: OscArgInput[] }[] = [];
    for (const [address, value] of values) {
      if (!all && this.lastSent.get(address) === value) continue;
      this.lastSent.set(address, value);
      const arg: OscArgInput = typeof value === 'string' ? { type: 'string', value } : !FLOAT_ADDRESSES.has(address) && Number.isInteger(value) ? { type: 'integer', value } : { type: 'float', value };
      changed.push({ address, args: [arg] });
    }
    if (changed.length > 0) this.send(changed, this.feedback);
  }

  private send(messages: { address: string; args: OscArgInput[] }[], to: OscDestination[]): void {
    for (const message of messages) {
      const view = toBuffer({ address: message.address, args: message.args });
      const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
      for (const d of to) this.socket.send(bytes, d.port, d.host, (error) => error && this.log(`osc feedback to ${d.host}:${d.port}: ${error.message}`));
    }
  }
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
