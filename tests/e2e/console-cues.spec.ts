/**
 * The cue list as a QLab operator uses it, in the real Chromium against the real engine
 * (issue 16, "building a show by keyboard is impossible" and "the cue list is too small"):
 * focusable rows with one Tab stop, arrows and Enter, fire by number, editable numbers
 * with messages, renumber (numbers are addresses), inserting after 2 makes 2.5, reorder by
 * keyboard and drag, notes, multi-select edit as one undo step, an inspector that edits
 * without going live, 8+ rows at 1280x800 with the standby in view, and a whole show built
 * from an empty one with the keyboard only.
 *
 * Shows are opened from files written here (the Open field), so a test starts from a known
 * cue list; what the engine holds is read from GET /api/state, not from the console.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { EngineState } from '../../app/contract/index.js';
import { expect, openConsole, test, type RunningEngine } from './fixtures.js';

const PROMPTS = ['snow white winter morning', 'neon night city', 'deep green forest moss', 'golden desert dunes', 'underwater coral reef', 'red sunset over sea'];

let dir = '';
test.beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-e2e-cues-'));
});
test.afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a version 4 show with these cues (numbers 1..n unless given) and opens it in the console. */
async function openShow(page: Page, prompts: readonly string[], numbers?: readonly string[]): Promise<void> {
  const file = path.join(dir, 'cues-show.json');
  const show = {
    version: 4,
    name: 'Cue list test',
    settings: {},
    cues: prompts.map((prompt, i) => ({
      id: `c${i + 1}`,
      number: numbers?.[i] ?? String(i + 1),
      look: { prompt, seed: i + 1 },
      transition: { durationMs: 0, curve: 'linear' },
    })),
    timeline: { durationMs: 0, keyframes: [] },
  };
  writeFileSync(file, JSON.stringify(show));
  await page.getByTestId('show-path').fill(file);
  await page.getByTestId('show-open').click();
  await expect(page.getByTestId('show-name')).toHaveAttribute('title', file);
  await expect(page.getByTestId('cue-list').locator('.cue-row')).toHaveCount(prompts.length);
  // Keys go to the console, not the path field.
  await page.getByTestId('show-path').press('Escape');
}

async function engineState(page: Page, engine: RunningEngine): Promise<EngineState> {
  const response = await page.request.get(new URL('api/state', engine.url).href);
  expect(response.ok(), `GET /api/state: ${response.status()}`).toBe(true);
  return (await response.json()) as EngineState;
}

const rowNumbers = (page: Page) => page.getByTestId('cue-list').locator('.cue-number').allTextContents();

test('cue rows take focus with one Tab stop; arrows select, Enter puts a cue on standby, Space stays GO', async ({ page, engine }) => {
  await openConsole(page, engine);
  await openShow(page, PROMPTS.slice(0, 4));
  const list = page.getByTestId('cue-list');
  // One Tab stop for the whole list.
  await expect(list.locator('[tabindex="0"]')).toHaveCount(1);
  await page.getByTestId('cue-row-1').focus();
  await expect(page.getByTestId('cue-row-1')).toBeFocused();

  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('cue-row-2')).toBeFocused();
  await expect(page.getByTestId('cue-row-2')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('cue-editor')).toHaveAttribute('aria-label', 'Edit cue 2');
  // Selecting is not standby: the engine's standby is still cue 1.
  await expect(page.getByTestId('cue-row-1')).toHaveClass(/is-standby/);

  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('cue-row-3')).toHaveClass(/is-standby/);
  expect((await engineState(page, engine)).show?.currentCueId, 'Enter does not fire').toBeNull();

  // Tab leaves the list in one press (the rows are not a Tab stop each).
  await page.keyboard.press('Tab');
  await expect(list.locator(':focus')).toHaveCount(0);
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByTestId('cue-row-3')).toBeFocused();
  // "+ Cue" is one Shift+Tab before the list.
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByTestId('cue-add')).toBeFocused();
  await page.getByTestId('cue-row-3').focus();

  await page.keyboard.press('Space');
  await expect(page.getByTestId('cue-row-3')).toHaveClass(/is-live/);
  await expect(page.getByTestId('on-air-prompt')).toHaveText(PROMPTS[2]!);
});

