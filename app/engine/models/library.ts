/**
 * The model library: what can be loaded on this machine and what can be fetched.
 *
 *   installed = the built-in model
 *             + catalog models found complete in the hub cache (findInCache: every file there and verified)
 *             + folders the user imported (remembered in the config folder, library-config.ts)
 *   catalog   = models/catalog.json (catalog.ts), each with its size, memory and licence
 *   downloads = pulls under way or just ended, with per-file and total progress
 *
 * Each installed model names the folder the existing loadModel command takes. The
 * library never touches the running show: a download is I/O on its own (the
 * downloader, hub-pull.ts), and removing refuses the model on the wall.
 *
 * Licences: a catalog model whose licence needs acceptance is pulled only after
 * acceptLicence (remembered per model and licence id). A gated model also needs
 * the hub to see the licence accepted with the user's account and a token
 * (HF_TOKEN): the message says so before a byte is asked for.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import type { CommandResult } from '../../contract/connection.js';
import { engineError, type EngineError } from '../../contract/errors.js';
import type { CatalogDocument, CatalogEntry, DownloadStatus, InstalledModel, ModelsStatus } from '../../contract/models.js';
import type { ExecutionProviderName } from '../../contract/providers.js';
import { builtinModelDir, loadModelFolder } from '../generate/model-folder.js';
import { fail, ok, type Result } from '../result.js';
import { catalogSize, findCatalogEntry } from './catalog.js';
import { filesFromCatalog, filesFromSnapshot, selectCatalogFiles } from './catalog-files.js';
import type { HubSettings, PullFile, PullProgress, PullRequest, PullResult } from './hub-pull.js';
import { readLibraryConfig, writeLibraryConfig, type LibraryConfig } from './library-config.js';

/** The downloader's two calls (hub-pull.ts); an object so a test or the CLI hands in the real one with its settings. */
export interface HubPort {
  settings: HubSettings;
  pullModel: (request: PullRequest, settings: HubSettings, options?: { signal?: AbortSignal; onProgress?: (progress: PullProgress) => void }) => Promise<PullResult>;
  findInCache: (request: PullRequest, settings: HubSettings) => Promise<string | null>;
  /** Every file of a revision with its size and hash, from the hub's API. */
  listRepoFiles: (repo: string, revision: string, settings: HubSettings) => Promise<PullFile[] | { code: string; message: string }>;
}

export interface ModelLibraryOptions {
  /** Config folder for models.json; null keeps the list in memory (tests). */
  configDir: string | null;
  catalog: Result<CatalogDocument>;
  hub: HubPort;
  /** The provider a model would run on here (preflight/intended-provider.ts in the engine). */
  intendedProvider: (preferred: readonly ExecutionProviderName[]) => ExecutionProviderName | null;
  /** The folder of the model on the wall now, or null. */
  liveDir?: () => string | null;
  /** Something in the state changed (a download started, moved on, ended; the list changed). */
  onChange?: () => void;
  /** Problems found on the way (a broken models.json); the reply carries the ones a command caused. */
  onError?: (error: EngineError) => void;
  builtinDir?: string;
}

export const BUILTIN_NAME = 'builtin';

const libraryError = (message: string, details?: Record<string, unknown>) => engineError('model-library', message, details);

/** What a download reports to the CLI as it goes. */
export interface PullWatch {
  onProgress?: (status: DownloadStatus) => void;
}

interface RunningPull {
  status: DownloadStatus;
  abort: AbortController;
  done: Promise<Result<string>>;
}

export class ModelLibrary {
  private config: LibraryConfig;
  private installed: InstalledModel[] = [];
  private readonly downloads = new Map<string, RunningPull>();
  /** Last outcome per model (done, failed, cancelled), shown until the next pull of it. */
  private readonly finished = new Map<string, DownloadStatus>();
  private readonly catalog: CatalogDocument | null;

  constructor(private readonly options: ModelLibraryOptions) {
    const read = readLibraryConfig(options.configDir);
    this.config = read.config;
    if (read.error) options.onError?.(read.error);
    this.catalog = options.catalog.ok ? options.catalog.value : null;
    if (!options.catalog.ok) options.onError?.(options.catalog.error);
  }

