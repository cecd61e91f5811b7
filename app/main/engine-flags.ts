/**
 * The flags main gives the engine's utility process. `cyclorama start` hands main
 * the user's flags after "--" (app/cli.ts); they are parsed against the one flag
 * table (engine/engine-args.ts) and passed on whole. After a crash the engine is
 * started without the flags that only say where to begin (--show, --model,
 * --prompt, --seed): it resumes from its last-session.json instead (the show, the
 * cue position, the model, the prompt and seed it had), exactly as a start after
 * a kill does (engine/show-files/last-session.ts).
 */
import { flagsToArgv, NODE_FLAGS, parseFlags, type NodeFlags } from '../engine/engine-args.js';

/** The flags after the "--" separator of main's own argv (none without it). */
export function startFlagsFromArgv(argv: readonly string[]): NodeFlags {
  const at = argv.indexOf('--');
  return at < 0 ? {} : parseFlags(NODE_FLAGS, argv.slice(at + 1));
}

/** Where a start begins: the engine resumes these from its last session after a crash. */
const STARTING_POINT = ['show', 'model', 'prompt', 'seed'] as const satisfies readonly (keyof NodeFlags)[];

/** Arguments for the engine's first start: every flag the user gave. */
export function firstStartArgs(flags: NodeFlags): string[] {
  return flagsToArgv(NODE_FLAGS, flags);
}

/** Arguments for a restart after a crash: the same, less the starting point (the last session brings back where it was). */
export function restartArgs(flags: NodeFlags): string[] {
  const rest: NodeFlags = { ...flags };
  for (const key of STARTING_POINT) delete rest[key];
  return flagsToArgv(NODE_FLAGS, rest);
}
