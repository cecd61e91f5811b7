/**
 * The console of a director (cluster issue 19): its Cluster panel shows each node's
 * health in one view. Two real engines (built, in this process, small frames): a
 * token-protected node and a director linked to it over the real WebSocket contract.
 * A node added from the panel with a wrong token is shown refused, with why, and removed.
 */
import { expect, openConsole, test } from './fixtures.js';
import { startInProcessEngine } from './in-process-engine.js';

test('director console: the Cluster panel shows the node linked, on air and in sync; a node with a wrong token is refused and removed', async ({ page }) => {
  // Two engines in this process on a loaded machine: their start and first links take a while.
  test.setTimeout(180_000);
  const token = 'director-e2e-node-token';
  const node = await startInProcessEngine({ token });
  const director = await startInProcessEngine({ engine: { cluster: [{ name: 'wall-left', url: node.url, token, role: 'primary' }] } });
  try {
    await openConsole(page, { url: director.url });
    const panel = page.getByTestId('cluster-panel');
    const row = panel.locator('[data-node="wall-left"]');
    await expect(row).toContainText('Linked', { timeout: 30_000 });
    await expect(row).toContainText('ON AIR');
    await expect(row).toContainText('show in sync', { timeout: 30_000 });
    await expect(row).toContainText(/clock [+-]?\d+ ms/, { timeout: 30_000 });
    await expect(panel).toContainText('1/1 linked');

    await panel.getByRole('button', { name: '+ Node' }).click();
    await page.getByLabel('Node name').fill('wrong-token');
    await page.getByLabel('Node address').fill(node.url);
    await page.getByLabel('Node token').fill('not-the-token');
    await panel.getByRole('button', { name: 'Add', exact: true }).click();
    const refused = panel.locator('[data-node="wrong-token"]');
    // The reply may come late on a loaded machine (the console then says so); the row is what counts.
    await expect(refused).toContainText('Refused', { timeout: 60_000 });
    await expect(refused).toContainText('wrong or missing token');
    await expect(panel).toContainText('1/2 linked');
    await page.screenshot({ path: test.info().outputPath('cluster-panel.png') });
    await refused.getByRole('button', { name: 'Remove' }).click();
    await expect(refused).toHaveCount(0);
    expect(director.engine.state().cluster?.nodes.map((n) => n.name)).toEqual(['wall-left']);
  } finally {
    await director.stop();
    await node.stop();
  }
});
