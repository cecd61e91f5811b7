/**
 * Every way a pull fails, as one code and one sentence that names the file and says
 * what to do. Network errors arrive from undici as TypeError('fetch failed') with the
 * system error (ECONNREFUSED, ENOTFOUND, ...) as its cause; hub refusals as a status
 * with the hub's X-Error-Code header (GatedRepo, RepoNotFound, RevisionNotFound,
 * EntryNotFound), which is how huggingface_hub tells them apart too.
 */
import { proxyFor, type HubSettings } from './hub-settings.js';

export type PullErrorCode = 'offline' | 'network' | 'dns' | 'unauthorized' | 'forbidden' | 'not-found' | 'stalled' | 'corrupt' | 'disk-full' | 'busy' | 'cancelled' | 'proxy';

export class PullError extends Error {
  constructor(
    readonly code: PullErrorCode,
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'PullError';
  }
}

const RESUMES = 'Files already finished are kept and a partial file resumes where it stopped.';

/** Bytes for people: "812 kB", "3.4 MB", "5.12 GB" (decimal units, as the hub shows sizes). */
export function mb(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.round(bytes / 1e3)} kB`;
}

function systemCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('UND_ERR_') && code !== 'ERR_INVALID_STATE') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function innerMessage(err: unknown): string {
  let e: unknown = err;
  let last = String(err);
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
    if (e instanceof Error && e.message && e.message !== 'fetch failed') last = e.message;
    e = (e as { cause?: unknown }).cause;
  }
  return last;
}

/** What a failed request (before or during the body) means, for `what` ("model.onnx", "the file list"). */
export function fromRequestError(err: unknown, url: string, settings: HubSettings, what: string, file?: string): PullError {
  if (err instanceof PullError) return err;
  const host = new URL(url).host;
  const code = systemCode(err);
  const reason = innerMessage(err);
  const proxy = proxyFor(url, settings);
  if (proxy && (/proxy/i.test(reason) || (code === 'ECONNREFUSED' && reason.includes(new URL(proxy).host)))) {
    return new PullError(
      'proxy',
      `The proxy ${proxy} (from HTTPS_PROXY/HTTP_PROXY) failed while fetching ${what} from ${host}: ${reason}. ` +
        `Check the proxy address and that it allows ${host}, or list the host in NO_PROXY. ${RESUMES}`,
      file,
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NONAME') {
    return new PullError(
      'dns',
      `The model hub's name ${new URL(url).hostname} did not resolve (DNS ${code}) while fetching ${what}. ` +
        `Check the network and DNS, or set HF_ENDPOINT to a reachable mirror; HF_HUB_OFFLINE=1 uses only models already in the cache.`,
      file,
    );
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') return diskFull(what, settings, file);
  if (/Headers Timeout|Body Timeout/i.test(reason)) {
    return new PullError(
      'stalled',
      `The model hub at ${host} stopped answering while fetching ${what} (${reason}). Pull again later; if it keeps happening, the network or a proxy is holding the connection. ${RESUMES}`,
      file,
    );
  }
  return new PullError(
    'network',
    `The connection to the model hub at ${host} failed while fetching ${what} (${code ?? reason}). ` +
      `Check the network (and HF_ENDPOINT or the proxy), then pull again. ${RESUMES}`,
    file,
  );
}

export function diskFull(what: string, settings: HubSettings, file?: string): PullError {
  return new PullError(
    'disk-full',
    `The disk is full: writing ${what} into ${settings.cacheDir} failed (no space left). ` +
      `Free space on that disk (or point HF_HUB_CACHE at a bigger one) and pull again. ${RESUMES}`,
    file,
  );
}

/** A refusal from the hub (a status of 400 or more) for a repo, a revision or one file. */
export function fromStatus(
  status: number,
  errorCode: string | null,
  hubMessage: string | null,
  ctx: { repo: string; revision: string; file?: string; settings: HubSettings; gated?: boolean },
): PullError {
  const { repo, revision, file, settings } = ctx;
  const page = `${settings.endpoint}/${repo}`;
  const what = file ? `${file} of ${repo}` : repo;
  const said = hubMessage ? ` The hub said: "${hubMessage}".` : '';
  if (errorCode === 'RepoNotFound' || (status === 404 && !file && errorCode !== 'RevisionNotFound')) {
    return new PullError(
      'not-found',
      `The repository ${repo} was not found on ${settings.endpoint} (${status}).${said} ` + `Check the name; a private repository also needs an access token (HF_TOKEN).`,
      file,
    );
  }
  if (errorCode === 'RevisionNotFound') {
    return new PullError(
      'not-found',
      `${repo} has no revision ${revision} (${status}).${said} The catalog entry pins a commit the repository no longer has: update the entry.`,
      file,
    );
  }
  if (status === 404) {
    return new PullError(
      'not-found',
      `${what} was not found at revision ${revision} (404${errorCode ? ` ${errorCode}` : ''}).${said} The file list is out of date with the repository: check ${page}/tree/${revision}.`,
      file,
    );
  }
  if (status === 401 || status === 403) {
    const gated = ctx.gated || errorCode === 'GatedRepo';
    if (gated) {
      const howTo =
        `${repo} is a gated model: the hub serves its files only after its licence has been accepted on ${page} with your account, ` +
        `and only to requests carrying an access token of that account (HF_TOKEN, or the token \`huggingface-cli login\` saves).`;
      return status === 401 && !settings.token
        ? new PullError('unauthorized', `${howTo} No token was sent: set HF_TOKEN and pull again.${said}`, file)
        : new PullError(
            status === 401 ? 'unauthorized' : 'forbidden',
            `${howTo} The hub refused ${what} with the token given (${status}): accept the licence on that page while logged in as the token's owner (and use a token with read access), then pull again.${said}`,
            file,
          );
    }
    return status === 401
      ? new PullError(
          'unauthorized',
          settings.token
            ? `The hub rejected the access token for ${what} (401).${said} Check HF_TOKEN is a valid, unexpired token.`
            : `The hub needs an access token for ${what} (401).${said} Set HF_TOKEN to a token of an account that can read ${repo}.`,
          file,
        )
      : new PullError('forbidden', `The hub refused ${what} (403).${said} The token's account has no read access to ${repo}.`, file);
  }
  if (status === 407) {
    return new PullError('proxy', `The proxy asked for credentials (407) while fetching ${what}: put them in the proxy URL (http://user:password@host:port) in HTTPS_PROXY.`, file);
  }
  return new PullError('network', `The model hub answered ${status} for ${what}.${said} It may be busy or down: pull again later. ${RESUMES}`, file);
}
