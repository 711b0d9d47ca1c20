/**
 * The console API as a hono schema: path → method → input and answers (status, JSON). The hono client
 * (`consoleApiClient`) is typed by it; the console server checks at compile time that what its routes answer fits
 * it (apps/console/src/api-contract.ts), so the server and its UI cannot drift apart.
 */
import type { ApiError, Bilingual, OperatorInfo, OperatorLoginAnswer, ScenarioInfo, ScenarioRun, TraceEvent } from './api.js';

type Answer<Output, Status extends number> = { output: Output; outputFormat: 'json'; status: Status };
type Endpoint<In, A> = A extends Answer<unknown, number> ? { input: In } & A : never;
type Fails<S extends number> = Answer<ApiError, S>;
type NoInput = Record<never, never>;

export type ConsoleApiSchema = {
  '/api/operator': { $get: Endpoint<NoInput, Answer<OperatorInfo, 200>> };
  '/api/operator/login': {
    $post: Endpoint<{ json: { token: string; confirm?: boolean } }, Answer<OperatorLoginAnswer, 200> | Fails<401 | 403 | 409 | 415>>;
  };
  '/api/trace': { $get: Endpoint<{ query: { since?: string } }, Answer<{ events: TraceEvent[] }, 200> | Fails<401 | 403>> };
  '/api/scenarios': { $get: Endpoint<NoInput, Answer<{ scenarios: ScenarioInfo[] }, 200> | Fails<401 | 403 | 404>> };
  '/api/scenarios/:name/run': { $post: Endpoint<{ param: { name: string } }, Answer<ScenarioRun, 200> | Fails<401 | 403 | 404>> };
  '/api/sandbox/reset': { $post: Endpoint<NoInput, Answer<{ done: Bilingual[] }, 200> | Fails<401 | 403 | 404>> };
};
