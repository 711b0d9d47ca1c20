/**
 * The UI's only way to the PGO server: its JSON API through the API's typed client (packages/pgo-api), same
 * origin, session cookie. Every failure becomes an ApiFailure (packages/ui api.ts) carrying the server's bilingual
 * ApiError.
 */
import {
  pgoApiClient,
  type Collection,
  type CollectionSummary,
  type CollectRequest,
  type CollectStart,
  type ListsInfo,
  type LoginRequest,
  type SessionInfo,
  type ZorgaanbiedersResponse,
} from '@medmij-sandbox/pgo-api';
import { callJson } from '@medmij-sandbox/ui/api';

export { ApiFailure, failureText } from '@medmij-sandbox/ui/api';

/** Same origin; the browser's fetch (looked up at every call), with the session cookie. */
const client = pgoApiClient(location.origin, { init: { credentials: 'same-origin' }, headers: { accept: 'application/json' } });

/** Fired on window when an API call answers 401 outside login: the app shows the login form again. */
export const SESSION_EXPIRED_EVENT = 'pgo-session-expired';

const SERVER = { nl: 'De PGO-server', en: 'The PGO server' };

function call<T>(send: () => Promise<Response>, o: { expectSession?: boolean } = {}): Promise<T> {
  const { expectSession = true } = o;
  return callJson<T>(send, {
    server: SERVER,
    onUnauthorized: (error) => {
      if (expectSession && (!error || error.error === 'login_required')) window.dispatchEvent(new CustomEvent(SESSION_EXPIRED_EVENT));
    },
  });
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
};
