/**
 * The words the console uses for live state (GO, standby, program, panic, staleness), as
 * pure functions of the engine's state: one place, so the GO button, the standby line and
 * the banners never disagree, and unit tests can read them without a browser.
 */
import type { EngineState, ShowStatus } from '../../app/contract/index.js';
import { formatClock } from './format.js';

type Cue = ShowStatus['document']['cues'][number];
type PanicMode = EngineState['program']['panic'];

/** Longest prompt shown as a cue's name when it has none (characters). */
const NAME_FROM_PROMPT_CHARS = 40;

/** "Q4 Forest dawn": the cue number and its name (or the start of its prompt when unnamed). */
export function cueLabel(cue: Cue): string {
  const name = cue.name.trim() !== '' ? cue.name.trim() : cue.look.prompt.trim();
  const short = name.length > NAME_FROM_PROMPT_CHARS ? `${name.slice(0, NAME_FROM_PROMPT_CHARS - 1)}…` : name;
  return short === '' ? `Q${cue.number}` : `Q${cue.number} ${short}`;
}

export function cueById(show: ShowStatus | undefined, id: string | null | undefined): Cue | undefined {
  return id ? show?.document.cues.find((c) => c.id === id) : undefined;
}

/** What the wall is in, in one word: BLACK, FROZEN, PLATE. */
export const PANIC_WORD: Record<Exclude<PanicMode, 'none'>, string> = { black: 'BLACK', freeze: 'FROZEN', 'safe-plate': 'PLATE' };

/** What GO will do now: the GO button's label. */
export function goLabel(state: EngineState | null): { main: string; detail: string | null } {
  const show = state?.show;
  const standby = cueById(show, show?.standbyCueId);
  if (state && state.program.panic !== 'none') {
    const fires = show?.document.settings.panicGo === 'restore-and-fire' && standby;
    return { main: fires ? `GO: restore + Q${standby.number}` : 'GO: restore', detail: fires ? cueLabel(standby) : 'picture back, fires nothing' };
  }
  return { main: 'GO', detail: standby ? cueLabel(standby) : 'no cue on standby' };
}

/** The panic banner's sentence, e.g. "BLACK since 14:02:11". */
export function panicSentence(state: EngineState): string | null {
  const mode = state.program.panic;
  if (mode === 'none') return null;
  const since = state.program.panicSinceMs != null ? ` since ${formatClock(state.program.panicSinceMs)}` : '';
  const what =
    mode === 'black' ? 'Wall BLACK' : mode === 'freeze' ? 'Wall FROZEN' : state.show?.document.settings.safePlate ? 'Wall on SAFE PLATE' : 'Safe plate: none set, showing black';
  return `${what}${since}`;
}

/** Seconds to a due time with one decimal, never negative: "3.2 s". */
export function secondsUntil(atMs: number, nowMs: number): string {
  return `${(Math.max(0, atMs - nowMs) / 1000).toFixed(1)} s`;
}

/** "Engine lost 14:02:11: figures below are from then" (or silent: no news since). */
export function staleSentence(stale: { sinceMs: number; reason: 'lost' | 'silent' }): string {
  const at = formatClock(stale.sinceMs);
  return stale.reason === 'lost' ? `Engine lost ${at}: figures below are from then` : `No news from the engine since ${at}: figures below are from then`;
}
