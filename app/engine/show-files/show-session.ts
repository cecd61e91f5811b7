/**
 * The show session: the loaded show document (with undo history), the operator
 * state over it (app/show/show-state.ts), its file, autosave, recovery, recent
 * shows and the wall log. The engine owns one and feeds it commands and clock
 * ticks; everything that decides a look is in the pure app/show/ functions.
 *
 * Autosave: the first edit after a save arms a timer (AUTOSAVE_DELAY_MS); when
 * it fires, the document is written atomically to `SHOW.autosave`. Edits made
 * while a write is in flight are written right after it, so no edit waits more
 * than about delay + one write. Saving the show removes the autosave; a start
 * that finds an autosave differing from its show file offers it (recoverShow).
 * While that offer stands, autosaves go to a second file (pendingAutosavePathFor),
 * so the offered work survives edits made before Recover/Discard and a second crash.
 * An untitled show (no path) autosaves into the config folder (UNTITLED_AUTOSAVE_BASE),
 * so the work before the first Save As survives a crash too: the next untitled start
 * (last session reopens an untitled show as untitled) offers it like any autosave.
 * Save As, Recover/Discard or New end it; opening another show leaves it on disk.
 *
 * File policy (issue 13): a show file that failed to load (newer, broken, not a
 * regular file, too large) is never silently replaced: the show stays bound to it
 * read-only (status.readOnly says why), Save refuses, Save As elsewhere works. No
 * save or wall-log export replaces an existing file that is not this show's own
 * without the command's `overwrite: true`.
 */
import path from 'node:path';
import type { Command } from '../../contract/commands.js';
import { engineError, type EngineError } from '../../contract/errors.js';
import type { FrameRate } from '../../contract/ndi.js';
import type { Show, ShowLook, ShowStatus } from '../../contract/show.js';
import { historyOf, recordLabelled, redo, redoLabel, undo, undoLabel, type History } from '../../show/history.js';
import { initialProgram, type ProgramState } from '../../show/program.js';
import { applyEdit, isEditCommand } from '../../show/show-edit.js';
import { emptyShow, serializeShow } from '../../show/show-file.js';
import type { LevelsStatus } from '../../contract/levels.js';
import { activeFade, inputSources, knownInputs } from '../../show/faders.js';
import {
  fadersOf,
  initialShowState,
  onAirCueId,
  pendingFollow,
  reconcileShowState,
  reduceShow,
  resolveShow,
  tickShow,
  timelinePosition,
  type ShowState,
} from '../../show/show-state.js';
import { formatTimecode, wallLogCsv, type WallLogEntry } from '../../show/wall-log.js';
import { isChasing, NO_CHASE_INPUT, readingTimecodeMs, type ChaseInput } from '../../show/clock-source.js';
import { formatTimecode as formatLabel, msToTimecode } from '../../show/timecode.js';
import {
  autosavePathFor,
  findRecovery,
  pendingAutosavePathFor,
  pushRecent,
  readRecent,
  readShowFile,
  readShowFileAsync,
  findRecoveryAsync,
  removeFile,
  type Recovery,
  type ShowRead,
  saveShowFile,
  writeFileAtomic,
  writeFileAtomicSync,
} from './show-store.js';

/** Delay from an edit to its autosave write, ms: short enough that a kill loses < 1 s. */
export const AUTOSAVE_DELAY_MS = 200;
/**
 * The show file an untitled show's autosave is named after, in the config folder.
 * No show is ever written there: only `untitled.cyclorama.json.autosave` (and the
 * while-recovery-offered file) exist, so findRecovery sees "no show file yet".
 */
export const UNTITLED_AUTOSAVE_BASE = 'untitled.cyclorama.json';
/** Wall log entries kept in memory (a long day of cues); the oldest fall off. */
const WALL_LOG_LIMIT = 20_000;