test('fire by number: "3 Enter" fires cue 3, the typed number shows while typing, Esc clears it', async ({ page, engine }) => {
  await openConsole(page, engine);
  await openShow(page, PROMPTS.slice(0, 4));
  const entry = page.getByTestId('cue-number-entry');

  await page.keyboard.press('3');
  await expect(entry).toContainText('Q 3');
  await expect(entry).toContainText(PROMPTS[2]!);
  await page.keyboard.press('Escape');
  await expect(entry).toBeHidden();
  expect((await engineState(page, engine)).show?.currentCueId).toBeNull();

  // Backspace corrects the typed number (it is not BACK while a number is typed).
  await page.keyboard.press('4');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('3');
  await expect(entry).toContainText('Q 3');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('on-air-prompt')).toHaveText(PROMPTS[2]!);
  await expect(page.getByTestId('cue-row-3')).toHaveClass(/is-live/);
  await expect(page.getByTestId('cue-row-4')).toHaveClass(/is-standby/);
  await expect(entry).toBeHidden();

  // A number no cue has: said so, nothing fires.
  await page.keyboard.press('9');
  await page.keyboard.press('Enter');
  await expect(entry).toHaveText('No cue numbered 9.');
  await expect(page.getByTestId('cue-row-3')).toHaveClass(/is-live/);
});

test("inserting after cue 2 makes 2.5 from cue 2's look without going live; a taken number says so", async ({ page, engine }) => {
  await openConsole(page, engine);
  await openShow(page, PROMPTS.slice(0, 3));
  await page.getByTestId('cue-row-2').click();
  await page.getByTestId('cue-add').click();
  await expect.poll(() => rowNumbers(page)).toEqual(['1', '2', '2.5', '3']);
  const editor = page.getByTestId('cue-editor');
  await expect(editor).toHaveAttribute('aria-label', 'Edit cue 2.5');
  // The new cue starts from the selected cue's look; nothing went live.
  await expect(editor.getByTestId('cue-prompt')).toHaveValue(PROMPTS[1]!);
  expect((await engineState(page, engine)).show?.currentCueId).toBeNull();

  // A number another cue has: a message saying why, and Apply is off.
  await editor.getByTestId('cue-number').fill('3');
  await expect(page.getByTestId('cue-number-problem')).toHaveText('Cue number 3 is taken by another cue: numbers are unique.');
  await expect(editor.getByTestId('cue-apply')).toBeDisabled();
  await editor.getByTestId('cue-number').fill('2.7');
  await expect(page.getByTestId('cue-number-problem')).toBeHidden();
  await editor.getByTestId('cue-number').press('Enter');
  await expect.poll(() => rowNumbers(page)).toEqual(['1', '2', '2.7', '3']);
  await expect(page.getByTestId('cue-number-notice')).toContainText('OSC /cue/2.7/fire');
});

test('renumber all (start, step) is one undoable edit, and the console says OSC, MSC and Companion follow the numbers', async ({ page, engine }) => {
  await openConsole(page, engine);
  await openShow(page, PROMPTS.slice(0, 4), ['1', '2', '2.7', '3']);
  // Renumber all: 10, 20, 30, 40, one edit; the console says the addresses follow.
  await page.getByTestId('cue-renumber').click();
  await page.getByTestId('renumber-start').fill('10');
  await page.getByTestId('renumber-step').fill('10');
  await page.getByTestId('renumber-step').press('Enter');
  await expect.poll(() => rowNumbers(page)).toEqual(['10', '20', '30', '40']);
  await expect(page.getByTestId('cue-notice')).toContainText('OSC /cue/N/fire, MSC and Companion buttons now reach the new numbers');
  // The new numbers are the addresses: firing 40 fires the fourth cue.
  await page.getByTestId('cue-row-10').focus();
  await page.keyboard.type('40');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('on-air-prompt')).toHaveText(PROMPTS[3]!);
  // One undo puts every number back.
  await page.getByTestId('show-undo').click();
  await expect.poll(() => rowNumbers(page)).toEqual(['1', '2', '2.7', '3']);
  // A bad start says what is allowed.
  await page.getByTestId('cue-renumber').click();
  await page.getByTestId('renumber-start').fill('-1');
  await expect(page.getByTestId('renumber-start-problem')).toContainText('Start must be a number from 0 to 99,999');
});

test('reorder by keyboard (Alt+↑/↓) and by drag, through moveCue', async ({ page, engine }) => {
  await openConsole(page, engine);
  await openShow(page, PROMPTS.slice(0, 4));
  await page.getByTestId('cue-row-1').focus();
  await page.keyboard.press('Alt+ArrowDown');
  await expect.poll(() => rowNumbers(page)).toEqual(['2', '1', '3', '4']);
  // The moved cue keeps the focus, so it can move on.
  await expect(page.getByTestId('cue-row-1')).toBeFocused();
  await page.keyboard.press('Alt+ArrowDown');
  await expect.poll(() => rowNumbers(page)).toEqual(['2', '3', '1', '4']);
  await page.keyboard.press('Alt+ArrowUp');
  await expect.poll(() => rowNumbers(page)).toEqual(['2', '1', '3', '4']);

  // Drag cue 4 onto the top half of the first row: it goes first.
  await page.getByTestId('cue-row-4').dragTo(page.getByTestId('cue-row-2'), { targetPosition: { x: 40, y: 3 } });
  await expect.poll(() => rowNumbers(page)).toEqual(['4', '2', '1', '3']);
  const order = (await engineState(page, engine)).show?.document.cues.map((c) => c.number);
  expect(order).toEqual(['4', '2', '1', '3']);
});

