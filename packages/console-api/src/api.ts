/**
 * The operator console's JSON API: every JSON its web UI (apps/console/ui) and the tests read or send, and the
 * console server (apps/console/src) answers. Types only, so a browser bundle can import it.
 *
 * All endpoints are on the console's front channel (https://console.localhost:8760), same origin as its UI.
 * Everything but the login itself is for the operator only — the trace holds the DVZA's view (BSNs, names,
 * codes): the role *viewer* or *trainer*, from the cookie the login link sets (`npm start` prints one per role)
 * or `Authorization: Bearer <token>`; otherwise 401 ApiError 'operator_required', and 403 'trainer_required'
 * where a viewer asks for a trainer's action. Every error is JSON `ApiError` with a 4xx/5xx status.
 */

/** An event that came close to an expected hop: how it reads, and each field where it has something else. */
export interface NearMiss {
  seq: number;
  summary: Bilingual;
  differs: Array<{ field: string; expected: string; actual: string }>;
}

/** Text in both UI languages. */
export interface Bilingual {
  nl: string;
  en: string;
}

export interface ApiError {
  error: string;
  message: Bilingual;
}

// ---- the operator ---------------------------------------------------------------------------------

/** GET /api/operator → OperatorInfo (the role of this request, if any; never refused). */
export interface OperatorInfo {
  /** viewer: the trace and the scenario list; trainer: also scenario runs and resets; null: not an operator. */
  role: 'viewer' | 'trainer' | null;
  /** Where the network's PGOs run (the console links to them; they link back). */
  pgos: Array<{ name: string; url: string }>;
}

/**
 * POST /api/operator/login { token, confirm? } (JSON, same origin) → { role, next } and the operator cookie;
 * 401 'operator_required' for a wrong token, 409 'role_change' when the browser holds another role's session
 * and `confirm` is not true.
 */
export interface OperatorLoginAnswer {
  role: 'viewer' | 'trainer';
  /** Where the browser goes next (the role's home page). */
  next: string;
}

// ---- the trace --------------------------------------------------------------------------------------

/**
 * GET /api/trace?since=<seq> → { events: TraceEvent[] } (events with seq > since)
 * GET /api/trace/stream → text/event-stream; each message `data: <TraceEvent JSON>` (event name 'trace'),
 *   starting with the latest window of events; the UI filters by traceId.
 * GET /api/trace/export?traceId=<id>&format=mermaid|har|json → text/plain (Mermaid sequenceDiagram),
 *   application/json (HAR 1.2), application/json (the events)
 */
export type { TraceEvent } from '@medmij-sandbox/network/trace-event';

// ---- scenarios: the catalogue, a run on a separate fresh network, presenter mode, reset ------------------

/**
 * Available when the console runs inside the sandbox (`npm start`, `sandbox run console`, the compose service:
 * the composition root provides the scenario service); otherwise 404 ApiError 'scenarios_unavailable'.
 *
 * GET  /api/scenarios                → { scenarios: ScenarioInfo[] }           (viewer)
 * POST /api/scenarios/:name/run      → ScenarioRun                             (trainer) runs on its own fresh
 *                                       network on free ports: the network you are looking at is not disturbed
 * POST /api/sandbox/reset            → { done: Bilingual[] }                   (trainer) resets THIS network:
 *                                       revoked or expired certificates reissued, the stelselnode's lists back to
 *                                       the topology, the sandbox clock back to real time
 */
/** A scenario of the catalogue (scenarios/*.yaml): its texts in both languages, the console shows the UI language's. */
export interface ScenarioInfo {
  name: string;
  title: Bilingual;
  /** What a trainer tells the room. */
  teaches: Bilingual;
  /** The spec rule it demonstrates. */
  rule: Bilingual;
}

export interface ScenarioRun extends ScenarioInfo {
  ok: boolean;
  durationMs: number;
  /** What the runner did, step by step. */
  log: Bilingual[];
  /**
   * Each expectation with what met it (the event's seq), or why not; a hop expected but not found, with the events
   * that came closest (`nearMisses`, at most 3) and the fields each differs in (named as in the scenario's YAML).
   */
  checks: Array<{ what: Bilingual; ok: boolean; message: Bilingual; seq?: number; nearMisses?: NearMiss[] }>;
  /**
   * Every trace event of the run (its own network), for the diagram and presenter mode. Their `reason` and `rule` are
   * English; a UI says them in its language from the rule catalogue (packages/rules) by `ruleId` and `params`.
   */
  events: import('@medmij-sandbox/network/trace-event').TraceEvent[];
  /** Why the run could not go on: the sandbox's own error message (in English, as the CLI prints it). */
  error?: string;
}

/**
 * Scenario runs and resets. The console only exposes them: the sandbox's composition root (apps/cli) provides
 * the implementation, so no participant starts networks or changes the PKI itself.
 */
export interface ScenarioService {
  list(): ScenarioInfo[];
  run(name: string): Promise<ScenarioRun | undefined>;
  reset(): Promise<Bilingual[]>;
}