export interface ShowSessionOptions {
  /** Show file to open at start (created on first save if it does not exist); null = untitled. */
  path: string | null;
  /** Engine clock ms now. */
  nowMs: number;
  program?: ProgramState;
  /** Output rate, for wall log timecode. */
  rate: FrameRate;
  /** Folder for the recent-shows list; null = keep it in memory only. */
  configDir: string | null;
  /** Wall clock (Date.now), injectable for tests. */
  wallNow?: () => number;
  autosaveDelayMs?: number;
  /** Problems that are nobody's command (autosave failed, show file at start unreadable). */
  onError: (error: EngineError) => void;
  /** Something changed outside a command (autosave done): publish state. */
  onChange?: () => void;
  /** The engine's timecode chase (engine/timecode/timecode-chase.ts): its reading moves the timeline when engaged; absent = none. */
  timecode?: () => ChaseInput;
  /** The NDI sources found last (the engine's source list): selectInput counts through them after the show's inputs. */
  ndiSourceNames?: () => readonly string[];
  /** Frame lock: the output tick a change applied now is on air from (wall log); absent = not recorded. */
  frameTick?: () => number;
}

export interface SessionOutcome {
  /** The show document or the session's file state changed (publish state). */
  changed: boolean;
  error?: EngineError;
}

export class ShowSession {
  private history: History<Show>;
  state: ShowState;
  private path: string | null;
  /** File text of the show as last loaded or saved; dirty = the present serializes differently. */
  private savedText: string;
  private dirtyCache: { show: Show; dirty: boolean } | null = null;
  private recovery: Recovery | null = null;
  /** The show's file failed to load: bound to it, but Save will not replace it (see the header). */
  private readOnly: { reason: string } | null = null;
  private recent: string[];
  private lastAutosaveAtMs: number | null = null;
  /** The last successful save of this show (file and wall-clock ms), for the console's "Saved 14:02:11 to ..." line. */
  private lastSave: { path: string; atMs: number } | null = null;
  private readonly wallLog: WallLogEntry[] = [];
  private autosaveTimer: NodeJS.Timeout | null = null;
  private autosaveWrite: Promise<void> | null = null;
  private autosavePending = false;
  private readonly wallNow: () => number;
  private readonly chaseInput: () => ChaseInput;

  constructor(private readonly options: ShowSessionOptions) {
    this.wallNow = options.wallNow ?? Date.now;
    this.chaseInput = options.timecode ?? (() => NO_CHASE_INPUT);
    this.recent = options.configDir ? readRecent(options.configDir) : [];
    this.path = options.path === null ? null : path.resolve(options.path);
    let show = emptyShow();
    if (this.path) {
      const read = readShowFile(this.path);
      if (read.ok) show = read.value.show;
      else {
        // A show file that does not exist yet is a new show there; one that failed to load is reported and kept read-only.
        if (read.error.details?.reason !== 'missing') {
          this.readOnly = { reason: read.error.message.replace(/ The current show stays loaded\.$/, '') };
          options.onError(read.error);
        }
        show = { ...show, name: path.basename(this.path).replace(/(\.cyclorama)?\.json$/i, '') };
      }
      this.recovery = findRecovery(this.path);
    } else {
      const base = this.autosaveBase();
      const found = base ? findRecovery(base) : null;
      // An autosave of nothing (edits undone back to empty) is not work to offer.
      this.recovery = found && serializeShow(found.show) !== serializeShow(show) ? found : null;
    }
    this.history = historyOf(show);
    this.savedText = serializeShow(show);
    this.state = initialShowState(show, options.nowMs, options.program ?? initialProgram(options.nowMs));
  }

  get show(): Show {
    return this.history.present;
  }

  get program(): ProgramState {
    return this.state.program;
  }

  /** The safe plate PNG's absolute path, or null. */
  safePlatePath(): string | null {
    const plate = this.show.settings.safePlate;
    if (!plate) return null;
    return path.resolve(this.path ? path.dirname(this.path) : process.cwd(), plate);
  }

  /** A file the show names (a still input): absolute as given, else relative to the show file's folder. */
  resolveShowPath(file: string): string {
    return path.resolve(this.path ? path.dirname(this.path) : process.cwd(), file);
  }

