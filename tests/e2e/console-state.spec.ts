/**
 * Live state an operator must be able to trust (issue 16), against the real headless
 * engine in the real Chromium: panic changes the whole console and GO says what it will
 * do (by default the first GO during a panic only restores); Freeze keeps a preview signal
 * and ON AIR shows what the wall shows; the standby line names the next cue and counts
 * down an auto-follow; Program names the cue; a dead engine greys every live figure and
 * says since when; an over-long prompt is never cut silently.
 */
import { MAX_PROMPT_LENGTH, type CuePatch } from '../../app/contract/index.js';
import { connectTestClient } from '../helpers/engine-client.js';
import { brightness, expect, openConsole, pixelDifference, sampleProgram, takePrompt, test, waitForLivePicture, type RunningEngine } from './fixtures.js';
import type { Page } from '@playwright/test';

/** Longer than the show's double-GO guard (settings.goGuardMs, 300 ms by default). */
const PAST_GO_GUARD_MS = 400;
/** A picture whose brightest mean channel is at most this is black. */
const BLACK_MAX = 3;
/** Cue 1's auto-follow delay in the countdown test, ms. */
const FOLLOW_DELAY_MS = 15_000;
/** HH:MM:SS, as the console prints times of day. */
const CLOCK = String.raw`\d\d:\d\d:\d\d`;

const HARBOUR = { number: '1', name: 'Harbour', prompt: 'harbour at dawn, fog' };
const FOREST = { number: '2', name: 'Forest dawn', prompt: 'misty forest at dawn, sun rays' };
const CITY = { number: '3', name: 'Night city', prompt: 'neon city street at night, rain' };

/** Builds the cue list through the engine's own contract (the cue list UI is another spec's subject). */
async function addCues(engine: RunningEngine, cues: CuePatch[]): Promise<void> {
  const client = await connectTestClient(`${engine.url.replace(/^http/, 'ws')}ws`);
  try {
    for (const patch of cues) {
      const result = await client.connection.send({ type: 'addCue', patch: { transition: { durationMs: 0 }, ...patch } });
      expect(result.ok, JSON.stringify(result)).toBe(true);
    }
  } finally {
    client.close();
  }
}

async function goAndWait(page: Page): Promise<void> {
  await page.keyboard.press('Space');
  await page.waitForTimeout(PAST_GO_GUARD_MS);
}

test('during Black the whole console says so, GO says "restore", and the first Space only restores', async ({ page, engine }) => {
  await openConsole(page, engine);
  await addCues(engine, [HARBOUR, FOREST]);
  await goAndWait(page);
  await expect(page.getByTestId('on-air-prompt')).toHaveText(HARBOUR.prompt);
  await expect(page.getByTestId('go-button')).toContainText('Q2 Forest dawn');
  const live = await waitForLivePicture(page);

  await page.keyboard.press('b');
  await expect(page.getByTestId('panic-banner')).toContainText(new RegExp(`Wall BLACK since ${CLOCK}`));
  await expect(page.getByTestId('on-air-prompt'), 'ON AIR names the black, not the old prompt').toHaveText('BLACK');
  await expect(page.getByTestId('go-label')).toHaveText('GO: restore');
  await expect(page.locator('.console')).toHaveAttribute('data-panic', 'black');
  await expect.poll(async () => brightness(await sampleProgram(page)), { timeout: 3_000 }).toBeLessThanOrEqual(BLACK_MAX);

  await page.keyboard.press('Space');
  await expect(page.getByTestId('panic-banner')).toHaveCount(0);
  await expect(page.getByTestId('on-air-prompt')).toHaveText(HARBOUR.prompt);
  // Nothing was fired: cue 1 is still live, cue 2 still on standby, the same picture is back.
  await expect(page.getByTestId('cue-row-1')).toHaveClass(/is-live/);
  await expect(page.getByTestId('cue-row-2')).toHaveClass(/is-standby/);
  await expect(page.getByTestId('go-label')).toHaveText('GO');
  // The first frames after restore: seconds on a loaded CPU machine.
  const restored = await waitForLivePicture(page, 30_000);
  expect(pixelDifference(live, restored)).toBeLessThan(40);
});

