/**
 * A compile-time check (one constant, never read): every answer the console's JSON API routes give (json-api.ts)
 * fits the contract in packages/console-api, and every route of the contract is served. `npm run typecheck`
 * fails with the path of the route that drifted.
 */
import type { ConsoleApiSchema } from '@medmij-sandbox/console-api';
import type { ServedAsContracted } from '@medmij-sandbox/transport/api-contract';
import type { ConsoleJsonApi } from './json-api.js';

export const servedAsContracted: ServedAsContracted<ConsoleJsonApi, ConsoleApiSchema> = true;