  /** The last fired cue (current until the next one fires), or null: what "record while this cue is on" follows. */
  currentCue(): Show['cues'][number] | null {
    return this.show.cues.find((c) => c.id === this.state.currentCueId) ?? null;
  }

  /** The wall log's timecode now (chased timecode, else time of day): a recording's start timecode, a still's metadata. */
  timecodeNow(nowMs: number): string {
    return this.wallLogTimecode(this.wallNow(), nowMs);
  }

  get wallLogEntries(): readonly WallLogEntry[] {
    return this.wallLog;
  }

  dispatch(command: Command, nowMs: number): SessionOutcome {
    const before = this.state;
    const outcome = this.apply(command, nowMs);
    this.afterStateChange(before, command, nowMs);
    return outcome;
  }

  /** Time passes: automation and timeline segments. True when the state changed. */
  tick(nowMs: number): boolean {
    const before = this.state;
    const { reading, rate } = this.chaseInput();
    this.state = tickShow(this.show, this.state, nowMs, reading, rate);
    this.afterStateChange(before, null, nowMs);
    return this.state !== before;
  }

  status(nowMs: number): ShowStatus {
    const at = timelinePosition(this.show.timeline, this.state, nowMs, this.chaseInput().reading);
    return {
      document: this.show,
      path: this.path,
      dirty: this.isDirty(),
      canUndo: this.history.past.length > 0,
      canRedo: this.history.future.length > 0,
      undoLabel: undoLabel(this.history),
      redoLabel: redoLabel(this.history),
      standbyCueId: this.state.standbyCueId,
      currentCueId: this.state.currentCueId,
      onAirCueId: onAirCueId(this.state),
      pendingFollow: this.pendingFollowStatus(nowMs),
      driver: this.state.driver,
      timeline: { positionMs: at.positionMs, playing: at.playing, rate: this.state.transport.rate, atMs: this.wallNow() },
      readOnly: this.readOnly,
      recovery: this.recovery ? { path: this.recovery.path, savedAtMs: this.recovery.savedAtMs } : null,
      recent: this.recent,
      lastAutosaveAtMs: this.lastAutosaveAtMs,
      autosaveDelayMs: this.autosaveBase() ? (this.options.autosaveDelayMs ?? AUTOSAVE_DELAY_MS) : null,
      lastSave: this.lastSave,
      wallLogEntries: this.wallLog.length,
    };
  }

  /** What the faders set (state.levels, contract/levels.ts). */
  levels(): LevelsStatus {
    const faders = fadersOf(this.state);
    const fade = activeFade(faders, this.state.program);
    return {
      master: this.state.program.master ?? 1,
      strength: faders.strength,
      transitionMs: faders.transitionMs,
      overrideCues: faders.overrideCues,
      crossfade: { position: faders.bar.position, restsAt: faders.bar.restsAt, mix: fade ? (this.state.program.holdMix ?? 0) : 0, toCueId: fade?.cueId ?? null },
      inputs: inputSources(knownInputs(this.show, this.options.ndiSourceNames?.() ?? [])),
      inputIndex: faders.inputIndex,
    };
  }

  /** The armed auto-continue/follow with its fire time on the wall clock (engine ms -> Date.now() ms at this instant). */
  private pendingFollowStatus(nowMs: number): ShowStatus['pendingFollow'] {
    const pending = pendingFollow(this.show, this.state);
    return pending ? { cueId: pending.cueId, mode: pending.mode, fireAtMs: this.wallNow() + (pending.dueAtMs - nowMs) } : null;
  }

  /** Writes any pending autosave now (engine stop). */
  async flush(): Promise<void> {
    if (this.autosaveTimer) {
      clearTimeout(this.autosaveTimer);
      this.autosaveTimer = null;
      this.autosavePending = true;
    }
    while (this.autosaveWrite || this.autosavePending) {
      if (this.autosaveWrite) await this.autosaveWrite;
      else this.startAutosaveWrite();
    }
  }

