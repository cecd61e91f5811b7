/**
 * Stills & preview link in the real Chromium against the real engine (issue 20):
 * - the client preview page opened from the console's link shows live frames (its
 *   pixels change over time and match the program's colour roughly), has no controls
 *   at all, is listed in the console as watching, and says so when the operator revokes it;
 * - the contact sheet the console downloads has one tile per cue (its size is the
 *   layout's for that many cues) and the tiles differ; Save still (key C) writes a PNG
 *   into the folder typed in the panel.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { contactSheetLayout } from '../../renderer/src/contact-sheet.js';
import { expect, openConsole, sampleProgram, test, waitForLivePicture } from './fixtures.js';

let dir = '';
test.beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-e2e-viewer-'));
});
test.afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Mean RGB of the viewer page's current picture, read back through a canvas (the frame is a same-origin blob). */
function sampleViewer(page: Page): Promise<{ mean: [number, number, number]; grid: number[]; width: number; height: number }> {
  return page.getByTestId('viewer-frame').evaluate((element) => {
    const img = element as HTMLImageElement;
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const sum = [0, 0, 0];
    const grid: number[] = [];
    for (let i = 0; i < data.length; i += 4) {
      sum[0]! += data[i]!;
      sum[1]! += data[i + 1]!;
      sum[2]! += data[i + 2]!;
      if ((i / 4) % 97 === 0) grid.push(data[i]!, data[i + 1]!, data[i + 2]!);
    }
    const n = data.length / 4;
    return { mean: [sum[0]! / n, sum[1]! / n, sum[2]! / n] as [number, number, number], grid, width: canvas.width, height: canvas.height };
  });
}

test('the preview link page shows the program live with no controls; the console lists the viewer and revoke ends it', async ({ page, engine, context }) => {
  await openConsole(page, engine);
  await waitForLivePicture(page);
  const panel = page.getByTestId('viewer-panel');
  await expect(panel.getByTestId('viewer-reach')).toContainText('--host 0.0.0.0');
  await panel.getByTestId('viewer-show-cue').check();
  await panel.getByTestId('viewer-create').click();
  const linkUrl = await panel.getByTestId('viewer-link-url').inputValue();
  expect(linkUrl).toMatch(/\/viewer\.html\?v=[0-9a-f]{32}$/);

  const viewer = await context.newPage();
  const problems: string[] = [];
  viewer.on('pageerror', (error) => problems.push(error.message));
  viewer.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  await viewer.goto(linkUrl);
  await expect(viewer.getByTestId('viewer-status')).toHaveText('Live', { timeout: 30_000 });
  const first = await sampleViewer(viewer);
  expect([first.width, first.height]).toEqual([640, 360]);
  // Live: the picture changes over time (the built-in model moves).
  await expect
    .poll(
      async () => {
        const now = await sampleViewer(viewer);
        return now.grid.reduce((sum, v, i) => sum + Math.abs(v - (first.grid[i] ?? 0)), 0) / now.grid.length;
      },
      { timeout: 30_000, message: 'the viewer picture never changed' },
    )
    .toBeGreaterThan(0.5);
  // ... and it is the program: its colour is the console's Program monitor's, roughly.
  const program = await sampleProgram(page);
  const seen = await sampleViewer(viewer);
  expect(Math.hypot(...seen.mean.map((v, i) => v - program.mean[i]!))).toBeLessThan(40);
  // Nothing to press, type or follow.
  expect(await viewer.locator('button, input, select, textarea, a[href], [contenteditable]').count()).toBe(0);
  expect(problems).toEqual([]);

  await expect(panel.getByTestId('viewer-watcher')).toHaveCount(1, { timeout: 10_000 });
  await expect(panel.getByTestId('viewer-watcher')).toContainText('127.0.0.1');
  await expect(panel.getByTestId('viewer-watching')).toContainText('KiB/s');

  await panel.getByTestId('viewer-revoke').click();
  await expect(viewer.getByTestId('viewer-status')).toHaveText('This preview link was closed by the operator.', { timeout: 10_000 });
  await expect(panel.getByTestId('viewer-watcher')).toHaveCount(0, { timeout: 10_000 });
  await expect(panel.getByTestId('viewer-create')).toBeVisible();
});

test('the contact sheet has one tile per cue and the tiles differ; Save still (C) writes into the panel folder', async ({ page, engine }) => {
  await openConsole(page, engine);
  const prompts = ['snow white winter morning', 'neon night city, magenta and cyan', 'deep green forest moss'];
  const file = path.join(dir, 'sheet-show.json');
  writeFileSync(
    file,
    JSON.stringify({
      version: 4,
      name: 'Sheet test',
      settings: {},
      cues: prompts.map((prompt, i) => ({
        id: `c${i + 1}`,
        number: String(i + 1),
        name: `Look ${i + 1}`,
        look: { prompt, seed: i + 1 },
        transition: { durationMs: 0, curve: 'linear' },
      })),
      timeline: { durationMs: 0, keyframes: [] },
    }),
  );
  await page.getByTestId('show-path').fill(file);
  await page.getByTestId('show-open').click();
  for (const n of [1, 2, 3]) await expect(page.getByTestId(`cue-row-${n}`).getByTestId('cue-thumbnail')).toHaveAttribute('data-thumbnail', 'ready', { timeout: 60_000 });

  const panel = page.getByTestId('viewer-panel');
  const downloading = page.waitForEvent('download');
  await panel.getByTestId('contact-sheet').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('Sheet test contact sheet.png');
  const sheetPath = path.join(dir, 'sheet.png');
  await download.saveAs(sheetPath);
  const png = PNG.sync.read(readFileSync(sheetPath));
  const layout = contactSheetLayout(3);
  expect([png.width, png.height]).toEqual([layout.width, layout.height]);
  const tileMeans = layout.tiles.map((t) => {
    const sum = [0, 0, 0];
    for (let y = t.y; y < t.y + t.height; y++) for (let x = t.x; x < t.x + t.width; x++) for (let c = 0; c < 3; c++) sum[c]! += png.data[(y * png.width + x) * 4 + c]!;
    return sum.map((s) => s / (t.width * t.height));
  });
  // Pictures, not the white page, and each cue's own.
  for (const mean of tileMeans) expect(Math.min(...mean)).toBeLessThan(240);
  for (let a = 0; a < 3; a++)
    for (let b = a + 1; b < 3; b++) expect(Math.hypot(...tileMeans[a]!.map((v, c) => v - tileMeans[b]![c]!)), `tiles ${a + 1} and ${b + 1}`).toBeGreaterThan(5);

  // A still, by key: into the folder typed in the panel.
  const stills = path.join(dir, 'stills');
  mkdirSync(stills);
  await panel.getByTestId('stills-folder').fill(stills);
  await panel.getByTestId('stills-folder').press('Escape');
  await page.keyboard.press('c');
  await expect(panel.getByTestId('still-outcome')).toContainText(`Saved ${stills}`, { timeout: 60_000 });
  const written = readdirSync(stills);
  expect(written).toHaveLength(1);
  expect(existsSync(path.join(stills, written[0]!))).toBe(true);
  expect(written[0]).toMatch(/^Sheet test - .*\.png$/);
});
