/**
 * The built CLI (`node dist/app/cli.js ...`) as a real child process, for tests
 * that check what a user sees: every stdout/stderr line kept, the console URL
 * line awaited, the exit code and signal awaited. Run `npm run build` first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const CLI_PATH = path.resolve('dist/app/cli.js');

export interface CliProcess {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the exit code and signal (already settled when the process has exited). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The console URL (`http://127.0.0.1:PORT/`) once the ready line is printed; rejects if the process exits first. */
  ready(timeoutMs?: number): Promise<{ url: string; port: number }>;
  /** Resolves once a stdout or stderr line matches. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function startCli(args: string[], env: Record<string, string>): CliProcess {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run "npm run build" first.`);
  const child = spawn(process.execPath, [CLI_PATH, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', ...env } });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const watchers = new Set<() => void>();
  const notify = () => watchers.forEach((w) => w());
  createInterface({ input: child.stdout! }).on('line', (line) => (stdout.push(line), notify()));
  createInterface({ input: child.stderr! }).on('line', (line) => (stderr.push(line), notify()));
  let exitedWith: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      exitedWith = { code, signal };
      // Let the last lines drain from the pipes before anyone reads them.
      setTimeout(() => (resolve({ code, signal }), notify()), 50);
    }),
  );
  const transcript = () => [...stdout, ...stderr].join('\n');

  const waitForLine = (pattern: RegExp, timeoutMs = 60_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = [...stdout, ...stderr].find((l) => pattern.test(l));
        if (line !== undefined) return done(() => resolve(line));
        if (exitedWith) return done(() => reject(new Error(`exited (${exitedWith?.code ?? exitedWith?.signal}) before a line matched ${pattern}:\n${transcript()}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`no line matched ${pattern} in ${timeoutMs} ms:\n${transcript()}`))), timeoutMs);
      const done = (settle: () => void) => {
        clearTimeout(timer);
        watchers.delete(check);
        settle();
      };
      watchers.add(check);
      check();
    });

  return {
    child,
    stdout,
    stderr,
    exited,
    ready: async (timeoutMs) => {
      const line = await waitForLine(/^Cyclorama console: http:\/\/[^/]+\//, timeoutMs);
      const match = /^Cyclorama console: (http:\/\/[^/]+:(\d+)\/)/.exec(line)!;
      return { url: match[1]!, port: Number(match[2]) };
    },
    waitForLine,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
