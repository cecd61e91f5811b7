/**
 * A remote console through a token rotation, in Chromium against a real engine on
 * the network (built, in this process, as `serve --host 0.0.0.0 --token T` runs it):
 * the console that rotates keeps working and carries the new token in its URL (a
 * reload still gets in); another console is dropped and asks for the new token,
 * instead of retrying the old one for ever, and reconnects once given it.
 */
import { expect, test } from './fixtures.js';
import { startInProcessEngine } from './in-process-engine.js';

test('rotating the token: the rotating console adopts it, another one is asked for it and reconnects', async ({ page, context }) => {
  // Bound to every interface, as `serve --host 0.0.0.0 --token` is: the token is checked even on loopback.
  const running = await startInProcessEngine({ host: '0.0.0.0', token: 'first-token' });
  const { control } = running;
  try {
    const base = running.url;
    const connected = (p: typeof page) => expect(p.getByTestId('status-connection')).toHaveText(/Connected/, { timeout: 20_000 });

    await page.goto(`${base}?token=first-token`);
    await connected(page);
    const other = await context.newPage();
    await other.goto(`${base}?token=first-token`);
    await connected(other);

    // Rotate from the first console (Control panel).
    await page.getByTestId('status-control').click();
    await page.getByRole('button', { name: 'Rotate token' }).click();
    await expect.poll(() => control.tokens.current).not.toBe('first-token');
    const next = control.tokens.current!;
    await expect.poll(() => new URL(page.url()).searchParams.get('token')).toBe(next);
    await expect(page.getByTestId('token-guard')).toHaveCount(0);

    // The other console was dropped: it asks for the new token rather than spinning.
    const guard = other.getByTestId('token-guard');
    await expect(guard).toBeVisible({ timeout: 15_000 });
    await expect(guard).toContainText('Access token rotated');
    await other.screenshot({ path: test.info().outputPath('token-rotated.png') });
    await guard.getByRole('textbox', { name: 'New access token' }).fill(next);
    await guard.getByRole('button', { name: 'Reconnect' }).click();
    await connected(other);
    await expect(guard).toHaveCount(0);
    expect(new URL(other.url()).searchParams.get('token')).toBe(next);

    // A reload of the rotating console gets in with the token now in its URL.
    await page.reload();
    await connected(page);
    await other.close();
  } finally {
    await running.stop();
  }
});
