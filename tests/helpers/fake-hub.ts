/**
 * A stand-in for the model hub (there is no internet here): a real HTTP server on
 * loopback that serves fixture repositories in the hub's URL layout, as the real hub
 * does (read from @huggingface/hub's source: list-files.ts, model-info.ts,
 * file-download-info.ts, and huggingface_hub's file_download.py):
 *  - GET /api/models/{org}/{name}/revision/{rev}: metadata (sha, gated, siblings);
 *  - GET /api/models/{org}/{name}/tree/{rev}[/{path}]?recursive=...: the file list, entries
 *    {type, oid, size, path, lfs?: {oid, size, pointerSize}}, paginated by a Link header;
 *  - GET|HEAD /{org}/{name}/resolve/{rev}/{path}: small files served directly with
 *    ETag "<git blob id>"; LFS files answered with a 302 to a CDN-like path
 *    (/cdn-lfs/repos/xx/yy/<sha256>) and X-Linked-Size / X-Linked-Etag "<sha256>";
 *    X-Repo-Commit on both; Range requests answered 206 with Content-Range;
 *  - refusals with the hub's X-Error-Code / X-Error-Message headers (GatedRepo,
 *    RepoNotFound, RevisionNotFound, EntryNotFound).
 * `faults` switches misbehaviour on: drop the connection mid-file, corrupt a byte,
 * stall, 404 a file, serve slowly; gated repositories answer 401 without a token and 403
 * with a token that has not accepted the licence. `served` counts body bytes per file.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FixtureFile {
  path: string;
  bytes: Buffer;
  /** Stored in LFS on the hub (big binaries: .onnx, .safetensors), else a plain git blob. */
  lfs: boolean;
}

export interface FixtureRepo {
  repo: string;
  revision: string;
  files: FixtureFile[];
  /** A gated repository: files only for a token in faults.acceptedTokens. */
  gated?: boolean;
}

export interface HubFaults {
  /** Drop the connection once the response reaches file offset `atByte`, for the next `times` requests of that file. */
  interrupt?: { path: string; atByte: number; times: number };
  /** Serve this byte flipped (every request). */
  corrupt?: { path: string; offset: number };
  /** Stop sending at this offset and hold the connection open. */
  stall?: { path: string; atByte: number };
  /** Files answering 404 EntryNotFound (still listed in the tree). */
  notFound?: string[];
  /** Throttle every body to about this rate. */
  slowBytesPerSecond?: number;
  /** Answer Range requests with the whole file (200), as some mirrors and proxies do. */
  ignoreRange?: boolean;
  /** Tokens whose account accepted a gated repository's licence. */
  acceptedTokens?: string[];
}

export interface HubRequestLog {
  method: string;
  url: string;
  range: string | null;
  authorization: string | null;
  status: number;
}

const PAGE_CHUNK = 64 * 1024;

const hashes = new WeakMap<Buffer, Map<string, string>>();

/** Hashes of fixture content, each computed once (the benchmark serves hundreds of MB). */
function memo(bytes: Buffer, kind: string, compute: () => string): string {
  let m = hashes.get(bytes);
  if (!m) hashes.set(bytes, (m = new Map()));
  let v = m.get(kind);
  if (v === undefined) m.set(kind, (v = compute()));
  return v;
}

