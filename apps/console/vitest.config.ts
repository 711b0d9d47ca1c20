/**
 * Two vitest projects:
 * - `server`: src/**\/*.test.ts in Node (the console server), with the shared timeouts of vitest.shared.ts;
 * - `ui`: ui/**\/*.test.ts in real Chromium (vitest browser mode): the inspector, scenario pages and presenter
 *   rendered with recorded traces and runs (ui/test/*-fixture.ts) and with the real scenario and rule catalogues
 *   (ui/test/global-setup.ts provides them), and checked with axe-core.
 */
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
// The file itself, not the package: a vitest config loads workspace packages as plain Node, which has no TypeScript.
import { CHROMIUM, CHROMIUM_ARGS } from '../../packages/network/src/chromium.ts';
import shared from '../../vitest.shared.ts';
import { PREBUNDLED } from './ui/prebundled.ts';

const { testTimeout, hookTimeout } = shared.test!;

export default defineConfig({
  test: {
    // Chromium on a loaded 2-core CI machine can miss the default 60 s ("Failed to connect to the browser session"): a safety net, read from the root config only.
    browser: { connectTimeout: 5 * 60_000 },
    projects: [
      {
        test: { name: 'server', include: ['src/**/*.test.ts'], environment: 'node', testTimeout, hookTimeout },
      },
      {
        // Every package the UI imports is bundled before the first test: none is discovered mid-run (ui/prebundled.ts).
        optimizeDeps: { include: PREBUNDLED },
        test: {
          name: 'ui',
          include: ['ui/**/*.test.ts'],
          testTimeout,
          hookTimeout,
          // expect.element/expect.poll wait for the DOM state itself; their default 1 s ceiling is too tight for a busy browser (kept below testTimeout).
          expect: { poll: { timeout: 20_000 } },
          // The real scenario catalogue and rule catalogue, loaded in Node (ui/test/global-setup.ts; dutch.test.ts reads them).
          globalSetup: ['ui/test/global-setup.ts'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            viewport: { width: 1280, height: 1000 },
            instances: [{ browser: 'chromium' }],
            provider: playwright({ launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS } }),
          },
        },
      },
    ],
  },
});
