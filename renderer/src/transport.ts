/**
 * Picks the MessageBridge the console rides on. This is the only module that
 * knows transports exist; everything else sees an EngineConnection.
 *
 * - Inside Electron the preload exposes `window.cycloramaBridge` (IPC port).
 * - Anywhere else (a browser, Playwright) the engine that served this page also
 *   serves a WebSocket at `/ws` on the same host.
 */
import type { MessageBridge } from '../../app/contract/index.js';

type BridgeStatus = 'connecting' | 'open' | 'closed';

/** First reconnect delay in ms; doubles per failed attempt up to the maximum. */
const RECONNECT_FIRST_MS = 250;
/** Longest wait between reconnect attempts, in ms. An operator should not wait long. */
const RECONNECT_MAX_MS = 4000;

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser. */
    cycloramaBridge?: MessageBridge;
  }
}

export interface ChosenBridge {
  bridge: MessageBridge;
  /** For the status strip: which way the console is talking to the engine. */
  description: string;
  /**
   * The raw transport status. The connection reports 'open' only after the
   * engine's hello; this tells the console the socket itself is up, so it can
   * say "reached the engine but could not understand it" instead of spinning.
   */
  onTransportStatus(listener: (status: BridgeStatus) => void): void;
  /** The engine closed the socket because this console's access token was rotated (close code 4001). */
  onTokenRevoked(listener: () => void): void;
}

export function chooseBridge(): ChosenBridge {
  if (window.cycloramaBridge) return withStatusTap(window.cycloramaBridge, 'Electron IPC', () => {});
  pageToken(); // moves a ?token= out of the address bar before anything else runs
  const url = engineWebSocketUrl(window.location);
  if (url === null) return withStatusTap(deadBridge(), 'none (opened from disk without the app)', () => {});
  const revoked: Array<() => void> = [];
  // The token is read again on every (re)connect, so one set after a rotation
  // (setPageToken) is the one the next attempt uses.
  const bridge = createWebSocketBridge(url, {
    onClose: (code) => {
      if (code === TOKEN_REVOKED_CLOSE_CODE) revoked.forEach((l) => l());
    },
  });
  return withStatusTap(bridge, url, (l) => void revoked.push(l));
}

/** Close code the engine uses when it drops a connection whose token was rotated (control/console-server.ts). */
export const TOKEN_REVOKED_CLOSE_CODE = 4001;

/** Where this tab keeps its access token once it is out of the URL (per tab; a reload keeps it). */
const TOKEN_STORAGE_KEY = 'cyclorama.token';
/** The token when session storage is disabled (lost on reload, then the URL must carry it again). */
let memoryToken: string | null = null;

/**
 * The access token of this console: taken from `?token=` on the first page load,
 * then kept in the tab's session storage and removed from the URL at once (a
 * `?token=` URL ends up in histories, bookmarks and proxy logs). Null for a local
 * console without a token and for the app (Electron IPC needs none).
 */
export function pageToken(): string | null {
  const fromUrl = new URLSearchParams(window.location.search).get('token');
  if (fromUrl !== null) {
    setPageToken(fromUrl);
    const next = new URL(window.location.href);
    next.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', next);
    return fromUrl;
  }
  try {
    return window.sessionStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null; // storage disabled: the console then needs the token in its URL each time
  }
}

/** Keeps a new token for this tab (after a rotation, or typed in): the next reconnect and a reload use it. */
export function setPageToken(token: string): void {
  try {
    window.sessionStorage.setItem(TOKEN_STORAGE_KEY, token);
  } catch {
    // Storage disabled: the token lives only until the page is closed.
  }
  memoryToken = token;
}

/** The token to present now: this tab's stored one (pageToken() moved it out of the URL). */
function currentToken(): string | null {
  return pageToken() ?? memoryToken;
}

/** WebSocket subprotocols carrying the token (control/access.ts on the engine side); the server selects "cyclorama". */
export function tokenProtocols(token: string | null): string[] {
  if (!token) return [];
  const bytes = new TextEncoder().encode(token);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  const base64url = btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return ['cyclorama', `cyclorama.token.${base64url}`];
}

