/**
 * Issue 16, files, undo, destructive actions and messages, in the real Chromium
 * against the real engine (each test written to fail on the console before it):
 * a kill -9 and a restart with no flags bring the show back into the console
 * with the autosave offered and the autosave window shown; the path field
 * follows the show Save writes (also to an untitled one); Save As over another
 * show asks "Replace X (N cues)?"; the show is renamed in its title field and
 * Save is confirmed in words; Undo names the edit, shared by two consoles, and
 * does not undo the rig; a deleted live cue is offered for undo at once; Remove
 * on a sending NDI output asks first; file errors are words, not errno codes;
 * the model alert has the control that restarts the model.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCli, type CliProcess } from '../helpers/cli-process.js';
import { connectTestClient } from '../helpers/engine-client.js';
import { expect, openConsole, test } from './fixtures.js';

let dir: string;
test.beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-e2e-files-'));
});
test.afterEach(() => rmSync(dir, { recursive: true, force: true }));

const wsUrl = (url: string) => `${url.replace(/^http/, 'ws')}ws`;

/** A show file of `n` cues, written by an engine-independent path (the file format itself). */
async function showFileWithCues(engineUrl: string, file: string, n: number, name: string): Promise<void> {
  const client = await connectTestClient(wsUrl(engineUrl));
  try {
    for (let i = 0; i < n; i++) expect(await client.connection.send({ type: 'addCue', patch: { name: `cue ${i + 1}` } })).toEqual({ ok: true });
    expect(await client.connection.send({ type: 'updateShow', name })).toEqual({ ok: true });
    expect(await client.connection.send({ type: 'saveShow', path: file })).toEqual({ ok: true });
    expect(await client.connection.send({ type: 'newShow' })).toEqual({ ok: true });
  } finally {
    client.close();
  }
}

