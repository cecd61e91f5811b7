/**
 * The hub's API calls, through its own JavaScript client (@huggingface/hub): the file
 * list of a pinned revision (listFiles: GET /api/models/{repo}/tree/{rev}, following its
 * Link pagination) and the repository's metadata (modelInfo: GET
 * /api/models/{repo}/revision/{rev}, which says whether the repo is gated). The client
 * is given our fetch, so the proxy settings and the token apply to it too.
 */
import { HubApiError, listFiles, modelInfo } from '@huggingface/hub';

import { fromRequestError, fromStatus, PullError, type PullErrorCode } from './hub-errors.js';
import type { PullFile } from './hub-pull.js';
import { hubFetch, type HubSettings } from './hub-settings.js';

/** Keeps the hub's X-Error-Code/X-Error-Message of failed responses, which the client's HubApiError drops. */
function withErrorHeaders(f: typeof globalThis.fetch): { fetch: typeof globalThis.fetch; lastError: () => { code: string | null; message: string | null } } {
  let last: { code: string | null; message: string | null } = { code: null, message: null };
  return {
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const res = await f(input, init);
      if (!res.ok) last = { code: res.headers.get('x-error-code'), message: res.headers.get('x-error-message') };
      return res;
    }) as typeof globalThis.fetch,
    lastError: () => last,
  };
}

function accessToken(settings: HubSettings): string | undefined {
  return settings.token ?? undefined;
}

function clientError(
  err: unknown,
  url: string,
  settings: HubSettings,
  repo: string,
  revision: string,
  last: { code: string | null; message: string | null },
  what: string,
): PullError {
  if (err instanceof HubApiError) {
    const body = (err.data as { error?: unknown } | undefined)?.error;
    return fromStatus(err.statusCode, last.code, last.message ?? (typeof body === 'string' ? body : null), { repo, revision, settings });
  }
  if (err instanceof TypeError && /access token/i.test(err.message)) {
    return new PullError('unauthorized', `The access token in HF_TOKEN is not a hub token (${err.message}): copy a token from the hub's settings page.`);
  }
  return fromRequestError(err, url, settings, what);
}

export interface RepoInfo {
  gated: boolean;
}

/** Whether the repository exists at that revision and is gated (its licence must be accepted on the hub). */
export async function repoInfo(repo: string, revision: string, settings: HubSettings, f: typeof globalThis.fetch): Promise<RepoInfo> {
  const tracked = withErrorHeaders(f);
  const url = `${settings.endpoint}/api/models/${repo}/revision/${revision}`;
  try {
    const info = await modelInfo({ name: repo, revision, hubUrl: settings.endpoint, accessToken: accessToken(settings), fetch: tracked.fetch });
    return { gated: !!info.gated };
  } catch (err) {
    throw clientError(err, url, settings, repo, revision, tracked.lastError(), `the details of ${repo}`);
  }
}

/** Every file of the revision with its size and published hash. */
export async function listRepoFilesWith(repo: string, revision: string, settings: HubSettings, f: typeof globalThis.fetch): Promise<PullFile[]> {
  const tracked = withErrorHeaders(f);
  const url = `${settings.endpoint}/api/models/${repo}/tree/${revision}`;
  const files: PullFile[] = [];
  try {
    for await (const entry of listFiles({
      repo: { type: 'model', name: repo },
      revision,
      recursive: true,
      hubUrl: settings.endpoint,
      accessToken: accessToken(settings),
      fetch: tracked.fetch,
    })) {
      if (entry.type !== 'file') continue;
      files.push(
        entry.lfs
          ? { path: entry.path, size: entry.lfs.size, sha256: entry.lfs.oid.toLowerCase(), gitBlobId: null }
          : { path: entry.path, size: entry.size, sha256: null, gitBlobId: entry.oid?.toLowerCase() ?? null },
      );
    }
    return files;
  } catch (err) {
    throw clientError(err, url, settings, repo, revision, tracked.lastError(), `the file list of ${repo}`);
  }
}

export async function listRepoFiles(repo: string, revision: string, settings: HubSettings): Promise<PullFile[] | { code: PullErrorCode; message: string }> {
  if (settings.offline) {
    return { code: 'offline', message: `HF_HUB_OFFLINE is set, so the file list of ${repo} cannot be fetched from the hub. Unset HF_HUB_OFFLINE to check it.` };
  }
  const http = hubFetch(settings);
  try {
    return await listRepoFilesWith(repo, revision, settings, http.fetch);
  } catch (err) {
    const e = err instanceof PullError ? err : fromRequestError(err, `${settings.endpoint}/api/models/${repo}`, settings, `the file list of ${repo}`);
    return { code: e.code, message: e.message };
  } finally {
    await http.close();
  }
}