export function gitBlobIdOf(bytes: Buffer): string {
  return memo(bytes, 'git', () => createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex'));
}

export function sha256Of(bytes: Buffer): string {
  return memo(bytes, 'sha256', () => createHash('sha256').update(bytes).digest('hex'));
}

const pointers = new WeakMap<Buffer, Buffer>();

function lfsPointer(bytes: Buffer): Buffer {
  let p = pointers.get(bytes);
  if (!p) pointers.set(bytes, (p = Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256Of(bytes)}\nsize ${bytes.length}\n`)));
  return p;
}

/** The file list a client would get for a fixture, in the shape pullModel takes. */
export function pullFilesOf(repo: FixtureRepo): { path: string; size: number; sha256: string | null; gitBlobId: string | null }[] {
  return repo.files.map((f) => ({ path: f.path, size: f.bytes.length, sha256: f.lfs ? sha256Of(f.bytes) : null, gitBlobId: f.lfs ? null : gitBlobIdOf(f.bytes) }));
}

function repoRoot(): string {
  for (let d = dirname(fileURLToPath(import.meta.url)); ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'models', 'builtin', 'model.onnx'))) return d;
    if (dirname(d) === d) throw new Error('fake-hub: cannot find the repository root (models/builtin/model.onnx)');
  }
}

/**
 * The built-in model's real, loadable folder (model.json, model.onnx, vocab.json) as a hub
 * repository, with a README and .gitattributes as real repositories have. The .onnx is in LFS.
 */
export function builtinModelRepo(repo = 'cyclorama-test/builtin-backdrops'): FixtureRepo {
  const dir = join(repoRoot(), 'models', 'builtin');
  const files: FixtureFile[] = [
    { path: '.gitattributes', bytes: Buffer.from('*.onnx filter=lfs diff=lfs merge=lfs -text\n'), lfs: false },
    { path: 'README.md', bytes: Buffer.from('# Cyclorama built-in backdrops (test fixture)\n\nlicense: see model.json\n'), lfs: false },
    { path: 'model.json', bytes: readFileSync(join(dir, 'model.json')), lfs: false },
    { path: 'vocab.json', bytes: readFileSync(join(dir, 'vocab.json')), lfs: false },
    { path: 'model.onnx', bytes: readFileSync(join(dir, 'model.onnx')), lfs: true },
  ];
  return { repo, revision: revisionOf(files), files };
}

/** A commit id for fixture content (sha1 of the file ids, as stable as the content). */
export function revisionOf(files: FixtureFile[]): string {
  const h = createHash('sha1');
  for (const f of files) h.update(`${f.path}\0${gitBlobIdOf(f.bytes)}\n`);
  return h.digest('hex');
}

/** Deterministic pseudo-random bytes (xorshift), for big LFS files in the benchmark. */
export function pseudoRandomBytes(size: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i + 4 <= size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.writeUInt32LE(x >>> 0, i);
  }
  for (let i = size - (size % 4); i < size; i++) out[i] = i & 255;
  return out;
}

export class FakeHub {
  faults: HubFaults = {};
  readonly served = new Map<string, number>();
  readonly requests: HubRequestLog[] = [];
  /** Entries per tree page (the real hub pages at 1000). */
  treePageSize = 1000;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    /** The CDN LFS files are redirected to: another origin, as cdn-lfs.hf.co is to huggingface.co. */
    private readonly cdn: Server,
    readonly repos: FixtureRepo[],
  ) {}

  static async start(repos: FixtureRepo[]): Promise<FakeHub> {
    let hub: FakeHub | undefined;
    const make = () => {
      const server = createServer((req, res) => {
        void hub!.handle(req, res).catch((err: unknown) => {
          if (!res.headersSent) res.writeHead(500).end(String(err));
          else res.destroy();
        });
      });
      server.on('connection', (s) => {
        hub!.sockets.add(s);
        s.on('close', () => hub!.sockets.delete(s));
      });
      return server;
    };
    hub = new FakeHub(make(), make(), repos);
    await new Promise<void>((resolve) => hub!.server.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => hub!.cdn.listen(0, '127.0.0.1', resolve));
    return hub;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get cdnUrl(): string {
    return `http://127.0.0.1:${(this.cdn.address() as AddressInfo).port}`;
  }

  servedBytes(path?: string): number {
    if (path !== undefined) return this.served.get(path) ?? 0;
    let n = 0;
    for (const v of this.served.values()) n += v;
    return n;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all([this.server, this.cdn].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  private findRepo(org: string, name: string): FixtureRepo | undefined {
    return this.repos.find((r) => r.repo === `${org}/${name}`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://hub');
    const auth = req.headers.authorization ?? null;
    const log: HubRequestLog = { method: req.method ?? 'GET', url: url.pathname + url.search, range: req.headers.range ?? null, authorization: auth, status: 0 };
    this.requests.push(log);
    res.on('finish', () => (log.status = res.statusCode));
    res.on('close', () => (log.status ||= res.statusCode));
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);

    if (parts[0] === 'cdn-lfs') {
      const sha = parts[parts.length - 1];
      for (const repo of this.repos) {
        const file = repo.files.find((f) => f.lfs && sha256Of(f.bytes) === sha);
        if (file) return this.serveBytes(req, res, file, { ETag: `"${sha}"`, 'Content-Type': 'application/octet-stream' });
      }
      return this.refuse(res, 404, 'EntryNotFound', 'No such object');
    }

    if (parts[0] === 'api' && parts[1] === 'models') {
      const [, , org, name, kind, rev, ...rest] = parts;
      const repo = org && name ? this.findRepo(org, name) : undefined;
      if (!repo) return this.refuse(res, auth ? 404 : 401, 'RepoNotFound', 'Repository not found');
      if (rev !== repo.revision && rev !== 'main' && rev !== 'HEAD') return this.refuse(res, 404, 'RevisionNotFound', `Invalid rev id: ${rev}`);
      if (kind === 'revision') return this.json(res, this.modelInfo(repo));
      if (kind === 'tree') return this.tree(res, url, repo, rest.join('/'));
      return this.refuse(res, 404, null, 'Not found');
    }

    const resolveAt = parts.indexOf('resolve');
    if (resolveAt === 2) {
      const [org, name] = parts as [string, string];
      const rev = parts[3];
      const path = parts.slice(4).join('/');
      const repo = this.findRepo(org, name);
      if (!repo) return this.refuse(res, auth ? 404 : 401, 'RepoNotFound', 'Repository not found');
      if (rev !== repo.revision && rev !== 'main') return this.refuse(res, 404, 'RevisionNotFound', `Invalid rev id: ${rev}`);
      if (repo.gated) {
        const token = auth?.replace(/^Bearer\s+/i, '') ?? null;
        if (!token)
          return this.refuse(res, 401, 'GatedRepo', `Access to model ${repo.repo} is restricted. You must have access to it and be authenticated to access it. Please log in.`);
        if (!(this.faults.acceptedTokens ?? []).includes(token)) {
          return this.refuse(
            res,
            403,
            'GatedRepo',
            `Access to model ${repo.repo} is restricted and you are not in the authorized list. Visit https://huggingface.co/${repo.repo} to ask for access.`,
          );
        }
      }
      const file = repo.files.find((f) => f.path === path);
      if (!file || (this.faults.notFound ?? []).includes(path)) return this.refuse(res, 404, 'EntryNotFound', `${path} does not exist on "${rev}"`);
      const common = { 'X-Repo-Commit': repo.revision, 'Accept-Ranges': 'bytes' };
      if (file.lfs) {
        const sha = sha256Of(file.bytes);
        res.writeHead(302, {
          ...common,
          Location: `${this.cdnUrl}/cdn-lfs/repos/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}?X-Amz-Signature=fixture`,
          ETag: `"${gitBlobIdOf(lfsPointer(file.bytes))}"`,
          'X-Linked-Size': String(file.bytes.length),
          'X-Linked-Etag': `"${sha}"`,
          'Content-Length': '0',
        });
        res.end();
        return;
      }
      return this.serveBytes(req, res, file, { ...common, ETag: `"${gitBlobIdOf(file.bytes)}"`, 'Content-Type': 'text/plain; charset=utf-8' });
    }
    return this.refuse(res, 404, null, 'Not found');
  }

  private modelInfo(repo: FixtureRepo): object {
    return {
      _id: createHash('md5').update(repo.repo).digest('hex').slice(0, 24),
      id: repo.repo,
      modelId: repo.repo,
      sha: repo.revision,
      private: false,
      gated: repo.gated ? 'manual' : false,
      disabled: false,
      downloads: 0,
      likes: 0,
      lastModified: '2026-01-01T00:00:00.000Z',
      pipeline_tag: 'text-to-image',
      siblings: repo.files.map((f) => ({ rfilename: f.path })),
    };
  }

  private tree(res: ServerResponse, url: URL, repo: FixtureRepo, under: string): void {
    const recursive = url.searchParams.get('recursive') === 'true';
    const prefix = under ? `${under}/` : '';
    const entries: object[] = [];
    const dirs = new Set<string>();
    for (const f of repo.files) {
      if (!f.path.startsWith(prefix)) continue;
      const rest = f.path.slice(prefix.length);
      const segments = rest.split('/');
      for (let i = 1; i < segments.length; i++) {
        const d = prefix + segments.slice(0, i).join('/');
        if ((recursive || i === 1) && !dirs.has(d)) {
          dirs.add(d);
          entries.push({ type: 'directory', oid: createHash('sha1').update(d).digest('hex'), size: 0, path: d });
        }
      }
      if (!recursive && segments.length > 1) continue;
      entries.push(
        f.lfs
          ? {
              type: 'file',
              oid: gitBlobIdOf(lfsPointer(f.bytes)),
              size: f.bytes.length,
              path: f.path,
              lfs: { oid: sha256Of(f.bytes), size: f.bytes.length, pointerSize: lfsPointer(f.bytes).length },
            }
          : { type: 'file', oid: gitBlobIdOf(f.bytes), size: f.bytes.length, path: f.path },
      );
    }
    const cursor = Number(url.searchParams.get('cursor') ?? 0);
    const page = entries.slice(cursor, cursor + this.treePageSize);
    const headers: Record<string, string> = {};
    if (cursor + this.treePageSize < entries.length) {
      const next = new URL(url.toString());
      next.searchParams.set('cursor', String(cursor + this.treePageSize));
      headers.Link = `<${this.url}${next.pathname}${next.search}>; rel="next"`;
    }
    this.json(res, page, headers);
  }

  private json(res: ServerResponse, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(200, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private refuse(res: ServerResponse, status: number, code: string | null, message: string): void {
    const text = JSON.stringify({ error: message });
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'X-Error-Message': message,
      ...(code ? { 'X-Error-Code': code } : {}),
    });
    res.end(text);
  }

  private async serveBytes(req: IncomingMessage, res: ServerResponse, file: FixtureFile, headers: Record<string, string>): Promise<void> {
    const size = file.bytes.length;
    let start = 0;
    let end = size - 1;
    let status = 200;
    const range = this.faults.ignoreRange ? null : /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    if (range) {
      if (range[1] === '') {
        start = Math.max(0, size - Number(range[2]));
      } else {
        start = Number(range[1]);
        if (range[2] !== '') end = Math.min(end, Number(range[2]));
      }
      if (start >= size || start > end) {
        res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}` }).end();
        return;
      }
      status = 206;
      headers = { ...headers, 'Content-Range': `bytes ${start}-${end}/${size}` };
    }
    res.writeHead(status, { ...headers, 'Content-Length': String(end - start + 1) });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const faults = this.faults;
    const interrupt = faults.interrupt?.path === file.path && faults.interrupt.times > 0 && faults.interrupt.atByte > start ? faults.interrupt : null;
    if (interrupt) interrupt.times--;
    const stallAt = faults.stall?.path === file.path && faults.stall.atByte >= start ? faults.stall.atByte : null;
    const corruptAt = faults.corrupt?.path === file.path ? faults.corrupt.offset : null;
    for (let pos = start; pos <= end;) {
      let stop = Math.min(end + 1, pos + PAGE_CHUNK);
      if (interrupt) stop = Math.min(stop, interrupt.atByte);
      if (stallAt !== null) stop = Math.min(stop, stallAt);
      if (stop > pos) {
        let chunk = file.bytes.subarray(pos, stop);
        if (corruptAt !== null && corruptAt >= pos && corruptAt < stop) {
          chunk = Buffer.from(chunk);
          chunk[corruptAt - pos] = (chunk[corruptAt - pos] ?? 0) ^ 0xff;
        }
        if (res.destroyed) return;
        const ok = res.write(chunk);
        this.served.set(file.path, (this.served.get(file.path) ?? 0) + chunk.length);
        pos = stop;
        if (!ok) {
          await new Promise<void>((r) => {
            const done = () => (res.off('drain', done), res.off('close', done), r());
            res.on('drain', done);
            res.on('close', done);
          });
        }
        if (faults.slowBytesPerSecond) await new Promise((r) => setTimeout(r, (chunk.length * 1000) / faults.slowBytesPerSecond!));
      }
      if (interrupt && pos >= interrupt.atByte) {
        // Let what was written reach the client, then drop the connection mid-body.
        await new Promise((r) => setTimeout(r, 20));
        res.socket?.destroy();
        return;
      }
      if (stallAt !== null && pos >= stallAt) return; // hold the connection open, send nothing more
    }
    res.end();
  }
}

/**
 * A tiny HTTP proxy on loopback, as a studio's would be: CONNECT tunnels (what undici's
 * ProxyAgent uses, for http and https targets alike) and absolute-URI forwarding.
 * Counts what went through it.
 */
export class LoopbackProxy {
  readonly tunnels: string[] = [];
  readonly forwarded: string[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<LoopbackProxy> {
    let proxy: LoopbackProxy | undefined;
    const server = createServer((req, res) => {
      proxy!.forwarded.push(req.url ?? '');
      const target = new URL(req.url ?? '');
      const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: target.pathname + target.search, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      proxy!.tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      proxy!.sockets.add(upstream);
      const end = () => (upstream.destroy(), client.destroy());
      upstream.on('error', end);
      client.on('error', end);
      upstream.on('close', end);
      client.on('close', end);
    });
    proxy = new LoopbackProxy(server);
    server.on('connection', (s) => {
      proxy!.sockets.add(s);
      s.on('close', () => proxy!.sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
