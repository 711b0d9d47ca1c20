/**
 * Two vitest projects:
 * - `server`: src/**\/*.test.ts in Node (the PGO server), with the shared timeouts of vitest.shared.ts;
 * - `ui`: ui/**\/*.test.ts in real Chromium (vitest browser mode): the web components rendered with
 *   generated dossiers (ui/test/global-setup.ts provides them) and checked with axe-core.
 */
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

const { testTimeout, hookTimeout } = shared.test!;
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'server', include: ['src/**/*.test.ts'], environment: 'node', testTimeout, hookTimeout },
      },
      {
        test: {
          name: 'ui',
          include: ['ui/**/*.test.ts'],
          testTimeout,
          hookTimeout,
          globalSetup: ['ui/test/global-setup.ts'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            viewport: { width: 1280, height: 1000 },
            instances: [{ browser: 'chromium' }],
            provider: playwright({ launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS } }),
          },
        },
      },
    ],
  },
});
