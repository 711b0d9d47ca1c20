/**
 * The UI's only way to the PGO server: its JSON API through the API's typed client (packages/pgo-api), same
 * origin, session cookie. Every failure becomes an ApiFailure carrying the server's bilingual ApiError, or one
 * made here when the server could not be reached or answered without JSON.
 */
import {
  PGO_PATHS,
  pgoApiClient,
  type ApiError,
  type Collection,
  type CollectionSummary,
  type CollectRequest,
  type CollectStart,
  type ListsInfo,
  type LoginRequest,
  type OperatorInfo,
  type ScenarioInfo,
  type ScenarioRun,
  type SessionInfo,
  type ZorgaanbiedersResponse,
} from '@medmij-sandbox/pgo-api';

/** Same origin; the browser's fetch (looked up at every call), with the session cookie. */
const client = pgoApiClient(location.origin, { init: { credentials: 'same-origin' }, headers: { accept: 'application/json' } });

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

async function call<T>(send: () => Promise<Response>, o: { expectSession?: boolean } = {}): Promise<T> {
  const { expectSession = true } = o;
  let response: Response;
  try {
    response = await send();
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
    // Only the person's own session: a 401 'operator_required' (the trace, scenario runs) logs nobody out.
    if (response.status === 401 && expectSession && (!isApiError(data) || data.error === 'login_required'))
      window.dispatchEvent(new CustomEvent(SESSION_EXPIRED_EVENT));
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
  session: () => call<SessionInfo>(() => client.api.session.$get(), { expectSession: false }),
  login: (body: LoginRequest) => call<SessionInfo>(() => client.api.login.$post({ json: body }), { expectSession: false }),
  logout: () => call<void>(() => client.api.logout.$post(), { expectSession: false }),
  lists: () => call<ListsInfo>(() => client.api.lists.$get()),
  zorgaanbieders: (q: string) => call<ZorgaanbiedersResponse>(() => client.api.zorgaanbieders.$get({ query: { q } })),
  collect: (body: CollectRequest) => call<CollectStart>(() => client.api.collect.$post({ json: body })),
  collections: () => call<{ collections: CollectionSummary[] }>(() => client.api.collections.$get()),
  collection: (id: string) => call<Collection>(() => client.api.collections[':id'].$get({ param: { id } })),
  /** "Toestemmingen aanpassen": withdraw the collection's long-lived consent (the PGO revokes it at the DVZA). */
  withdrawConsent: (id: string) => call<Collection>(() => client.api.collections[':id'].withdraw.$post({ param: { id } })),
  /** 404 ApiError 'scenarios_unavailable' when the PGO runs without the sandbox (not inside `npm start`). */
  scenarios: () => call<{ scenarios: ScenarioInfo[] }>(() => client.api.scenarios.$get()),
  /** Runs on its own fresh network; takes up to a few seconds. */
  runScenario: (name: string) => call<ScenarioRun>(() => client.api.scenarios[':name'].run.$post({ param: { name } })),
  /** Resets the live network; answers what it did. */
  resetSandbox: () => call<{ done: string[] }>(() => client.api.sandbox.reset.$post()),
  /** The operator role of this browser (the login link `npm start` prints sets it), or null. */
  operator: () => call<OperatorInfo>(() => client.api.operator.$get(), { expectSession: false }),
};

/** Where the export links of the inspector point (the server builds the files). */
export function traceExportUrl(format: 'mermaid' | 'har' | 'json', traceId?: string): string {
  const params = new URLSearchParams();
  if (traceId) params.set('traceId', traceId);
  params.set('format', format);
  return `${PGO_PATHS.traceExport}?${params.toString()}`;
}
