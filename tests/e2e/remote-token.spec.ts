/**
 * A remote console through a token rotation, in Chromium against a real engine on
 * the network (built, in this process, as `serve --host 0.0.0.0 --token T` runs it):
 * the console that rotates keeps working and carries the new token in its URL (a
 * reload still gets in); another console is dropped and asks for the new token,
 * instead of retrying the old one for ever, and reconnects once given it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Engine } from '../../app/engine/engine.js';
import type { NetworkControl } from '../../app/engine/control/network-control.js';
import { expect, test } from './fixtures.js';

const dist = path.resolve('dist/app/engine');

test('rotating the token: the rotating console adopts it, another one is asked for it and reconnects', async ({ page, context }) => {
  const configDir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-token-'));
  const { Engine: EngineClass } = (await import(path.join(dist, 'engine.js'))) as { Engine: typeof Engine };
  const { ClientHub } = (await import(path.join(dist, 'control/client-hub.js'))) as typeof import('../../app/engine/control/client-hub.js');
  const { startNetworkControl } = (await import(path.join(dist, 'control/network-control.js'))) as typeof import('../../app/engine/control/network-control.js');
  const engine = await EngineClass.start({ width: 160, height: 90, configDir });
  let control: NetworkControl | null = null;
  try {
    control = await startNetworkControl({ engine, hub: new ClientHub(engine), staticDir: path.resolve('dist/renderer'), host: '0.0.0.0', port: 0, token: 'first-token' });
    const base = `http://127.0.0.1:${control.server.port}/`;
    const connected = (p: typeof page) => expect(p.getByTestId('status-connection')).toHaveText(/Connected/, { timeout: 20_000 });

    await page.goto(`${base}?token=first-token`);
    await connected(page);
    const other = await context.newPage();
    await other.goto(`${base}?token=first-token`);
    await connected(other);

    // Rotate from the first console (Control panel).
    await page.getByTestId('status-control').click();
    await page.getByRole('button', { name: 'Rotate token' }).click();
    await expect.poll(() => control!.tokens.current).not.toBe('first-token');
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
    await control?.close();
    await engine.stop();
    rmSync(configDir, { recursive: true, force: true });
  }
});
