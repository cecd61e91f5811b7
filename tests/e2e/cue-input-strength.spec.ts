/**
 * A cue's and a keyframe's input and strength, set in their editors against the real
 * engine (built-in model): a still PNG written here becomes the cue's input with strength
 * 0.3; the engine's show document (GET /api/state) holds both; GO puts the input on
 * program. A timeline keyframe likewise (the same still, fit crop, strength 0.7): the
 * document holds it and playing the timeline puts it on program.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { PNG } from 'pngjs';
import type { EngineState } from '../../app/contract/index.js';
import { expect, openConsole, test, type RunningEngine } from './fixtures.js';

/** A 160x90 still: black with a white bar, so the built-in model has structure to follow. */
function writeStill(file: string): void {
  const png = new PNG({ width: 160, height: 90 });
  for (let y = 0; y < 90; y++)
    for (let x = 0; x < 160; x++) {
      const i = (y * 160 + x) * 4;
      const v = x >= 100 && x < 130 ? 255 : 0;
      png.data[i] = png.data[i + 1] = png.data[i + 2] = v;
      png.data[i + 3] = 255;
    }
  writeFileSync(file, PNG.sync.write(png));
}

/** The engine's own state over its HTTP API (no token on a loopback `serve`), not what the console shows. */
async function engineState(page: Page, engine: RunningEngine): Promise<EngineState> {
  const response = await page.request.get(new URL('api/state', engine.url).href);
  expect(response.ok(), `GET /api/state: ${response.status()}`).toBe(true);
  return (await response.json()) as EngineState;
}

test('a cue and a keyframe get an input and a strength in their editors; the show keeps both and program takes the input', async ({ page, engine }) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-e2e-cue-strength-'));
  try {
    const still = path.join(dir, 'bar.png');
    writeStill(still);
    await openConsole(page, engine);
    await expect(page.getByTestId('status-model-status')).toHaveText('RUNNING', { timeout: 30_000 });

    // A keyframe first (it records the look on air now: text only, no strength).
    await page.getByTestId('timeline-duration').fill('2');
    await page.getByTestId('timeline-duration').press('Enter');
    const track = page.getByTestId('timeline-track');
    const box = (await track.boundingBox())!;
    await page.mouse.click(box.x + 2, box.y + box.height / 2);
    await expect(page.getByTestId('keyframe-k1')).toBeVisible();
    const keyEditor = page.getByTestId('keyframe-editor');
    await keyEditor.getByTestId('keyframe-prompt').fill('painted plate at dusk');
    await keyEditor.getByTestId('keyframe-input-kind').selectOption('image');
    await keyEditor.getByTestId('keyframe-input-text').fill(still);
    await keyEditor.getByTestId('keyframe-input-fit').selectOption('crop');
    await expect(keyEditor.getByText('how far from the source picture')).toBeVisible();
    await keyEditor.getByTestId('keyframe-strength').fill('0.7');
    await expect(keyEditor.getByTestId('keyframe-strength-slider')).toHaveValue('0.7');
    await keyEditor.getByTestId('keyframe-apply').click();
    const keyInput = { source: { kind: 'image', path: still }, fit: 'crop' };
    await expect
      .poll(async () => (await engineState(page, engine)).show?.document.timeline.keyframes.find((k) => k.id === 'k1')?.look, { timeout: 10_000 })
      .toMatchObject({ prompt: 'painted plate at dusk', input: keyInput, params: { strength: 0.7 } });
    // The editor shows what the engine holds.
    await expect(keyEditor.getByTestId('keyframe-strength')).toHaveValue('0.7');
    await expect(keyEditor.getByTestId('keyframe-input-fit')).toHaveValue('crop');

    // A cue: the still as its input, strength 0.3 (typed in the number field; the slider follows).
    await page.getByTestId('cue-add').click();
    const editor = page.getByTestId('cue-editor');
    await editor.getByTestId('cue-prompt').fill('restyled set');
    await editor.getByTestId('cue-input-kind').selectOption('image');
    await editor.getByTestId('cue-input-text').fill(still);
    await editor.getByTestId('cue-input-fit').selectOption('fill');
    await expect(editor.getByText('how far from the source picture')).toBeVisible();
    await editor.getByTestId('cue-strength').fill('0.3');
    await expect(editor.getByTestId('cue-strength-slider')).toHaveValue('0.3');
    await editor.getByTestId('cue-apply').click();
    const cueInput = { source: { kind: 'image', path: still }, fit: 'fill' };
    await expect
      .poll(async () => (await engineState(page, engine)).show?.document.cues.find((c) => c.number === '1')?.look, { timeout: 10_000 })
      .toMatchObject({ prompt: 'restyled set', input: cueInput, params: { strength: 0.3 } });
    await expect(editor.getByTestId('cue-strength')).toHaveValue('0.3');
    await page.screenshot({ path: test.info().outputPath('cue-and-keyframe-editors.png') });

    // GO: the cue's input is on program, and the Inputs panel has it open.
    await page.getByTestId('go-button').click();
    await expect.poll(async () => (await engineState(page, engine)).program, { timeout: 10_000 }).toMatchObject({ prompt: 'restyled set', input: cueInput });
    await expect(page.getByTestId('inputs-panel').getByTestId('input-state')).toHaveText('connected', { timeout: 30_000 });

    // Emptying the strength field gives the model its default back (no params.strength).
    await editor.getByTestId('cue-strength').fill('');
    await editor.getByTestId('cue-apply').click();
    await expect
      .poll(async () => 'strength' in ((await engineState(page, engine)).show?.document.cues.find((c) => c.number === '1')?.look.params ?? { strength: 0 }), { timeout: 10_000 })
      .toBe(false);

    // The timeline takes over: its keyframe's input (fit crop) is on program.
    await page.getByTestId('timeline-play').click();
    await expect.poll(async () => (await engineState(page, engine)).program, { timeout: 10_000 }).toMatchObject({ prompt: 'painted plate at dusk', input: keyInput });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
