/**
 * The OSC address space: one pure function from an OSC message (address + typed
 * arguments) to a contract command. The command is then validated by the same
 * zod schema and dispatched through the same edge as the WebSocket (ClientHub.submit).
 * docs/api/osc.md is the reference table; keep the two together.
 *
 * Trigger addresses (go, back, restore, panic/...) fire on no argument or a
 * non-zero / true argument, and ignore 0 / false: a button on a control surface
 * sends 1 when pressed and 0 when released, and the release must not fire twice.
 */
import type { CommandInput } from '../../contract/commands.js';

/** Prefix of every address Cyclorama answers. */
export const OSC_PREFIX = '/cyclorama';

/** An OSC argument as decoded (osc-min's representation, narrowed to what we read). */
export type OscArg = { type: string; value: unknown };

export type OscMapping =
  | { kind: 'command'; command: CommandInput }
  /** A button release (argument 0/false): nothing to do, not an error. */
  | { kind: 'release' }
  /** Answered by the OSC listener itself (ping, feedback refresh). */
  | { kind: 'local'; what: 'ping' | 'refresh' }
  | { kind: 'error'; code: 'not-found' | 'invalid-message'; message: string };

const fail = (message: string): OscMapping => ({ kind: 'error', code: 'invalid-message', message });

function numberOf(arg: OscArg | undefined): number | undefined {
  if (!arg) return undefined;
  if ((arg.type === 'integer' || arg.type === 'float' || arg.type === 'double') && typeof arg.value === 'number' && Number.isFinite(arg.value)) return arg.value;
  if (arg.type === 'bigint' && typeof arg.value === 'bigint') return Number(arg.value);
  // Some desks send every argument as a string ("3", "1.5").
  if ((arg.type === 'string' || arg.type === 'symbol') && typeof arg.value === 'string' && /^-?\d+(\.\d+)?$/.test(arg.value.trim())) return Number(arg.value);
  return undefined;
}

function textOf(arg: OscArg | undefined): string | undefined {
  if (!arg) return undefined;
  if ((arg.type === 'string' || arg.type === 'symbol') && typeof arg.value === 'string') return arg.value;
  if ((arg.type === 'integer' || arg.type === 'float' || arg.type === 'double') && typeof arg.value === 'number' && Number.isFinite(arg.value)) return String(arg.value);
  return undefined;
}

/** Trigger: no argument or a non-zero/true first argument fires; 0/false is a release. */
function trigger(args: readonly OscArg[], command: CommandInput): OscMapping {
  if (args.length === 0) return { kind: 'command', command };
  const first = args[0];
  if (first?.type === 'null' || first?.type === 'bang' || first?.type === 'true') return { kind: 'command', command };
  if (first?.type === 'false') return { kind: 'release' };
  const n = numberOf(first);
  if (n === undefined) return fail(`expects no argument or 1/0 (press/release), got ${first?.type}`);
  return n === 0 ? { kind: 'release' } : { kind: 'command', command };
}

