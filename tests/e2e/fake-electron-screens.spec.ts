/**
 * The display picker, with Electron's screen list stood in for: Electron's binary
 * cannot run here, so this test tells a real engine (built, in this process) the
 * attached displays exactly as the app's utility-entry does when main reports
 * them (`engine.setAttachedDisplays`). Everything else is real: the console in
 * Chromium, the contract, the engine adding the display output.
 */
import { expect, openConsole, test } from './fixtures.js';
import { startInProcessEngine } from './in-process-engine.js';

test('fake Electron screens: "+ Display" lists the attached displays and puts an output on the chosen one', async ({ page }) => {
  const running = await startInProcessEngine({ engine: { width: 320, height: 180 } });
  const { engine } = running;
  try {
    await openConsole(page, { url: running.url, log: () => '' });

    // Headless (no display list): "+ Display" adds a page output at once.
    await page.getByTestId('display-add').click();
    await expect(page.getByTestId('display-picker')).toHaveCount(0);
    await expect(page.locator('[data-output-id="display-1"]')).toContainText('Display 1');

    // The app reports two displays: the console's and an LED processor's input.
    engine.setAttachedDisplays([
      { label: 'Built-in Retina', x: 0, y: 0, width: 1512, height: 982, primary: true },
      { label: 'LED processor A', x: 1512, y: 0, width: 3840, height: 2160, primary: false },
    ]);
    // The console knows the displays once "+ Display" becomes a menu button (a click before that adds at once).
    await expect(page.getByTestId('display-add')).toHaveAttribute('aria-expanded', 'false');
    await page.getByTestId('display-add').click();
    const picker = page.getByTestId('display-picker');
    await expect(picker.getByRole('menuitem')).toHaveText([/LED processor A.*3840×2160 at 1512,0/, /Built-in Retina.*primary/]);
    await page.screenshot({ path: test.info().outputPath('display-picker.png') });
    await picker.getByRole('menuitem', { name: /LED processor A/ }).click();
    await expect(picker).toHaveCount(0);
    const row = page.locator('[data-output-id="display-2"]');
    await expect(row).toContainText('LED processor A');
    await expect(row.getByTestId('output-display')).toHaveText('on 1512,0');
    expect(engine.state().outputs.find((o) => o.id === 'display-2')).toMatchObject({ name: 'LED processor A', display: '1512,0' });

    // Escape closes the list without adding anything.
    await page.getByTestId('display-add').click();
    await expect(picker).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(picker).toHaveCount(0);
    expect(engine.state().outputs.filter((o) => o.kind === 'display')).toHaveLength(2);
  } finally {
    await running.stop();
  }
});
