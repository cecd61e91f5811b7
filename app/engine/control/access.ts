/**
 * Who may talk to the engine over HTTP and WebSocket. Three checks, in this order,
 * on every request (console files, /api/*, /healthz and the /ws upgrade):
 *
 * 1. Host: the name the client used to reach us must be this machine (its names,
 *    its interface addresses) or one the operator allowed (`--allow-host`). This
 *    defeats DNS rebinding: a page on evil.example that re-points its name at
 *    127.0.0.1 still sends `Host: evil.example`.
 * 2. Origin: a request sent by a web page carries its page's origin (and, in
 *    current browsers, Sec-Fetch-Site even where it carries no Origin). Allowed are
 *    no Origin at all (control surfaces, Companion, curl, QLab scripts send none)
 *    and the console's own origins: http(s)://<allowed host>:<our port>. Anything
 *    else is a page on another site (or another local server) and is refused, even
 *    a "simple" text/plain POST that the browser sends without a CORS preflight.
 * 3. Token: when the node has one (always when it listens beyond loopback, and on
 *    loopback when the operator gave one), every request must carry it.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import os from 'node:os';

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** A refused request: the HTTP status, a stable code and a sentence that says why. */
export interface AccessRefusal {
  status: 400 | 401 | 403;
  code: 'invalid-message' | 'unauthorized' | 'forbidden';
  message: string;
}

export interface RequestGuardOptions {
  /** The port we listen on: the console's own origin uses it. Read per request (port 0 picks one at listen). */
  port: () => number;
  /** Extra host names or addresses clients may use to reach us (a director connecting by a DNS name, a reverse proxy). */
  allowedHosts?: readonly string[];
  /** Extra page origins allowed to drive the engine, exactly as browsers send them (e.g. "http://localhost:5173" for a dev server). */
  allowedOrigins?: readonly string[];
}

/** How long the machine's own names and addresses are cached, ms: interfaces change (DHCP, VPN) but not per request. */
const MACHINE_NAMES_TTL_MS = 5000;

/** Lower-case host without brackets or a trailing dot: "[::1]" -> "::1", "Studio.local." -> "studio.local". */
export function normaliseHostName(name: string): string {
  let host = name.trim().toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host.endsWith('.')) host = host.slice(0, -1);
  return host;
}

/** Splits a Host header ("name", "name:port", "[v6]:port") into its name; null when it is not a host at all. */
export function hostHeaderName(header: string): string | null {
  const value = header.trim();
  if (value === '' || value.length > 255 || /[\s/\\@?#]/.test(value)) return null;
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end < 0) return null;
    const rest = value.slice(end + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return null;
    return normaliseHostName(value.slice(0, end + 1));
  }
  const parts = value.split(':');
  if (parts.length > 2) return null;
  if (parts.length === 2 && !/^\d{1,5}$/.test(parts[1] as string)) return null;
  return normaliseHostName(parts[0] as string);
}

/** This machine's names and addresses, as clients may write them in Host. */
function machineNames(): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '::1']);
  const hostname = normaliseHostName(os.hostname());
  if (hostname) {
    names.add(hostname);
    names.add(`${hostname}.local`);
  }
  for (const list of Object.values(os.networkInterfaces())) {
    for (const address of list ?? []) names.add(normaliseHostName(address.address.split('%')[0] as string));
  }
  return names;
}

export interface RequestGuard {
  /**
   * Null when Host and Origin are acceptable, else why not. Never throws.
   * `control`: the request reads or changes state (/api, /healthz, /ws), not a console file:
   * then a browser's `Sec-Fetch-Site: cross-site|same-site` is refused too, which catches
   * the requests a browser sends from another page without an Origin (no-cors GETs).
   */
  check(headers: IncomingHttpHeaders, control: boolean): AccessRefusal | null;
}

export function createRequestGuard(options: RequestGuardOptions): RequestGuard {
  const extraHosts = new Set((options.allowedHosts ?? []).map(normaliseHostName));
  const extraOrigins = new Set((options.allowedOrigins ?? []).map((o) => o.trim().toLowerCase().replace(/\/$/, '')));
  let cached: { names: Set<string>; atMs: number } | null = null;
  const allowedHost = (name: string): boolean => {
    if (extraHosts.has(name) || isLoopbackHost(name) || name.endsWith('.localhost')) return true;
    const now = Date.now();
    if (!cached || now - cached.atMs > MACHINE_NAMES_TTL_MS) cached = { names: machineNames(), atMs: now };
    return cached.names.has(name);
  };

  return {
    check(headers, control) {
      const hostHeader = headers.host;
      if (typeof hostHeader !== 'string') return { status: 400, code: 'invalid-message', message: 'The request has no Host header.' };
      const host = hostHeaderName(hostHeader);
      if (host === null) return { status: 400, code: 'invalid-message', message: "The request's Host header is not a host name." };
      if (!allowedHost(host)) {
        return {
          status: 403,
          code: 'forbidden',
          message: `Host "${host}" is not this machine: reach the engine by its own name or address, or start it with --allow-host ${host}.`,
        };
      }
      const origin = headers.origin;
      if (origin === undefined) {
        const site = headers['sec-fetch-site'];
        if (control && (site === 'cross-site' || site === 'same-site')) {
          return { status: 403, code: 'forbidden', message: 'Requests sent by another web page may not control this engine: only its own console may.' };
        }
        return null;
      }
      const refusal: AccessRefusal = {
        status: 403,
        code: 'forbidden',
        message: `Requests from web pages at ${origin.slice(0, 100)} may not control this engine: only its own console may (start with --allow-origin to allow another).`,
      };
      if (extraOrigins.has(origin.trim().toLowerCase())) return null;
      let parsed: URL;
      try {
        parsed = new URL(origin);
      } catch {
        return refusal; // "null" (sandboxed frames, file://) and anything unparsable
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return refusal;
      const port = parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port);
      if (port !== options.port() || !allowedHost(normaliseHostName(parsed.hostname))) return refusal;
      return null;
    },
  };
}

/**
 * The WebSocket subprotocol that carries the access token: browsers cannot set
 * headers on a WebSocket, and a token in the URL ends up in histories and proxy
 * logs. The console offers ["cyclorama", "cyclorama.token.<base64url(token)>"];
 * the server selects "cyclorama".
 */
export const WS_PROTOCOL = 'cyclorama';
export const WS_TOKEN_PROTOCOL_PREFIX = 'cyclorama.token.';

/**
 * The token a request carries: `Authorization: Bearer T` (scripts, Companion),
 * the WebSocket token subprotocol (the console), or `?token=T` (a console's first
 * page load, older clients). Undefined when none; never throws.
 */
export function tokenOf(request: Pick<IncomingMessage, 'headers' | 'url'>): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) return header.slice(7);
  const protocols = request.headers['sec-websocket-protocol'];
  if (typeof protocols === 'string') {
    for (const offered of protocols.split(',')) {
      const value = offered.trim();
      if (value.startsWith(WS_TOKEN_PROTOCOL_PREFIX)) return Buffer.from(value.slice(WS_TOKEN_PROTOCOL_PREFIX.length), 'base64url').toString('utf8');
    }
  }
  const url = request.url ?? '/';
  const query = url.indexOf('?');
  if (query < 0) return undefined;
  try {
    return new URLSearchParams(url.slice(query + 1)).get('token') ?? undefined;
  } catch {
    return undefined;
  }
}

/** Constant-time comparison of a given token with the expected one. */
export function tokensEqual(given: string | undefined | null, expected: string | undefined | null): boolean {
  if (!given || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
