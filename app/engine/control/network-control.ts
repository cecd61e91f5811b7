/**
 * Starts every control listener of a node and joins them into the hub's control
 * plane: the console/API server (HTTP + WebSocket; Host and Origin checked on
 * every request, the token whenever the node has one: always beyond loopback),
 * the HTTP one-shot API, the OSC listener with its feedback, one rotatable token
 * and the status the console shows in its Remote control panel.
 */
import os from 'node:os';
import type { ControlStatus } from '../../contract/control.js';
import { engineError } from '../../contract/errors.js';
import type { Engine } from '../engine.js';
import { isLoopbackHost } from './access.js';
import type { ClientHub } from './client-hub.js';
import type { ControlSources } from './control-sources.js';
import { startConsoleServer, type ConsoleServer } from './console-server.js';
import { createHttpApi, type HttpApi } from './http-api.js';
import type { OscDestination } from './osc-feedback.js';
import { OscServer } from './osc-server.js';
import type { OscTcpOptions } from './osc-tcp-listener.js';
import { RateLimiter, type RateLimitOptions } from './rate-limit.js';
import { newToken, TokenStore } from './token-store.js';
import { ViewerLinks } from './viewer-links.js';

export interface NetworkControlOptions {
  engine: Engine;
  hub: ClientHub;
  staticDir: string;
  /** Console/API address; default 127.0.0.1. Anything else turns network control on (token required). */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Access token: one is generated when network control is on and none is given; on loopback it is required when given. */
  token?: string;
  /** Host names clients may use besides this machine's own (control/access.ts), e.g. a DNS name a director connects by. */
  allowedHosts?: readonly string[];
  /** Page origins allowed besides the console's own. */
  allowedOrigins?: readonly string[];
  /** OSC listener; absent = no OSC. `tcp`: absent = OSC over TCP on the same port number too, false = UDP only. */
  osc?: { host?: string; port: number; allow?: string[]; feedback?: OscDestination[]; tcp?: OscTcpOptions | false };
  rateLimit?: RateLimitOptions;
  /** DMX in, MIDI Show Control and MIDI control (control-sources.ts), started by the caller: reported in the status, answers MIDI learn, stopped on close. */
  sources?: ControlSources;
  log?: (line: string) => void;
}

export interface NetworkControl {
  server: ConsoleServer;
  api: HttpApi;
  osc: OscServer | null;
  tokens: TokenStore;
  /** The client preview link (viewer-links.ts). */
  viewers: ViewerLinks;
  status(): ControlStatus;
  close(): Promise<void>;
}

/** A LAN address to show in the remote-console URL when listening on every interface. */
function lanAddress(): string {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export async function startNetworkControl(options: NetworkControlOptions): Promise<NetworkControl> {
  const host = options.host ?? '127.0.0.1';
  const network = !isLoopbackHost(host);
  const log = options.log ?? (() => {});
  // Opening the node to the network without a token would let anyone on the LAN drive the wall;
  // a token the operator gave is required on loopback too (it was given for a reason).
  const tokens = new TokenStore(options.token ?? (network ? newToken() : undefined));
  const api = createHttpApi({ hub: options.hub, limiter: new RateLimiter(options.rateLimit), log });
  // The viewer link's public URL is the remote console's address (null on loopback: no phone can reach it).
  let remoteUrl: () => string | null = () => null;
  const viewers = new ViewerLinks({ engine: options.engine, publicBase: () => remoteUrl(), log });
  const server = await startConsoleServer({
    hub: options.hub,
    staticDir: options.staticDir,
    host,
    port: options.port ?? 0,
    tokens,
    api,
    viewers,
    log,
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
  });
  let osc: OscServer | null = null;
  try {
    if (options.osc) {
      const oscHost = options.osc.host ?? '127.0.0.1';
      if (!isLoopbackHost(oscHost) && !network) log(`OSC listens on ${oscHost} while the console/API stays on ${host}`);
      osc = await OscServer.start({
        hub: options.hub,
        engine: options.engine,
        host: oscHost,
        port: options.osc.port,
        ...(options.osc.allow ? { allow: options.osc.allow } : {}),
        ...(options.osc.feedback ? { feedback: options.osc.feedback } : {}),
        ...(options.osc.tcp !== undefined ? { tcp: options.osc.tcp } : {}),
        ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
        log,
      });
    }
  } catch (error) {
    await server.close();
    throw error;
  }

  const status = (): ControlStatus => {
    const shownHost = host === '0.0.0.0' || host === '::' ? lanAddress() : host;
    return {
      network,
      host,
      port: server.port,
      tokenRequired: tokens.current !== undefined,
      remoteUrl: network ? `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${server.port}/` : null,
      http: { ...api.counters, rateLimited: api.counters.rateLimited },
      osc: osc ? osc.status() : null,
      rateLimit: { perSecond: api.limiter.perSecond, burst: api.limiter.burst },
      ...(options.sources ? { sources: options.sources.status() } : {}),
    };
  };

  const sources = options.sources;
  remoteUrl = () => status().remoteUrl;
  options.hub.setControlPlane({
    status,
    ...(sources ? { midi: (command) => sources.command(command) } : {}),
    viewers: { status: () => viewers.status(), create: (showCueName) => viewers.create(showCueName), revoke: () => viewers.revoke() },
    rotateToken: (requester) => {
      if (tokens.current === undefined) return { ok: false, error: engineError('show-edit', 'This node has no access token to rotate (loopback only, started without --token).') };
      const token = tokens.rotate(requester);
      // The token itself is not logged: it goes only to the console that asked, in this reply.
      log('access token rotated; connections with the old token dropped');
      return { ok: true, data: { token } };
    },
  });

  return {
    server,
    api,
    osc,
    tokens,
    viewers,
    status,
    close: async () => {
      options.hub.setControlPlane(null);
      viewers.close();
      await osc?.stop();
      await options.sources?.stop();
      await server.close();
    },
  };
}
