/**
 * The reference PGO's API contract: the JSON types (api.ts), the hono schema of every route (schema.ts), the
 * paths outside the JSON API (paths.ts) and the typed client (client.ts). Browser-safe: no Node imports.
 */
export type * from './api.js';
export type { CollectRefused, PgoApiSchema } from './schema.js';
export { PGO_PATHS, collectionIdIn, collectionPage } from './paths.js';
export { pgoApiClient, type PgoApiClient } from './client.js';
