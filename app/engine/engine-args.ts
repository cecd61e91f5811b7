/**
 * The ONE definition of the flags a node starts with, and the one translation
 * flags -> EngineOptions / control options. `cyclorama serve` and `start` declare
 * their options from these tables (cli.ts), Electron main parses the flags `start`
 * hands it and passes them to the engine's utility process (app/main/engine-flags.ts),
 * and the utility process parses them again (utility-entry.ts): the same names,
 * checks and defaults everywhere, and the types derived from the tables.
 *
 * Two tables: ENGINE_FLAGS shape the engine (model, show, NDI, ...); CONTROL_FLAGS
 * open its control listeners (console/API, OSC).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { MAX_PROMPT_LENGTH } from '../contract/commands.js';
import { EXECUTION_PROVIDER_NAMES } from '../contract/providers.js';
import { parseOscDestination, type OscDestination } from './control/osc-feedback.js';
import { OSC_TCP_FRAMING_SETTINGS } from './control/osc-tcp-framing.js';
import type { OscTcpOptions } from './control/osc-tcp-listener.js';
import type { EngineOptions } from './engine.js';
import { NDI_RATE_LABELS, ndiSettingsFromFlags, parseNdiSize } from './ndi/flags.js';
import { readClusterFile } from './cluster/cluster-file.js';

/** One flag: `flag` as commander spells it; the table key is commander's attribute name for it. */
export type FlagSpec =
  | { kind: 'text'; flag: string; help: string; default?: string; check?: (value: string) => void }
  | { kind: 'list'; flag: string; help: string; check?: (value: string) => void }
  | { kind: 'int'; flag: string; help: string; min: number; max: number; default?: number }
  | { kind: 'choice'; flag: string; help: string; choices: readonly string[]; default?: string }
  /** `--no-x`: true unless given. */
  | { kind: 'off'; flag: string; help: string };
export type FlagTable = Record<string, FlagSpec>;

type FlagValue<S extends FlagSpec> = S extends { kind: 'list' }
  ? string[]
  : S extends { kind: 'int' }
    ? number
    : S extends { kind: 'choice'; choices: readonly (infer C)[] }
      ? C
      : S extends { kind: 'off' }
        ? boolean
        : string;
/** The parsed values of a table: absent = not given (and no default). */
export type FlagValues<T extends FlagTable> = { -readonly [K in keyof T]?: FlagValue<T[K]> };

const seedMax = 2 ** 31 - 1;

export const ENGINE_FLAGS = {
  prompt: {
    kind: 'text',
    flag: '--prompt <text>',
    help: 'prompt to start with',
    check: (value) => {
      if (value.length > MAX_PROMPT_LENGTH) throw new Error(`longer than ${MAX_PROMPT_LENGTH} characters`);
    },
  },
  seed: { kind: 'int', flag: '--seed <n>', help: 'seed to start with: same prompt and seed give the same picture', min: 0, max: seedMax },
  show: { kind: 'text', flag: '--show <file>', help: 'show file to open (.json; created on first save); edits autosave next to it' },
  model: { kind: 'text', flag: '--model <dir>', help: 'model folder with a model.json (default: the built-in model)' },
  provider: { kind: 'choice', flag: '--provider <name>', help: 'run the model on this execution provider only (default: best available)', choices: EXECUTION_PROVIDER_NAMES },
  ndi: { kind: 'list', flag: '--ndi <name>', help: 'open an NDI output with this source name (repeatable)' },
  ndiSize: { kind: 'text', flag: '--ndi-size <WxH>', help: 'size of the --ndi outputs (default: the generated frame size)', check: (value) => void parseNdiSize(value) },
  ndiRate: { kind: 'choice', flag: '--ndi-rate <fps>', help: 'frame rate of the --ndi outputs (default 29.97)', choices: NDI_RATE_LABELS },
  ndiGroups: { kind: 'text', flag: '--ndi-groups <groups>', help: 'NDI groups the --ndi outputs are advertised in (comma separated)' },
  ndiExtraIps: { kind: 'text', flag: '--ndi-extra-ips <ips>', help: 'NDI discovery without mDNS: IPs to look for sources on (comma separated)' },
  ndiDiscovery: { kind: 'text', flag: '--ndi-discovery <servers>', help: 'NDI Discovery Server address(es), e.g. 10.0.0.2 (comma separated)' },
  ndiRuntime: { kind: 'text', flag: '--ndi-runtime <dir>', help: 'use only the NDI runtime in this folder (default: installed, else the bundled one)' },
  savedOutputs: { kind: 'off', flag: '--no-saved-outputs', help: 'neither reopen the NDI/display outputs saved in the config folder (outputs.json) nor save changes' },
  outputBudget: {
    kind: 'int',
    flag: '--output-budget <Mpx/s>',
    help: 'pixels per second all NDI and display outputs may send together, in millions (default: measured per core, outputs/output-budget.ts)',
    min: 1,
    max: 1_000_000,
  },
  cluster: {
    kind: 'text',
    flag: '--cluster <file>',
    help: 'direct the render nodes listed in this cluster file (JSON: nodes with name, url, token or tokenFile, role; see README "Several machines")',
  },
} as const satisfies FlagTable;

