/**
 * A display output in a browser page (/output.html?output=ID), against the real
 * engine: added through the contract (addDisplayOutput), it shows the program
 * frames, the same picture the console's Program monitor shows (compared while
 * Freeze holds the wall still, so both read the same frame), and a crop shows its
 * part of the canvas. removeDisplayOutput takes it away.
 */
import type { Page } from '@playwright/test';
import { connectTestClient } from '../helpers/engine-client.js';
import { expect, meanDistance, openConsole, pixelDifference, sampleProgram, test, waitForLivePicture, type CanvasSample } from './fixtures.js';

/** The output page's canvas, drawn down to the console preview's size and sampled like it. */
async function sampleOutput(page: Page, width: number, height: number): Promise<CanvasSample> {
  return page.getByTestId('output-canvas').evaluate(
    (element, size) => {
      const small = document.createElement('canvas');
      small.width = size.width;
      small.height = size.height;
      const ctx = small.getContext('2d')!;
      ctx.drawImage(element as HTMLCanvasElement, 0, 0, size.width, size.height);
      const { data } = ctx.getImageData(0, 0, size.width, size.height);
      let r = 0,
        g = 0,
        b = 0;
      for (let i = 0; i < data.length; i += 4) {
        r += data[i]!;
        g += data[i + 1]!;
        b += data[i + 2]!;
      }
      const n = size.width * size.height;
      const grid: number[] = [];
      const step = Math.max(1, Math.floor(Math.min(size.width, size.height) / 24));
      for (let y = Math.floor(step / 2); y < size.height; y += step)
        for (let x = Math.floor(step / 2); x < size.width; x += step) {
          const i = (y * size.width + x) * 4;
          grid.push(data[i]!, data[i + 1]!, data[i + 2]!);
        }
      return { width: size.width, height: size.height, mean: [r / n, g / n, b / n] as [number, number, number], grid };
    },
    { width, height },
  );
}

test('a display output page shows the program frames (pixels match the Program monitor)', async ({ page, engine, context }) => {
  await openConsole(page, engine);
  await waitForLivePicture(page);
  const client = await connectTestClient(`${engine.url.replace(/^http/, 'ws')}ws`);
  try {
    expect((await client.connection.send({ type: 'addDisplayOutput', name: 'Wall left', width: 480, height: 270 })).ok).toBe(true);
    expect((await client.connection.send({ type: 'addDisplayOutput', name: 'Wall right half', width: 240, height: 270, crop: { x: 0.5, y: 0, width: 0.5, height: 1 } })).ok).toBe(
      true,
    );
    const output = await context.newPage();
    await output.setViewportSize({ width: 640, height: 360 });
    await output.goto(`${engine.url}output.html?output=display-1`);
    await expect.poll(async () => Number(await output.evaluate(() => document.body.dataset.frames ?? '0')), { timeout: 10_000 }).toBeGreaterThan(10);
    const painter = await output.evaluate(() => document.body.dataset.painter);
    // The engine counts the page as a client of the output, and the output ticks at its rate.
    await expect(page.getByTestId('health-output-display-1')).toHaveText(/Wall left\s*\d+\.\d\/29\.97/);
    await expect
      .poll(
        async () =>
          (await client.connection.send({ type: 'getState' })).ok &&
          client.events
            .filter((e) => e.kind === 'state')
            .at(-1)
            ?.state.outputs.find((o) => o.id === 'display-1')?.clients,
      )
      .toBe(1);

    // Hold the wall still: both pages then show the same frame.
    await page.keyboard.press('f');
    await page.waitForTimeout(800);
    const program = await sampleProgram(page);
    const shown = await sampleOutput(output, program.width, program.height);
    test.info().annotations.push({
      type: 'display vs program',
      description: `painter ${painter}; mean distance ${meanDistance(program, shown).toFixed(2)}, pixel diff ${pixelDifference(program, shown).toFixed(2)}`,
    });
    expect(meanDistance(program, shown)).toBeLessThan(4);
    expect(pixelDifference(program, shown)).toBeLessThan(8);
    // No console chrome on the output page.
    await expect(output.getByTestId('status-connection')).toHaveCount(0);
    await output.screenshot({ path: test.info().outputPath('display-output.png') });

    // One page at a time: this machine has two cores for the engine, the model and three pages.
    await output.close();
    // The cropped output shows the right half of the same frame.
    const right = await context.newPage();
    await right.setViewportSize({ width: 320, height: 360 });
    await right.goto(`${engine.url}output.html?output=display-2`);
    await expect.poll(async () => Number(await right.evaluate(() => document.body.dataset.frames ?? '0')), { timeout: 10_000 }).toBeGreaterThan(3);
    const half = await sampleOutput(right, program.width / 2, program.height);
    const programRight = await page.getByTestId('program-canvas').evaluate((element) => {
      const c = element as HTMLCanvasElement;
      const { data } = c.getContext('2d')!.getImageData(c.width / 2, 0, c.width / 2, c.height);
      let r = 0,
        g = 0,
        b = 0;
      for (let i = 0; i < data.length; i += 4) {
        r += data[i]!;
        g += data[i + 1]!;
        b += data[i + 2]!;
      }
      const n = data.length / 4;
      return [r / n, g / n, b / n];
    });
    expect(Math.hypot(half.mean[0] - programRight[0]!, half.mean[1] - programRight[1]!, half.mean[2] - programRight[2]!)).toBeLessThan(4);

    await right.close();
    await page.keyboard.press('r');
    expect(await client.connection.send({ type: 'removeDisplayOutput', id: 'display-1' })).toEqual({ ok: true });
    await expect(page.getByTestId('health-output-display-1')).toHaveCount(0);
  } finally {
    client.close();
  }
});

