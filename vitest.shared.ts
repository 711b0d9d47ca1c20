/**
 * Test settings every workspace shares (each package's vitest.config.ts re-exports this).
 * Tests here start real servers, child processes and a browser, on a 2-core CI machine, while turbo
 * runs two tasks at once, maybe beside other work (CI is checked with the CPUs oversubscribed): hence the
 * generous timeouts. Timeouts are a safety net for a hang, not a performance target; speed is measured in
 * bench/.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
  },
});
