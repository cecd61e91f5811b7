/**
 * The console's Models panel against a real headless engine, with a stand-in for
 * the model hub (tests/helpers/fake-hub.ts: a real HTTP server on loopback in the
 * hub's URL layout; the engine reaches it through HF_ENDPOINT, as it would a mirror).
 * The catalog given to the engine (CYCLORAMA_CATALOG) names the built-in model
 * published as a hub repository, so what is pulled is a real, loadable model.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtinModelRepo, FakeHub, sha256Of } from '../helpers/fake-hub.js';
import { expect, openConsole, test, waitForLivePicture } from './fixtures.js';

const fixture = builtinModelRepo('cyclorama-test/console-backdrops');
let hub: FakeHub;

function catalogFile(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-e2e-models-'));
  const onnx = fixture.files.find((f) => f.path === 'model.onnx')!;
  const file = path.join(dir, 'catalog.json');
  writeFileSync(
    file,
    JSON.stringify({
      version: 1,
      models: [
        {
          id: 'backdrops',
          name: 'Test backdrops',
          kind: 'frame-model',
          variant: null,
          description: 'The built-in model as a hub repository (test fixture).',
          repo: fixture.repo,
          revision: fixture.revision,
          filesComplete: false,
          filesNote: 'sizes from the hub',
          files: [
            { path: 'model.json', size: null, shownSize: null, sha256: null, gitBlobId: null, note: 'from the hub' },
            { path: 'model.onnx', size: onnx.bytes.length, shownSize: null, sha256: sha256Of(onnx.bytes), gitBlobId: null },
            { path: 'vocab.json', size: null, shownSize: null, sha256: null, gitBlobId: null, note: 'from the hub' },
          ],
          totalSizeBytes: null,
          totalSizeNote: 'from the hub',
          memory: { bytes: 50_000_000, note: 'test' },
          providers: ['cpu'],
          licence: { id: 'test-licence', name: 'Test Licence', url: 'https://example.com/licence', gated: false, needsAcceptance: true, summary: 'For tests only.' },
          source: [{ fact: 'fixture', url: 'https://example.com' }],
        },
      ],
    }),
  );
  return file;
}

// The hub stand-in starts before the engine (the engine is told its URL) and stops after it.
test.use({
  engineEnv: async ({}, use) => {
    hub = await FakeHub.start([fixture]);
    const cache = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-e2e-hub-cache-'));
    await use({ HF_ENDPOINT: hub.url, HF_HUB_CACHE: cache, HF_TOKEN: '', CYCLORAMA_CATALOG: catalogFile() });
    await hub.close();
  },
});

test('Models panel, with a stand-in for the model hub: licence, download with progress, verified, listed, loaded onto the wall', async ({ page, engine }) => {
  hub.faults = { slowBytesPerSecond: 150_000 };
  await openConsole(page, engine);
  await waitForLivePicture(page);
  await page.getByTestId('models-open').click();
  const panel = page.getByTestId('models');
  await expect(panel).toBeVisible();

  const builtin = panel.locator('[data-testid="models-installed"][data-model="builtin"]');
  await expect(builtin).toContainText('Cyclorama built-in backdrops');
  await expect(builtin).toContainText('runs on cpu');
  await expect(builtin).toContainText('ON THE WALL');

  const row = panel.locator('[data-testid="models-catalog"][data-model="backdrops"]');
  await expect(row).toContainText('Test backdrops');
  await expect(row).toContainText('needs about 50.0 MB of GPU memory');
  await expect(row).toContainText('test-licence');

  // Get shows the licence first; nothing is downloaded before it is accepted.
  await row.getByTestId('models-get').click();
  await expect(row.getByTestId('models-licence')).toContainText('Test Licence');
  expect(hub.servedBytes()).toBe(0);
  await row.getByTestId('models-accept').click();

  // A progress bar with bytes, rate and time left while it runs.
  const download = row.getByTestId('models-download');
  await expect(download).toHaveAttribute('data-state', 'running', { timeout: 10_000 });
  await expect(download.getByRole('progressbar')).toBeVisible();
  await expect(download.getByTestId('models-download-bytes')).toContainText(/of \d/);

  // Verified and listed: a Load button, then the model goes on the wall.
  const pulled = panel.locator('[data-testid="models-installed"][data-model="backdrops"]');
  await expect(pulled).toBeVisible({ timeout: 30_000 });
  await expect(pulled).toContainText('downloaded');
  await expect(row).toContainText('installed');
  await pulled.getByTestId('models-load').click();
  await expect(pulled).toContainText('ON THE WALL', { timeout: 30_000 });
  await expect(builtin).not.toContainText('ON THE WALL');
  await waitForLivePicture(page);
});

test('Models panel, with a stand-in for the model hub: a file the hub does not have is said in plain words, and cancel stops a download', async ({ page, engine }) => {
  await openConsole(page, engine);
  await page.getByTestId('models-open').click();
  const row = page.locator('[data-testid="models-catalog"][data-model="backdrops"]');

  hub.faults = { notFound: ['model.onnx'] };
  await row.getByTestId('models-get').click();
  await row.getByTestId('models-accept').click();
  const error = row.getByTestId('models-download-error');
  await expect(error).toContainText('model.onnx', { timeout: 20_000 });
  await expect(row.getByTestId('models-download')).toHaveAttribute('data-state', 'failed');
  await expect(page.locator('[data-testid="models-installed"][data-model="backdrops"]')).toHaveCount(0);

  // The licence is remembered: Get now starts at once. A slow hub, then Cancel.
  hub.faults = { slowBytesPerSecond: 20_000 };
  await row.getByTestId('models-get').click();
  await expect(row.getByTestId('models-download')).toHaveAttribute('data-state', 'running', { timeout: 10_000 });
  await row.getByTestId('models-cancel').click();
  await expect(row.getByTestId('models-download')).toHaveAttribute('data-state', 'cancelled', { timeout: 10_000 });
  await expect(row.getByTestId('models-download-error')).toContainText('cancelled');
});
