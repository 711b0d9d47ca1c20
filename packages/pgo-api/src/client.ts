/**
 * The typed client of the PGO API (hono's `hc`), for the web UI (same origin, the browser's fetch), the
 * scenario runner and tests (a fetch that goes through the sandbox's headless browser, with its cookies).
 */
import type { Hono } from 'hono';
import { hc, type ClientRequestOptions } from 'hono/client';
import type { PgoApiSchema } from './schema.js';

export type PgoApiClient = ReturnType<typeof hc<Hono<{}, PgoApiSchema, '/'>>>;

export function pgoApiClient(baseUrl: string, options: ClientRequestOptions = {}): PgoApiClient {
  return hc<Hono<{}, PgoApiSchema, '/'>>(baseUrl, options);
}
