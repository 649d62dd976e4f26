import { defineConfig } from '@playwright/test';

// One worker, generous timeouts, waits on UI state: steady on a busy two-core machine.
export default defineConfig({
  testDir: './e2e',
  outputDir: '../test-results/playwright',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: {
    baseURL: process.env.FRONTLINE_E2E_URL ?? 'http://127.0.0.1:3000',
    viewport: { width: 1400, height: 900 },
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      // Scrollbars take room, as on a desktop: layouts that forget them show it.
      ignoreDefaultArgs: ['--hide-scrollbars'],
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
