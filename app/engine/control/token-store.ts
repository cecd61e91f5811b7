/**
 * The network-control access token, rotatable at run time. Listeners read it on
 * every request (so a rotation takes effect at once) and subscribe to rotations
 * to drop connections that authenticated with the old one.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export function newToken(): string {
  return randomBytes(16).toString('hex');
}

export class TokenStore {
  private token: string | undefined;
  private readonly listeners = new Set<(token: string, keep: unknown) => void>();

  /** `token` undefined: network control is off (loopback only), nothing to check or rotate. */
  constructor(token?: string) {
    this.token = token;
  }

  get current(): string | undefined {
    return this.token;
  }

  /** Constant-time comparison with the current token; false while there is none. */
  matches(given: string | undefined | null): boolean {
    if (!given || !this.token) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** Issues a new token; `keep` names a connection that stays (the console that asked). */
  rotate(keep?: unknown): string {
    const token = newToken();
    this.token = token;
    for (const listener of this.listeners) listener(token, keep);
    return token;
  }

  onRotate(listener: (token: string, keep: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}

/** The token a request carries: `Authorization: Bearer T` or `?token=T` (browsers cannot set WebSocket headers). */
export function tokenOf(request: { headers: { authorization?: string | undefined }; url?: string | undefined }): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7);
  try {
    return new URL(request.url ?? '/', 'http://localhost').searchParams.get('token') ?? undefined;
  } catch {
    return undefined;
  }
}