test('notes: typed in the inspector, kept by the engine, shown in the row', async ({ page, engine }) => {
  await openConsole(page, engine);
  await openShow(page, PROMPTS.slice(0, 2));
  await page.getByTestId('cue-row-2').click();
  const editor = page.getByTestId('cue-editor');
  await editor.getByTestId('cue-notes').fill('wait for the actor to reach the chair');
  await editor.getByTestId('cue-apply').click();
  await expect(page.getByTestId('cue-row-2').getByTestId('cue-row-notes')).toHaveText('wait for the actor to reach the chair');
  await expect.poll(async () => (await engineState(page, engine)).show?.document.cues[1]?.notes).toBe('wait for the actor to reach the chair');
});

test('multi-select (Shift-click, Ctrl-click, Shift+↓) edits transition and continue of all selected as one undo step', async ({ page, engine }) => {
  await openConsole(page, engine);
  await openShow(page, PROMPTS.slice(0, 5));
  await page.getByTestId('cue-row-1').click();
  await page.getByTestId('cue-row-3').click({ modifiers: ['Shift'] });
  await page.getByTestId('cue-row-5').click({ modifiers: ['ControlOrMeta'] });
  const multi = page.getByTestId('multi-cue-editor');
  await expect(multi).toHaveAttribute('aria-label', 'Edit 4 cues');
  await page.getByTestId('cue-row-5').click({ modifiers: ['ControlOrMeta'] });
  await expect(multi).toHaveAttribute('aria-label', 'Edit 3 cues');
  await multi.getByTestId('multi-transition').fill('500');
  await multi.getByTestId('multi-curve').selectOption('linear');
  await multi.getByTestId('multi-continue').selectOption('auto-follow');
  await multi.getByTestId('multi-apply').click();
  await expect
    .poll(async () => (await engineState(page, engine)).show?.document.cues.map((c) => `${c.transition.durationMs} ${c.continueMode}`))
    .toEqual(['500 auto-follow', '500 auto-follow', '500 auto-follow', '0 none', '0 none']);
  await expect(page.getByTestId('cue-row-2')).toContainText('follow');

  // One undo takes back all three.
  await page.getByTestId('show-undo').click();
  await expect.poll(async () => (await engineState(page, engine)).show?.document.cues.map((c) => c.continueMode)).toEqual(['none', 'none', 'none', 'none', 'none']);

  // Shift+↓ from a focused row extends the selection.
  await page.getByTestId('cue-row-4').focus();
  await page.keyboard.press('Shift+ArrowDown');
  await expect(multi).toHaveAttribute('aria-label', 'Edit 2 cues');
  await expect(page.getByTestId('cue-list').locator('[aria-selected="true"]')).toHaveCount(2);
});

test('the inspector edits a cue without taking it live; invalid fields say what is wrong and the allowed range', async ({ page, engine }) => {
  await openConsole(page, engine);
  await openShow(page, PROMPTS.slice(0, 3));
  await page.keyboard.press('Space');
  await expect(page.getByTestId('on-air-prompt')).toHaveText(PROMPTS[0]!);

  await page.getByTestId('cue-row-2').click();
  const editor = page.getByTestId('cue-editor');
  await editor.getByTestId('cue-seed').fill('abc');
  await expect(page.getByTestId('cue-seed-problem')).toHaveText('Seed "abc" is not a whole number from 0 to 2,147,483,647.');
  await editor.getByTestId('cue-transition').fill('-5');
  await expect(page.getByTestId('cue-duration-problem')).toHaveText('The transition "-5" is not a whole number from 0 to 600,000 ms.');
  await editor.getByTestId('cue-trigger').fill('1:00');
  await expect(page.getByTestId('cue-trigger-problem')).toContainText('is not HH:MM:SS:FF');
  await editor.getByTestId('cue-prompt').fill('x'.repeat(1200));
  await expect(page.getByTestId('cue-prompt-problem')).toContainText('1,200 characters: at most 1,000');
  await expect(editor.getByTestId('cue-apply')).toBeDisabled();

  await editor.getByTestId('cue-seed').fill('77');
  await editor.getByTestId('cue-transition').fill('1500');
  await editor.getByTestId('cue-trigger').fill('00:01:30:00');
  await editor.getByTestId('cue-name').fill('City');
  await editor.getByTestId('cue-prompt').fill('rainy city street at night');
  await editor.getByTestId('cue-apply').click();
  await expect
    .poll(async () => (await engineState(page, engine)).show?.document.cues[1])
    .toMatchObject({ name: 'City', look: { prompt: 'rainy city street at night', seed: 77 }, transition: { durationMs: 1500 }, triggerTimecode: '00:01:30:00' });
  // The wall still shows cue 1: editing is not taking live.
  await expect(page.getByTestId('on-air-prompt')).toHaveText(PROMPTS[0]!);
  expect((await engineState(page, engine)).show?.currentCueId).toBe('c1');
});