export const CONTROL_FLAGS = {
  host: { kind: 'text', flag: '--host <address>', help: 'address to listen on; anything but 127.0.0.1 needs --token', default: '127.0.0.1' },
  port: { kind: 'int', flag: '--port <n>', help: 'console/API port (0 picks a free one)', min: 0, max: 65535, default: 8420 },
  token: { kind: 'text', flag: '--token <secret>', help: 'access token required from remote consoles and control surfaces' },
  oscPort: { kind: 'int', flag: '--osc-port <n>', help: 'listen for OSC on this UDP port, and TCP on the same number (e.g. 8421; off by default)', min: 0, max: 65535 },
  oscHost: { kind: 'text', flag: '--osc-host <address>', help: 'address the OSC listener binds (default 127.0.0.1; 0.0.0.0 for desks on the network)' },
  oscAllow: { kind: 'text', flag: '--osc-allow <ips>', help: 'only accept OSC from these source IPs (comma separated)' },
  oscFeedback: {
    kind: 'list',
    flag: '--osc-feedback <host:port>',
    help: 'send OSC feedback (cues, panic, fps, prompt) here (repeatable)',
    check: (value) => void parseOscDestination(value),
  },
  oscTcpPort: { kind: 'int', flag: '--osc-tcp-port <n>', help: 'OSC over TCP on this port instead of the --osc-port number', min: 0, max: 65535 },
  oscTcpFraming: {
    kind: 'choice',
    flag: '--osc-tcp-framing <framing>',
    help: 'OSC over TCP framing: auto (told per connection from its first bytes), slip (OSC 1.1, QLab/TouchOSC/Companion) or length (OSC 1.0 size prefix, liblo/oscsend)',
    choices: OSC_TCP_FRAMING_SETTINGS,
    default: 'auto',
  },
  oscTcp: { kind: 'off', flag: '--no-osc-tcp', help: 'OSC over UDP only: no TCP listener' },
  allowHost: { kind: 'list', flag: '--allow-host <name>', help: 'a host name clients may reach this node by besides its own names and addresses, e.g. a DNS alias (repeatable)' },
  allowOrigin: {
    kind: 'list',
    flag: '--allow-origin <origin>',
    help: 'a web page origin allowed to control this node besides its own console, e.g. http://localhost:5173 (repeatable)',
  },
} as const satisfies FlagTable;

export type EngineFlags = FlagValues<typeof ENGINE_FLAGS>;
export type ControlFlags = FlagValues<typeof CONTROL_FLAGS>;
/** Everything `serve` and `start` take (both tables). */
export type NodeFlags = EngineFlags & ControlFlags;
export const NODE_FLAGS = { ...ENGINE_FLAGS, ...CONTROL_FLAGS } as const satisfies FlagTable;

const flagName = (spec: FlagSpec) => spec.flag.split(' ')[0] as string;

