/**
 * The headless node's front door: serves the built console (dist/renderer) and
 * the WebSocket API at /ws. Binds 127.0.0.1 unless told otherwise. Every request,
 * the console's files included, passes the access checks of access.ts (Host,
 * Origin, and the token whenever the node has one). Nothing a client sends can
 * throw out of a handler: a malformed request gets a 4xx and the node goes on.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ClientHub, ClientPort } from './client-hub.js';
import { createRequestGuard, isLoopbackHost, tokenOf, WS_PROTOCOL, type AccessRefusal } from './access.js';
import type { HttpApi } from './http-api.js';
import { throttledLog } from './rate-limit.js';
import { TokenStore } from './token-store.js';
import { parseRequestTarget, type RequestTarget } from './request-target.js';
import type { ViewerLinks } from './viewer-links.js';

/** A console more than this far behind skips preview frames instead of queueing them. */
const MAX_BUFFERED_BYTES = 1_000_000;
/**
 * Largest WebSocket message the socket layer accepts, bytes. Larger than the
 * contract's text limit on purpose: a message between the two gets an error reply
 * from the hub (naming the limit) instead of a bare close; only one this large is
 * cut off by the socket (close 1009).
 */
export const MAX_WS_MESSAGE_BYTES = 1024 * 1024;
/** Close code for a client dropped because it stopped reading (client-hub.ts). */
export const SLOW_CLIENT_CLOSE_CODE = 4008;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface ConsoleServerOptions {
  hub: ClientHub;
  /** Folder with the built console (index.html). */
  staticDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Access token; required for any host other than loopback, and enforced on loopback too when given. */
  token?: string;
  /** A rotatable token (control/token-store.ts); used instead of `token` when given. */
  tokens?: TokenStore;
  /** Host names clients may use besides this machine's own names and addresses (access.ts). */
  allowedHosts?: readonly string[];
  /** Page origins allowed besides the console's own (a dev server, a reverse proxy's public origin). */
  allowedOrigins?: readonly string[];
  /** The one-shot HTTP endpoints under /api/ (control/http-api.ts); absent = /api/* is 404. */
  api?: HttpApi;
  /** The client preview link (viewer-links.ts): its token opens /viewer/ws only; absent = no viewer link here. */
  viewers?: ViewerLinks;
  log?: (line: string) => void;
}

export interface ConsoleServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers }).end(JSON.stringify(body));
};

/** A viewer token presented where control is asked for (the control WebSocket, /api/*, /healthz). */
const VIEWER_TOKEN_REFUSAL: AccessRefusal = {
  status: 403,
  code: 'forbidden',
  message: 'This is a client preview link (viewer token): it can watch the program on the viewer page but cannot send commands or read the show.',
};

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' };

