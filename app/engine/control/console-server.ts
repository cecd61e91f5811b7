/**
 * The headless node's front door: serves the built console (dist/renderer) and
 * the WebSocket API at /ws. Binds 127.0.0.1 unless told otherwise; on any other
 * address the WebSocket and API requests must carry the access token.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_TEXT_MESSAGE_BYTES } from '../../contract/messages.js';
import type { ClientHub } from './client-hub.js';
import { isLoopbackHost, tokenMatches } from './access.js';
import type { HttpApi } from './http-api.js';
import { tokenOf, type TokenStore } from './token-store.js';

/** A console more than this far behind skips preview frames instead of queueing them. */
const MAX_BUFFERED_BYTES = 1_000_000;

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
  /** Required for any host other than loopback. */
  token?: string;
  /** A rotatable token (control/token-store.ts); used instead of `token` when given. */
  tokens?: TokenStore;
  /** The one-shot HTTP endpoints under /api/ (control/http-api.ts); absent = /api/* is 404. */
  api?: HttpApi;
  log?: (line: string) => void;
}

export interface ConsoleServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => {});
  const tokens = options.tokens;
  if (!isLoopbackHost(host) && !options.token && !tokens?.current) {
    throw new Error(`Refusing to listen on ${host} without an access token: network control needs --token (or use 127.0.0.1).`);
  }
  const authorised = (request: IncomingMessage) =>
    isLoopbackHost(host) || (tokens ? tokens.matches(tokenOf(request)) : tokenMatches(request, options.token as string));
  /** Each socket with the token it connected with, so a rotation can drop the old ones. */
  const socketTokens = new Map<WebSocket, { token: string | undefined; port: unknown }>();
  tokens?.onRotate((token, keep) => {
    if (isLoopbackHost(host)) return;
    for (const [ws, info] of socketTokens) {
      if (info.port === keep || info.token === token) continue;
      log('dropping a connection that used the old access token');
      ws.close(4001, 'access token rotated');
      // A client that does not answer the close handshake is cut off.
      setTimeout(() => ws.terminate(), 1000).unref();
    }
  });

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    // The console's files are public code (a remote console must load them before it
    // can present its token); everything that reads or changes state needs the token.
    const isApi = url.pathname === '/healthz' || url.pathname.startsWith('/api/');
    if (isApi && !authorised(request)) {
      log(`http ${request.socket.remoteAddress ?? '?'}: 401 ${url.pathname} without a valid token`);
      if (options.api) options.api.counters.rejected++;
      response
        .writeHead(401, { 'content-type': 'application/json; charset=utf-8' })
        .end(JSON.stringify({ code: 'unauthorized', message: 'Access token required: add ?token=... or an Authorization: Bearer header.' }));
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      if (options.api) options.api.handle(request, response, url.pathname);
      else response.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ code: 'not-found', message: 'No HTTP API here.' }));
      return;
    }
    if (url.pathname === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, clients: options.hub.clientCount }));
      return;
    }
    serveStatic(options.staticDir, url.pathname, response);
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_TEXT_MESSAGE_BYTES });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== '/ws' || !authorised(request)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    const given = tokenOf(request);
    // /ws?output=ID: a display output page, fed that output's frames only (engine/outputs/display-outputs.ts).
    const outputId = url.searchParams.get('output') ?? undefined;
    sockets.handleUpgrade(request, socket, head, (ws) => attachSocket(ws, given, outputId));
  });

  function attachSocket(ws: WebSocket, token?: string, outputId?: string): void {
    const port = {
      ...(outputId ? { outputId } : {}),
      sendText: (text: string) => ws.readyState === ws.OPEN && ws.send(text),
      sendBinary: (data: Uint8Array) => ws.readyState === ws.OPEN && ws.send(data, { binary: true }),
      isBacklogged: () => ws.bufferedAmount > MAX_BUFFERED_BYTES,
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
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function serveStatic(root: string, pathname: string, response: import('node:http').ServerResponse): void {
  const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
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
