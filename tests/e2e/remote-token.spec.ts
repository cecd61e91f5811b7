/**
 * A remote console through a token rotation, in Chromium against a real engine on
 * the network (built, in this process, as `serve --host 0.0.0.0 --token T` runs it):
 * the token leaves the address bar on the first page load (it lives in the tab);
 * the console that rotates keeps working and is shown the new token (a reload still
 * gets in); another console is dropped and asks for the new token, instead of
 * retrying the old one for ever, and reconnects once given it.
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
    // Out of the URL at once: a ?token= URL ends up in histories and proxy logs.
    expect(new URL(page.url()).searchParams.get('token')).toBeNull();
    const other = await context.newPage();
    await other.goto(`${base}?token=first-token`);
    await connected(other);

    // Rotate from the first console (Control panel).
    await page.getByTestId('status-control').click();
    await page.getByRole('button', { name: 'Rotate token' }).click();
    await expect.poll(() => control.tokens.current).not.toBe('first-token');
    const next = control.tokens.current!;
    // Shown to the console that rotated it (the reply), never put in the state or the URL.
    await expect(page.getByTestId('issued-token')).toHaveValue(next);
    expect(new URL(page.url()).searchParams.get('token')).toBeNull();
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
    expect(new URL(other.url()).searchParams.get('token')).toBeNull();

    // A reload of the rotating console gets in with the new token it keeps for the tab.
    await page.reload();
    await connected(page);
    await other.close();
  } finally {
    await running.stop();
  }
});
