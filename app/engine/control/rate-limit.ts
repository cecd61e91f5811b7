/**
 * Token buckets per key (source, or source + address), so a stuck button or a
 * runaway script cannot flood the engine. Each key refills at `perSecond` up to
 * `burst`; a message that finds its bucket empty is refused and counted. The
 * clock is passed in (ms), so tests drive it at explicit instants.
 */

export interface RateLimitOptions {
  /** Sustained messages per second per key. Default 20. */
  perSecond?: number;
  /** Messages a key may send at once after being idle. Default 40. */
  burst?: number;
  /** Most keys remembered; the least recently used is forgotten beyond it (bounds memory under spoofed sources). Default 1024. */
  maxKeys?: number;
}

export const DEFAULT_RATE_LIMIT = { perSecond: 20, burst: 40 } as const;

interface Bucket {
  tokens: number;
  atMs: number;
}

export class RateLimiter {
  readonly perSecond: number;
  readonly burst: number;
  private readonly maxKeys: number;
  private readonly buckets = new Map<string, Bucket>();
  allowed = 0;
  refused = 0;

  constructor(options: RateLimitOptions = {}) {
    this.perSecond = options.perSecond ?? DEFAULT_RATE_LIMIT.perSecond;
    this.burst = options.burst ?? DEFAULT_RATE_LIMIT.burst;
    this.maxKeys = options.maxKeys ?? 1024;
  }

  /** Takes one token for `key` at `nowMs`; false (and counted) when the bucket is empty. */
  take(key: string, nowMs: number): boolean {
    let bucket = this.buckets.get(key);
    if (bucket) {
      this.buckets.delete(key); // re-inserted below: the Map's order is least recently used first
      bucket.tokens = Math.min(this.burst, bucket.tokens + (Math.max(0, nowMs - bucket.atMs) * this.perSecond) / 1000);
      bucket.atMs = nowMs;
    } else {
      bucket = { tokens: this.burst, atMs: nowMs };
      if (this.buckets.size >= this.maxKeys) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
    }
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.allowed++;
      return true;
    }
    this.refused++;
    return false;
  }
}

/**
 * A log that cannot be flooded either: at most `perSecond` lines, then one
 * "N more suppressed" line when it opens again.
 */
export function throttledLog(log: (line: string) => void, perSecond = 10, now: () => number = () => performance.now()): (line: string) => void {
  let windowStart = 0;
  let inWindow = 0;
  let suppressed = 0;
  return (line) => {
    const t = now();
    if (t - windowStart >= 1000) {
      if (suppressed > 0) log(`(${suppressed} similar lines suppressed)`);
      windowStart = t;
      inWindow = 0;
      suppressed = 0;
    }
    if (inWindow < perSecond) {
      inWindow++;
      log(line);
    } else suppressed++;
  };
}
