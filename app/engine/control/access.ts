/** Network-control access: loopback is trusted; anything else needs the operator's token. */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Token from `Authorization: Bearer T` or `?token=T` (browsers cannot set WebSocket headers). */
export function tokenMatches(request: IncomingMessage, token: string): boolean {
  const header = request.headers.authorization;
  const fromHeader = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
  const fromQuery = new URL(request.url ?? '/', 'http://localhost').searchParams.get('token') ?? undefined;
  const given = fromHeader ?? fromQuery;
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