  /** The catalog entries (empty when the catalog did not parse). */
  get entries(): readonly CatalogEntry[] {
    return this.catalog?.models ?? [];
  }

  /** Re-reads what is installed: the hub cache, the imported folders, the built-in model. */
  async refresh(): Promise<InstalledModel[]> {
    const live = this.liveDir();
    const list: InstalledModel[] = [this.describeFolder(BUILTIN_NAME, this.options.builtinDir ?? builtinModelDir(), 'builtin', live)];
    const downloaded = new Map<string, string>();
    for (const entry of this.entries) {
      const dir = await this.cachedSnapshot(entry);
      if (!dir) continue;
      downloaded.set(entry.id, dir);
      list.push(this.describeDownloaded(entry, dir, live));
    }
    list.push(...this.pairedModels(downloaded, live));
    for (const imported of this.config.imported) list.push(this.describeFolder(imported.name, imported.dir, 'imported', live));
    this.installed = list;
    return list;
  }

  status(): ModelsStatus {
    const live = this.liveDir();
    const installedNames = new Set(this.installed.map((m) => m.name));
    return {
      installed: this.installed.map((m) => ({ ...m, live: live !== null && samePath(m.dir, live) })),
      catalog: this.entries.map((entry) => {
        const size = catalogSize(entry);
        return {
          id: entry.id,
          name: entry.name,
          kind: entry.kind,
          variant: entry.variant,
          repo: entry.repo,
          revision: entry.revision,
          sizeBytes: size.bytes,
          sizeApproximate: size.approximate,
          sizeIsLowerBound: size.lowerBound,
          memoryBytes: entry.memory.bytes,
          licence: entry.licence,
          licenceAccepted: this.licenceAccepted(entry),
          installed: installedNames.has(entry.id),
        };
      }),
      downloads: [...[...this.downloads.values()].map((d) => d.status), ...[...this.finished.entries()].filter(([name]) => !this.downloads.has(name)).map(([, s]) => s)],
    };
  }

  /** The folder loadModel takes for an installed model's name. */
  folderOf(name: string): Result<string> {
    const found = this.installed.find((m) => m.name === name);
    if (!found) return fail(libraryError(`No installed model is named "${name}". Installed: ${this.installed.map((m) => m.name).join(', ') || 'none'}.`));
    if (!found.loadable) return fail(libraryError(`${found.displayName} cannot be loaded on its own: ${found.problem ?? 'it is not a complete model'}.`));
    return ok(found.dir);
  }

  acceptLicence(name: string): CommandResult {
    const entry = findCatalogEntry(this.catalog, name);
    if (!entry) return { ok: false, error: this.unknownCatalogName(name) };
    if (!this.licenceAccepted(entry)) {
      const config: LibraryConfig = {
        ...this.config,
        acceptedLicences: [...this.config.acceptedLicences.filter((a) => a.model !== entry.id), { model: entry.id, licence: entry.licence.id }],
      };
      const error = writeLibraryConfig(this.options.configDir, config);
      if (error) return { ok: false, error };
      this.config = config;
      this.options.onChange?.();
    }
    return { ok: true };
  }

  /**
   * Starts a pull and replies at once (engine): the progress and the outcome follow
   * in status().downloads. Refused with a reason: not in the catalog, licence not
   * accepted, already running.
   */
  async startPull(name: string): Promise<CommandResult> {
    const started = await this.beginPull(name);
    return started.ok ? { ok: true } : { ok: false, error: started.error };
  }

  /** The same, waiting for the end (CLI): the snapshot folder, or why it failed. */
  async pull(name: string, watch: PullWatch = {}): Promise<Result<string>> {
    const started = await this.beginPull(name, watch);
    if (!started.ok) return started;
    return started.value.done;
  }

  cancelPull(name: string): CommandResult {
    const running = this.downloads.get(name);
    if (!running) return { ok: false, error: libraryError(`No download of "${name}" is running.`) };
    running.abort.abort();
    return { ok: true };
  }

