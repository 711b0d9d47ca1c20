/**
 * These tests start whole networks, child processes or a browser. Their files run one after the other, so
 * a PKI key generation in one does not starve behind a network in another on a busy 2-core machine
 * (timeouts are for hangs, not for load).
 */
import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

export default mergeConfig(shared, defineConfig({ test: { fileParallelism: false } }));
