/**
 * The request target of an HTTP request, parsed once and safely. Clients send
 * anything: `//a:b`, `/api/cue/%ff/fire`, a path of 8 KB. Here it becomes a
 * canonical path (each segment percent-decoded, then encoded again the one
 * standard way) or null for "400 Bad Request". Routes, rate limits and static
 * files all see the canonical form, so `/api/cue/%31/fire` and `/api/cue/1/fire`
 * are the same endpoint and share one rate-limit bucket.
 */

export interface RequestTarget {
  /** Canonical path: "/" + encoded segments joined by "/"; a trailing "/" is kept. */
  pathname: string;
  /** The decoded segments (empty ones dropped), for static files. */
  segments: string[];
  query: URLSearchParams;
}

/** Longest request target accepted, characters (Node's own header limit is ~16 KB). */
export const MAX_TARGET_LENGTH = 4096;

export function parseRequestTarget(raw: string | undefined): RequestTarget | null {
  if (raw === undefined || raw.length === 0 || raw.length > MAX_TARGET_LENGTH || raw[0] !== '/') return null;
  const hash = raw.indexOf('#');
  const target = hash >= 0 ? raw.slice(0, hash) : raw;
  const queryAt = target.indexOf('?');
  const rawPath = queryAt >= 0 ? target.slice(0, queryAt) : target;
  const rawQuery = queryAt >= 0 ? target.slice(queryAt + 1) : '';
  const segments: string[] = [];
  for (const part of rawPath.split('/')) {
    if (part === '') continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(part);
    } catch {
      return null; // malformed percent-encoding (%ff, %zz, a lone %)
    }
    // A decoded "/" or NUL inside one segment would change the path's meaning.
    if (decoded.includes('/') || decoded.includes('\\') || decoded.includes('\u0000')) return null;
    segments.push(decoded);
  }
  let query: URLSearchParams;
  try {
    query = new URLSearchParams(rawQuery);
  } catch {
    return null;
  }
  const trailing = rawPath.length > 1 && rawPath.endsWith('/') && segments.length > 0 ? '/' : '';
  return { pathname: `/${segments.map(encodeURIComponent).join('/')}${trailing}`, segments, query };
}

/** decodeURIComponent that cannot throw (a canonical path segment always decodes; this is belt and braces). */
export function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
