/**
 * Playwright fixtures: a real headless engine per test (`node dist/app/cli.js
 * serve --port 0`), found by the URL line it prints, stopped after the test.
 * Nothing is built here: run `npm run build` first.
 */
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built CLI; CYCLORAMA_E2E_CLI may point at another build (e.g. a packaged app's). */
const cliPath = process.env.CYCLORAMA_E2E_CLI ?? path.join(repoRoot, 'dist', 'app', 'cli.js');
/** The engine prints exactly this when it is ready to serve. */
const READY_LINE = /^Cyclorama console: (http:\/\/127\.0\.0\.1:\d+\/)\s*$/;
/** Model load on a slow CPU included. */
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

export interface RunningEngine {
  url: string;
  /** Everything the engine printed so far, for failure reports. */
  log(): string;
  /** Kills the engine process at once (SIGKILL, as a crash would), resolving when it is gone. */
  kill(): Promise<void>;
}

/** Removes the engine's config folder once its process is gone. */
async function exitedCleanup(child: ChildProcess, configDir: string): Promise<void> {
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(configDir, { recursive: true, force: true });
}

async function startEngine(extraEnv: Record<string, string> = {}): Promise<{ engine: RunningEngine; stop: () => Promise<void> }> {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run "npm run build" before the e2e tests.`);
  // Each engine gets its own config folder: saved outputs and recent shows never leak between tests or into the user's.
  const configDir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-e2e-config-'));
  const child: ChildProcess = spawn(process.execPath, [cliPath, 'serve', '--port', '0'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', CYCLORAMA_CONFIG_DIR: configDir, ...extraEnv },
  });
  void exitedCleanup(child, configDir);
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`engine printed no "Cyclorama console: URL" line within ${START_TIMEOUT_MS} ms:\n${lines.join('\n')}`)), START_TIMEOUT_MS);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const match = READY_LINE.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    createInterface({ input: child.stderr! }).on('line', (line) => lines.push(`[stderr] ${line}`));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`engine exited with code ${code} before it was ready:\n${lines.join('\n')}`));
    });
  });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), STOP_TIMEOUT_MS))]);
    if (timedOut) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exited;
  };
  return { engine: { url, log: () => lines.join('\n'), kill }, stop };
}

export const test = base.extend<{ engine: RunningEngine; engineEnv: Record<string, string> }>({
  /** Extra environment for the engine process (e.g. CYCLORAMA_NDI_RUNTIME); set with test.use. */
  engineEnv: [{}, { option: true }],
  engine: async ({ engineEnv }, use, testInfo) => {
    const { engine, stop } = await startEngine(engineEnv);
    try {
      await use(engine);
    } finally {
      await stop();
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('engine.log', { body: engine.log(), contentType: 'text/plain' });
      }
    }
  },
});

export { expect };

/** What the program canvas shows now: mean RGB and a coarse grid of pixel values. */
export interface CanvasSample {
  width: number;
  height: number;
  mean: [number, number, number];
  /** RGB of every pixel on a coarse grid, row-major, for pixel-wise comparison. */
  grid: number[];
}

/** Reads the program canvas pixels (not the DOM): the test sees what an operator sees. */
export function sampleProgram(page: Page): Promise<CanvasSample> {
  return sampleCanvas(page.getByTestId('program-canvas'));
}

/** Any 2D canvas of the console (program, preview, a cue thumbnail), sampled the same way. */
export async function sampleCanvas(canvas: Locator): Promise<CanvasSample> {
  return canvas.evaluate((element) => {
    const c = element as HTMLCanvasElement;
    const ctx = c.getContext('2d');
    if (!ctx) throw new Error('canvas has no 2d context');
    const { data, width, height } = ctx.getImageData(0, 0, c.width, c.height);
    let r = 0;
    let g = 0;
    let b = 0;
    for (let i = 0; i < data.length; i += 4) {
      r += data[i]!;
      g += data[i + 1]!;
      b += data[i + 2]!;
    }
    const n = width * height;
    const grid: number[] = [];
    const step = Math.max(1, Math.floor(Math.min(width, height) / 24));
    for (let y = Math.floor(step / 2); y < height; y += step) {
      for (let x = Math.floor(step / 2); x < width; x += step) {
        const i = (y * width + x) * 4;
        grid.push(data[i]!, data[i + 1]!, data[i + 2]!);
      }
    }
    return { width, height, mean: [r / n, g / n, b / n] as [number, number, number], grid };
  });
}

/** Euclidean distance between two mean colours, 0..441 on 8-bit channels. */
export function meanDistance(a: CanvasSample, b: CanvasSample): number {
  return Math.hypot(a.mean[0] - b.mean[0], a.mean[1] - b.mean[1], a.mean[2] - b.mean[2]);
}

/** Mean absolute per-channel difference over the grid, 0..255. */
export function pixelDifference(a: CanvasSample, b: CanvasSample): number {
  if (a.grid.length !== b.grid.length) return 255;
  let sum = 0;
  for (let i = 0; i < a.grid.length; i++) sum += Math.abs(a.grid[i]! - b.grid[i]!);
  return sum / a.grid.length;
}

/** Brightest mean channel: near 0 is a black picture. */
export function brightness(s: CanvasSample): number {
  return Math.max(...s.mean);
}

/** Opens the console and waits until it talks to the engine. */
export async function openConsole(page: Page, engine: Pick<RunningEngine, 'url'> & Partial<RunningEngine>): Promise<void> {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // A CSP violation or a failed load is a bug in the console, not noise.
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.goto(engine.url);
  await expect(page.getByTestId('status-connection')).toHaveText(/Connected/, { timeout: 20_000 });
  expect(problems, 'the console logged errors while loading').toEqual([]);
}

/** Takes a prompt the way an operator does: P, type, a cut, Enter. */
export async function takePrompt(page: Page, prompt: string): Promise<void> {
  await page.getByTestId('transition-input').fill('0');
  const input = page.getByTestId('prompt-input');
  await input.fill(prompt);
  await input.press('Enter');
  await expect(page.getByTestId('on-air-prompt')).toHaveText(prompt);
  // Hand the keys back to the console shortcuts.
  await input.press('Escape');
}

/**
 * Waits until the canvas shows a live picture: not black, and changing between
 * two reads half a second apart (a moving backdrop, not a held still).
 */
export async function waitForLivePicture(page: Page, timeoutMs = 30_000): Promise<CanvasSample> {
  let last: CanvasSample | undefined;
  await expect
    .poll(
      async () => {
        const a = await sampleProgram(page);
        await page.waitForTimeout(500);
        const b = await sampleProgram(page);
        last = b;
        return brightness(b) > 8 && pixelDifference(a, b) > 0.2;
      },
      { timeout: timeoutMs, intervals: [250], message: 'program canvas never showed a live, changing picture' },
    )
    .toBe(true);
  return last!;
}
