/**
 * One-shot HTTP triggers for scripts, QLab network cues and Companion's generic
 * HTTP module: POST /api/go, /api/cue/3/fire, /api/prompt {...}, GET /api/state.
 * Mounted by console-server.ts under /api/ (which checks the token first). Each
 * request becomes a contract command validated and applied by ClientHub.submit,
 * the same edge as the WebSocket. Errors are JSON `{ code, message }` with
 * 400 (bad JSON or arguments), 404 (no such endpoint), 405, 409 (the engine
 * refused it, e.g. an unknown cue), 413 (body too large), 429 (rate limited).
 * `pathname` is canonical (control/request-target.ts): percent-encoded variants
 * of one path are one endpoint and one rate-limit bucket.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CommandInput } from '../../contract/commands.js';
import type { ControlCounters } from '../../contract/control.js';
import type { ErrorCode } from '../../contract/errors.js';
import { engineNowMs } from '../clock.js';
import type { ClientHub } from './client-hub.js';
import { RateLimiter, throttledLog } from './rate-limit.js';
import { safeDecode } from './request-target.js';

/** Largest request body read, bytes. */
export const MAX_HTTP_BODY_BYTES = 16 * 1024;

type Body = Record<string, unknown>;
type Route = { method: 'POST'; pattern: RegExp; command: (body: Body, match: RegExpExecArray) => unknown };

/** A path parameter: the path is canonical (request-target.ts), so it always decodes; the fallback is belt and braces. */
const param = (raw: string | undefined): string => safeDecode(raw ?? '') ?? '';
const num = (v: unknown) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);

/** The endpoint table (docs/api/http.md). Bodies are passed through; the command schema validates them. */
const ROUTES: Route[] = [
  { method: 'POST', pattern: /^\/api\/go$/, command: () => ({ type: 'go' }) },
  { method: 'POST', pattern: /^\/api\/back$/, command: () => ({ type: 'back' }) },
  { method: 'POST', pattern: /^\/api\/restore$/, command: () => ({ type: 'restore' }) },
  { method: 'POST', pattern: /^\/api\/cue\/([^/]{1,12})\/fire$/, command: (_b, m) => ({ type: 'fireCue', number: param(m[1]) }) },
  { method: 'POST', pattern: /^\/api\/cue\/([^/]{1,40})\/standby$/, command: (_b, m) => ({ type: 'standby', cueId: param(m[1]) }) },
  { method: 'POST', pattern: /^\/api\/panic\/black$/, command: (b) => ({ type: 'panic', mode: 'black', ...(b.fadeMs !== undefined ? { fadeMs: num(b.fadeMs) } : {}) }) },
  { method: 'POST', pattern: /^\/api\/panic\/freeze$/, command: () => ({ type: 'panic', mode: 'freeze' }) },
  { method: 'POST', pattern: /^\/api\/panic\/plate$/, command: () => ({ type: 'panic', mode: 'safe-plate' }) },
  {
    method: 'POST',
    pattern: /^\/api\/prompt$/,
    command: (b) => ({ type: 'setPrompt', prompt: b.prompt, ...(b.transitionMs !== undefined ? { transition: { durationMs: num(b.transitionMs) } } : {}) }),
  },
  {
    method: 'POST',
    pattern: /^\/api\/input$/,
    // { "source": { "kind": "ndi", "name": "CAM (1)" }, "fit": "crop", "strength": 0.5, "transitionMs": 1000 }; source absent keeps the input.
    command: (b) => ({
      type: 'setInput',
      ...(b.source !== undefined ? { input: { source: b.source, ...(b.fit !== undefined ? { fit: b.fit } : {}) } } : {}),
      ...(b.strength !== undefined ? { strength: num(b.strength) } : {}),
      ...(b.transitionMs !== undefined ? { transition: { durationMs: num(b.transitionMs) } } : {}),
    }),
  },
  { method: 'POST', pattern: /^\/api\/input\/clear$/, command: () => ({ type: 'setInput', input: null }) },
  { method: 'POST', pattern: /^\/api\/input\/sources$/, command: (b) => ({ type: 'listNdiSources', ...(b.timeoutMs !== undefined ? { timeoutMs: num(b.timeoutMs) } : {}) }) },
  { method: 'POST', pattern: /^\/api\/seed$/, command: (b) => ({ type: 'setSeed', seed: num(b.seed) }) },
  { method: 'POST', pattern: /^\/api\/timeline\/play$/, command: () => ({ type: 'timelinePlay' }) },
  // { "folder": "/media/takes", "codec": "prores-mov", "source": "program" }; fields left out take the last recording's choice.
  { method: 'POST', pattern: /^\/api\/record\/start$/, command: (b) => ({ type: 'startRecording', ...b }) },
  { method: 'POST', pattern: /^\/api\/record\/stop$/, command: () => ({ type: 'stopRecording' }) },
  { method: 'POST', pattern: /^\/api\/timeline\/pause$/, command: () => ({ type: 'timelinePause' }) },
  { method: 'POST', pattern: /^\/api\/timeline\/stop$/, command: () => ({ type: 'timelineStop' }) },
  { method: 'POST', pattern: /^\/api\/timeline\/seek$/, command: (b) => ({ type: 'timelineSeek', positionMs: num(b.positionMs) }) },
  {
    method: 'POST',
    pattern: /^\/api\/output\/([^/]{1,100})\/(select|blank|toggle)$/,
    command: (_b, m) => ({ type: 'selectOutput', output: param(m[1]), live: m[2] === 'toggle' ? 'toggle' : m[2] === 'select' }),
  },
  /** A full-resolution PNG of the program into { "folder": "/abs/path" }; the reply says the file (contract/stills.ts). */
  { method: 'POST', pattern: /^\/api\/still$/, command: (b) => ({ type: 'saveStill', folder: b.folder }) },
  { method: 'POST', pattern: /^\/api\/token\/rotate$/, command: () => ({ type: 'rotateToken' }) },
  /** Any contract command as its JSON (the same object the WebSocket carries in `command`). */
  { method: 'POST', pattern: /^\/api\/command$/, command: (b) => b },
];

