/**
 * One WebSocket connection to a Cyclorama engine: sends commands (each awaits its
 * reply), keeps the latest state snapshot, reconnects with capped back-off.
 * No Companion types here, so it runs (and is tested) outside Companion.
 */
import WebSocket from 'ws';
import type { CommandReply, CycloramaCommand, CycloramaState } from './protocol.js';

const REPLY_TIMEOUT_MS = 3000;
const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 5000;

export type ConnectionStatus = 'connecting' | 'ok' | 'disconnected';

export interface ClientEvents {
  status(status: ConnectionStatus, detail?: string): void;
  state(state: CycloramaState): void;
}

export class CycloramaClient {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: CommandReply) => void; timer: NodeJS.Timeout }>();
  private retryTimer: NodeJS.Timeout | null = null;
  private retryMs = RECONNECT_FIRST_MS;
  private closed = false;
  state: CycloramaState | null = null;

  constructor(
    private readonly url: string,
    private readonly events: ClientEvents,
  ) {
    this.connect();
  }

  /** ws://HOST:PORT/ws, with the token when the engine is opened to the network. */
  static url(host: string, port: number, token?: string): string {
    const query = token ? `?token=${encodeURIComponent(token)}` : '';
    return `ws://${host.includes(':') ? `[${host}]` : host}:${port}/ws${query}`;
  }

  send(command: CycloramaCommand): Promise<CommandReply> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      // Not queued: a GO pressed while disconnected must not fire minutes later.
      return Promise.resolve({ ok: false, error: { code: 'not-connected', message: 'Not connected to Cyclorama.' } });
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, error: { code: 'timeout', message: `No reply within ${REPLY_TIMEOUT_MS} ms.` } });
      }, REPLY_TIMEOUT_MS);
      this.pending.set(id, { resolve, timer });
      socket.send(JSON.stringify({ kind: 'command', id, command }));
    });
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.close();
    for (const [, call] of this.pending) clearTimeout(call.timer);
    this.pending.clear();
  }

  private connect(): void {
    this.events.status('connecting');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.onText(data.toString());
    });
    socket.on('close', (code) => {
      this.events.status('disconnected', code === 4001 || code === 1008 ? 'access token rejected' : `connection closed (${code})`);
      this.scheduleReconnect();
    });
    socket.on('error', (error) => this.events.status('disconnected', error.message));
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, this.retryMs);
    this.retryMs = Math.min(RECONNECT_MAX_MS, this.retryMs * 2);
  }

  private onText(text: string): void {
    let message: { kind?: string; id?: number | null; ok?: boolean; error?: CommandReply['error']; state?: CycloramaState };
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (message.kind === 'reply' && typeof message.id === 'number') {
      const call = this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id);
      clearTimeout(call.timer);
      call.resolve({ ok: message.ok === true, ...(message.error ? { error: message.error } : {}) });
    } else if ((message.kind === 'hello' || message.kind === 'state') && message.state) {
      if (message.kind === 'hello') {
        this.retryMs = RECONNECT_FIRST_MS;
        this.events.status('ok');
      }
      this.state = message.state;
      this.events.state(message.state);
    }
  }
}