/** Maps one message. `address` is matched exactly (no OSC pattern wildcards: a wildcard GO is a footgun). */
export function oscToCommand(address: string, args: readonly OscArg[]): OscMapping {
  if (!address.startsWith(`${OSC_PREFIX}/`)) return { kind: 'error', code: 'not-found', message: `unknown address ${address} (Cyclorama answers ${OSC_PREFIX}/...)` };
  const parts = address.slice(OSC_PREFIX.length + 1).split('/');
  const path = parts.join('/');
  switch (path) {
    case 'go':
      return trigger(args, { type: 'go' });
    case 'back':
      return trigger(args, { type: 'back' });
    case 'restore':
      return trigger(args, { type: 'restore' });
    case 'panic/freeze':
      return trigger(args, { type: 'panic', mode: 'freeze' });
    case 'panic/plate':
      return trigger(args, { type: 'panic', mode: 'safe-plate' });
    case 'panic/black': {
      if (args.length === 0) return { kind: 'command', command: { type: 'panic', mode: 'black' } };
      const fadeMs = numberOf(args[0]);
      if (fadeMs === undefined) return fail(`/panic/black takes an optional fade in ms, got ${args[0]?.type}`);
      return { kind: 'command', command: { type: 'panic', mode: 'black', fadeMs: Math.round(fadeMs) } };
    }
    case 'cue/fire': {
      const number = textOf(args[0]);
      if (number === undefined) return fail('/cue/fire takes the cue number (string or number)');
      return { kind: 'command', command: { type: 'fireCue', number } };
    }
    case 'record/start': {
      // Optional: the folder (a path on the engine's machine), then the codec; left out = the last recording's choice.
      if (args.length > 0 && (args[0]?.type === 'integer' || args[0]?.type === 'float' || args[0]?.type === 'true' || args[0]?.type === 'false')) {
        return trigger(args, { type: 'startRecording' });
      }
      const folder = textOf(args[0]);
      const codec = textOf(args[1]);
      if (args.length > 0 && folder === undefined) return fail(`/record/start takes an optional folder and codec (strings), got ${args[0]?.type}`);
      return { kind: 'command', command: { type: 'startRecording', ...(folder ? { folder } : {}), ...(codec ? { codec: codec as 'h264-mp4' } : {}) } };
    }
    case 'record/stop':
      return trigger(args, { type: 'stopRecording' });
    case 'cue/standby': {
      const id = textOf(args[0]);
      if (id === undefined) return fail('/cue/standby takes a cue id (string)');
      return { kind: 'command', command: { type: 'standby', cueId: id } };
    }
    case 'prompt': {
      const prompt = args[0]?.type === 'string' || args[0]?.type === 'symbol' ? (args[0].value as string) : undefined;
      if (prompt === undefined) return fail(`/prompt takes a string, got ${args[0]?.type ?? 'nothing'}`);
      if (args.length === 1) return { kind: 'command', command: { type: 'setPrompt', prompt } };
      const ms = numberOf(args[1]);
      if (ms === undefined) return fail(`/prompt takes an optional transition in ms, got ${args[1]?.type}`);
      return { kind: 'command', command: { type: 'setPrompt', prompt, transition: { durationMs: Math.round(ms) } } };
    }
    case 'seed': {
      const seed = numberOf(args[0]);
      if (seed === undefined) return fail(`/seed takes an integer, got ${args[0]?.type ?? 'nothing'}`);
      return { kind: 'command', command: { type: 'setSeed', seed } };
    }
    case 'input/ndi':
    case 'input/image': {
      // The live look's input: an NDI source by its name ("MACHINE (Source)") or a still's path; optional fit.
      const value = args[0]?.type === 'string' || args[0]?.type === 'symbol' ? (args[0].value as string) : undefined;
      const what = path === 'input/ndi' ? 'the NDI source name' : 'the image path';
      if (!value) return fail(`/${path} takes ${what} (string), got ${args[0]?.type ?? 'nothing'}`);
      const fitText = args[1] === undefined ? undefined : textOf(args[1]);
      const fit = fitText === 'fill' || fitText === 'fit' || fitText === 'crop' ? fitText : undefined;
      if (args[1] !== undefined && fit === undefined) return fail(`/${path} takes an optional fit after the ${path === 'input/ndi' ? 'name' : 'path'}: fill, fit or crop`);
      const source = path === 'input/ndi' ? { kind: 'ndi' as const, name: value } : { kind: 'image' as const, path: value };
      return { kind: 'command', command: { type: 'setInput', input: { source, ...(fit ? { fit } : {}) } } };
    }
    case 'input/program':
      return trigger(args, { type: 'setInput', input: { source: { kind: 'program' } } });
    case 'input/clear':
      return trigger(args, { type: 'setInput', input: null });
    case 'input/strength': {
      const strength = numberOf(args[0]);
      if (strength === undefined) return fail(`/input/strength takes a number from 0 to 1, got ${args[0]?.type ?? 'nothing'}`);
      return { kind: 'command', command: { type: 'setInput', strength } };
    }
    // Faders (contract/levels.ts): the value is checked by the contract (0..1, ms, index) with the reason.
    case 'master':
    case 'strength':
    case 'crossfade': {
      const value = numberOf(args[0]);
      if (value === undefined) return fail(`/${path} takes a number from 0 to 1, got ${args[0]?.type ?? 'nothing'}`);
      const command: CommandInput =
        path === 'master' ? { type: 'setMasterLevel', level: value } : path === 'strength' ? { type: 'setStrength', strength: value } : { type: 'crossfade', position: value };
      return { kind: 'command', command };
    }
    case 'transition': {
      const seconds = numberOf(args[0]);
      if (seconds === undefined) return fail(`/transition takes the live edits' transition in seconds, got ${args[0]?.type ?? 'nothing'}`);
      return { kind: 'command', command: { type: 'setTransitionTime', durationMs: Math.round(seconds * 1000) } };
    }
    case 'input/select': {
      const index = numberOf(args[0]);
      if (index === undefined) return fail(`/input/select takes the input's position (0 = none), got ${args[0]?.type ?? 'nothing'}`);
      return { kind: 'command', command: { type: 'selectInput', index } };
    }
    case 'timeline/play':
      return trigger(args, { type: 'timelinePlay' });
    case 'timeline/pause':
      return trigger(args, { type: 'timelinePause' });
    case 'timeline/stop':
      return trigger(args, { type: 'timelineStop' });
    case 'timeline/seek': {
      const seconds = numberOf(args[0]);
      if (seconds === undefined) return fail(`/timeline/seek takes a position in seconds, got ${args[0]?.type ?? 'nothing'}`);
      return { kind: 'command', command: { type: 'timelineSeek', positionMs: Math.round(seconds * 1000) } };
    }
    case 'timeline/rate': {
      const rate = numberOf(args[0]);
      if (rate === undefined) return fail(`/timeline/rate takes a number, got ${args[0]?.type ?? 'nothing'}`);
      return { kind: 'command', command: { type: 'timelineRate', rate } };
    }
    case 'output/select':
    case 'output/toggle': {
      const output = textOf(args[0]);
      if (output === undefined) return fail(`/${path} takes the output's name or id (string), got ${args[0]?.type ?? 'nothing'}`);
      if (path === 'output/toggle') return { kind: 'command', command: { type: 'selectOutput', output, live: 'toggle' } };
      // Second argument: 1/true selects (carries the program), 0/false blanks; absent selects.
      const second = args[1];
      if (second === undefined || second.type === 'true') return { kind: 'command', command: { type: 'selectOutput', output, live: true } };
      if (second.type === 'false') return { kind: 'command', command: { type: 'selectOutput', output, live: false } };
      const live = numberOf(second);
      if (live === undefined) return fail(`/output/select takes an optional 1 (select) or 0 (blank) after the name, got ${second.type}`);
      return { kind: 'command', command: { type: 'selectOutput', output, live: live !== 0 } };
    }
    case 'still': {
      // A full-resolution PNG of the program into the folder given (an absolute path on the engine's machine).
      const folder = args[0]?.type === 'string' || args[0]?.type === 'symbol' ? (args[0].value as string) : undefined;
      if (!folder) return fail(`/still takes the folder to write into (string), got ${args[0]?.type ?? 'nothing'}`);
      return { kind: 'command', command: { type: 'saveStill', folder } };
    }
    case 'ping':
      return { kind: 'local', what: 'ping' };
    case 'feedback/refresh':
      return { kind: 'local', what: 'refresh' };
    default: {
      // QLab style, number in the address: /cyclorama/cue/3/fire
      if (parts.length === 3 && parts[0] === 'cue' && parts[2] === 'fire' && parts[1]) {
        return trigger(args, { type: 'fireCue', number: parts[1] });
      }
      return { kind: 'error', code: 'not-found', message: `unknown address ${address}` };
    }
  }
}