  /** Adds a model folder (checked that it loads as a model; never moved or changed). */
  importFolder(dir: string, name?: string): Result<InstalledModel> {
    const absolute = path.resolve(dir);
    let isDir = false;
    try {
      isDir = statSync(absolute).isDirectory();
    } catch {
      return fail(
        libraryError(`${absolute} does not exist: give the folder that holds the model (model.json, or the unet/, text_encoder/, ... folders of an ONNX export).`, {
          dir: absolute,
        }),
      );
    }
    if (!isDir) return fail(libraryError(`${absolute} is a file, not a folder: give the folder that holds the model.`, { dir: absolute }));
    const folder = loadModelFolder(absolute);
    if (!folder.ok) return fail(libraryError(`${absolute} does not load as a model: ${folder.error.message}`, { dir: absolute, ...(folder.error.details ?? {}) }));
    const already = this.config.imported.find((i) => samePath(i.dir, absolute));
    if (already) return fail(libraryError(`${absolute} is already in the library as "${already.name}".`, { dir: absolute }));
    const chosen = name ?? slug(path.basename(absolute));
    const taken = chosen === BUILTIN_NAME || this.entries.some((e) => e.id === chosen) || this.config.imported.some((i) => i.name === chosen);
    if (taken) return fail(libraryError(`The name "${chosen}" is already used in the library: give the folder another name (--name).`, { name: chosen }));
    const config: LibraryConfig = { ...this.config, imported: [...this.config.imported, { name: chosen, dir: absolute }] };
    const error = writeLibraryConfig(this.options.configDir, config);
    if (error) return fail(error);
    this.config = config;
    const model = this.describeFolder(chosen, absolute, 'imported', this.liveDir());
    this.installed = [...this.installed.filter((m) => m.name !== chosen), model];
    this.options.onChange?.();
    return ok(model);
  }

  /** A downloaded model: its files leave the hub cache (only the ones it owns). An imported folder: forgotten, never deleted. */
  async remove(name: string): Promise<Result<{ removed: 'deleted' | 'forgotten'; dir: string }>> {
    if (name === BUILTIN_NAME) return fail(libraryError('The built-in model ships with Cyclorama and cannot be removed.'));
    if (this.downloads.has(name)) return fail(libraryError(`"${name}" is downloading: cancel the download first (cancelPull / Ctrl+C).`));
    await this.refresh();
    const model = this.installed.find((m) => m.name === name);
    if (!model) return fail(libraryError(`No installed model is named "${name}". Installed: ${this.installed.map((m) => m.name).join(', ')}.`));
    const live = this.liveDir();
    if (live !== null && samePath(model.dir, live)) return fail(libraryError(`${model.displayName} is on the wall now: load another model first, then remove it.`));
    const livePair = live !== null ? this.installed.find((m) => samePath(m.dir, live) && isPairName(m.name, this.entries)) : undefined;
    if (livePair && livePair.name !== name && (livePair.name.startsWith(`${name}-`) || livePair.name.endsWith(`-${name}`)))
      return fail(libraryError(`${model.displayName} is on the wall now as part of ${livePair.displayName}: load another model first, then remove it.`));
    if (isPairName(model.name, this.entries)) {
      // A model with its tiny decoder: only the folder of links goes; both downloads stay.
      rmSync(model.dir, { recursive: true, force: true });
      await this.refresh();
      this.options.onChange?.();
      return ok({ removed: 'deleted', dir: model.dir });
    }
    if (model.origin === 'imported') {
      const config: LibraryConfig = { ...this.config, imported: this.config.imported.filter((i) => i.name !== name) };
      const error = writeLibraryConfig(this.options.configDir, config);
      if (error) return fail(error);
      this.config = config;
      this.installed = this.installed.filter((m) => m.name !== name);
      this.options.onChange?.();
      return ok({ removed: 'forgotten', dir: model.dir });
    }
    const deleted = deleteSnapshot(model.dir);
    if (!deleted.ok) return deleted;
    this.finished.delete(name);
    await this.refresh();
    this.options.onChange?.();
    return ok({ removed: 'deleted', dir: model.dir });
  }

  /** Aborts every running pull (engine stop); their partial files stay for a resume. */
  async stop(): Promise<void> {
    const running = [...this.downloads.values()];
    for (const d of running) d.abort.abort();
    await Promise.all(running.map((d) => d.done));
  }

  // ---- inside ----