test('the show setting "GO during a panic: restores and fires" shows "GO: restore + Q2" and Space does both', async ({ page, engine }) => {
  await openConsole(page, engine);
  await addCues(engine, [HARBOUR, FOREST]);
  await goAndWait(page);
  await expect(page.getByTestId('on-air-prompt')).toHaveText(HARBOUR.prompt);

  await page.getByTestId('panic-go-setting').selectOption('restore-and-fire');
  await page.getByTestId('panic-go-setting').blur();
  await page.keyboard.press('f');
  await expect(page.getByTestId('panic-banner')).toContainText(new RegExp(`Wall FROZEN since ${CLOCK}`));
  await expect(page.getByTestId('go-label')).toHaveText('GO: restore + Q2');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('panic-banner')).toHaveCount(0);
  await expect(page.getByTestId('on-air-prompt')).toHaveText(FOREST.prompt);
  await expect(page.getByTestId('cue-row-2')).toHaveClass(/is-live/);
});

test('Freeze keeps a preview signal; a prompt taken while frozen is pending, not on air; Plate with none set says so', async ({ page, engine }) => {
  // Three new looks, each waiting for its first frame: minutes on a loaded CPU machine.
  test.setTimeout(180_000);
  await openConsole(page, engine);
  await takePrompt(page, 'golden desert dunes at noon');
  await waitForLivePicture(page);

  await page.keyboard.press('f');
  await expect(page.getByTestId('panic-indicator')).toContainText('FROZEN');
  // For 2.5 s the monitor must keep its signal: the frozen picture is still being sent.
  for (let i = 0; i < 10; i++) {
    await page.waitForTimeout(250);
    await expect(page.getByText('No preview signal'), 'a frozen wall is not "no signal"').toHaveCount(0);
  }
  await expect(page.getByTestId('on-air-prompt')).toHaveText('FROZEN: golden desert dunes at noon');

  const frozen = await sampleProgram(page);
  const input = page.getByTestId('prompt-input');
  await input.fill('underwater coral reef, sun rays');
  await input.press('Enter');
  await expect(page.getByTestId('on-air-pending')).toHaveText('On restore: underwater coral reef, sun rays');
  await input.press('Escape');
  await page.waitForTimeout(1000);
  await expect(page.getByTestId('on-air-prompt'), 'ON AIR shows what the frozen wall shows').toHaveText('FROZEN: golden desert dunes at noon');
  expect(pixelDifference(frozen, await sampleProgram(page)), 'the wall stays frozen').toBe(0);

  await page.keyboard.press('r');
  await expect(page.getByTestId('on-air-prompt')).toHaveText('underwater coral reef, sun rays');
  await expect(page.getByTestId('on-air-pending')).toHaveCount(0);
  // The new look's first frame: seconds on a loaded CPU machine.
  await waitForLivePicture(page, 30_000);

  await page.keyboard.press('x');
  await expect(page.getByTestId('panic-banner')).toContainText('Safe plate: none set, showing black');
  await expect(page.getByTestId('panic-indicator')).toContainText('none set, showing black');
  await expect(page.getByTestId('on-air-prompt')).toHaveText('PLATE (none set: black)');
});

