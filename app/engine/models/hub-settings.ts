/**
 * Where the model hub is and how to reach it, read from the hub's own environment
 * conventions (the ones huggingface_hub and @huggingface/hub read), so a studio that
 * set them up for other tools gets the same behaviour here:
 *  - HF_ENDPOINT: a mirror instead of https://huggingface.co;
 *  - HF_TOKEN (or HF_TOKEN_PATH, else $HF_HOME/token, else ~/.cache/huggingface/token,
 *    the file `huggingface-cli login` writes): the access token for gated repositories;
 *  - HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub: the shared cache,
 *    so models other tools downloaded are found;
 *  - HF_HUB_OFFLINE=1: no network at all, cache only;
 *  - HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case): Node's built-in fetch ignores
 *    them, so every request goes through undici's EnvHttpProxyAgent instead (hubFetch).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Agent, EnvHttpProxyAgent, fetch as undiciFetch, type Dispatcher } from 'undici';

export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';

export interface HubProxySettings {
  /** For http:// URLs (HTTP_PROXY). */
  httpProxy: string | null;
  /** For https:// URLs (HTTPS_PROXY); falls back to httpProxy as undici does. */
  httpsProxy: string | null;
  /** Comma-separated hosts (and host:port, *.suffix) that bypass the proxy (NO_PROXY). */
  noProxy: string | null;
}

export interface HubSettings {
  /** Hub base URL without a trailing slash. */
  endpoint: string;
  token: string | null;
  /** The hub cache root (holds models--org--name folders). */
  cacheDir: string;
  offline: boolean;
  /** Proxies from the environment; null means direct connections. */
  proxy?: HubProxySettings | null;
}

/** huggingface_hub's truthy strings for boolean env vars. */
function envTrue(value: string | undefined): boolean {
  return value !== undefined && ['1', 'on', 'yes', 'true'].includes(value.trim().toLowerCase());
}

function nonEmpty(value: string | undefined): string | null {
  const v = value?.trim();
  return v ? v : null;
}

function readTokenFile(path: string): string | null {
  try {
    return nonEmpty(readFileSync(path, 'utf8'));
  } catch {
    return null; // no token file: public repositories still work
  }
}

export function hubSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): HubSettings {
  const home = nonEmpty(env.HOME) ?? homedir();
  const hfHome = nonEmpty(env.HF_HOME) ?? join(nonEmpty(env.XDG_CACHE_HOME) ?? join(home, '.cache'), 'huggingface');
  const token = nonEmpty(env.HF_TOKEN) ?? nonEmpty(env.HUGGING_FACE_HUB_TOKEN) ?? readTokenFile(nonEmpty(env.HF_TOKEN_PATH) ?? join(hfHome, 'token'));
  const httpProxy = nonEmpty(env.HTTP_PROXY) ?? nonEmpty(env.http_proxy);
  const httpsProxy = nonEmpty(env.HTTPS_PROXY) ?? nonEmpty(env.https_proxy);
  const noProxy = nonEmpty(env.NO_PROXY) ?? nonEmpty(env.no_proxy);
  return {
    endpoint: (nonEmpty(env.HF_ENDPOINT) ?? DEFAULT_HUB_ENDPOINT).replace(/\/+$/, ''),
    token,
    cacheDir: nonEmpty(env.HF_HUB_CACHE) ?? nonEmpty(env.HUGGINGFACE_HUB_CACHE) ?? join(hfHome, 'hub'),
    offline: envTrue(env.HF_HUB_OFFLINE),
    proxy: httpProxy || httpsProxy ? { httpProxy, httpsProxy, noProxy } : null,
  };
}

/** The proxy a URL goes through under these settings (for messages), or null when direct. */
export function proxyFor(url: string, settings: HubSettings): string | null {
  const proxy = settings.proxy;
  if (!proxy) return null;
  const u = new URL(url);
  const host = u.hostname.toLowerCase();
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  for (const raw of (proxy.noProxy ?? '').split(/[,\s]+/).filter(Boolean)) {
    if (raw === '*') return null;
    const [h, p] = raw.toLowerCase().split(':') as [string, string | undefined];
    const bare = h.replace(/^\*?\./, '');
    if ((host === bare || host.endsWith(`.${bare}`)) && (!p || p === port)) return null;
  }
  return u.protocol === 'https:' ? (proxy.httpsProxy ?? proxy.httpProxy) : proxy.httpProxy;
}

/** A fetch bound to one dispatcher (direct or through the proxies); close() when done. */
export interface HubFetch {
  fetch: typeof globalThis.fetch;
  close(): Promise<void>;
}

/**
 * Undici's own limits, for the API calls (the downloads have their own stall timer,
 * stallTimeoutMs, shorter than these): an answer must start within 60 s and a body must
 * not pause for more than 120 s.
 */
const TIMEOUTS = { headersTimeout: 60_000, bodyTimeout: 120_000 };

/** `signal`, when given, cancels every request made through this fetch (a pull's cancel). */
export function hubFetch(settings: HubSettings, signal?: AbortSignal): HubFetch {
  const proxy = settings.proxy;
  // '' (not undefined) tells EnvHttpProxyAgent "no proxy", so it does not fall back to process.env.
  const dispatcher: Dispatcher = proxy
    ? new EnvHttpProxyAgent({ ...TIMEOUTS, httpProxy: proxy.httpProxy ?? '', httpsProxy: proxy.httpsProxy ?? '', noProxy: proxy.noProxy ?? '' })
    : new Agent(TIMEOUTS);
  const bound = ((input: string | URL, init?: RequestInit) => {
    const signals = [init?.signal, signal].filter((s): s is AbortSignal => !!s);
    const merged = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    return undiciFetch(input as string, { ...(init as object), ...(merged ? { signal: merged } : {}), dispatcher } as Parameters<typeof undiciFetch>[1]);
  }) as unknown as typeof globalThis.fetch;
  return { fetch: bound, close: () => dispatcher.close() };
}
