/**
 * The status strip's Control cell: a node started without network control says it
 * is local-only, explains how to open it, and offers no token to rotate.
 * (Token and remote-URL handling are covered over real sockets in
 * tests/integration/control-http.test.ts.)
 */
import { expect, openConsole, test } from './fixtures.js';

test('a local-only node says so and explains how to allow remote control', async ({ page, engine }) => {
  await openConsole(page, engine);
  await expect(page.getByTestId('status-control')).toHaveText('Local only', { timeout: 15_000 });
  await page.getByTestId('status-control').click();
  const panel = page.getByRole('dialog', { name: 'Remote control' });
  await expect(panel).toContainText('127.0.0.1');
  await expect(panel).toContainText('--host 0.0.0.0');
  await expect(panel).toContainText('OSC');
  await expect(panel.getByRole('button', { name: 'Rotate token' })).toBeDisabled();
});
