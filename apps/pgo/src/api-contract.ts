/**
 * A compile-time check (one constant, never read): every answer the PGO's JSON API routes give (json-api.ts)
 * fits the contract in packages/pgo-api, and every route of the contract is served. `npm run typecheck` fails
 * with the path of the route that drifted.
 */
import type { PgoApiSchema } from '@medmij-sandbox/pgo-api';
import type { ServedAsContracted } from '@medmij-sandbox/transport/api-contract';
import type { PgoJsonApi } from './json-api.js';

export const servedAsContracted: ServedAsContracted<PgoJsonApi, PgoApiSchema> = true;
