/**
 * The TCP side of the OSC listener: accepts connections, cuts their byte streams
 * into packets (osc-tcp-framing.ts) and hands each packet to the OSC server,
 * which decodes, rate-limits and dispatches it exactly as a UDP datagram. This
 * module only knows about connections: who may connect, how many, how big a
 * frame may be, and writing replies and feedback back.
 *
 * Limits, so no peer can hurt the engine: sources outside the allow list and
 * connections beyond `maxConnections` are closed on accept (one log line each);
 * a frame over `maxFrameBytes` closes its connection (after a too-large error
 * reply); a peer that stops reading its feedback is dropped once
 * MAX_PENDING_WRITE_BYTES are queued for it, rather than buffering forever.
 */
import net from 'node:net';
import { createFrameDecoder, encodeFrame, type OscTcpFraming } from './osc-tcp-framing.js';

/** Configuration of the OSC-over-TCP listener (CLI: --osc-tcp-port, --osc-tcp-framing, --no-osc-tcp). */
export interface OscTcpOptions {
  /** Absent = the UDP listener's port number (TCP and UDP ports are separate namespaces). 0 picks a free port. */
  port?: number;
  /** Default 'slip' (OSC 1.1). */
  framing?: OscTcpFraming;
  /** Simultaneous connections; default DEFAULT_MAX_TCP_CONNECTIONS. */
  maxConnections?: number;
}

/** Enough for every surface of a show (desks, tablets, Companion) with room to spare. */
export const DEFAULT_MAX_TCP_CONNECTIONS = 16;
/** Replies and feedback queued for one connection before it is judged not to be reading. */
const MAX_PENDING_WRITE_BYTES = 256 * 1024;
/** Keepalive probes find a surface whose cable was pulled, so it frees its connection slot. */
const KEEPALIVE_MS = 10_000;
/** After a framing error: how long a peer gets to read our error reply and close before we cut it off. */
const CLOSE_GRACE_MS = 2000;

/** One connected peer, as the OSC server sees it. */
export interface OscTcpConnection {
  /** Source IP, IPv4-mapped IPv6 unwrapped. */
  readonly ip: string;
  /** Names the peer in log lines: "osc tcp 10.0.0.5:53211". */
  readonly label: string;
  /** Sends one OSC packet, framed. */
  send(packet: Uint8Array): void;
}

export interface OscTcpListenerOptions {
  host: string;
  port: number;
  framing: OscTcpFraming;
  maxConnections: number;
  maxFrameBytes: number;
  /** Normalised source IPs allowed to connect; empty = any. */
  allow: ReadonlySet<string>;
  /** A complete frame arrived. */
  onPacket(packet: Uint8Array, from: OscTcpConnection): void;
  /**
   * A connection was accepted: the server sends it the current feedback. Called
   * before it joins the broadcast set, so it does not also get the catch-up the
   * server sends everyone else.
   */
  onConnect(connection: OscTcpConnection): void;
  /** A frame broke the size limit; the connection is closed after this returns (so a reply sent here still goes out). */
  onOversized(connection: OscTcpConnection, message: string): void;
  /** A connection was refused (allow list, connection limit). */
  onRefused(): void;
  log(line: string): void;
}

export function normaliseIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

interface Peer extends OscTcpConnection {
  socket: net.Socket;
  /** Closing after a framing error: nothing more is read or written. */
  closing: boolean;
}

export class OscTcpListener {
  private readonly server: net.Server;
  private readonly peers = new Set<Peer>();
  port = 0;

  private constructor(private readonly options: OscTcpListenerOptions) {
    this.server = net.createServer((socket) => this.accept(socket));
    this.server.on('error', (error) => options.log(`osc tcp listener error: ${error.message}`));
  }

  static async start(options: OscTcpListenerOptions): Promise<OscTcpListener> {
    const listener = new OscTcpListener(options);
    await new Promise<void>((resolve, reject) => {
      listener.server.once('error', reject);
      listener.server.listen(options.port, options.host, () => {
        listener.server.off('error', reject);
        resolve();
      });
    });
    listener.port = (listener.server.address() as net.AddressInfo).port;
    return listener;
  }

  get framing(): OscTcpFraming {
    return this.options.framing;
  }

  get maxConnections(): number {
    return this.options.maxConnections;
  }

  get connectionCount(): number {
    return this.peers.size;
  }

  /** Sends one packet to every connection (feedback). */
  broadcast(packet: Uint8Array): void {
    if (this.peers.size === 0) return;
    const frame = encodeFrame(this.options.framing, packet);
    for (const peer of this.peers) this.write(peer, frame);
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const peer of this.peers) peer.socket.destroy();
    await closed;
  }

  private accept(socket: net.Socket): void {
    const { options } = this;
    const ip = normaliseIp(socket.remoteAddress ?? '');
    const label = `osc tcp ${ip}:${socket.remotePort ?? 0}`;
    // Errors (a reset by the peer, mostly) end the connection; 'close' follows and cleans up.
    socket.on('error', (error) => options.log(`${label}: ${error.message}`));
    if (options.allow.size > 0 && !options.allow.has(ip)) {
      options.onRefused();
      options.log(`${label}: connection refused, not in the OSC allow list`);
      socket.destroy();
      return;
    }
    if (this.peers.size >= options.maxConnections) {
      options.onRefused();
      options.log(`${label}: connection refused, already ${this.peers.size} OSC TCP connections (limit ${options.maxConnections})`);
      socket.destroy();
      return;
    }
    socket.setNoDelay(true); // feedback is small and should not wait for Nagle
    socket.setKeepAlive(true, KEEPALIVE_MS);
    const peer: Peer = { ip, label, socket, closing: false, send: (packet) => this.write(peer, encodeFrame(options.framing, packet)) };
    socket.on('close', () => {
      if (this.peers.delete(peer)) options.log(`${label}: disconnected`);
    });
    const decoder = createFrameDecoder(options.framing, options.maxFrameBytes);
    socket.on('data', (chunk: Buffer) => {
      if (peer.closing) return;
      const { frames, error } = decoder.push(chunk);
      for (const frame of frames) {
        if (socket.destroyed) return;
        options.onPacket(frame, peer);
      }
      if (error && !socket.destroyed) {
        options.onOversized(peer, error);
        this.closeAfterError(peer);
      }
    });
    options.log(`${label}: connected`);
    options.onConnect(peer);
    this.peers.add(peer); // 'close' comes asynchronously, after this, even if the socket failed meanwhile
  }

  /** Ends the connection once queued replies are flushed; cuts it off if the peer does not close in time. */
  private closeAfterError(peer: Peer): void {
    peer.closing = true;
    peer.socket.end();
    setTimeout(() => peer.socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  private write(peer: Peer, frame: Uint8Array): void {
    if (peer.closing || peer.socket.destroyed) return;
    if (peer.socket.writableLength > MAX_PENDING_WRITE_BYTES) {
      this.options.log(`${peer.label}: not reading (${peer.socket.writableLength} bytes queued); connection closed`);
      peer.socket.destroy();
      return;
    }
    peer.socket.write(frame);
  }
}