  // ---- commands ------------------------------------------------------------------

  private apply(command: Command, nowMs: number): SessionOutcome {
    if (isEditCommand(command)) {
      const onAir = resolveShow(this.show, this.state, nowMs, this.chaseInput().reading);
      const look: ShowLook = {
        prompt: onAir.to.prompt,
        seed: onAir.to.seed,
        params: onAir.params,
        ...(onAir.to.negativePrompt ? { negativePrompt: onAir.to.negativePrompt } : {}),
        ...(onAir.to.input ? { input: onAir.to.input } : {}),
      };
      const edited = applyEdit(this.show, command, look);
      if (!edited.ok) return { changed: false, error: engineError('show-edit', `${command.type}: ${edited.field}: ${edited.message}.`, { field: edited.field }) };
      this.commit(recordLabelled(this.history, edited.show, edited.label ?? command.type));
      // A cue added to an empty list (or after the last fired one) goes on standby.
      return { changed: true };
    }
    switch (command.type) {
      case 'undo':
      case 'redo': {
        const next = command.type === 'undo' ? undo(this.history) : redo(this.history);
        if (next === this.history) return { changed: false, error: engineError('show-edit', `Nothing to ${command.type}.`) };
        this.commit(next);
        return { changed: true };
      }
      case 'newShow': {
        // New from an untitled show discards its work (the operator chose to start again): its autosave goes too.
        const untitled = this.path === null ? this.autosaveBase() : null;
        void this.flush().then(() => untitled && !this.recovery && removeFile(autosavePathFor(untitled)));
        this.replaceShow(emptyShow(), null, nowMs);
        return { changed: true };
      }
      case 'openShow': {
        const file = path.resolve(command.path);
        const read = readShowFile(file);
        return this.opened(file, read, read.ok ? findRecovery(file) : null, nowMs);
      }
      case 'saveShow': {
        const target = command.path ? path.resolve(command.path) : this.path;
        if (!target) return { changed: false, error: engineError('show-edit', 'This show has no file yet: Save As with a file name ending in .json.') };
        if (!/\.json$/i.test(target)) return { changed: false, error: engineError('show-file', `Show files end in .json: ${target}.`, { path: target }) };
        const ownFile = target === this.path;
        if (ownFile && this.readOnly && !command.overwrite) {
          return {
            changed: false,
            error: engineError(
              'show-file',
              `${target} failed to load, so Save will not replace it (${this.readOnly.reason}). Use Save As to save this show to another file, or save with overwrite to replace it.`,
              { path: target, overwritable: true, readOnly: true },
            ),
          };
        }
        // Only this show's own, loaded file is replaced without asking.
        const saved = saveShowFile(target, this.show, { replace: command.overwrite === true || (ownFile && !this.readOnly) });
        if (!saved.ok) return { changed: false, error: saved.error.details?.overwritable === true ? withExistingShow(saved.error, target) : saved.error };
        this.cancelAutosave();
        const autosaveFrom = this.autosaveBase();
        if (autosaveFrom) {
          removeFile(pendingAutosavePathFor(autosaveFrom));
          // An offered recovery stays until the operator decides; the session's own autosave is saved now.
          // (An untitled show's offer is of untitled work: saving it under a name ends it too.)
          if (!this.recovery || this.path === null) removeFile(autosavePathFor(autosaveFrom));
          if (this.path === null) this.recovery = null;
        }
        if (target !== this.path) removeFile(autosavePathFor(target));
        this.path = target;
        this.readOnly = null;
        this.savedText = serializeShow(this.show);
        this.dirtyCache = null;
        this.rememberRecent(target);
        this.lastSave = { path: target, atMs: this.wallNow() };
        return { changed: true };
      }
      case 'recoverShow': {
        if (!this.recovery) return { changed: false, error: engineError('show-edit', 'No autosave to recover.') };
        const recovered = this.recovery.show;
        this.recovery = null;
        // Decided: the edits made meanwhile are in the undo history; autosaves go to the usual file again.
        const base = this.autosaveBase();
        if (base) removeFile(pendingAutosavePathFor(base));
        // Recorded as an edit: undo goes back to the file as saved.
        this.commit(recordLabelled(this.history, recovered, 'recover the autosave'));
        return { changed: true };
      }
      case 'discardRecovery': {
        if (this.recovery) removeFile(this.recovery.path);
        this.recovery = null;
        const base = this.autosaveBase();
        if (base) {
          removeFile(pendingAutosavePathFor(base));
          // The edits made while the offer stood move to the usual autosave file.
          if (this.isDirty()) this.scheduleAutosave();
        }
        return { changed: true };
      }
      case 'exportWallLog': {
        // Written only where the operator chose: the path given, or next to the show file they chose (never the engine's working folder).
        const target = command.path ? path.resolve(command.path) : this.path ? this.path.replace(/(\.cyclorama)?\.json$/i, '') + '.wall-log.csv' : null;
        if (!target)
          return {
            changed: false,
            error: engineError(
              'show-edit',
              'This show has no file yet, so the wall log has no folder to go in: Save As first (the log is written next to the show), or give the log a path.',
            ),
          };
        if (!/\.csv$/i.test(target)) return { changed: false, error: engineError('show-file', `Wall logs are written as .csv: ${target}.`, { path: target }) };
        const written = writeFileAtomicSync(target, wallLogCsv(this.wallLog), { replace: command.overwrite === true });
        return written.ok ? { changed: false } : { changed: false, error: written.error };
      }
      case 'selectInput': {
        // By position in the inputs the show names, then the NDI sources found (show/faders.ts).
        const inputs = knownInputs(this.show, this.options.ndiSourceNames?.() ?? []);
        if (command.index > inputs.length) {
          const listed = inputs
            .map((input, i) => `${i + 1} ${input.source.kind === 'ndi' ? input.source.name : input.source.kind === 'image' ? input.source.path : 'program'}`)
            .join(', ');
          return {
            changed: false,
            error: engineError(
              'show-edit',
              `No input ${command.index}: ${inputs.length === 0 ? 'no inputs are known' : `the known inputs are ${listed}`}. Name the input in a cue, or look for NDI sources, then select it; 0 selects none.`,
              { index: command.index },
            ),
          };
        }
        const input = command.index === 0 ? null : (inputs[command.index - 1] ?? null);
        this.state = reduceShow(this.show, this.state, { type: 'setInput', input }, nowMs);
        this.state = { ...this.state, faders: { ...fadersOf(this.state), inputIndex: command.index } };
        return { changed: true };
      }
      case 'crossfade': {
        const before = this.state;
        this.state = reduceShow(this.show, this.state, command, nowMs);
        // Said to a surface that moves the bar when it cannot fade (it changes nothing on the wall).
        if (this.state.program === before.program && activeFade(fadersOf(before), before.program) === null && command.position > 0 && command.position < 1) {
          if (this.state.program.panic.mode !== 'none')
            return { changed: true, error: engineError('show-edit', `The wall is in panic (${this.state.program.panic.mode}): restore before crossfading.`) };
          if (this.state.standbyCueId === null) return { changed: true, error: engineError('show-edit', 'There is no standby cue to crossfade to: put a cue on standby first.') };
        }
        return { changed: this.state !== before };
      }
      case 'fireCue':
        // A surface that fires a cue that is not there must hear so, not a silent OK.
        if (!this.show.cues.some((cue) => cue.number === command.number)) {
          const numbers = this.show.cues.map((cue) => cue.number).join(', ') || 'none';
          return { changed: false, error: engineError('show-edit', `No cue numbered ${command.number} in this show (cues: ${numbers}).`, { number: command.number }) };
        }
        this.state = reduceShow(this.show, this.state, command, nowMs);
        return { changed: true };
      default: {
        const before = this.state;
        this.state = reduceShow(this.show, this.state, command, nowMs, this.chaseInput().reading);
        return { changed: this.state !== before };
      }
    }
  }

