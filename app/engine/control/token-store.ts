/**
 * The network-control access token, rotatable at run time. Listeners read it on
 * every request (so a rotation takes effect at once) and subscribe to rotations
 * to drop connections that authenticated with the old one.
 */
import { randomBytes } from 'node:crypto';
import { tokensEqual } from './access.js';

export function newToken(): string {
  return randomBytes(16).toString('hex');
}

export class TokenStore {
  private token: string | undefined;
  private readonly listeners = new Set<(token: string, keep: unknown) => void>();

  /** `token` undefined: no token (a loopback-only node the operator gave none), nothing to check or rotate. */
  constructor(token?: string) {
    this.token = token;
  }

  get current(): string | undefined {
    return this.token;
  }

  /** Constant-time comparison with the current token; false while there is none. */
  matches(given: string | undefined | null): boolean {
    return tokensEqual(given, this.token);
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