/** Refuses a WebSocket upgrade with a JSON body that says why (the socket is not yet a WebSocket). */
function refuseUpgrade(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ code, message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => {});
  const tokens = options.tokens ?? new TokenStore(options.token);
  if (!isLoopbackHost(host) && !tokens.current) {
    throw new Error(`Refusing to listen on ${host} without an access token: network control needs --token (or use 127.0.0.1).`);
  }
  let listeningPort = 0;
  const guard = createRequestGuard({
    port: () => listeningPort,
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
  });
  // Refusals are logged, but a flood of them (a scanner, a misconfigured button) costs one line a second.
  const logRefusal = throttledLog(log, 1);
  /** Null when the request may go on; else why not (Host/Origin first, then the token whenever there is one). */
  const refusalOf = (request: IncomingMessage, control: boolean): AccessRefusal | null => {
    const refused = guard.check(request.headers, control);
    if (refused) return refused;
    // A viewer token is for watching: it never reaches the control WebSocket or the API, whatever the node's token.
    if (control && options.viewers?.matches(tokenOf(request))) return VIEWER_TOKEN_REFUSAL;
    if (control && tokens.current && !tokens.matches(tokenOf(request))) {
      return { status: 401, code: 'unauthorized', message: 'Access token required: open the console URL printed at start, or send an Authorization: Bearer header.' };
    }
    return null;
  };
  const source = (request: IncomingMessage) => `http ${request.socket.remoteAddress ?? '?'}`;

  /** Each socket with the token it connected with, so a rotation can drop the old ones. */
  const socketTokens = new Map<WebSocket, { token: string | undefined; port: unknown }>();
  tokens.onRotate((token, keep) => {
    for (const [ws, info] of socketTokens) {
      if (info.port === keep || info.token === token) continue;
      log('dropping a connection that used the old access token');
      ws.close(4001, 'access token rotated');
      // A client that does not answer the close handshake is cut off.
      setTimeout(() => ws.terminate(), 1000).unref();
    }
  });

  function handleRequest(request: IncomingMessage, response: ServerResponse): void {
    const target = parseRequestTarget(request.url);
    if (!target) {
      logRefusal(`${source(request)}: 400 a request target that is not a path`);
      return json(response, 400, { code: 'invalid-message', message: 'The request target is not a valid path.' });
    }
    // The console's files are public code, but DNS rebinding and foreign pages are refused even here;
    // the token is checked on everything that reads or changes state.
    const isApi = target.pathname === '/healthz' || target.pathname.startsWith('/api/');
    const refused = refusalOf(request, isApi);
    if (refused) {
      logRefusal(`${source(request)}: ${refused.status} ${target.pathname}: ${refused.message}`);
      if (options.api) options.api.counters.rejected++;
      return json(response, refused.status, { code: refused.code, message: refused.message });
    }
    if (target.pathname.startsWith('/api/')) {
      if (options.api) options.api.handle(request, response, target.pathname);
      else json(response, 404, { code: 'not-found', message: 'No HTTP API here.' });
      return;
    }
    if (target.pathname === '/healthz') return json(response, 200, { ok: true, clients: options.hub.clientCount });
    serveStatic(options.staticDir, target, response);
  }

  const server: Server = createServer((request, response) => {
    try {
      handleRequest(request, response);
    } catch (error) {
      // Unexpected: answered and logged, never allowed to take the node down.
      log(`http: ${request.method} failed: ${(error as Error).stack ?? error}`);
      if (!response.headersSent) json(response, 500, { code: 'internal', message: 'The engine could not handle this request.' });
      else response.destroy();
    }
  });
  // Requests Node's own parser rejects (bad request line, header overflow) get a plain 400, never an exception.
  server.on('clientError', (_error, socket: Socket) => {
    if (socket.writable && !socket.destroyed) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });

  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_WS_MESSAGE_BYTES,
    // The console offers "cyclorama" plus its token protocol (access.ts); select the plain one, never echo the token.
    handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  // The viewer page's socket: no subprotocol, small messages only (it has nothing to say).
  const viewerSockets = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const target = parseRequestTarget(request.url);
      if (target?.pathname === '/viewer/ws') return upgradeViewer(request, socket, head);
      if (!target || target.pathname !== '/ws') return refuseUpgrade(socket, 404, 'not-found', 'WebSocket connections go to /ws.');
      const refused = refusalOf(request, true);
      if (refused) {
        logRefusal(`${source(request)}: ${refused.status} websocket: ${refused.message}`);
        return refuseUpgrade(socket, refused.status, refused.code, refused.message);
      }
      const given = tokenOf(request);
      // /ws?output=ID: a display output page, fed that output's frames only (engine/outputs/display-outputs.ts).
      const outputId = target.query.get('output') ?? undefined;
      sockets.handleUpgrade(request, socket, head, (ws) => attachSocket(ws, given, outputId));
    } catch (error) {
      log(`websocket upgrade failed: ${(error as Error).stack ?? error}`);
      refuseUpgrade(socket, 500, 'internal', 'The engine could not open this connection.');
    }
  });

  /** /viewer/ws: the client preview link's frames, with the viewer token only (viewer-links.ts). Host and Origin as everywhere. */
  function upgradeViewer(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refused = guard.check(request.headers, true);
    const viewers = options.viewers;
    const problem: AccessRefusal | null =
      refused ??
      (!viewers
        ? { status: 403, code: 'forbidden', message: 'This engine has no client preview link.' }
        : viewers.matches(tokenOf(request))
          ? null
          : { status: 401, code: 'unauthorized', message: 'This viewer link is not valid: it was revoked or replaced. Ask the operator for a new one.' });
    if (problem || !viewers) {
      const shown = problem ?? { status: 403, code: 'forbidden', message: 'No viewer link.' };
      logRefusal(`${source(request)}: ${shown.status} viewer websocket: ${shown.message}`);
      return refuseUpgrade(socket, shown.status, shown.code, shown.message);
    }
    viewerSockets.handleUpgrade(request, socket, head, (ws) => viewers.attach(ws, request.socket.remoteAddress ?? '?'));
  }

  function attachSocket(ws: WebSocket, token?: string, outputId?: string): void {
    const port: ClientPort = {
      ...(outputId ? { outputId } : {}),
      sendText: (text: string) => void (ws.readyState === ws.OPEN && ws.send(text)),
      sendBinary: (data: Uint8Array) => void (ws.readyState === ws.OPEN && ws.send(data, { binary: true })),
      isBacklogged: () => ws.bufferedAmount > MAX_BUFFERED_BYTES,
      bufferedBytes: () => ws.bufferedAmount,
      drop: (reason: string) => {
        log(`dropping a client: ${reason}`);
        ws.close(SLOW_CLIENT_CLOSE_CODE, reason.slice(0, 120));
        setTimeout(() => ws.terminate(), 1000).unref();
      },
    };
    socketTokens.set(ws, { token, port });
    const handle = options.hub.attach(port);
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        log('rejected a binary message from a client (commands are JSON text)');
        return;
      }
      handle.receiveText(data.toString());
    });
    ws.on('close', () => {
      socketTokens.delete(ws);
      handle.detach();
    });
    ws.on('error', (error) => log(`websocket error: ${error.message}`));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  listeningPort = port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        for (const client of viewerSockets.clients) client.terminate();
        viewerSockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function serveStatic(root: string, target: RequestTarget, response: ServerResponse): void {
  const relative = target.pathname === '/' ? 'index.html' : target.segments.join('/');
  const file = path.resolve(root, relative);
  // No escaping the console folder with ../
  if (!file.startsWith(path.resolve(root) + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
    const missingBuild = !existsSync(path.join(root, 'index.html'));
    response
      .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
      .end(missingBuild ? `The console is not built (${root} has no index.html). Run: npm run build\n` : 'Not found.\n');
    return;
  }
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  });
  createReadStream(file).pipe(response);
}