test("the Outputs panel's LIVE button blanks one output to black (still ticking) and puts the program back", async ({ page, engine, context }) => {
  await openConsole(page, engine);
  await waitForLivePicture(page);
  const client = await connectTestClient(`${engine.url.replace(/^http/, 'ws')}ws`);
  try {
    expect((await client.connection.send({ type: 'addDisplayOutput', name: 'Ceiling', width: 320, height: 180 })).ok).toBe(true);
    const output = await context.newPage();
    await output.setViewportSize({ width: 320, height: 180 });
    await output.goto(`${engine.url}output.html?output=display-1`);
    const frames = async () => Number(await output.evaluate(() => document.body.dataset.frames ?? '0'));
    await expect.poll(frames, { timeout: 10_000 }).toBeGreaterThan(5);
    const brightness = async () => {
      const sample = await sampleOutput(output, 32, 18);
      return Math.max(...sample.mean);
    };
    expect(await brightness()).toBeGreaterThan(20);

    const toggle = page.locator('[data-output-id="display-1"]').getByTestId('output-live');
    await expect(toggle).toHaveText('LIVE');
    await toggle.click();
    await expect(toggle).toHaveText('BLANKED');
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await expect(page.getByTestId('health-output-display-1')).toContainText('BLANKED');
    // The console's own monitor is not an output that can be blanked.
    await expect(page.locator('[data-output-id="preview"]').getByTestId('output-live')).toHaveCount(0);
    // Black on the output page, which keeps receiving frames; the console's program monitor keeps the picture.
    await expect.poll(brightness, { timeout: 5000 }).toBeLessThan(1);
    const before = await frames();
    await expect.poll(frames, { timeout: 5000 }).toBeGreaterThan(before);
    expect(Math.max(...(await sampleProgram(page)).mean)).toBeGreaterThan(20);
    await page.screenshot({ path: test.info().outputPath('output-blanked.png') });

    await toggle.click();
    await expect(toggle).toHaveText('LIVE');
    await expect.poll(brightness, { timeout: 5000 }).toBeGreaterThan(20);

    // Remove while a screen shows it asks first, naming what goes dark; "Keep it" keeps it.
    const row = page.locator('[data-output-id="display-1"]');
    await row.getByTestId('display-remove').click();
    const confirm = row.getByTestId('display-remove-confirm');
    await expect(confirm).toContainText('Remove display output "Ceiling"?');
    await expect(confirm).toContainText('showing on 1 screen');
    await row.getByTestId('display-remove-confirm-cancel').click();
    await expect(confirm).toHaveCount(0);
    await expect(row).toHaveCount(1);
    await row.getByTestId('display-remove').click();
    await row.getByTestId('display-remove-confirm-confirm').click();
    await expect(row).toHaveCount(0);
    await output.close();
  } finally {
    client.close();
  }
});
