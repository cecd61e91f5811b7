/**
 * Starts every control listener of a node and joins them into the hub's control
 * plane: the console/API server (HTTP + WebSocket, token when not on loopback),
 * the HTTP one-shot API, the OSC listener with its feedback, one rotatable token
 * and the status the console shows in its Remote control panel.
 */
import os from 'node:os';
import type { ControlStatus } from '../../contract/control.js';
import { engineError } from '../../contract/errors.js';
import type { Engine } from '../engine.js';
import { isLoopbackHost } from './access.js';
import type { ClientHub } from './client-hub.js';
import { startConsoleServer, type ConsoleServer } from './console-server.js';
import { createHttpApi, type HttpApi } from './http-api.js';
import { OscServer, type OscDestination } from './osc-server.js';
import type { OscTcpOptions } from './osc-tcp-listener.js';
import { RateLimiter, type RateLimitOptions } from './rate-limit.js';
import { newToken, TokenStore } from './token-store.js';

export interface NetworkControlOptions {
  engine: Engine;
  hub: ClientHub;
  staticDir: string;
  /** Console/API address; default 127.0.0.1. Anything else turns network control on (token required). */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Access token for network control; one is generated when network control is on and none is given. */
  token?: string;
  /** OSC listener; absent = no OSC. `tcp`: absent = OSC over TCP on the same port number too, false = UDP only. */
  osc?: { host?: string; port: number; allow?: string[]; feedback?: OscDestination[]; tcp?: OscTcpOptions | false };
  rateLimit?: RateLimitOptions;
  log?: (line: string) => void;
}

export interface NetworkControl {
  server: ConsoleServer;
  api: HttpApi;
  osc: OscServer | null;
  tokens: TokenStore;
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
  // Opening the node to the network without a token would let anyone on the LAN drive the wall.
  const tokens = new TokenStore(network ? (options.token ?? newToken()) : undefined);
  const api = createHttpApi({ hub: options.hub, limiter: new RateLimiter(options.rateLimit), log });
  const server = await startConsoleServer({ hub: options.hub, staticDir: options.staticDir, host, port: options.port ?? 0, tokens, api, log });
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
    const token = tokens.current ?? null;
    const shownHost = host === '0.0.0.0' || host === '::' ? lanAddress() : host;
    return {
      network,
      host,
      port: server.port,
      token,
      remoteUrl: network && token ? `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${server.port}/?token=${token}` : null,
      http: { ...api.counters, rateLimited: api.counters.rateLimited },
      osc: osc ? osc.status() : null,
      rateLimit: { perSecond: api.limiter.perSecond, burst: api.limiter.burst },
    };
  };

  options.hub.setControlPlane({
    status,
    rotateToken: (requester) => {
      if (!network) return { ok: false, error: engineError('show-edit', 'Network control is off (listening on loopback only): there is no token to rotate.') };
      tokens.rotate(requester);
      log('access token rotated; connections with the old token dropped');
      void options.engine.dispatch({ type: 'getState' }); // publish the new token to the consoles that stay
      return { ok: true };
    },
  });

  return {
    server,
    api,
    osc,
    tokens,
    status,
    close: async () => {
      options.hub.setControlPlane(null);
      await osc?.stop();
      await server.close();
    },
  };
}
