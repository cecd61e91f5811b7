/**
 * Show control in the console against the real engine: build a three-cue show
 * with the cue editor, run it with GO (Space), and check the program canvas
 * pixels follow each cue; then the timeline and the safe plate buttons.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brightness, expect, meanDistance, openConsole, sampleCanvas, sampleProgram, test, waitForLivePicture, type CanvasSample } from './fixtures.js';

const CUES = ['snow white winter morning', 'neon night city, magenta and cyan', 'deep green forest moss'];
/** Mean-colour distance (0..441) that counts as a different picture. */
const MIN_MEAN_DISTANCE = 20;

test('build a three-cue show in the console and run it with GO: the program follows', async ({ page, engine }) => {
  await openConsole(page, engine);
  await expect(page.getByTestId('status-model-status')).toHaveText('RUNNING', { timeout: 30_000 });

  for (const [index, prompt] of CUES.entries()) {
    await page.getByTestId('cue-add').click();
    const number = String(index + 1);
    await expect(page.getByTestId(`cue-row-${number}`)).toBeVisible();
    const editor = page.getByTestId('cue-editor');
    await expect(editor).toHaveAttribute('aria-label', `Edit cue ${number}`);
    await editor.getByTestId('cue-prompt').fill(prompt);
    await editor.getByTestId('cue-transition').fill('0');
    await editor.getByTestId('cue-apply').click();
    await expect(page.getByTestId(`cue-row-${number}`)).toContainText(prompt);
  }
  // The first cue stands by.
  await expect(page.getByTestId('cue-row-1')).toHaveClass(/is-standby/);

  // Each row shows its cue's look as a thumbnail: three different pictures, read from the canvases.
  const thumbnails: CanvasSample[] = [];
  for (const number of ['1', '2', '3']) {
    const canvas = page.getByTestId(`cue-row-${number}`).getByTestId('cue-thumbnail');
    await expect(canvas, `cue ${number}'s thumbnail is its current look`).toHaveAttribute('data-thumbnail', 'ready', { timeout: 30_000 });
    const thumbnail = await sampleCanvas(canvas);
    expect([thumbnail.width, thumbnail.height]).toEqual([160, 90]);
    expect(brightness(thumbnail), `cue ${number}'s thumbnail is a picture`).toBeGreaterThan(8);
    thumbnails.push(thumbnail);
  }
  for (const [a, b] of [
    [0, 1],
    [0, 2],
    [1, 2],
  ] as const) {
    const distance = meanDistance(thumbnails[a]!, thumbnails[b]!);
    test.info().annotations.push({ type: `thumbnail ${a + 1} vs ${b + 1}`, description: `mean distance ${distance.toFixed(1)}` });
    expect(distance, `thumbnails of cues ${a + 1} and ${b + 1} differ`).toBeGreaterThan(MIN_MEAN_DISTANCE);
  }

  const pictures: CanvasSample[] = [];
  for (const [index, prompt] of CUES.entries()) {
    await page.keyboard.press('Space');
    await expect(page.getByTestId('on-air-prompt')).toHaveText(prompt);
    await expect(page.getByTestId(`cue-row-${index + 1}`)).toHaveClass(/is-live/);
    if (index + 1 < CUES.length) await expect(page.getByTestId(`cue-row-${index + 2}`)).toHaveClass(/is-standby/);
    await page.waitForTimeout(800); // the cut lands, frames of the new look arrive
    const picture = await waitForLivePicture(page, 10_000);
    if (index > 0) {
      const distance = meanDistance(pictures[index - 1]!, picture);
      test.info().annotations.push({ type: `cue ${index} -> ${index + 1}`, description: `mean distance ${distance.toFixed(1)}` });
      expect(distance, `cue ${index + 1} changed the picture`).toBeGreaterThan(MIN_MEAN_DISTANCE);
    }
    pictures.push(picture);
  }

  // BACK fires cue 2 again: the picture returns to cue 2's.
  await page.keyboard.press('Backspace');
  await expect(page.getByTestId('on-air-prompt')).toHaveText(CUES[1]!);
  await page.waitForTimeout(800);
  const back = await waitForLivePicture(page, 10_000);
  expect(meanDistance(back, pictures[1]!)).toBeLessThan(meanDistance(back, pictures[2]!));
});

