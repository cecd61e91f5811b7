/**
 * Where the engine was, so that a start after a crash or a kill comes back there:
 * `last-session.json` in the config folder holds the show file, the position in
 * its cue list (standby and last fired cue), the model folder and the prompt and
 * seed on air. The engine writes it (atomically, only when one of those changed)
 * while it runs and removes it on a clean stop, so only an engine that did not
 * stop cleanly (crash, kill -9, power cut) leaves one behind. The next start
 * given neither --show nor --model reads it: same show (whose autosave is then
 * offered, show-session.ts), same cue position, same model, same prompt and seed.
 * Electron main restarts a crashed engine the same way (app/main/restart-policy.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { engineError, type EngineError } from '../../contract/errors.js';
import { showStatusSchema } from '../../contract/show.js';
import { programStatusSchema, type EngineState } from '../../contract/state.js';
import { MAX_PROMPT_LENGTH } from '../../contract/commands.js';
import { reconcileShowState, type ShowState } from '../../show/show-state.js';
import type { Show } from '../../contract/show.js';
import { builtinModelDir } from '../generate/model-folder.js';
import { autosavePathFor, defaultConfigDir, writeFileAtomic } from './show-store.js';
import { readFailureWords } from './file-errors.js';
import { fail, ok, type Result } from '../result.js';

export const LAST_SESSION_FILE = 'last-session.json';
/** A real one is a few hundred bytes; anything larger is not ours. */
const MAX_LAST_SESSION_BYTES = 64 * 1024;

/** The persisted shape, from the contract's show status and program status. */
export const lastSessionSchema = z.object({
  version: z.literal(1),
  showPath: showStatusSchema.shape.path,
  standbyCueId: showStatusSchema.shape.standbyCueId,
  currentCueId: showStatusSchema.shape.currentCueId,
  /** Model folder on air; null = the built-in model. */
  modelDir: z.string().nullable(),
  prompt: programStatusSchema.shape.prompt.max(MAX_PROMPT_LENGTH),
  seed: programStatusSchema.shape.seed.min(0).max(2 ** 31 - 1),
});
export type LastSession = z.infer<typeof lastSessionSchema>;

export const lastSessionPath = (configDir: string) => path.join(configDir, LAST_SESSION_FILE);

/** The last session in this config folder: null when there is none (the last engine stopped cleanly). */
export function readLastSession(configDir: string): Result<LastSession | null> {
  const file = lastSessionPath(configDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return ok(null);
    return fail(engineError('show-file', `Cannot read ${file}: ${readFailureWords(error)}. Starting with an untitled show.`, { path: file }));
  }
  if (text.length > MAX_LAST_SESSION_BYTES)
    return fail(engineError('show-file', `${file} is ${text.length} bytes, not a last-session file: ignored, starting with an untitled show.`, { path: file }));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail(engineError('show-file', `${file} is not valid JSON (a write cut short?): ignored, starting with an untitled show.`, { path: file }));
  }
  const parsed = lastSessionSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(
      engineError('show-file', `${file}: field "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}: ignored, starting with an untitled show.`, { path: file }),
    );
  }
  return ok(parsed.data);
}

/** The session worth keeping from an engine state: null before the show status exists. */
export function sessionOf(state: EngineState, modelDir: string | null): LastSession | null {
  if (!state.show) return null;
  return {
    version: 1,
    showPath: state.show.path,
    standbyCueId: state.show.standbyCueId,
    currentCueId: state.show.currentCueId,
    modelDir,
    prompt: state.program.prompt,
    seed: state.program.seed,
  };
}

/** What a start resumes from a last session: only when neither a show nor a model was asked for. */
export interface ResumeRequest {
  showPath?: string;
  modelDir?: string;
  initialPrompt?: string;
  initialSeed?: number;
}

/**
 * The start options with the last session filled in. Explicit --prompt/--seed
 * still win; a show file that is gone (and has no autosave) is not reopened.
 */
export function resumeFrom<T extends ResumeRequest>(options: T, saved: LastSession): T {
  if (options.showPath !== undefined || options.modelDir !== undefined) return options;
  const showThere = saved.showPath !== null && (existsSync(saved.showPath) || existsSync(autosavePathFor(saved.showPath)));
  return {
    ...options,
    ...(showThere && saved.showPath ? { showPath: saved.showPath } : {}),
    ...(saved.modelDir ? { modelDir: saved.modelDir } : {}),
    ...(options.initialPrompt === undefined ? { initialPrompt: saved.prompt } : {}),
    ...(options.initialSeed === undefined ? { initialSeed: saved.seed } : {}),
  };
}

