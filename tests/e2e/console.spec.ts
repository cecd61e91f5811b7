/**
 * The console against the real headless engine: live program pixels, a prompt
 * change that changes the picture, panic and restore, the status strip.
 * Assertions read canvas pixels, not DOM text, wherever the picture is the point.
 */
import path from 'node:path';
import { connectTestClient } from '../helpers/engine-client.js';
import { brightness, expect, meanDistance, openConsole, pixelDifference, sampleProgram, takePrompt, test, waitForLivePicture, type CanvasSample } from './fixtures.js';

/** Provider the engine must report here (no GPU in CI); a GPU machine sets its own. */
const EXPECTED_PROVIDER = process.env.CYCLORAMA_EXPECT_PROVIDER ?? 'cpu';
/** Operators expect a cut to land "at once"; a couple of seconds is the outer bound. */
const PROMPT_CHANGE_WITHIN_MS = 3_000;
/** Mean-colour distance (0..441) that counts as a different picture, not drift. */
const MIN_MEAN_DISTANCE = 20;
/** A picture whose brightest mean channel is at most this is black. */
const BLACK_MAX = 3;

test('the program monitor is live and a new prompt changes the picture', async ({ page, engine }) => {
  await openConsole(page, engine);
  await expect(page.getByTestId('status-provider')).toHaveText(new RegExp(`^${EXPECTED_PROVIDER}$`, 'i'));
  await expect(page.getByTestId('status-model-status')).toHaveText('RUNNING', { timeout: 30_000 });

  await takePrompt(page, 'snow mountain dawn');
  // Let the cut land, then take the reference picture once it is live.
  await page.waitForTimeout(1000);
  const before = await waitForLivePicture(page);
  // How much the picture moves by itself, so the prompt change must beat it.
  await page.waitForTimeout(PROMPT_CHANGE_WITHIN_MS);
  const drift = meanDistance(before, await sampleProgram(page));

  await takePrompt(page, 'neon night city');
  const changedAt = Date.now();
  let after: CanvasSample | undefined;
  await expect
    .poll(
      async () => {
        after = await sampleProgram(page);
        return meanDistance(before, after);
      },
      { timeout: PROMPT_CHANGE_WITHIN_MS, intervals: [100], message: 'program pixels did not change after the prompt' },
    )
    .toBeGreaterThan(Math.max(MIN_MEAN_DISTANCE, 3 * drift));
  test.info().annotations.push({
    type: 'prompt change',
    description: `mean RGB ${before.mean.map(Math.round).join(',')} -> ${after!.mean.map(Math.round).join(',')}, distance ${meanDistance(before, after!).toFixed(1)} (drift ${drift.toFixed(1)}), pixel diff ${pixelDifference(before, after!).toFixed(1)}, within ${Date.now() - changedAt} ms`,
  });
  // Still live after the change, not a single frame.
  await waitForLivePicture(page, 5_000);
  await expect(page.getByTestId('status-ttff')).toHaveText(/^\d+ ms$/);
});

test('Black takes the wall to black and Restore brings the picture back', async ({ page, engine }) => {
  await openConsole(page, engine);
  await takePrompt(page, 'golden desert dunes at noon');
  const live = await waitForLivePicture(page);

  // Typing B, F or R into a text field is text, never a panic.
  await page.getByTestId('prompt-input').focus();
  await page.keyboard.type('bright frosty fjord');
  await page.waitForTimeout(300);
  await expect(page.getByTestId('panic-indicator')).toHaveCount(0);
  expect(brightness(await sampleProgram(page))).toBeGreaterThan(BLACK_MAX);
  await page.keyboard.press('Escape');

  await page.keyboard.press('b');
  await expect(page.getByTestId('panic-indicator')).toContainText('BLACK');
  await expect.poll(async () => brightness(await sampleProgram(page)), { timeout: 2_000, message: 'canvas did not go black' }).toBeLessThanOrEqual(BLACK_MAX);

  await page.getByTestId('restore-button').click();
  await expect(page.getByTestId('panic-indicator')).toHaveCount(0);
  const restored = await waitForLivePicture(page, 3_000);
  // The same look comes back, not some other picture.
  expect(meanDistance(live, restored)).toBeLessThan(MIN_MEAN_DISTANCE * 2);
});

test('Freeze holds the picture still and Restore lets it move again', async ({ page, engine }) => {
  await openConsole(page, engine);
  await waitForLivePicture(page);

  await page.keyboard.press('f');
  await expect(page.getByTestId('panic-indicator')).toContainText('FROZEN');
  // Give frames already in flight time to land, then the picture must not move.
  await page.waitForTimeout(500);
  const a = await sampleProgram(page);
  await page.waitForTimeout(1000);
  const b = await sampleProgram(page);
  expect(pixelDifference(a, b)).toBe(0);
  expect(brightness(b)).toBeGreaterThan(BLACK_MAX);

  await page.keyboard.press('r');
  await waitForLivePicture(page, 3_000);
});

test('console screenshots for review (1920x1080, 1280x800)', async ({ page, engine }) => {
  await openConsole(page, engine);
  // A show in progress: three cues (one live, the next on standby with its preview), two outputs, one blanked.
  const client = await connectTestClient(`${engine.url.replace(/^http/, 'ws')}ws`);
  try {
    for (const prompt of ['harbour at dawn, fog', 'underwater coral reef, sun rays', 'neon city street at night, rain']) {
      expect((await client.connection.send({ type: 'addCue', patch: { prompt, transition: { durationMs: 0 } } })).ok).toBe(true);
    }
    expect((await client.connection.send({ type: 'go' })).ok).toBe(true);
    expect((await client.connection.send({ type: 'addDisplayOutput', name: 'Wall left' })).ok).toBe(true);
    expect((await client.connection.send({ type: 'addDisplayOutput', name: 'Ceiling' })).ok).toBe(true);
    expect((await client.connection.send({ type: 'selectOutput', output: 'Ceiling', live: false })).ok).toBe(true);
  } finally {
    client.close();
  }
  await waitForLivePicture(page);
  for (const n of [1, 2, 3]) await expect(page.getByTestId(`cue-row-${n}`).getByTestId('cue-thumbnail')).toHaveAttribute('data-thumbnail', 'ready', { timeout: 30_000 });
  for (const [width, height] of [
    [1920, 1080],
    [1280, 800],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(500);
    // Kept outside the per-test folders so the paths are stable for reviewers.
    await page.screenshot({ path: path.join(test.info().project.outputDir, `console-${width}x${height}.png`) });
  }
  // Nothing in the layout may overflow the window at the smaller size.
  const overflow = await page.evaluate(() => ({
    x: document.documentElement.scrollWidth - window.innerWidth,
    y: document.documentElement.scrollHeight - window.innerHeight,
  }));
  expect(overflow).toEqual({ x: 0, y: 0 });
});
