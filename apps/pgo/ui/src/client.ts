/**
 * The UI's only way to the PGO server: its JSON API (contract in apps/pgo/src/api.ts), same origin,
 * session cookie. Every failure becomes an ApiFailure carrying the server's bilingual ApiError, or one
 * made here when the server could not be reached or answered without JSON.
 */
import type {
  ApiError,
  Collection,
  CollectionSummary,
  CollectRequest,
  CollectStart,
  ListsInfo,
  LoginRequest,
  ScenarioInfo,
  ScenarioRun,
  SessionInfo,
  ZorgaanbiedersResponse,
} from '../../src/api.ts';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly apiError: ApiError,
  ) {
    super(apiError.message.en);
    this.name = 'ApiFailure';
  }
}

/** Fired on window when an API call answers 401 outside login: the app shows the login form again. */
export const SESSION_EXPIRED_EVENT = 'pgo-session-expired';

function isApiError(value: unknown): value is ApiError {
  const v = value as ApiError | null;
  return !!v && typeof v === 'object' && typeof v.error === 'string' && !!v.message && typeof v.message.nl === 'string' && typeof v.message.en === 'string';
}

async function call<T>(path: string, init: RequestInit & { json?: unknown; expectSession?: boolean } = {}): Promise<T> {
  const { json, expectSession = true, ...rest } = init;
  let response: Response;
  try {
    response = await fetch(path, {
      credentials: 'same-origin',
      ...rest,
      headers: {
        accept: 'application/json',
        ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(rest.headers as Record<string, string> | undefined),
      },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
  } catch {
    throw new ApiFailure(0, {
      error: 'network_error',
      message: {
        nl: 'De PGO-server is niet bereikbaar. Draait de sandbox (npm start)?',
        en: 'The PGO server cannot be reached. Is the sandbox running (npm start)?',
      },
    });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown;
  try {
    data = text === '' ? undefined : JSON.parse(text);
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    if (response.status === 401 && expectSession) window.dispatchEvent(new CustomEvent(SESSION_EXPIRED_EVENT));
    throw new ApiFailure(
      response.status,
      isApiError(data)
        ? data
        : {
            error: `http_${response.status}`,
            message: {
              nl: `De PGO-server antwoordde met status ${response.status}.`,
              en: `The PGO server answered with status ${response.status}.`,
            },
          },
    );
  }
  return data as T;
}

export const api = {
  session: () => call<SessionInfo>('/api/session', { expectSession: false }),
  login: (body: LoginRequest) => call<SessionInfo>('/api/login', { method: 'POST', json: body, expectSession: false }),
  logout: () => call<void>('/api/logout', { method: 'POST', expectSession: false }),
  lists: () => call<ListsInfo>('/api/lists'),
  zorgaanbieders: (q: string) => call<ZorgaanbiedersResponse>(`/api/zorgaanbieders?q=${encodeURIComponent(q)}`),
  collect: (body: CollectRequest) => call<CollectStart>('/api/collect', { method: 'POST', json: body }),
  collections: () => call<{ collections: CollectionSummary[] }>('/api/collections'),
  collection: (id: string) => call<Collection>(`/api/collections/${encodeURIComponent(id)}`),
  /** 404 ApiError 'scenarios_unavailable' when the PGO runs without the sandbox (not inside `npm start`). */
  scenarios: () => call<{ scenarios: ScenarioInfo[] }>('/api/scenarios'),
  /** Runs on its own fresh network; takes up to a few seconds. */
  runScenario: (name: string) => call<ScenarioRun>(`/api/scenarios/${encodeURIComponent(name)}/run`, { method: 'POST' }),
  /** Resets the live network; answers what it did. */
  resetSandbox: () => call<{ done: string[] }>('/api/sandbox/reset', { method: 'POST' }),
};

/** Where the export links of the inspector point (the server builds the files). */
export function traceExportUrl(format: 'mermaid' | 'har' | 'json', traceId?: string): string {
  const params = new URLSearchParams();
  if (traceId) params.set('traceId', traceId);
  params.set('format', format);
  return `/api/trace/export?${params.toString()}`;
}
