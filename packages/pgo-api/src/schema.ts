/**
 * The PGO API as a hono schema: path → method → input and answers (status, JSON). The hono client
 * (`pgoApiClient`) is typed by it; the PGO server checks at compile time that what its routes answer fits it
 * (apps/pgo/src/api-contract.ts), so the server, its UI and the scenario runner cannot drift apart.
 */
import type {
  ApiError,
  Collection,
  CollectionSummary,
  CollectRequest,
  CollectStart,
  ListsInfo,
  LoginRequest,
  Refusal,
  SessionInfo,
  ZorgaanbiedersResponse,
} from './api.js';

type Answer<Output, Status extends number> = { output: Output; outputFormat: 'json'; status: Status };
type Endpoint<In, A> = A extends Answer<unknown, number> ? { input: In } & A : never;
type Fails<S extends number> = Answer<ApiError, S>;

type NoInput = Record<never, never>;
type Id = { param: { id: string } };

/** A refusal before the browser leaves (list expired, not on the Whitelist): the PGO made a refused collection. */
export type CollectRefused = ApiError & { refusal: Refusal; collectionId: string };

export type PgoApiSchema = {
  '/api/session': { $get: Endpoint<NoInput, Answer<SessionInfo, 200>> };
  '/api/login': { $post: Endpoint<{ json: LoginRequest }, Answer<SessionInfo, 200> | Fails<401 | 403 | 415>> };
  '/api/logout': { $post: { input: NoInput; output: null; outputFormat: 'body'; status: 204 } };
  '/api/lists': { $get: Endpoint<NoInput, Answer<ListsInfo, 200>> };
  '/api/zorgaanbieders': { $get: Endpoint<{ query: { q?: string } }, Answer<ZorgaanbiedersResponse, 200> | Fails<401>> };
  '/api/collect': { $post: Endpoint<{ json: CollectRequest }, Answer<CollectStart, 200> | Answer<CollectRefused, 409> | Fails<400 | 401>> };
  '/api/collections': { $get: Endpoint<NoInput, Answer<{ collections: CollectionSummary[] }, 200> | Fails<401>> };
  '/api/collections/:id': { $get: Endpoint<Id, Answer<Collection, 200> | Fails<401 | 404>> };
  '/api/collections/:id/refresh': { $post: Endpoint<Id, Answer<Collection, 200> | Fails<401 | 404>> };
  '/api/collections/:id/withdraw': { $post: Endpoint<Id, Answer<Collection, 200> | Fails<401 | 404 | 409>> };
};
