/** The typed client of the console API (hono's `hc`), for the console's web UI (same origin) and tests. */
import type { Hono } from 'hono';
import { hc, type ClientRequestOptions } from 'hono/client';
import type { ConsoleApiSchema } from './schema.js';

export type ConsoleApiClient = ReturnType<typeof hc<Hono<{}, ConsoleApiSchema, '/'>>>;

export function consoleApiClient(baseUrl: string, options: ClientRequestOptions = {}): ConsoleApiClient {
  return hc<Hono<{}, ConsoleApiSchema, '/'>>(baseUrl, options);
}