test('at 1280x800 the list shows 8+ rows with a cue selected, and the standby cue stays in view', async ({ page, engine }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openConsole(page, engine);
  const prompts = Array.from({ length: 20 }, (_, i) => `look number ${i + 1}`);
  await openShow(page, prompts);
  await page.getByTestId('cue-row-1').click();
  await expect(page.getByTestId('cue-editor')).toBeVisible();
  const visibleRows = async () =>
    page.getByTestId('cue-list').evaluate((list) => {
      const box = list.getBoundingClientRect();
      const view = { top: Math.max(box.top, 0), bottom: Math.min(box.bottom, window.innerHeight) };
      return Array.from(list.querySelectorAll('.cue-row')).filter((row) => {
        const r = row.getBoundingClientRect();
        return r.top >= view.top - 1 && r.bottom <= view.bottom + 1;
      }).length;
    });
  const rows = await visibleRows();
  test.info().annotations.push({ type: 'rows in view at 1280x800, a cue selected', description: String(rows) });
  expect(rows).toBeGreaterThanOrEqual(8);

  // GO down the list: the standby row is always fully in view.
  await page.getByTestId('cue-row-1').focus();
  await page.keyboard.type('15');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('cue-row-16')).toHaveClass(/is-standby/);
  await expect(page.getByTestId('cue-row-16')).toBeInViewport({ ratio: 1 });
  await page.keyboard.press('Space');
  await expect(page.getByTestId('cue-row-17')).toHaveClass(/is-standby/);
  await expect(page.getByTestId('cue-row-17')).toBeInViewport({ ratio: 1 });
});

test('keyboard only: from an empty show to a six-cue show with an auto-follow, then run it', async ({ page, engine }) => {
  // Six cues typed key by key plus a run: more than the 90 s default on a loaded 2-core machine.
  test.setTimeout(180_000);
  await openConsole(page, engine);
  const onAirBefore = (await engineState(page, engine)).program.prompt;
  for (const [i, prompt] of PROMPTS.entries()) {
    // N: a new cue after the selected one; its prompt has the focus.
    await page.keyboard.press('n');
    const editor = page.getByTestId('cue-editor');
    await expect(editor).toHaveAttribute('aria-label', `Edit cue ${i + 1}`);
    await expect(editor.getByTestId('cue-prompt')).toBeFocused();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(prompt);
    if (i === 2) {
      // Cue 3 auto-follows into cue 4: ms, curve, then the continue mode.
      await page.keyboard.press('Tab');
      await page.keyboard.press('ControlOrMeta+a');
      await page.keyboard.type('0');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await expect(editor.getByTestId('cue-continue')).toBeFocused();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await expect(editor.getByTestId('cue-continue')).toHaveValue('auto-follow');
    }
    await page.keyboard.press('Enter');
    await expect(page.getByTestId(`cue-row-${i + 1}`)).toContainText(prompt);
    // Esc: back on the row, ready for the next N.
    await page.keyboard.press('Escape');
    await expect(page.getByTestId(`cue-row-${i + 1}`)).toBeFocused();
  }
  const built = (await engineState(page, engine)).show!;
  expect(built.document.cues.map((c) => [c.number, c.look.prompt, c.continueMode])).toEqual(PROMPTS.map((p, i) => [String(i + 1), p, i === 2 ? 'auto-follow' : 'none']));
  // Nothing went live while building.
  expect(built.currentCueId).toBeNull();
  expect((await engineState(page, engine)).program.prompt).toBe(onAirBefore);

  // Run it: ↑ to the first row, Enter stands it by, Space GOes; cue 3 follows into cue 4 by itself.
  for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('cue-row-1')).toHaveClass(/is-standby/);
  for (const n of [1, 2]) {
    await page.keyboard.press('Space');
    await expect(page.getByTestId(`cue-row-${n}`)).toHaveClass(/is-live/);
    await page.waitForTimeout(400); // past the double-GO guard
  }
  await page.keyboard.press('Space');
  await expect(page.getByTestId('cue-row-4')).toHaveClass(/is-live/, { timeout: 10_000 });
  await expect(page.getByTestId('on-air-prompt')).toHaveText(PROMPTS[3]!);
  await expect(page.getByTestId('cue-row-5')).toHaveClass(/is-standby/);
});