  /**
   * Checks what can be checked at once, then asks the hub for the exact file list at
   * the pinned revision (a 401, 404 or no network is the reply), then starts the
   * download in the background: `done` resolves with its outcome.
   */
  private async beginPull(name: string, watch: PullWatch = {}): Promise<Result<{ done: Promise<Result<string>> }>> {
    const entry = findCatalogEntry(this.catalog, name);
    if (!entry) return fail(this.unknownCatalogName(name));
    if (this.downloads.has(entry.id)) return fail(libraryError(`${entry.name} is already downloading: wait for it, or cancel it first.`, { model: entry.id }));
    if (entry.revision === null)
      return fail(
        libraryError(`${entry.name} has no pinned revision in the catalog, so what it would download cannot be checked: ${entry.revisionNote ?? ''}`, { model: entry.id }),
      );
    if (entry.licence.needsAcceptance && !this.licenceAccepted(entry)) return fail(this.licenceRefusal(entry));
    // A gated repository serves nothing without a token: say what to do before asking the hub.
    if (entry.licence.gated && !this.options.hub.settings.token)
      return fail(libraryError(`${entry.name} is gated on the hub, and no token is set. ${gatedExplanation(entry)}`, { model: entry.id, code: 'unauthorized' }));
    const abort = new AbortController();
    const status: DownloadStatus = { model: entry.id, state: 'running', totalBytes: 0, doneBytes: 0, bytesPerSecond: 0, etaSeconds: null, files: [] };
    const running: RunningPull = { status, abort, done: Promise.resolve(fail(libraryError('not started'))) };
    // Registered before the first await: a second pull of the same model is refused from here on.
    this.downloads.set(entry.id, running);
    this.finished.delete(entry.id);
    this.options.onChange?.();
    const request = await this.resolveForPull(entry);
    if (!request.ok) {
      this.downloads.delete(entry.id);
      running.status = { ...status, state: 'failed', error: { code: String(request.error.details?.code ?? request.error.code), message: request.error.message } };
      this.finished.set(entry.id, running.status);
      watch.onProgress?.(running.status);
      this.options.onChange?.();
      return fail(request.error);
    }
    running.status = {
      ...status,
      totalBytes: request.value.files.reduce((n, f) => n + f.size, 0),
      files: request.value.files.map((f) => ({ path: f.path, size: f.size, doneBytes: 0, state: 'queued' as const })),
    };
    running.done = this.runPull(entry, request.value, running, watch);
    return ok({ done: running.done });
  }

  /** The hub's exact list at the pinned revision, checked against the catalog (catalog-files.ts); remembered for offline checks. */
  private async resolveForPull(entry: CatalogEntry): Promise<Result<PullRequest>> {
    const revision = entry.revision!;
    const listed = await this.options.hub.listRepoFiles(entry.repo, revision, this.options.hub.settings);
    if (!Array.isArray(listed)) {
      // Offline or unreachable: the catalog's own list still does when it recorded every size and hash.
      const own = filesFromCatalog(entry);
      if (own) return ok(own);
      const gated = entry.licence.gated && /unauthori|forbidden/.test(listed.code) ? ` ${gatedExplanation(entry)}` : '';
      return fail(libraryError(`${listed.message}${gated}`, { model: entry.id, code: listed.code }));
    }
    const files = selectCatalogFiles(entry, listed);
    if (!files.ok) return files;
    const request: PullRequest = { repo: entry.repo, revision, files: files.value };
    const config: LibraryConfig = {
      ...this.config,
      resolved: [...this.config.resolved.filter((r) => r.model !== entry.id), { model: entry.id, repo: entry.repo, revision, files: files.value }],
    };
    const error = writeLibraryConfig(this.options.configDir, config);
    if (!error) this.config = config;
    return ok(request);
  }

  /** What to look for in the cache: the list remembered from a pull, else read from the snapshot's links, else the catalog's own when complete. */
  private requestForCache(entry: CatalogEntry): PullRequest | null {
    if (!entry.revision) return null;
    const saved = this.config.resolved.find((r) => r.model === entry.id && r.repo === entry.repo && r.revision === entry.revision);
    if (saved) return { repo: saved.repo, revision: saved.revision, files: saved.files };
    return filesFromSnapshot(entry, this.options.hub.settings.cacheDir) ?? filesFromCatalog(entry);
  }

