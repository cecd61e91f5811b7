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
 *
 * Framing (`auto`, the default): each connection's framing is told from its first
 * bytes (detectFraming), and replies and feedback go back in that framing. A new
 * connection's feedback catch-up waits up to DETECT_WAIT_MS for those bytes (a
 * liblo client writes as soon as it connects); a surface that only listens gets it
 * then, in SLIP (OSC 1.1's framing) unless a framing is forced. Bytes that fit neither framing are reported (a log
 * line and the `unrecognised` counter) and read as SLIP, which resynchronises at
 * the next END, so a sender we misjudged still has a chance.
 */
import net from 'node:net';
import { createFrameDecoder, detectFraming, encodeFrame, FRAMING_LABELS, type FrameDecoder, type OscTcpFraming, type OscTcpFramingSetting } from './osc-tcp-framing.js';

/** Configuration of the OSC-over-TCP listener (CLI: --osc-tcp-port, --osc-tcp-framing, --no-osc-tcp). */
export interface OscTcpOptions {
  /** Absent = the UDP listener's port number (TCP and UDP ports are separate namespaces). 0 picks a free port. */
  port?: number;
  /** Default 'auto': told per connection from its first bytes. */
  framing?: OscTcpFramingSetting;
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
/** How long a new connection's feedback catch-up waits for its first bytes (auto framing), before going out in SLIP. */
const DETECT_WAIT_MS = 250;

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
  framing: OscTcpFramingSetting;
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
  /** Auto framing: a connection's first bytes fit neither framing (it is then read as SLIP). */
  onUnrecognised?(connection: OscTcpConnection): void;
  log(line: string): void;
}

export function normaliseIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

interface Peer extends OscTcpConnection {
  socket: net.Socket;
  /** Closing after a framing error: nothing more is read or written. */
  closing: boolean;
  /** The framing replies and feedback go out in: the detected one, or SLIP until then. */
  framing: OscTcpFraming;
  /** Whether the framing is settled (forced, or detected from the first bytes). */
  detected: boolean;
  /** Has had its feedback catch-up, so broadcasts reach it. */
  ready: boolean;
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

  get framing(): OscTcpFramingSetting {
    return this.options.framing;
  }

  /** Open connections by the framing they use (auto: as detected so far; undetected ones count as SLIP). */
  connectionsByFraming(): Record<OscTcpFraming, number> {
    const counts = { slip: 0, length: 0 };
    for (const peer of this.peers) counts[peer.framing]++;
    return counts;
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
    const frames: Partial<Record<OscTcpFraming, Uint8Array>> = {};
    for (const peer of this.peers) {
      if (!peer.ready) continue;
      this.write(peer, (frames[peer.framing] ??= encodeFrame(peer.framing, packet)));
    }
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
    const forced = options.framing === 'auto' ? null : options.framing;
    const peer: Peer = {
      ip,
      label,
      socket,
      closing: false,
      framing: forced ?? 'slip',
      detected: forced !== null,
      ready: false,
      send: (packet) => this.write(peer, encodeFrame(peer.framing, packet)),
    };
    let catchUpTimer: NodeJS.Timeout | undefined;
    const catchUp = () => {
      clearTimeout(catchUpTimer);
      if (peer.ready || socket.destroyed) return;
      options.onConnect(peer); // before it is ready, so it does not also get the catch-up the server sends everyone else
      peer.ready = true;
    };
    socket.on('close', () => {
      clearTimeout(catchUpTimer);
      if (this.peers.delete(peer)) options.log(`${label}: disconnected`);
    });
    let decoder: FrameDecoder | null = forced ? createFrameDecoder(forced, options.maxFrameBytes) : null;
    /** Auto framing: what arrived before the framing was known (only ever a first 00 byte, then the chunk that settles it). */
    let head: Uint8Array = new Uint8Array(0);
    socket.on('data', (chunk: Buffer) => {
      if (peer.closing) return;
      let bytes: Uint8Array = chunk;
      if (!decoder) {
        head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
        const guess = detectFraming(head);
        if (guess === 'undecided') return;
        bytes = head;
        if (guess === 'unknown') {
          const hex = [...head.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
          options.log(
            `${label}: first bytes ${hex} fit neither OSC TCP framing (SLIP starts with c0, / or #; a length prefix with 00 00); reading it as SLIP. If this sender frames otherwise, set --osc-tcp-framing`,
          );
          options.onUnrecognised?.(peer);
        } else {
          if (peer.ready && guess !== peer.framing)
            options.log(`${label}: ${FRAMING_LABELS[guess]} detected after its feedback catch-up went out in SLIP; replies from now on in its framing`);
          else options.log(`${label}: ${FRAMING_LABELS[guess]}`);
          peer.framing = guess;
        }
        peer.detected = true;
        decoder = createFrameDecoder(peer.framing, options.maxFrameBytes);
      }
      catchUp();
      const { frames, error } = decoder.push(bytes);
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
    this.peers.add(peer); // 'close' comes asynchronously, after this, even if the socket failed meanwhile
    // Read first, write after: a fire-and-forget sender (oscsend) writes and closes at once, and a catch-up
    // written before its bytes are read fails with EPIPE, which tore the socket down with the message unread.
    catchUpTimer = setTimeout(catchUp, DETECT_WAIT_MS);
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
