#!/usr/bin/env node
/**
 * cyclorama: the command line. `start` opens the app (Electron when its binary is
 * installed, else a headless node), `serve` runs a headless render node with the
 * console on http, `render` writes PNG frames for checks and previews, `models`
 * lists, downloads, imports and removes models (engine/models/library-cli.ts).
 */
import { Command, InvalidArgumentError } from 'commander';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { MAX_PROMPT_LENGTH } from './contract/commands.js';
import { runHeadless } from './engine/headless.js';
import {
  addFlags,
  CONTROL_FLAGS,
  controlSettingsFromFlags,
  ENGINE_FLAGS,
  engineOptionsFromFlags,
  flagOption,
  flagsToArgv,
  givenFlags,
  NODE_FLAGS,
  type NodeFlags,
} from './engine/engine-args.js';
import { renderFrames } from './engine/render.js';
import { importCommand, listCommand, pullCommand, removeCommand } from './engine/models/library-cli.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function integer(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    return n;
  };
}

const providerOption = () => flagOption(ENGINE_FLAGS.provider);
const modelOption = () => flagOption(ENGINE_FLAGS.model);

/** Path to Electron's binary, or null when the package or its binary is not installed. */
function electronBinary(): string | null {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown;
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function serve(flags: NodeFlags): Promise<void> {
  return runHeadless({
    ...controlSettingsFromFlags(flags),
    staticDir: path.resolve(here, '..', 'renderer'),
    engine: engineOptionsFromFlags(flags),
  });
}

const program = new Command('cyclorama')
  .description('Real-time generative backdrops for LED walls, broadcast and photo sets.')
  // Bad flags: one line, `cyclorama: what is wrong (run "cyclorama --help" for usage)`.
  .configureOutput({ outputError: (text, write) => write(`cyclorama: ${text.trim().replace(/^error: /, '')} (run "cyclorama --help" for usage)\n`) });

/** serve and start take the same flags: the one definition is app/engine/engine-args.ts. */
const addServeOptions = (command: Command) => addFlags(addFlags(command, CONTROL_FLAGS), ENGINE_FLAGS);

addServeOptions(
  program
    .command('start', { isDefault: true })
    .description('open Cyclorama: the Electron app where installed, else a headless node with the console in your browser')
    .option('--headless', 'run as a headless render node even if Electron is installed'),
).action(async (flags: NodeFlags & { headless?: boolean }, command: Command) => {
  // Checked here too: a bad cluster file stops `start` with its field named, before a window opens.
  if (flags.cluster) engineOptionsFromFlags(flags);
  const electron = flags.headless ? null : electronBinary();
  if (!electron) {
    if (!flags.headless) console.log('Electron is not installed here (its binary download was skipped or failed): running headless; open the console URL below in a browser.');
    await serve(flags);
    return;
  }
  const appRoot = path.resolve(here, '..', '..');
  // Every flag the user gave goes on to main (after "--", where Chromium reads no switches), which hands it to the engine.
  const child = spawn(electron, [appRoot, '--', ...flagsToArgv(NODE_FLAGS, givenFlags(NODE_FLAGS, command))], { stdio: 'inherit' });
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
  .option('--width <px>', "frame width (default: the model's native width)", integer(16, 7680))
  .option('--height <px>', "frame height (default: the model's native height)", integer(16, 4320))
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

const models = program.command('models').description('the model library: installed models and the catalog of real-time models to download');
models
  .command('list')
  .description('installed models (built-in, downloaded, imported) and the catalog, with sizes and licences')
  .action(async () => {
    process.exitCode = await listCommand();
  });
models
  .command('pull <name>')
  .description('download a catalog model into the hub cache (resumes, verifies every file; HF_ENDPOINT, HF_TOKEN, HTTPS_PROXY honoured)')
  .option('--accept-licence', "accept the model's licence (shown by models list) before the first download")
  .action(async (name: string, flags: { acceptLicence?: boolean }) => {
    process.exitCode = await pullCommand(name, flags);
  });
models
  .command('import <dir>')
  .description('add a model folder on this machine to the library (checked that it loads; the folder is not moved)')
  .option('--name <name>', 'the name to list it under (default: from the folder name)')
  .action(async (dir: string, flags: { name?: string }) => {
    process.exitCode = await importCommand(dir, flags);
  });
models
  .command('remove <name>')
  .description('delete a downloaded model from the hub cache, or forget an imported folder (the folder itself is kept)')
  .action(async (name: string) => {
    process.exitCode = await removeCommand(name);
  });

program.parseAsync().catch((error: Error) => {
  // One line, no stack: what is wrong and what to do (startup-problems.ts). The engine is already stopped.
  console.error(`cyclorama: ${error.message}`);
  process.exitCode = 1;
  // Some handles (libndi's, a worker being torn down) may hold the loop; nothing is left to finish.
  setTimeout(() => process.exit(1), 2000).unref();
});