  private async runPull(entry: CatalogEntry, request: PullRequest, running: RunningPull, watch: PullWatch): Promise<Result<string>> {
    let result: PullResult | { ok: false; code: 'internal'; message: string; file?: string };
    try {
      result = await this.options.hub.pullModel(request, this.options.hub.settings, {
        signal: running.abort.signal,
        onProgress: (progress) => {
          running.status = { ...running.status, ...progress, files: progress.files.map((f) => ({ ...f })) };
          watch.onProgress?.(running.status);
        },
      });
    } catch (error) {
      // The downloader reports failures as values; a throw is a bug there, still reported in plain words.
      result = { ok: false, code: 'internal', message: `The download stopped unexpectedly: ${(error as Error).message}` };
    }
    this.downloads.delete(entry.id);
    let outcome: Result<string>;
    if (result.ok) {
      running.status = { ...running.status, state: 'done', doneBytes: running.status.totalBytes, etaSeconds: 0 };
      outcome = ok(result.snapshotDir);
    } else {
      const cancelled = running.abort.signal.aborted;
      const message = cancelled
        ? `The download of ${entry.name} was cancelled; the files fetched so far are kept, and a new pull resumes from them.`
        : this.explainFailure(entry, result);
      running.status = {
        ...running.status,
        state: cancelled ? 'cancelled' : 'failed',
        error: { code: cancelled ? 'cancelled' : String(result.code), message, ...(result.file ? { file: result.file } : {}) },
      };
      const error = libraryError(message, { model: entry.id, code: result.code, ...(result.file ? { file: result.file } : {}) });
      outcome = fail(error);
      if (!cancelled) this.options.onError?.(error);
    }
    this.finished.set(entry.id, running.status);
    watch.onProgress?.(running.status);
    await this.refresh();
    this.options.onChange?.();
    return outcome;
  }

  /** The downloader's message, with the gated-model explanation added to an authorisation failure. */
  private explainFailure(entry: CatalogEntry, result: { code: string; message: string }): string {
    const code = String(result.code);
    if (entry.licence.gated && /401|403|unauthori|forbidden|gated|token/i.test(`${code} ${result.message}`)) return `${result.message} ${gatedExplanation(entry)}`;
    return result.message;
  }

  private licenceRefusal(entry: CatalogEntry): EngineError {
    const gated = entry.licence.gated ? ` ${gatedExplanation(entry)}` : '';
    return libraryError(
      `${entry.name} is licensed under the ${entry.licence.name} (${entry.licence.url}): ${entry.licence.summary} Read it and accept it before the first download (console: Accept; CLI: cyclorama models pull ${entry.id} --accept-licence).${gated}`,
      { model: entry.id, licence: entry.licence.id, licenceUrl: entry.licence.url, needsAcceptance: true },
    );
  }

  private unknownCatalogName(name: string): EngineError {
    return libraryError(`No model "${name}" in the catalog. Known: ${this.entries.map((e) => e.id).join(', ') || 'none (the catalog did not load)'}.`, { name });
  }

  private licenceAccepted(entry: CatalogEntry): boolean {
    return !entry.licence.needsAcceptance || this.config.acceptedLicences.some((a) => a.model === entry.id && a.licence === entry.licence.id);
  }

  private liveDir(): string | null {
    return this.options.liveDir?.() ?? null;
  }

  private async cachedSnapshot(entry: CatalogEntry): Promise<string | null> {
    const request = this.requestForCache(entry);
    if (!request) return null;
    try {
      return await this.options.hub.findInCache(request, this.options.hub.settings);
    } catch {
      return null;
    }
  }

