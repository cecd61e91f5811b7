/**
 * The Inputs panel against the real engine (built-in model, input-aware): a still image
 * with a bright bar becomes the live look's input; its row says connected with its size,
 * the input monitor shows the bar, and the Program picture follows its structure (the
 * bar's columns are brighter than the rest). Then a cue's look gets an input in the cue
 * editor, and the engine's cue keeps it. Pixels are read from the canvases.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator } from '@playwright/test';
import { PNG } from 'pngjs';
import { expect, openConsole, test } from './fixtures.js';

const W = 320;
const H = 180;
/** The bar: columns 200..260 of 320 (0.625..0.8125 of the width). */
const BAR = { x0: 200, x1: 260 };

/** Mean brightness of a canvas over the columns [f0, f1) (fractions of its width). */
function columnBrightness(canvas: Locator, f0: number, f1: number): Promise<number> {
  return canvas.evaluate(
    (element, [a, b]) => {
      const c = element as HTMLCanvasElement;
      const ctx = c.getContext('2d');
      if (!ctx) throw new Error('canvas has no 2d context');
      const { data, width, height } = ctx.getImageData(0, 0, c.width, c.height);
      const x0 = Math.floor(a! * width);
      const x1 = Math.max(x0 + 1, Math.floor(b! * width));
      let sum = 0;
      for (let y = 0; y < height; y++) for (let x = x0; x < x1; x++) sum += (data[(y * width + x) * 4]! + data[(y * width + x) * 4 + 1]! + data[(y * width + x) * 4 + 2]!) / 3;
      return sum / ((x1 - x0) * height);
    },
    [f0, f1],
  );
}

test('a still image as the live input: connected in the panel, shown in the input monitor, followed by Program; a cue keeps its input', async ({ page, engine }) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-e2e-input-'));
  try {
    const png = new PNG({ width: W, height: H });
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const i = (y * W + x) * 4;
        const v = x >= BAR.x0 && x < BAR.x1 ? 255 : 0;
        png.data[i] = png.data[i + 1] = png.data[i + 2] = v;
        png.data[i + 3] = 255;
      }
    const file = path.join(dir, 'bar.png');
    writeFileSync(file, PNG.sync.write(png));

    await openConsole(page, engine);
    await expect(page.getByTestId('status-model-status')).toHaveText('RUNNING', { timeout: 30_000 });
    const panel = page.getByTestId('inputs-panel');
    await expect(panel).toContainText('No input open');

    await panel.getByTestId('live-input-kind').selectOption('image');
    await panel.getByTestId('live-input-text').fill(file);
    await panel.getByTestId('live-input-fit').selectOption('fill');
    await panel.getByTestId('live-input-strength').fill('0.4');
    await expect(panel.getByTestId('live-input-strength-value')).toHaveText('0.40');
    await panel.getByTestId('live-input-apply').click();

    const row = panel.getByTestId('input-row');
    await expect(row.getByTestId('input-state')).toHaveText('connected', { timeout: 30_000 });
    await expect(row.getByTestId('input-size')).toHaveText(`${W}×${H}`);

    // The input monitor shows the still: bright where the bar is, dark elsewhere.
    const monitor = page.getByTestId('input-monitor');
    await expect(monitor).not.toHaveAttribute('data-frames', '0', { timeout: 15_000 });
    const inputCanvas = page.getByTestId('input-canvas');
    expect(await columnBrightness(inputCanvas, 0.66, 0.78)).toBeGreaterThan(200);
    expect(await columnBrightness(inputCanvas, 0.05, 0.5)).toBeLessThan(30);

    // Program follows the input's structure: the bar's columns are clearly brighter than the left half.
    const program = page.getByTestId('program-canvas');
    await expect.poll(async () => (await columnBrightness(program, 0.66, 0.78)) - (await columnBrightness(program, 0.05, 0.5)), { timeout: 30_000 }).toBeGreaterThan(40);

    // A cue's look gets the program as its input in the cue editor; the engine's cue keeps it.
    await page.getByTestId('cue-add').click();
    const editor = page.getByTestId('cue-editor');
    await editor.getByTestId('cue-prompt').fill('painted set');
    await editor.getByTestId('cue-input-kind').selectOption('ndi');
    await editor.getByTestId('cue-input-text').fill('STAGE-PC (Unreal Plate)');
    await editor.getByTestId('cue-input-fit').selectOption('crop');
    await editor.getByTestId('cue-apply').click();
    await expect(page.getByTestId('cue-row-1')).toContainText('painted set');
    // The editor shows what the engine holds (it resets from the cue in each state snapshot).
    await expect(editor.getByTestId('cue-input-kind')).toHaveValue('ndi');
    await expect(editor.getByTestId('cue-input-text')).toHaveValue('STAGE-PC (Unreal Plate)');
    await expect(editor.getByTestId('cue-input-fit')).toHaveValue('crop');

    // Back to text only: the panel says so.
    await panel.getByTestId('live-input-kind').selectOption('none');
    await panel.getByTestId('live-input-apply').click();
    await expect(panel).toContainText('No input open', { timeout: 15_000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
