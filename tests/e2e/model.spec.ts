/**
 * Switching models from the console: the status strip's model name opens the
 * picker; a folder that is not a model is reported in the alerts by its path, and
 * the wall keeps running the current model (the picture stays live).
 */
import { expect, openConsole, pixelDifference, sampleProgram, test, waitForLivePicture } from './fixtures.js';

test('a model folder that does not load is named in the alerts and the wall keeps running', async ({ page, engine }) => {
  await openConsole(page, engine);
  await expect(page.getByTestId('status-model')).toHaveText('Cyclorama built-in backdrops', { timeout: 30_000 });
  await waitForLivePicture(page);

  await page.getByTestId('status-model').click();
  const folder = '/nonexistent/models/sd-turbo';
  await page.getByLabel("Model folder on the engine's machine").fill(folder);
  await page.getByRole('button', { name: 'Load', exact: true }).click();

  await expect(page.getByRole('region', { name: 'Alerts' })).toContainText(folder, { timeout: 20_000 });
  await expect(page.getByTestId('status-model')).toHaveText('Cyclorama built-in backdrops');
  // Still live: two samples a second apart differ.
  const a = await sampleProgram(page);
  await page.waitForTimeout(1000);
  expect(pixelDifference(a, await sampleProgram(page))).toBeGreaterThan(0);
});
