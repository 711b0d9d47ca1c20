/**
 * The CLI's tests start whole networks, child processes and a browser; the scenario catalogue alone keeps
 * both cores busy for half a minute. Run its test files one after the other so a PKI key generation in one
 * file does not starve behind the catalogue in another (timeouts are for hangs, not for load).
 */
import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

export default mergeConfig(shared, defineConfig({ test: { fileParallelism: false } }));