export interface HttpApi {
  handle(request: IncomingMessage, response: ServerResponse, pathname: string): void;
  readonly counters: ControlCounters;
  readonly limiter: RateLimiter;
}

export function createHttpApi(options: { hub: ClientHub; limiter?: RateLimiter; log?: (line: string) => void }): HttpApi {
  const { hub } = options;
  const log = throttledLog(options.log ?? (() => {}));
  const limiter = options.limiter ?? new RateLimiter();
  const counters: ControlCounters = { received: 0, dispatched: 0, rejected: 0, rateLimited: 0 };

  const send = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
  };
  const fail = (response: ServerResponse, status: number, code: ErrorCode, message: string, source: string) => {
    if (status === 429) counters.rateLimited++;
    else counters.rejected++;
    log(`${source}: ${status} ${code}: ${message}`);
    send(response, status, { code, message });
  };

  function handle(request: IncomingMessage, response: ServerResponse, pathname: string): void {
    const receivedAtMs = engineNowMs();
    const source = `http ${request.socket.remoteAddress ?? '?'}`;
    counters.received++;
    if (pathname === '/api/state') {
      if (request.method !== 'GET') return fail(response, 405, 'invalid-message', 'GET /api/state', source);
      return send(response, 200, hub.state());
    }
    const candidates = ROUTES.map((route) => ({ route, match: route.pattern.exec(pathname) })).filter((r) => r.match);
    const found = candidates[0];
    if (!found || !found.match) return fail(response, 404, 'not-found', `No endpoint ${pathname} (see docs/api/http.md).`, source);
    if (request.method !== found.route.method) {
      response.setHeader('allow', found.route.method);
      return fail(response, 405, 'invalid-message', `${pathname} takes ${found.route.method}.`, source);
    }
    if (!limiter.take(`${request.socket.remoteAddress ?? '?'}|${pathname}`, receivedAtMs)) {
      return fail(response, 429, 'rate-limited', `Too many requests to ${pathname} (${limiter.perSecond}/s, burst ${limiter.burst}).`, source);
    }
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > MAX_HTTP_BODY_BYTES) {
      fail(response, 413, 'too-large', `Body of ${declared} bytes (limit ${MAX_HTTP_BODY_BYTES}).`, source);
      request.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_HTTP_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('error', () => {});
    request.on('end', () => {
      finish().catch((error: unknown) => {
        log(`${source}: ${pathname} failed: ${(error as Error).message}`);
        if (!response.headersSent) fail(response, 500, 'internal', 'The engine could not handle this request.', source);
      });
    });
    const finish = async () => {
      if (tooLarge) return fail(response, 413, 'too-large', `Body over ${MAX_HTTP_BODY_BYTES} bytes.`, source);
      const text = Buffer.concat(chunks).toString('utf8').trim();
      let body: unknown = {};
      if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          return fail(response, 400, 'invalid-message', 'Body is not valid JSON.', source);
        }
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail(response, 400, 'invalid-message', 'Body must be a JSON object.', source);
      const match = found.match as RegExpExecArray;
      const command = found.route.command(body as Body, match) as CommandInput;
      const result = await hub.submit(command, source, receivedAtMs); // loadModel: when the model is live or failed
      if (result.ok) {
        counters.dispatched++;
        // saveStill says where the file went; other replies' data (a rotated token) stays off HTTP.
        return send(response, 200, { ok: true, ...(result.data?.still ? { still: result.data.still } : {}) });
      }
      const schemaProblem = result.error.code === 'invalid-message' || result.error.code === 'unknown-command';
      fail(response, schemaProblem ? 400 : 409, result.error.code, result.error.message, source);
    };
  }

  return { handle, counters, limiter };
}