  /**
   * openShow off the engine thread (async read, large files parsed in a worker):
   * the same outcome as dispatching openShow, for callers that can wait for the
   * reply. `nowMs()` is read when the file is ready, not when it was asked for.
   */
  async openShowAsync(filePath: string, nowMs: () => number): Promise<SessionOutcome> {
    const file = path.resolve(filePath);
    const read = await readShowFileAsync(file);
    const recovery = read.ok ? await findRecoveryAsync(file) : null;
    const before = this.state;
    const at = nowMs();
    const outcome = this.opened(file, read, recovery, at);
    this.afterStateChange(before, null, at);
    return outcome;
  }

  /** A read show file becomes the session's show (or its error the reply; the current show stays). */
  private opened(file: string, read: ShowRead, recovery: Recovery | null, nowMs: number): SessionOutcome {
    if (!read.ok) return { changed: false, error: read.error };
    void this.flush();
    this.replaceShow(read.value.show, file, nowMs);
    this.recovery = recovery;
    this.rememberRecent(file);
    return { changed: true };
  }

  /**
   * Cluster node: the director's show document becomes this show, as an edit (undoable, autosaved), keeping the
   * position in the cue list where its cues still exist. False when it is the show already (a resend).
   */
  adoptShow(show: Show, nowMs: number): boolean {
    if (serializeShow(show) === serializeShow(this.show)) return false;
    const before = this.state;
    this.commit(recordLabelled(this.history, show, "the director's show"));
    this.afterStateChange(before, null, nowMs);
    return true;
  }