/** Wraps a bridge so its status reaches any number of listeners (a bridge may keep only one). */
function withStatusTap(inner: MessageBridge, description: string, onTokenRevoked: ChosenBridge['onTokenRevoked']): ChosenBridge {
  const listeners: Array<(status: BridgeStatus) => void> = [];
  inner.onStatus((status) => listeners.forEach((l) => l(status)));
  const bridge: MessageBridge = {
    postText: (text) => inner.postText(text),
    onText: (l) => inner.onText(l),
    onBinary: (l) => inner.onBinary(l),
    onStatus: (l) => void listeners.push(l),
    close: () => inner.close(),
  };
  return { bridge, description, onTransportStatus: (l) => void listeners.push(l), onTokenRevoked };
}

/**
 * ws(s)://<host>/ws for the page's own host, or null when the page has no host
 * (file://). The token never goes in this URL: browsers cannot set WebSocket
 * headers, so it travels in the subprotocol list (tokenProtocols).
 */
export function engineWebSocketUrl(location: Pick<Location, 'protocol' | 'host'>): string | null {
  if (location.protocol !== 'http:' && location.protocol !== 'https:') return null;
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

/**
 * A MessageBridge over one WebSocket that reconnects for ever with capped
 * exponential backoff. Messages posted while the socket is down are dropped on
 * purpose: replaying a queued GO or Black minutes later would be worse than
 * losing it, and the connection layer fails the call with a visible error.
 */
export function createWebSocketBridge(url: string | (() => string), options: { onClose?: (code: number) => void } = {}): MessageBridge {
  const textListeners: Array<(text: string) => void> = [];
  const binaryListeners: Array<(data: ArrayBuffer) => void> = [];
  const statusListeners: Array<(status: BridgeStatus) => void> = [];
  let socket: WebSocket | null = null;
  let delayMs = RECONNECT_FIRST_MS;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closedByUs = false;

  const report = (status: BridgeStatus) => {
    for (const l of statusListeners) l(status);
  };

  const connect = () => {
    retryTimer = undefined;
    report('connecting');
    const ws = new WebSocket(typeof url === 'function' ? url() : url, tokenProtocols(currentToken()));
    ws.binaryType = 'arraybuffer';
    socket = ws;
    ws.onopen = () => {
      delayMs = RECONNECT_FIRST_MS;
      report('open');
    };
    ws.onmessage = (event: MessageEvent<unknown>) => {
      const data = event.data;
      if (typeof data === 'string') for (const l of textListeners) l(data);
      else if (data instanceof ArrayBuffer) for (const l of binaryListeners) l(data);
    };
    // 'error' is always followed by 'close'; reconnecting is handled there once.
    ws.onclose = (event: CloseEvent) => {
      if (socket === ws) socket = null;
      options.onClose?.(event.code);
      report('closed');
      if (closedByUs) return;
      retryTimer = setTimeout(connect, delayMs);
      delayMs = Math.min(delayMs * 2, RECONNECT_MAX_MS);
    };
  };

  // Connect on the next tick so the caller can attach listeners first and see 'connecting'.
  retryTimer = setTimeout(connect, 0);

  return {
    postText(text) {
      if (socket?.readyState === WebSocket.OPEN) socket.send(text);
    },
    onText: (l) => void textListeners.push(l),
    onBinary: (l) => void binaryListeners.push(l),
    onStatus: (l) => void statusListeners.push(l),
    close() {
      closedByUs = true;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      socket?.close();
    },
  };
}

/** A bridge that never connects, so the console can say plainly that there is no engine. */
function deadBridge(): MessageBridge {
  const statusListeners: Array<(status: BridgeStatus) => void> = [];
  setTimeout(() => statusListeners.forEach((l) => l('closed')), 0);
  return {
    postText() {},
    onText() {},
    onBinary() {},
    onStatus: (l) => void statusListeners.push(l),
    close() {},
  };
}