test('the standby line names the next cue and counts down an auto-follow; Program and GO name cues', async ({ page, engine }) => {
  test.setTimeout(180_000);
  await openConsole(page, engine);
  // A long delay, so a slow, loaded machine still reads the countdown twice before it fires.
  await addCues(engine, [{ ...HARBOUR, continueMode: 'auto-follow', delayMs: FOLLOW_DELAY_MS }, FOREST, CITY]);
  await expect(page.getByTestId('standby-cue')).toHaveText('Standby: Q1 Harbour');
  await expect(page.getByTestId('program-cue')).toHaveText('Live prompt (no cue)');
  await expect(page.getByTestId('go-detail')).toHaveText('Q1 Harbour');

  await page.keyboard.press('Space');
  await expect(page.getByTestId('program-cue')).toHaveText('Q1 Harbour');
  await expect(page.getByTestId('standby-cue')).toHaveText('Standby: Q2 Forest dawn');
  await expect(page.getByTestId('go-detail')).toHaveText('Q2 Forest dawn');
  const countdown = page.getByTestId('standby-countdown');
  await expect(countdown).toHaveText(/^Q2 follows in \d\.\d s$/);
  const seconds = async () => Number(/in (\d+\.\d) s/.exec((await countdown.textContent()) ?? '')?.[1]);
  const first = await seconds();
  expect(first).toBeGreaterThan(FOLLOW_DELAY_MS / 1000 / 2);
  expect(first).toBeLessThanOrEqual(FOLLOW_DELAY_MS / 1000);
  await page.waitForTimeout(1000);
  expect(await seconds(), 'it counts down').toBeLessThan(first);

  // It fires by itself: Program names cue 2, the countdown goes, GO names cue 3.
  await expect(page.getByTestId('program-cue')).toHaveText('Q2 Forest dawn', { timeout: FOLLOW_DELAY_MS + 10_000 });
  await expect(countdown).toHaveCount(0);
  await expect(page.getByTestId('go-detail')).toHaveText('Q3 Night city');
  await expect(page.getByTestId('on-air-prompt')).toHaveText(FOREST.prompt);

  // A live edit replaces the cue's look: Program no longer claims the cue.
  await takePrompt(page, 'soft grey fog');
  await expect(page.getByTestId('program-cue')).toHaveText('Live prompt (no cue)');
});

test('with the engine process killed, every live figure turns grey and says since when', async ({ page, engine }) => {
  await openConsole(page, engine);
  await expect(page.getByTestId('status-model-status')).toHaveText('RUNNING', { timeout: 30_000 });
  await waitForLivePicture(page);
  await expect(page.getByTestId('stale-banner')).toHaveCount(0);

  await engine.kill();
  const banner = page.getByTestId('stale-banner');
  await expect(banner).toContainText(new RegExp(`Engine lost ${CLOCK}: figures below are from then`));
  await expect(banner).toContainText('What the wall shows now is not known here');
  for (const id of ['status-model-status', 'status-output-fps', 'status-model-fps', 'status-provider']) {
    const figure = page.getByTestId(id);
    await expect(figure, `${id} is marked stale`).toHaveAttribute('data-stale', 'true');
    await expect(figure, `${id} is grey, not green`).toHaveClass(/tone-stale/);
    await expect(figure).toHaveCSS('color', 'rgb(141, 150, 165)');
  }
  const chips = page.locator('[data-testid^="health-output-"]');
  expect(await chips.count()).toBeGreaterThan(0);
  for (const chip of await chips.all()) await expect(chip).toHaveAttribute('data-stale', 'true');
  // The overlay no longer claims the wall keeps its last output: that is not known with the engine gone.
  const notice = page.getByRole('status').filter({ hasText: 'Engine lost' });
  await expect(notice).toContainText(new RegExp(`Engine lost ${CLOCK}`));
  await expect(page.getByText('keeps its last output')).toHaveCount(0);
});

test('a pasted prompt over the limit is not cut silently: the bar says how long it is and sends only on request', async ({ page, engine }) => {
  await openConsole(page, engine);
  await takePrompt(page, 'harbour at dawn, fog');
  const long = 'a slow pan across a misty harbour at dawn, '.repeat(80).slice(0, 3120);
  const input = page.getByTestId('prompt-input');
  await input.fill(long);
  await expect(input, 'nothing is cut from what was pasted').toHaveValue(long);
  await expect(page.getByTestId('prompt-hint')).toContainText(`3,120 characters; the most is 1,000`);
  await expect(page.getByTestId('take-button')).toBeDisabled();
  await input.press('Enter');
  await page.waitForTimeout(800);
  await expect(page.getByTestId('on-air-prompt'), 'Enter does not send an over-long prompt').toHaveText('harbour at dawn, fog');

  await page.getByTestId('prompt-send-cut').click();
  await expect(page.getByTestId('on-air-prompt')).toHaveText(long.slice(0, MAX_PROMPT_LENGTH).trim());
});
