#!/usr/bin/env node
/**
 * cyclorama: the command line. `start` opens the app (Electron when its binary is
 * installed, else a headless node), `serve` runs a headless render node with the
 * console on http, `render` writes PNG frames for checks and previews.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { MAX_PROMPT_LENGTH } from './contract/commands.js';
import { EXECUTION_PROVIDER_NAMES, type ExecutionProviderName } from './contract/providers.js';
import { runHeadless } from './engine/headless.js';
import { parseOscDestination } from './engine/control/osc-feedback.js';
import { OSC_TCP_FRAMINGS, type OscTcpFraming } from './engine/control/osc-tcp-framing.js';
import { NDI_RATE_LABELS, ndiSettingsFromFlags, type NdiFlags } from './engine/ndi/flags.js';
import { renderFrames } from './engine/render.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function integer(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    return n;
  };
}

const providerOption = () =>
  new Option('--provider <name>', 'run the model on this execution provider only (default: best available)').choices(EXECUTION_PROVIDER_NAMES);
const modelOption = () => new Option('--model <dir>', 'model folder with a model.json (default: the built-in model)');

/** Path to Electron's binary, or null when the package or its binary is not installed. */
function electronBinary(): string | null {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown;
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

interface ServeFlags extends NdiFlags {
  host: string;
  port: number;
  token?: string;
  model?: string;
  provider?: ExecutionProviderName;
  prompt?: string;
  show?: string;
  oscPort?: number;
  oscHost?: string;
  oscAllow?: string;
  oscFeedback?: string[];
  /** False with --no-osc-tcp. */
  oscTcp: boolean;
  oscTcpPort?: number;
  oscTcpFraming?: OscTcpFraming;
  /** False with --no-saved-outputs. */
  savedOutputs: boolean;
}

function serve(flags: ServeFlags): Promise<void> {
  const ndi = ndiSettingsFromFlags(flags);
  return runHeadless({
    host: flags.host,
    port: flags.port,
    ...(flags.token ? { token: flags.token } : {}),
    staticDir: path.resolve(here, '..', 'renderer'),
    ...(flags.oscPort !== undefined
      ? {
          osc: {
            host: flags.oscHost ?? '127.0.0.1',
            port: flags.oscPort,
            ...(flags.oscAllow ? { allow: flags.oscAllow.split(',').map((ip) => ip.trim()).filter(Boolean) } : {}),
            ...(flags.oscFeedback ? { feedback: flags.oscFeedback.map(parseOscDestination) } : {}),
            tcp: flags.oscTcp
              ? { ...(flags.oscTcpPort !== undefined ? { port: flags.oscTcpPort } : {}), ...(flags.oscTcpFraming ? { framing: flags.oscTcpFraming } : {}) }
              : false,
          },
        }
      : {}),
    engine: {
      ...(flags.model ? { modelDir: flags.model } : {}),
      ...(flags.provider ? { provider: flags.provider } : {}),
      ...(flags.prompt ? { initialPrompt: flags.prompt } : {}),
      ...(flags.show ? { showPath: flags.show } : {}),
      ...(ndi ? { ndi } : {}),
      ...(flags.savedOutputs === false ? { savedOutputs: false } : {}),
    },
  });
}

const program = new Command('cyclorama')
  .description('Real-time generative backdrops for LED walls, broadcast and photo sets.')
  .showHelpAfterError('(run "cyclorama --help" for usage)');

const addServeOptions = (command: Command) =>
  command
    .option('--host <address>', 'address to listen on; anything but 127.0.0.1 needs --token', '127.0.0.1')
    .option('--port <n>', 'console/API port (0 picks a free one)', integer(0, 65535), 8420)
    .option('--token <secret>', 'access token required from remote consoles and control surfaces')
    .option('--osc-port <n>', 'listen for OSC on this UDP port, and TCP on the same number (e.g. 8421; off by default)', integer(0, 65535))
    .option('--osc-host <address>', 'address the OSC listener binds (default 127.0.0.1; 0.0.0.0 for desks on the network)')
    .option('--osc-allow <ips>', 'only accept OSC from these source IPs (comma separated)')
    .option('--osc-feedback <host:port>', 'send OSC feedback (cues, panic, fps, prompt) here (repeatable)', (value: string, all: string[] = []) => {
      try {
        parseOscDestination(value);
      } catch (error) {
        throw new InvalidArgumentError((error as Error).message);
      }
      return [...all, value];
    })
    .option('--osc-tcp-port <n>', 'OSC over TCP on this port instead of the --osc-port number', integer(0, 65535))
    .addOption(new Option('--osc-tcp-framing <framing>', 'OSC over TCP framing: slip (OSC 1.1, QLab/TouchOSC/Companion) or length (OSC 1.0 size prefix)').choices(OSC_TCP_FRAMINGS).default('slip'))
    .option('--no-osc-tcp', 'OSC over UDP only: no TCP listener')
    .option('--prompt <text>', 'prompt to start with')
    .option('--show <file>', 'show file to open (.json; created on first save); edits autosave next to it')
    .addOption(modelOption())
    .addOption(providerOption())
    .option('--ndi <name>', 'open an NDI output with this source name (repeatable)', (name: string, all: string[] = []) => [...all, name])
    .option('--ndi-size <WxH>', 'size of the --ndi outputs (default: the generated frame size)')
    .addOption(new Option('--ndi-rate <fps>', 'frame rate of the --ndi outputs (default 29.97)').choices(NDI_RATE_LABELS))
    .option('--ndi-groups <groups>', 'NDI groups the --ndi outputs are advertised in (comma separated)')
    .option('--ndi-extra-ips <ips>', 'NDI discovery without mDNS: IPs to look for sources on (comma separated)')
    .option('--ndi-discovery <servers>', 'NDI Discovery Server address(es), e.g. 10.0.0.2 (comma separated)')
    .option('--ndi-runtime <dir>', 'use only the NDI runtime in this folder (default: installed, else the bundled one)')
    .option('--no-saved-outputs', 'neither reopen the NDI/display outputs saved in the config folder (outputs.json) nor save changes');

addServeOptions(
  program
    .command('start', { isDefault: true })
    .description('open Cyclorama: the Electron app where installed, else a headless node with the console in your browser')
    .option('--headless', 'run as a headless render node even if Electron is installed'),
).action(async (flags: ServeFlags & { headless?: boolean }) => {
  const electron = flags.headless ? null : electronBinary();
  if (!electron) {
    if (!flags.headless) console.log('Electron is not installed here (its binary download was skipped or failed): running headless; open the console URL below in a browser.');
    await serve(flags);
    return;
  }
  const appRoot = path.resolve(here, '..', '..');
  const child = spawn(electron, [appRoot], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
});

addServeOptions(program.command('serve').description('run a headless render node: engine, outputs and the console at http://HOST:PORT/')).action(serve);

program
  .command('render')
  .description('render frames of a prompt to PNG files (for checks, stills and previews)')
  .requiredOption('--prompt <text>', 'what to render')
  .requiredOption('--out <dir>', 'folder for frame-0001.png, frame-0002.png, ...')
  .option('--frames <n>', 'how many frames', integer(1, 100_000), 1)
  .option('--seed <n>', 'seed: same prompt and seed give the same frames', integer(0, 2 ** 31 - 1), 1)
  .option('--fps <n>', 'show time between frames is 1/fps s', integer(1, 240), 30)
  .option('--start <ms>', 'show time of the first frame, ms', integer(0, 2 ** 31 - 1), 0)
  .option('--width <px>', 'frame width (default: the model\'s native width)', integer(16, 7680))
  .option('--height <px>', 'frame height (default: the model\'s native height)', integer(16, 4320))
  .addOption(modelOption())
  .addOption(providerOption())
  .action(async (flags) => {
    if (flags.prompt.length > MAX_PROMPT_LENGTH) throw new InvalidArgumentError(`prompt longer than ${MAX_PROMPT_LENGTH} characters`);
    const result = await renderFrames({ ...flags, log: (line: string) => console.log(line) });
    if (!result.ok) {
      console.error(`cyclorama render: ${result.error.message}`);
      process.exitCode = 1;
    }
  });

program.parseAsync().catch((error: Error) => {
  console.error(`cyclorama: ${error.message}`);
  process.exit(1);
});
