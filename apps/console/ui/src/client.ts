/**
 * The console UI's only way to its server: the console API through its typed client (packages/console-api), same
 * origin, the operator cookie. Every failure becomes an ApiFailure (packages/ui api.ts) with the server's bilingual
 * ApiError.
 */
import {
  CONSOLE_PATHS,
  consoleApiClient,
  type Bilingual,
  type OperatorInfo,
  type ScenarioInfo,
  type ScenarioRun,
  type TraceEvent,
} from '@medmij-sandbox/console-api';
import { callJson } from '@medmij-sandbox/ui/api';

export { ApiFailure } from '@medmij-sandbox/ui/api';

const client = consoleApiClient(location.origin, { init: { credentials: 'same-origin' }, headers: { accept: 'application/json' } });

/** Fired on window when the console answers 401: the operator session is gone (a reset made new tokens). */
export const OPERATOR_REQUIRED_EVENT = 'console-operator-required';

const call = <T>(send: () => Promise<Response>) =>
  callJson<T>(send, { server: { nl: 'De console', en: 'The console' }, onUnauthorized: () => window.dispatchEvent(new CustomEvent(OPERATOR_REQUIRED_EVENT)) });

export const api = {
  /** The operator role of this browser (the login link `npm start` prints sets it), or null; and where the PGOs run. */
  operator: () => call<OperatorInfo>(() => client.api.operator.$get()),
  trace: (since = 0) => call<{ events: TraceEvent[] }>(() => client.api.trace.$get({ query: { since: String(since) } })),
  /** 404 ApiError 'scenarios_unavailable' when the console runs without the sandbox's scenario service. */
  scenarios: () => call<{ scenarios: ScenarioInfo[] }>(() => client.api.scenarios.$get()),
  /** Runs on its own fresh network; takes up to a few seconds. */
  runScenario: (name: string) => call<ScenarioRun>(() => client.api.scenarios[':name'].run.$post({ param: { name } })),
  /** Resets the live network; answers what it did. */
  resetSandbox: () => call<{ done: Bilingual[] }>(() => client.api.sandbox.reset.$post()),
};

/** Where the export links of the inspector point (the server builds the files). */
export function traceExportUrl(format: 'mermaid' | 'har' | 'json', traceId?: string): string {
  const params = new URLSearchParams();
  if (traceId) params.set('traceId', traceId);
  params.set('format', format);
  return `${CONSOLE_PATHS.traceExport}?${params.toString()}`;
}
