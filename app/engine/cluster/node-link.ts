/**
 * One director -> node link: the existing contract client (contract/client.ts) over
 * a WebSocket to the node's /ws, with its access token in the token subprotocol as
 * the console sends it (control/access.ts). Reconnects for ever with capped backoff;
 * each time the node's hello arrives the link is 'open' and `onOpen` runs (the
 * director probes the clock, pushes the show and resyncs the position). Nothing
 * posted while the link is down is queued: a GO replayed later would be worse than
 * one missed, and the rejoin resyncs the node from the director's state.
 */
import WebSocket from 'ws';
import { createEngineConnection } from '../../contract/client.js';
import type { ClusterLink, ClusterNodeSpec } from '../../contract/cluster.js';
import type { CommandInput } from '../../contract/commands.js';
import type { CommandResult, EngineConnection, MessageBridge } from '../../contract/connection.js';
import { engineError } from '../../contract/errors.js';
import type { EngineState } from '../../contract/state.js';
import { WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from '../control/access.js';

/** First reconnect delay, ms; doubles per failed attempt up to RECONNECT_MAX_MS. */
const RECONNECT_FIRST_MS = 200;
/** Longest wait between attempts, ms: a node that restarts is rejoined within about this after it listens. */
const RECONNECT_MAX_MS = 2000;

/** The node's /ws address from what an operator writes: its console URL (http://host:port/) or the ws URL itself. */
export function nodeWebSocketUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') {
    parsed.protocol = parsed.protocol === 'https:' ? 'wss:' : 'ws:';
    parsed.pathname = '/ws';
  }
  parsed.search = '';
  return parsed.toString();
}

export interface NodeLinkEvents {
  /** The hello arrived: the link is usable (again). */
  onOpen: (link: NodeLink) => void;
  /** A state snapshot from the node. */
  onState: (link: NodeLink, state: EngineState) => void;
  /** The link status or its problem changed. */
  onChange: (link: NodeLink) => void;
  log: (line: string) => void;
}

export class NodeLink {
  status: ClusterLink = 'connecting';
  problem: string | null = null;
  /** The node's newest state; null before the first hello. */
  state: EngineState | null = null;
  /** Times the link came back after it had been open. */
  reconnects = 0;
  private connection: EngineConnection | null = null;
  private socket: WebSocket | null = null;
  private timer: NodeJS.Timeout | null = null;
  private backoffMs = RECONNECT_FIRST_MS;
  private wasOpen = false;
  private closed = false;

  constructor(
    readonly spec: ClusterNodeSpec,
    private readonly events: NodeLinkEvents,
  ) {
    this.connect();
  }

  get name(): string {
    return this.spec.name;
  }

  get isOpen(): boolean {
    return this.status === 'open';
  }

  /** Sends a command over the link; fails at once (never queued) while it is down. */
  send(command: CommandInput): Promise<CommandResult> {
    if (!this.connection || this.status !== 'open') {
      return Promise.resolve({ ok: false, error: engineError('internal', `Node ${this.name} is not connected${this.problem ? ` (${this.problem})` : ''}.`) });
    }
    return this.connection.send(command);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.connection?.close();
    this.socket?.terminate();
  }

  private connect(): void {
    if (this.closed) return;
    const protocols = [WS_PROTOCOL, ...(this.spec.token ? [WS_TOKEN_PROTOCOL_PREFIX + Buffer.from(this.spec.token, 'utf8').toString('base64url')] : [])];
    let socket: WebSocket;
    try {
      socket = new WebSocket(nodeWebSocketUrl(this.spec.url), protocols, { handshakeTimeout: 5000 });
    } catch (error) {
      this.setDown('refused', `bad address ${this.spec.url}: ${(error as Error).message}`);
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    /** Why this attempt failed or ended, for the console. */
    let attemptProblem: string | null = null;
    const bridge: MessageBridge = {
      postText: (text) => {
        if (socket.readyState === WebSocket.OPEN) socket.send(text);
      },
      onText: (listener) => socket.on('message', (data, isBinary) => !isBinary && listener(data.toString())),
      // Preview frames and thumbnails are the node's console's business, not the director's.
      onBinary: () => {},
      onStatus: (listener) => socket.on('close', () => listener('closed')),
      close: () => socket.close(),
    };
    const connection = createEngineConnection(bridge);
    this.connection = connection;
    connection.onEvent((event) => {
      // The client reports a contract version mismatch just before the hello it came in: kept as the link's problem.
      if (event.kind === 'error' && event.error.code === 'version-mismatch') attemptProblem = event.error.message;
      if (event.kind !== 'hello' && event.kind !== 'state') return;
      this.state = event.state;
      if (event.kind === 'hello') this.opened(attemptProblem);
      this.events.onState(this, event.state);
    });
    socket.on('unexpected-response', (_request, response) => {
      const why =
        response.statusCode === 401 || response.statusCode === 403
          ? `refused (HTTP ${response.statusCode}): wrong or missing token; give the node's --token in the cluster file`
          : `refused (HTTP ${response.statusCode})`;
      attemptProblem = why;
      socket.terminate();
    });
    socket.on('error', (error) => {
      attemptProblem ??= `cannot reach ${this.spec.url}: ${(error as NodeJS.ErrnoException).code ?? error.message}`;
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.connection = null;
      const problem = attemptProblem ?? (this.status === 'open' ? 'the node closed the link' : 'the link closed');
      this.setDown(problem.startsWith('refused') ? 'refused' : 'closed', problem);
    });
  }

  private opened(problem: string | null): void {
    if (this.wasOpen) this.reconnects += 1;
    this.wasOpen = true;
    this.status = 'open';
    this.problem = problem;
    this.backoffMs = RECONNECT_FIRST_MS;
    this.events.log(`cluster: ${this.name} linked (${this.spec.url})${this.reconnects ? `, rejoin ${this.reconnects}` : ''}`);
    this.events.onChange(this);
    this.events.onOpen(this);
  }

  private setDown(status: ClusterLink, problem: string): void {
    const wasUp = this.status === 'open';
    this.status = status;
    this.problem = problem;
    if (wasUp) this.events.log(`cluster: ${this.name} link lost (${problem}); reconnecting`);
    this.events.onChange(this);
    if (this.closed) return;
    this.timer = setTimeout(() => this.connect(), this.backoffMs);
    this.backoffMs = Math.min(RECONNECT_MAX_MS, this.backoffMs * 2);
  }
}
