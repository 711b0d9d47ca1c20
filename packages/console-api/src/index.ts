/**
 * The operator console's API contract: the JSON types (api.ts), the hono schema of every route (schema.ts), the
 * paths outside the JSON API (paths.ts) and the typed client (client.ts). Browser-safe: no Node imports.
 */
export type * from './api.js';
export type { ConsoleApiSchema } from './schema.js';
export { CONSOLE_PATHS, inspectorPage } from './paths.js';
export { consoleApiClient, type ConsoleApiClient } from './client.js';