  private commit(history: History<Show>): void {
    this.history = history;
    this.state = reconcileShowState(this.show, this.state);
    this.scheduleAutosave();
  }

  private replaceShow(show: Show, file: string | null, nowMs: number): void {
    this.cancelAutosave();
    this.history = historyOf(show);
    this.path = file;
    this.savedText = serializeShow(show);
    this.dirtyCache = null;
    this.recovery = null;
    this.readOnly = null;
    this.lastSave = null;
    // The wall keeps its look: a new show starts with its first cue on standby.
    this.state = initialShowState(show, nowMs, this.state.program, this.state.faders);
  }

  private rememberRecent(file: string): void {
    this.recent = this.options.configDir ? pushRecent(this.options.configDir, this.recent, file) : [file, ...this.recent.filter((p) => p !== file)].slice(0, 10);
  }

  private isDirty(): boolean {
    if (this.dirtyCache?.show !== this.show) this.dirtyCache = { show: this.show, dirty: serializeShow(this.show) !== this.savedText };
    return this.dirtyCache.dirty;
  }

  // ---- autosave ------------------------------------------------------------------

  /** The file autosaves are named after: the show's own, or for an untitled show one in the config folder (none without one). */
  private autosaveBase(): string | null {
    if (this.path) return this.path;
    return this.options.configDir ? path.join(this.options.configDir, UNTITLED_AUTOSAVE_BASE) : null;
  }

  private scheduleAutosave(): void {
    if (!this.autosaveBase()) return;
    if (this.autosaveWrite) {
      this.autosavePending = true; // written right after the one in flight
      return;
    }
    if (this.autosaveTimer) return; // not reset by later edits: the first edit's deadline holds
    this.autosaveTimer = setTimeout(() => {
      this.autosaveTimer = null;
      this.startAutosaveWrite();
    }, this.options.autosaveDelayMs ?? AUTOSAVE_DELAY_MS);
  }

  private cancelAutosave(): void {
    if (this.autosaveTimer) clearTimeout(this.autosaveTimer);
    this.autosaveTimer = null;
    this.autosavePending = false;
  }

