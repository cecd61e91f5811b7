import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests of the console against the real headless engine. Each test
 * starts its own engine (see tests/e2e/fixtures.ts), so there is no webServer
 * block. Run `npm run build` first: the tests use dist/ as built.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  // One engine and one browser at a time: a 2-core machine running a model.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Engine start (model load) plus a few seconds of live frames per test.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    // Playwright's own browser download fails here; Debian's Chromium works.
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