  /**
   * Each downloaded turbo model with its downloaded tiny decoder (taesd for sd-turbo):
   * a folder of links in the config folder (models/paired/NAME-TINY: the model's
   * folders, and the decoder as taesd/ or taesdxl/, which turbo-folder.ts picks up),
   * listed as a model of its own. Nothing is copied; without a config folder, or
   * where links cannot be made, there is no pair (the two still load as they are).
   */
  private pairedModels(downloaded: ReadonlyMap<string, string>, live: string | null): InstalledModel[] {
    if (!this.options.configDir) return [];
    const pairs: InstalledModel[] = [];
    const root = path.join(this.options.configDir, 'models', 'paired');
    const wanted = new Set<string>();
    for (const tiny of this.entries.filter((e) => e.kind === 'tiny-vae' && e.pairsWith)) {
      const model = findCatalogEntry(this.catalog, tiny.pairsWith!);
      const modelDir = model ? downloaded.get(model.id) : undefined;
      const tinyDir = downloaded.get(tiny.id);
      if (!model || !modelDir || !tinyDir) continue;
      const name = `${model.id}-${tiny.id}`;
      const dir = path.join(root, name);
      wanted.add(name);
      try {
        linkPair(dir, modelDir, path.join(tinyDir, 'vae_decoder'), tiny.variant === 'sdxl' ? 'taesdxl' : 'taesd');
      } catch {
        continue;
      }
      const described = this.describeDownloaded(model, dir, live);
      pairs.push({ ...described, name, displayName: `${model.name} + ${tiny.name}`, sizeBytes: described.sizeBytes });
    }
    // Pairs whose model or decoder was removed: their links go too.
    try {
      for (const old of readdirSync(root)) if (!wanted.has(old)) rmSync(path.join(root, old), { recursive: true, force: true });
    } catch {
      /* no paired folder yet */
    }
    return pairs;
  }

  private describeDownloaded(entry: CatalogEntry, dir: string, live: string | null): InstalledModel {
    const tiny = entry.kind === 'tiny-vae';
    const pair = tiny && entry.pairsWith ? findCatalogEntry(this.catalog, entry.pairsWith) : null;
    // A complete, verified download still has to load as a model (the same file-level check loadModel makes).
    const folder = tiny ? null : loadModelFolder(dir);
    const problem = tiny
      ? `a tiny VAE decoder, not a model on its own: it replaces the full decoder of ${pair?.name ?? 'its model'}`
      : folder && !folder.ok
        ? folder.error.message
        : undefined;
    return {
      name: entry.id,
      displayName: entry.name,
      kind: entry.kind,
      origin: 'downloaded',
      dir,
      sizeBytes: sizeOnDisk(dir),
      licence: { id: entry.licence.id, name: entry.licence.name, url: entry.licence.url },
      provider: this.options.intendedProvider(entry.providers),
      loadable: problem === undefined,
      live: live !== null && samePath(dir, live),
      ...(problem !== undefined ? { problem } : {}),
    };
  }

  private describeFolder(name: string, dir: string, origin: 'builtin' | 'imported', live: string | null): InstalledModel {
    const folder = loadModelFolder(dir);
    const base = { name, dir, origin, live: live !== null && samePath(dir, live), sizeBytes: existsSync(dir) ? sizeOnDisk(dir) : 0 };
    if (!folder.ok) {
      return { ...base, displayName: name, kind: 'frame-model', licence: null, provider: null, loadable: false, problem: folder.error.message };
    }
    const { manifest } = folder.value;
    return {
      ...base,
      displayName: manifest.name,
      kind: folder.value.kind,
      licence: { id: 'see-model', name: manifest.licence, url: null },
      provider: this.options.intendedProvider(manifest.preferredProviders),
      loadable: true,
    };
  }
}

/** True for a "MODEL-TINY" pair name of two catalog entries. */
function isPairName(name: string, entries: readonly CatalogEntry[]): boolean {
  return entries.some((tiny) => tiny.kind === 'tiny-vae' && tiny.pairsWith !== undefined && name === `${tiny.pairsWith}-${tiny.id}`);
}

/** (Re)makes `dir` as links to each top-level entry of `modelDir`, plus `tinyFolder` as `tinyName`. */
function linkPair(dir: string, modelDir: string, tinyDecoderDir: string, tinyName: string): void {
  const names = readdirSync(modelDir);
  const intact = existsSync(path.join(dir, tinyName)) && names.every((name) => existsSync(path.join(dir, name)));
  if (intact) return; // made before and still whole: left alone (it may be on the wall)
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const name of names) symlinkSync(path.join(modelDir, name), path.join(dir, name));
  symlinkSync(tinyDecoderDir, path.join(dir, tinyName));
}