test('the timeline adds keyframes, plays, and drives the wall; safe plate and restore', async ({ page, engine }) => {
  await openConsole(page, engine);
  await expect(page.getByTestId('status-model-status')).toHaveText('RUNNING', { timeout: 30_000 });
  await page.getByTestId('timeline-duration').fill('2');
  await page.getByTestId('timeline-duration').press('Enter');
  await expect(page.getByTestId('timeline-position')).toContainText('/ 00:02.0');

  // Two keyframes: one at the start, one at the end of the track.
  const track = page.getByTestId('timeline-track');
  let box = (await track.boundingBox())!;
  await page.mouse.click(box.x + 2, box.y + box.height / 2);
  await expect(page.getByTestId('keyframe-k1')).toBeVisible();
  await page.getByTestId('keyframe-prompt').fill('golden desert dunes at noon');
  await page.getByTestId('keyframe-prompt').press('Enter');
  // The keyframe editor opened under the track: measure again before the next click.
  box = (await track.boundingBox())!;
  await page.mouse.click(box.x + box.width - 2, box.y + box.height / 2);
  await expect(page.getByTestId('keyframe-k2')).toBeVisible();
  await page.getByTestId('keyframe-prompt').fill('underwater coral reef, sun rays');
  await page.getByTestId('keyframe-prompt').press('Enter');
  await expect(page.getByTestId('keyframe-k2')).toHaveAttribute('title', /coral/);

  await page.getByTestId('timeline-play').click();
  await expect(page.getByTestId('timeline-position')).toHaveClass(/is-driving/);
  // It reaches the end and holds the last keyframe's look.
  await expect(page.getByTestId('on-air-prompt')).toHaveText('underwater coral reef, sun rays', { timeout: 5000 });
  await expect(page.getByTestId('timeline-play')).toHaveText('Play', { timeout: 5000 });
  await waitForLivePicture(page, 10_000);

  // Safe plate without a plate in the show: black, and the indicator says so.
  await page.getByTestId('panic-safe-plate').click();
  await expect(page.getByTestId('panic-indicator')).toContainText('SAFE PLATE');
  await expect.poll(async () => brightness(await sampleProgram(page)), { timeout: 3000 }).toBeLessThanOrEqual(3);
  await page.keyboard.press('r');
  await waitForLivePicture(page, 5000);
});

test('Save as onto an existing file asks first and replaces it only after Replace; a failed Open puts the field back', async ({ page, engine }) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-e2e-show-'));
  try {
    const full = path.join(dir, 'full-show.json');
    writeFileSync(full, "the operator's full show");
    await openConsole(page, engine);
    await page.getByTestId('show-path').fill(full);
    await page.getByTestId('show-save-as').click();
    const confirm = page.getByTestId('show-overwrite-confirm');
    await expect(confirm).toBeVisible();
    await expect(confirm).toContainText(`${full} already exists`);
    expect(readFileSync(full, 'utf8')).toBe("the operator's full show");
    await page.getByTestId('show-overwrite-cancel').click();
    await expect(confirm).toBeHidden();
    expect(readFileSync(full, 'utf8')).toBe("the operator's full show");

    await page.getByTestId('show-save-as').click();
    await page.getByTestId('show-overwrite-replace').click();
    await expect(confirm).toBeHidden();
    await expect.poll(() => (JSON.parse(readFileSync(full, 'utf8')) as { cues: unknown[] }).cues).toEqual([]);
    await expect(page.getByTestId('show-name')).toHaveAttribute('title', full);

    // Open of a missing file: the engine says so, and the field shows the file Save writes again.
    await page.getByTestId('show-path').fill(path.join(dir, 'missing.json'));
    await page.getByTestId('show-open').click();
    await expect(page.getByTestId('show-path')).toHaveValue(full);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