test('after kill -9 and a restart with no flags the console shows the show again, the autosave offered and the autosave window', async ({ page }) => {
  const configDir = path.join(dir, 'config');
  const showFile = path.join(dir, 'gig.json');
  const running: CliProcess[] = [];
  const serve = (...args: string[]) => {
    const cli = startCli(['serve', '--no-saved-outputs', ...args], { CYCLORAMA_CONFIG_DIR: configDir });
    running.push(cli);
    return cli;
  };
  try {
    const first = serve('--port', '0', '--show', showFile);
    const { url, port } = await first.ready();
    await openConsole(page, { url, log: () => first.stdout.join('\n') });
    await page.getByTestId('cue-add').click();
    await page.getByTestId('cue-add').click();
    await page.getByTestId('show-save').click();
    await expect(page.getByTestId('show-saved')).toContainText(`to ${showFile}`);
    // The window an edit may be lost in is on screen.
    await expect(page.getByTestId('show-autosave')).toHaveText(/a crash may lose edits younger than 0\.2 s/);
    // An edit after the save: autosaved, not saved.
    await page.getByTestId('cue-add').click();
    await expect(page.getByTestId('show-dirty')).toHaveText('Edited, not saved');
    await expect.poll(() => readFileSync(`${showFile}.autosave`, 'utf8').includes('"number": "3"'), { timeout: 5000 }).toBe(true);
    await page.waitForTimeout(300); // last-session.json follows the state
    await first.stop('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    await expect(page.getByTestId('status-connection')).not.toHaveText(/Connected/, { timeout: 10_000 });

    // Same port, no --show: the console reconnects by itself.
    const second = serve('--port', String(port));
    await second.ready();
    await expect(page.getByTestId('status-connection')).toHaveText(/Connected/, { timeout: 30_000 });
    await expect(page.getByTestId('show-name')).toHaveAttribute('title', showFile);
    await expect(page.getByTestId('show-path')).toHaveValue(showFile);
    await expect(page.getByTestId('show-recovery')).toBeVisible();
    await expect(page.getByTestId('cue-row-2')).toBeVisible();
    await expect(page.getByTestId('cue-row-3')).toHaveCount(0);
    await page.getByTestId('show-recover').click();
    await expect(page.getByTestId('cue-row-3')).toBeVisible();
    await expect(page.getByTestId('show-undo')).toHaveText('Undo: recover the autosave');
  } finally {
    for (const cli of running) await cli.stop('SIGKILL');
  }
});

test('the path field follows the show Save writes: an untitled show empties it, a failed Open puts it back', async ({ page, engine }) => {
  const file = path.join(dir, 'gig.json');
  await openConsole(page, engine);
  await page.getByTestId('show-path').fill(file);
  await page.getByTestId('show-save-as').click();
  await expect(page.getByTestId('show-saved')).toContainText(`to ${file}`);
  // Another console (or an engine restart) leaves an untitled show: the field must not keep the old path.
  const other = await connectTestClient(wsUrl(engine.url));
  expect(await other.connection.send({ type: 'newShow' })).toEqual({ ok: true });
  other.close();
  await expect(page.getByTestId('show-name')).toHaveAttribute('title', /Untitled/);
  await expect(page.getByTestId('show-path')).toHaveValue('');
  await expect(page.getByTestId('show-save')).toBeDisabled();
  // Untitled work is autosaved too (into the engine's settings folder), and the console says where.
  await expect(page.getByTestId('show-autosave')).toHaveText(/Untitled: autosaved within 0\.2 s to this machine's settings folder/);
  // A failed Open: the field shows the (untitled) show that is actually open.
  await page.getByTestId('show-path').fill(path.join(dir, 'missing.json'));
  await page.getByTestId('show-open').click();
  await expect(page.getByTestId('show-path')).toHaveValue('');
});

test('Save as onto another show asks "Replace X (N cues)?", Cancel keeps it, Replace writes', async ({ page, engine }) => {
  const full = path.join(dir, 'full-show.json');
  await showFileWithCues(engine.url, full, 4, 'Full show');
  const before = readFileSync(full, 'utf8');
  await openConsole(page, engine);
  await page.getByTestId('show-path').fill(full);
  await page.getByTestId('show-save-as').click();
  const confirm = page.getByTestId('show-overwrite-confirm');
  await expect(confirm).toBeVisible();
  await expect(confirm.locator('.confirm-action-question')).toHaveText(`Replace ${full} (4 cues)?`);
  // The safe choice has the focus: a stray Enter keeps the file.
  await expect(page.getByTestId('show-overwrite-cancel')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(confirm).toBeHidden();
  expect(readFileSync(full, 'utf8')).toBe(before);
  await page.getByTestId('show-save-as').click();
  await page.getByTestId('show-overwrite-replace').click();
  await expect.poll(() => (JSON.parse(readFileSync(full, 'utf8')) as { cues: unknown[] }).cues.length).toBe(0);
});

test('the show is renamed in its title field; Save says when and where; the edited marker is in words', async ({ page, engine }) => {
  const file = path.join(dir, 'gig.json');
  await openConsole(page, engine);
  const title = page.getByTestId('show-title');
  await title.fill('Opening night');
  await title.press('Enter');
  await expect(page.getByTestId('show-dirty')).toHaveText('Edited, not saved');
  await expect(page.getByTestId('show-undo')).toHaveText('Undo: rename show to "Opening night"');
  await page.getByTestId('show-path').fill(file);
  await page.getByTestId('show-save-as').click();
  await expect(page.getByTestId('show-saved')).toHaveText(new RegExp(`^Saved \\d\\d:\\d\\d:\\d\\d to ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  await expect(page.getByTestId('show-dirty')).toHaveCount(0);
  expect((JSON.parse(readFileSync(file, 'utf8')) as { name: string }).name).toBe('Opening night');
  await expect(title).toHaveValue('Opening night');
});

test('Undo names the edit and is shared by every console; a deleted live cue is offered for undo at once', async ({ page, engine, browser }) => {
  await openConsole(page, engine);
  for (let i = 0; i < 3; i++) await page.getByTestId('cue-add').click();
  await expect(page.getByTestId('show-undo')).toHaveText('Undo: add cue 3');
  // The new cue 3 is open in the editor: put it on air, then Del on it.
  await expect(page.getByTestId('cue-editor')).toHaveAttribute('aria-label', 'Edit cue 3');
  await page.getByTestId('cue-fire').click();
  await expect(page.getByTestId('cue-row-3')).toHaveClass(/is-live/);
  await page.getByTestId('cue-delete').click();
  await expect(page.getByTestId('cue-row-3')).toHaveCount(0);
  const bar = page.getByTestId('undo-bar');
  await expect(bar).toContainText('Deleted cue 3. It was the live cue: the wall keeps its picture.');
  await expect(page.getByTestId('show-undo')).toHaveText('Undo: delete cue 3');

  // A second console sees the same history and can undo it.
  const second = await browser.newPage();
  try {
    await openConsole(second, engine);
    await expect(second.getByTestId('show-undo')).toHaveText('Undo: delete cue 3');
    await second.getByTestId('show-undo').click();
    await expect(page.getByTestId('cue-row-3')).toBeVisible();
    // The offer is gone once the undo it offered is done (here, by the other console).
    await expect(bar).toBeHidden();
    await expect(page.getByTestId('show-redo')).toHaveText('Redo: delete cue 3');
  } finally {
    await second.close();
  }

  // And from the bar itself, for a cue that is not live.
  await page.getByTestId('cue-row-2').click();
  await page.getByTestId('cue-delete').click();
  await expect(page.getByTestId('cue-row-2')).toHaveCount(0);
  await expect(bar).toHaveText(/^Deleted cue 2\.Undo delete cue 2/);
  await page.getByTestId('undo-bar-undo').click();
  await expect(page.getByTestId('cue-row-2')).toBeVisible();
  await expect(bar).toBeHidden();
});

test('Remove on a sending NDI output asks first; the rig is not undone', async ({ page, engine }) => {
  const name = `c-files-${Math.random().toString(36).slice(2, 8)}`;
  await openConsole(page, engine);
  await page.getByTestId('ndi-add-open').click();
  await page.getByLabel('NDI name').fill(name);
  await page.getByLabel('NDI name').press('Enter');
  const row = page.getByTestId('output').filter({ hasText: name });
  await expect(row.getByTestId('output-fps')).not.toHaveText(/^0 fps$/, { timeout: 20_000 });
  // Outputs are the machine's rig: nothing to undo.
  await expect(page.getByTestId('show-undo')).toHaveText('Undo');
  await expect(page.getByTestId('show-undo')).toBeDisabled();

  await row.getByTestId('output-remove').click();
  const confirm = row.getByTestId('output-remove-confirm');
  await expect(confirm).toContainText(`Remove NDI output "${name}"?`);
  await expect(confirm).toContainText('It is sending now');
  await row.getByTestId('output-remove-confirm-cancel').click();
  await expect(confirm).toBeHidden();
  await page.waitForTimeout(500);
  await expect(row).toHaveCount(1);
  await row.getByTestId('output-remove').click();
  await row.getByTestId('output-remove-confirm-confirm').click();
  await expect(page.getByTestId('output').filter({ hasText: name })).toHaveCount(0);
});

test('file errors say what is wrong and what to do, never an errno code', async ({ page, engine }) => {
  await openConsole(page, engine);
  const folder = path.join(dir, 'no-such-folder');
  await page.getByTestId('show-path').fill(path.join(folder, 'gig.json'));
  await page.getByTestId('show-save-as').click();
  const alert = page.getByTestId('alert').filter({ hasText: 'Could not write' });
  await expect(alert).toContainText(`the folder ${folder} does not exist: create it first`);
  await expect(page.getByTestId('alert-list')).not.toContainText('ENOENT');

  await page.getByTestId('show-path').fill(path.join(dir, 'missing.json'));
  await page.getByTestId('show-open').click();
  await expect(page.getByTestId('alert').filter({ hasText: 'No show file at' })).toContainText('Check the path');
  await expect(page.getByTestId('alert-list')).not.toContainText('ENOENT');

  const notAShow = path.join(dir, 'notes.json');
  writeFileSync(notAShow, 'not json');
  await page.getByTestId('show-path').fill(notAShow);
  await page.getByTestId('show-save-as').click();
  await expect(page.getByTestId('show-overwrite-confirm').locator('.confirm-action-question')).toHaveText(`Replace ${notAShow}?`);
  await expect(page.getByTestId('show-overwrite-confirm')).toContainText('not a show file Cyclorama can read');
});

test('the alert that says "restart the model" has the control that does it', async ({ page, engine }) => {
  await openConsole(page, engine);
  await expect(page.getByTestId('status-model-status')).toHaveText('RUNNING', { timeout: 30_000 });
  // A model folder that does not load: a model-load-failed alert (the wall stays on the running model).
  const client = await connectTestClient(wsUrl(engine.url));
  const refused = await client.connection.send({ type: 'loadModel', dir: path.join(dir, 'no-model-here') });
  client.close();
  expect(refused.ok).toBe(false);
  const alert = page.locator('[data-testid="alert"][data-code="model-load-failed"]');
  await expect(alert).toContainText('restart the model');
  const restart = alert.getByTestId('alert-restart-model');
  await expect(restart).toHaveText('Restart the model');
  await restart.click();
  await expect(alert.getByTestId('alert-restart-outcome')).toHaveText(/restarted\.$/, { timeout: 60_000 });
  await expect(page.getByTestId('status-model-status')).toHaveText('RUNNING');
});