  private startAutosaveWrite(): void {
    this.autosavePending = false;
    const file = this.autosaveBase();
    if (!file) return;
    const text = serializeShow(this.show);
    // While a recovery is offered, its file is left alone (the header).
    const target = this.recovery?.path === autosavePathFor(file) ? pendingAutosavePathFor(file) : autosavePathFor(file);
    this.autosaveWrite = writeFileAtomic(target, text).then((result) => {
      this.autosaveWrite = null;
      if (!result.ok) this.options.onError(result.error);
      else this.lastAutosaveAtMs = this.wallNow();
      if (this.autosavePending) this.startAutosaveWrite();
      this.options.onChange?.();
    });
  }

  // ---- wall log ------------------------------------------------------------------

  /**
   * The wall log's timecode: the chased timecode's label when chasing (engaged, with a
   * reading: it matches the production's timecode), else time of day at the output rate.
   */
  private wallLogTimecode(wallMs: number, nowMs: number): string {
    return this.chasedTimecode(nowMs) ?? this.timeOfDayTimecode(wallMs);
  }

  /** The chased timecode's label at `nowMs`, or null when not chasing. */
  private chasedTimecode(nowMs: number): string | null {
    const input = this.chaseInput();
    return isChasing(this.state.chase, input) ? formatLabel(msToTimecode(readingTimecodeMs(input.reading, nowMs), input.rate), input.rate) : null;
  }

  private timeOfDayTimecode(wallMs: number): string {
    const local = new Date(wallMs);
    const msOfDay = ((local.getHours() * 60 + local.getMinutes()) * 60 + local.getSeconds()) * 1000 + local.getMilliseconds();
    return formatTimecode(msOfDay, this.options.rate);
  }

  private afterStateChange(before: ShowState, command: Command | null, nowMs: number): void {
    const after = this.state;
    if (after === before) return;
    const lookChanged = after.program.lookId !== before.program.lookId;
    const panicChanged = after.program.panic.mode !== before.program.panic.mode;
    if (!lookChanged && !panicChanged) return;
    const cue = this.show.cues.find((c) => c.id === after.currentCueId);
    const source: WallLogEntry['source'] = panicChanged
      ? 'panic'
      : after.driver === 'timeline'
        ? 'timeline'
        : command && (command.type === 'setPrompt' || command.type === 'setSeed' || command.type === 'setInput' || command.type === 'selectInput')
          ? 'live'
          : command?.type === 'crossfade' && after.cueLookId !== after.program.lookId
            ? 'live'
            : 'cue';
    const wall = this.wallNow();
    const chased = this.chasedTimecode(nowMs);
    const tick = this.options.frameTick?.();
    this.wallLog.push({
      atMs: wall,
      timecode: this.wallLogTimecode(wall, nowMs),
      lookId: after.program.lookId,
      source,
      cueNumber: source === 'cue' && cue ? cue.number : '',
      cueName: source === 'cue' && cue ? cue.name : '',
      prompt: after.program.to.prompt,
      negativePrompt: after.program.to.negativePrompt ?? '',
      seed: after.program.to.seed,
      transition: after.program.transition,
      output: after.program.panic.mode,
      ...(tick !== undefined ? { tick } : {}),
      ...(chased !== null ? { chaseTimecode: chased } : {}),
    });
    if (this.wallLog.length > WALL_LOG_LIMIT) this.wallLog.shift();
  }
}

/**
 * A Save As refused because a file is there: says what would be replaced (a show
 * of N cues, or a file that is not a show), so the console can ask "Replace X (N cues)?".
 */
function withExistingShow(error: EngineError, target: string): EngineError {
  const existing = readShowFile(target);
  if (!existing.ok)
    return engineError('show-file', `${target} already exists (it is not a show file Cyclorama can read). Replace it with this show, or choose another name.`, {
      ...error.details,
      path: target,
      overwritable: true,
      existingCues: null,
    });
  const { cues, name } = existing.value.show;
  const what = `a show${name ? ` "${name}"` : ''} of ${cues.length} cue${cues.length === 1 ? '' : 's'}`;
  return engineError('show-file', `${target} already exists (${what}) and is not this show's file. Replace it with this show, or choose another name.`, {
    ...error.details,
    path: target,
    overwritable: true,
    existingCues: cues.length,
  });
}