function checked(spec: FlagSpec & { check?: (value: string) => void }) {
  return (value: string): string => {
    try {
      spec.check?.(value);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
    return value;
  };
}

/** A commander Option for one flag, with its check, choices and default. */
export function flagOption(spec: FlagSpec): Option {
  const option = new Option(spec.flag, spec.help);
  switch (spec.kind) {
    case 'text':
      option.argParser(checked(spec));
      if (spec.default !== undefined) option.default(spec.default);
      break;
    case 'list': {
      const check = checked(spec);
      option.argParser((value: string, all: string[] = []) => [...all, check(value)]);
      break;
    }
    case 'int':
      option.argParser((value: string) => {
        const n = Number(value);
        if (!Number.isInteger(n) || n < spec.min || n > spec.max) throw new InvalidArgumentError(`must be a whole number from ${spec.min} to ${spec.max}`);
        return n;
      });
      if (spec.default !== undefined) option.default(spec.default);
      break;
    case 'choice':
      option.choices(spec.choices);
      if (spec.default !== undefined) option.default(spec.default);
      break;
    case 'off':
      break;
  }
  return option;
}

/** Declares every flag of a table on a command. */
export function addFlags(command: Command, table: FlagTable): Command {
  for (const spec of Object.values(table)) command.addOption(flagOption(spec));
  return command;
}

/**
 * Values -> arguments that parse back to the same values (main -> utility process).
 * Only what was given: absent values and `off` flags left on are not written.
 */
export function flagsToArgv<T extends FlagTable>(table: T, values: FlagValues<T>): string[] {
  const argv: string[] = [];
  for (const [key, spec] of Object.entries(table)) {
    const value = (values as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (spec.kind === 'off') {
      if (value === false) argv.push(flagName(spec));
    } else if (spec.kind === 'list') {
      for (const item of value as string[]) argv.push(flagName(spec), item);
    } else if (!('default' in spec) || spec.default !== value) {
      argv.push(flagName(spec), String(value));
    }
  }
  return argv;
}

/** The values a command got from its user (not its defaults): what `start` hands Electron. */
export function givenFlags<T extends FlagTable>(table: T, command: Command): FlagValues<T> {
  const opts = command.opts() as Record<string, unknown>;
  const given: Record<string, unknown> = {};
  for (const key of Object.keys(table)) {
    if (opts[key] !== undefined && command.getOptionValueSource(key) !== 'default') given[key] = opts[key];
  }
  return given as FlagValues<T>;
}

/** Parses arguments against a table; a bad one throws an Error whose message names the flag. */
export function parseFlags<T extends FlagTable>(table: T, argv: readonly string[]): FlagValues<T> {
  const command = addFlags(new Command('cyclorama-engine'), table)
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} })
    .allowExcessArguments(false);
  try {
    command.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) throw new Error(error.message.replace(/^error: /, ''));
    throw error;
  }
  return command.opts() as FlagValues<T>;
}

/** The one translation engine flags -> EngineOptions (serve, the utility process). A cluster file that does not read throws its one-line message. */
export function engineOptionsFromFlags(flags: EngineFlags): EngineOptions {
  const ndi = ndiSettingsFromFlags(flags);
  const cluster = flags.cluster ? readClusterFile(flags.cluster) : null;
  if (cluster && !cluster.ok) throw new Error(cluster.error);
  return {
    ...(flags.model ? { modelDir: flags.model } : {}),
    ...(flags.provider ? { provider: flags.provider } : {}),
    ...(flags.prompt ? { initialPrompt: flags.prompt } : {}),
    ...(flags.seed !== undefined ? { initialSeed: flags.seed } : {}),
    ...(flags.show ? { showPath: flags.show } : {}),
    ...(ndi ? { ndi } : {}),
    ...(flags.savedOutputs === false ? { savedOutputs: false } : {}),
    ...(flags.outputBudget !== undefined ? { outputBudget: { pixelsPerSecond: flags.outputBudget * 1e6 } } : {}),
    ...(cluster?.ok ? { cluster: cluster.value } : {}),
    // A node started from the command line comes back where it was after a crash or kill (show-files/last-session.ts).
    lastSession: true,
  };
}

export interface ControlSettings {
  host: string;
  port: number;
  token?: string;
  /** Extra Host names and page origins the access checks allow (control/access.ts). */
  allowedHosts?: string[];
  allowedOrigins?: string[];
  osc?: { host: string; port: number; allow?: string[]; feedback?: OscDestination[]; tcp: OscTcpOptions | false };
}

/** The one translation control flags -> listener settings (serve, the utility process). */
export function controlSettingsFromFlags(flags: ControlFlags): ControlSettings {
  return {
    host: flags.host ?? CONTROL_FLAGS.host.default,
    port: flags.port ?? CONTROL_FLAGS.port.default,
    ...(flags.token ? { token: flags.token } : {}),
    ...(flags.allowHost?.length ? { allowedHosts: flags.allowHost } : {}),
    ...(flags.allowOrigin?.length ? { allowedOrigins: flags.allowOrigin } : {}),
    ...(flags.oscPort !== undefined
      ? {
          osc: {
            host: flags.oscHost ?? '127.0.0.1',
            port: flags.oscPort,
            ...(flags.oscAllow
              ? {
                  allow: flags.oscAllow
                    .split(',')
                    .map((ip) => ip.trim())
                    .filter(Boolean),
                }
              : {}),
            ...(flags.oscFeedback ? { feedback: flags.oscFeedback.map(parseOscDestination) } : {}),
            tcp:
              flags.oscTcp === false
                ? false
                : { ...(flags.oscTcpPort !== undefined ? { port: flags.oscTcpPort } : {}), ...(flags.oscTcpFraming ? { framing: flags.oscTcpFraming } : {}) },
          },
        }
      : {}),
  };
}