/** The cue position of a last session applied to a freshly opened show (cues that no longer exist are reconciled away). */
export function withCuePosition(show: Show, state: ShowState, saved: LastSession): ShowState {
  return reconcileShowState(show, { ...state, standbyCueId: saved.standbyCueId, currentCueId: saved.currentCueId });
}

/**
 * Keeps last-session.json up to date: `note` after every state change writes when
 * the session changed (one write in flight, the newest wins); `close` on a clean
 * stop removes the file.
 */
export class LastSessionKeeper {
  private written = '';
  private pending: LastSession | null = null;
  private writing: Promise<void> | null = null;
  private closed = false;
  /** The log line saying what was resumed; `announce` sends it once the engine's log has listeners. */
  announcement: string | null = null;

  constructor(
    private readonly configDir: string,
    private readonly onError: (error: EngineError) => void,
    private readonly log: (line: string) => void = () => {},
  ) {}

  announce(): void {
    if (this.announcement) this.log(this.announcement);
    this.announcement = null;
  }

  note(session: LastSession | null): void {
    if (!session || this.closed) return;
    if (JSON.stringify(session) === this.written && !this.pending) return;
    this.pending = session;
    if (!this.writing) this.writing = this.drain();
  }

  /** Settles once what was noted so far is on disk (tests, stop). */
  async flushed(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** A clean stop: nothing to resume next time. */
  async close(): Promise<void> {
    this.closed = true;
    this.pending = null;
    await this.flushed();
    await rm(lastSessionPath(this.configDir), { force: true });
  }

  private async drain(): Promise<void> {
    while (this.pending && !this.closed) {
      const text = JSON.stringify(this.pending);
      this.pending = null;
      if (text === this.written) continue;
      await mkdir(this.configDir, { recursive: true }).catch(() => {});
      const result = await writeFileAtomic(lastSessionPath(this.configDir), `${text}\n`);
      if (result.ok) this.written = text;
      else this.onError({ ...result.error, message: `${result.error.message} A restart after a crash will not reopen this show by itself.` });
    }
    this.writing = null;
  }
}

/** What the engine hands over once it is built (engine.ts wires these few lines). */
export interface LastSessionHooks {
  /** The engine's show session: its cue position is set from the last session. */
  session: { readonly show: Show; state: ShowState };
  /** Every state the engine publishes. */
  onState: (listener: (state: EngineState) => void) => void;
  /** The live model's folder (null before one runs). */
  modelDir: () => string | null;
  onError: (error: EngineError) => void;
  log: (line: string) => void;
}

export interface LastSessionStart<T> {
  /** The start options, with the last session filled in where it applies. */
  options: T;
  /** Applies the cue position, starts keeping the file; null when the engine keeps no last session. */
  attach(hooks: LastSessionHooks): LastSessionKeeper | null;
}

/**
 * The engine's start: reads the last session (when `lastSession` is on and there
 * is a config folder), returns the options to build the engine with, and the
 * attach step that restores the cue position and keeps the file from then on.
 */
export function openLastSession<T extends ResumeRequest & { configDir?: string | null; lastSession?: boolean }>(options: T): LastSessionStart<T> {
  const configDir = options.configDir === undefined ? defaultConfigDir() : options.configDir;
  if (!options.lastSession || configDir === null) return { options, attach: () => null };
  const read = readLastSession(configDir);
  const saved = read.ok ? read.value : null;
  const resumed = saved ? resumeFrom(options, saved) : options;
  const resuming = saved !== null && resumed !== options;
  return {
    options: resumed,
    attach: (hooks) => {
      const keeper = new LastSessionKeeper(configDir, hooks.onError, hooks.log);
      if (!read.ok) hooks.onError(read.error);
      if (resuming && saved) {
        if (saved.showPath && resumed.showPath === saved.showPath) hooks.session.state = withCuePosition(hooks.session.show, hooks.session.state, saved);
        const where = resumed.showPath
          ? `show ${resumed.showPath} (standby ${hooks.session.state.standbyCueId ?? 'none'}, last fired ${hooks.session.state.currentCueId ?? 'none'})`
          : 'an untitled show';
        keeper.announcement = `resumed the last session (it did not stop cleanly): ${where}, model ${resumed.modelDir ?? 'built-in'}`;
      }
      const builtin = path.resolve(builtinModelDir());
      hooks.onState((state) => {
        const dir = hooks.modelDir();
        keeper.note(sessionOf(state, dir && path.resolve(dir) !== builtin ? dir : null));
      });
      return keeper;
    },
  };
}