function gatedExplanation(entry: CatalogEntry): string {
  return `The hub itself serves ${entry.repo} only to an account that accepted this licence on https://huggingface.co/${entry.repo} : accept it there while logged in, create a read token (hub settings, Access Tokens) and start Cyclorama with HF_TOKEN set to it.`;
}

/** Lower-case dashes from a folder name ("My SD Turbo" -> "my-sd-turbo"). */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/g, '');
  return /^[a-z0-9]/.test(s) ? s : `model-${s || 'folder'}`.slice(0, 64);
}

function samePath(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}

/** Bytes of every file under `dir`, following the hub cache's symlinks to their blobs (each counted once). */
export function sizeOnDisk(dir: string): number {
  let total = 0;
  const seen = new Set<string>();
  const walk = (folder: string) => {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      return;
    }
    for (const name of names) {
      const full = path.join(folder, name);
      let stat;
      try {
        stat = statSync(full);
      } catch {
        continue; // a dangling link counts nothing
      }
      if (stat.isDirectory()) walk(full);
      else if (stat.isFile()) {
        const key = `${stat.dev}:${stat.ino}`;
        if (!seen.has(key)) {
          seen.add(key);
          total += stat.size;
        }
      }
    }
  };
  walk(dir);
  return total;
}

/**
 * Deletes one snapshot from the hub cache (models--OWNER--NAME/snapshots/REV): its
 * links, the blobs only it points to (a blob another snapshot shares stays), the
 * refs naming the revision, and the repository folder once nothing is left. Only
 * inside a folder laid out as the hub cache: anything else is refused.
 */
export function deleteSnapshot(snapshotDir: string): Result<void> {
  const snapshot = path.resolve(snapshotDir);
  const snapshots = path.dirname(snapshot);
  const repoDir = path.dirname(snapshots);
  if (path.basename(snapshots) !== 'snapshots' || !/^(models|datasets|spaces)--/.test(path.basename(repoDir))) {
    return fail(libraryError(`${snapshot} is not a snapshot in the hub cache (…/models--OWNER--NAME/snapshots/REVISION): nothing was deleted.`, { dir: snapshot }));
  }
  const blobsDir = path.join(repoDir, 'blobs');
  const revision = path.basename(snapshot);
  const linkedBlobs = (root: string): Set<string> => {
    const found = new Set<string>();
    const walk = (folder: string) => {
      let names: string[] = [];
      try {
        names = readdirSync(folder);
      } catch {
        return;
      }
      for (const name of names) {
        const full = path.join(folder, name);
        const stat = lstatSync(full);
        if (stat.isDirectory()) walk(full);
        else if (stat.isSymbolicLink()) {
          const target = path.resolve(path.dirname(full), readlinkSync(full));
          if (path.dirname(target) === blobsDir) found.add(target);
        }
      }
    };
    walk(root);
    return found;
  };
  try {
    const ours = linkedBlobs(snapshot);
    const others = new Set<string>();
    for (const name of readdirSync(snapshots)) {
      if (name !== revision) for (const blob of linkedBlobs(path.join(snapshots, name))) others.add(blob);
    }
    rmSync(snapshot, { recursive: true, force: true });
    for (const blob of ours) if (!others.has(blob)) rmSync(blob, { force: true });
    const refsDir = path.join(repoDir, 'refs');
    if (existsSync(refsDir)) {
      for (const ref of readdirSync(refsDir, { recursive: true }) as string[]) {
        const file = path.join(refsDir, ref);
        try {
          if (statSync(file).isFile() && readFileSync(file, 'utf8').trim() === revision) rmSync(file, { force: true });
        } catch {
          /* a ref we cannot read is left alone */
        }
      }
    }
    if (readdirSync(snapshots).length === 0) {
      rmdirSync(snapshots);
      const blobsLeft = existsSync(blobsDir) ? readdirSync(blobsDir).filter((n) => !n.endsWith('.incomplete')) : [];
      if (blobsLeft.length === 0) rmSync(repoDir, { recursive: true, force: true });
    }
    return ok(undefined);
  } catch (error) {
    return fail(
      libraryError(`Could not delete ${snapshot} from the hub cache: ${(error as Error).message}. Delete the folder by hand, then run "cyclorama models list".`, { dir: snapshot }),
    );
  }
}
