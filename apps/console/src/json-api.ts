/**
 * The console's JSON API (contract: packages/console-api), as chained hono routes so their answers are typed and
 * checked against the contract (api-contract.ts). Everything but GET /api/operator and the login exchange is for
 * the operator only: the trace holds the DVZA's view (BSNs, names, codes), so a viewer's or trainer's credential
 * is checked on every request.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { roleAllows, type OperatorRole } from '@medmij-sandbox/network';
import { crossSiteSource } from '@medmij-sandbox/transport';
import type { ApiError, Bilingual, OperatorInfo } from '@medmij-sandbox/console-api';
import type { ConsoleAppOptions } from './app.js';
import { OPERATOR_HOME } from './operator-login.js';

/** The operator's cookie: __Host- (this origin only, no Domain), Strict (never sent on a link from elsewhere). */
export const OPERATOR_COOKIE = '__Host-console_operator';
export const OPERATOR_COOKIE_OPTIONS = { path: '/', secure: true, httpOnly: true, sameSite: 'Strict' } as const;

/** Operator sessions kept per role (the oldest of that role goes first): far more browsers than any workshop has. */
const MAX_OPERATOR_SESSIONS_PER_ROLE = 100;

/** The operator role of a request: `Authorization: Bearer <token>`, or the cookie the login link set. */
export function operatorRoleOf(o: ConsoleAppOptions, operatorSessions: Map<string, string>, c: Context): OperatorRole | undefined {
  const authorization = c.req.header('authorization');
  if (authorization !== undefined) {
    // Only the Bearer scheme (RFC 6750): a bare token or another scheme is no operator.
    const bearer = /^Bearer ([0-9a-f]{64})$/i.exec(authorization.trim());
    return bearer ? o.operator.roleOf(bearer[1]!.toLowerCase()) : undefined;
  }
  const id = getCookie(c, OPERATOR_COOKIE);
  // The token the session was opened with, judged as the tokens are now.
  return id ? o.operator.roleOf(operatorSessions.get(id)) : undefined;
}

/**
 * `operatorSessions`: operator session id → the token it was opened with. In memory: after a restart the login link
 * is opened again. The role is looked up afresh on every request, so new tokens (a reset .sandbox) end the old
 * sessions at once.
 */
export function createJsonApi(o: ConsoleAppOptions, operatorSessions: Map<string, string>) {
  const fail = <S extends 400 | 401 | 403 | 404 | 409 | 415>(c: Context, status: S, error: string, message: Bilingual) =>
    c.json({ error, message } satisfies ApiError, status);
  /** undefined when the request's operator role allows `needed`, else the refusal to answer. */
  const operatorRefusal = (c: Context, needed: OperatorRole) => {
    const role = operatorRoleOf(o, operatorSessions, c);
    if (roleAllows(role, needed)) return undefined;
    if (role)
      return fail(c, 403, 'trainer_required', {
        nl: 'Dit mag alleen de trainer: open de trainer-link die npm start toont (npm run sandbox -- operator).',
        en: 'Only the trainer may do this: open the trainer link npm start prints (npm run sandbox -- operator).',
      });
    return fail(c, 401, 'operator_required', {
      nl: "Alleen voor de operator van de sandbox: de netwerktrace bevat wat de DVZA ziet (BSN's, namen, codes). Open de link die npm start toont (npm run sandbox -- operator).",
      en: 'For the sandbox operator only: the network trace holds what the DVZA sees (BSNs, names, codes). Open the link npm start prints (npm run sandbox -- operator).',
    });
  };
  const unavailable = (c: Context) =>
    fail(c, 404, 'scenarios_unavailable', {
      nl: "Scenario's draaien kan alleen als de console in de sandbox draait: start de sandbox met npm start (of npm run sandbox -- run console).",
      en: 'Scenarios run only when the console runs inside the sandbox: start it with npm start (or npm run sandbox -- run console).',
    });

  // Login CSRF and its kin: a state-changing request from another site's page is refused (transport's
  // crossSiteSource: Sec-Fetch-Site and Origin; a client with neither is no browser to forge).
  const sameOriginPosts: MiddlewareHandler = async (c, next) => {
    const source = crossSiteSource(c);
    if (source !== undefined)
      return fail(c, 403, 'cross_origin', {
        nl: `Geweigerd: dit verzoek komt van een andere site (${source}), niet van de console zelf.`,
        en: `Refused: this request comes from another site (${source}), not from the console itself.`,
      });
    // A body only as JSON: an HTML form of another site (text/plain, form-encoded) can post without a preflight,
    // and a browser without Fetch Metadata that sends `Origin: null` would otherwise get it through.
    const hasBody = Number(c.req.header('content-length') ?? '0') > 0 || c.req.header('transfer-encoding') !== undefined;
    if (c.req.method === 'POST' && hasBody && !/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? ''))
      return fail(c, 415, 'invalid_request', {
        nl: 'De console-API neemt alleen JSON aan (Content-Type: application/json).',
        en: 'The console API takes JSON only (Content-Type: application/json).',
      });
    return next();
  };

  const api = new Hono()
    .get('/api/operator', (c) => {
      const role = operatorRoleOf(o, operatorSessions, c) ?? null;
      // Where the PGOs run is no secret, but it is the network's: only an operator learns it.
      return c.json({ role, pgos: role ? o.pgos : [] } satisfies OperatorInfo, 200);
    })
    // The token of the login link, exchanged for the operator cookie (JSON from this origin only: sameOriginPosts).
    .post('/api/operator/login', async (c) => {
      const body = (await c.req.json().catch(() => undefined)) as { token?: unknown; confirm?: unknown } | undefined;
      const token = typeof body?.token === 'string' ? body.token : undefined;
      const role = o.operator.roleOf(token);
      if (!role)
        return fail(c, 401, 'operator_required', {
          nl: 'Deze operator-link klopt niet (meer): neem de link die npm start nu toont (npm run sandbox -- operator).',
          en: 'This operator link is wrong (or old): take the link npm start prints now (npm run sandbox -- operator).',
        });
      // A link of another role than this browser's session (someone sent a trainer a viewer's link): asked, never quietly.
      const current = operatorRoleOf(o, operatorSessions, c);
      if (current && current !== role && body?.confirm !== true)
        return fail(c, 409, 'role_change', {
          nl: `Je bent al ingelogd als ${current === 'trainer' ? 'trainer' : 'kijker'}. Deze link maakt je ${role === 'trainer' ? 'trainer' : 'kijker'}: doe dat alleen als je deze link zelf wilde openen.`,
          en: `You are logged in as ${current} already. This link makes you ${role}: go on only if you meant to open this link yourself.`,
        });
      // A cap per role, so a script posting in a loop cannot grow the map without end, nor push the trainer out.
      const sameRole = [...operatorSessions].filter(([, t]) => o.operator.roleOf(t) === role);
      if (sameRole.length >= MAX_OPERATOR_SESSIONS_PER_ROLE) operatorSessions.delete(sameRole[0]![0]);
      const id = o.sessionIds.hex(24);
      operatorSessions.set(id, token!);
      setCookie(c, OPERATOR_COOKIE, id, OPERATOR_COOKIE_OPTIONS);
      return c.json({ role, next: OPERATOR_HOME[role] }, 200);
    })
    .get('/api/trace', (c) => {
      const refused = operatorRefusal(c, 'viewer');
      if (refused) return refused;
      const since = Number(c.req.query('since') ?? '0');
      return c.json({ events: o.bus.events().filter((e) => e.seq > since) }, 200);
    })
    // ---- scenarios (a viewer sees the catalogue, a trainer runs and resets) -------------------------------
    .get('/api/scenarios', (c) => {
      const refused = operatorRefusal(c, 'viewer');
      if (refused) return refused;
      return o.scenarios ? c.json({ scenarios: o.scenarios.list() }, 200) : unavailable(c);
    })
    .post('/api/scenarios/:name/run', async (c) => {
      const refused = operatorRefusal(c, 'trainer');
      if (refused) return refused;
      if (!o.scenarios) return unavailable(c);
      const run = await o.scenarios.run(c.req.param('name'));
      return run ? c.json(run, 200) : fail(c, 404, 'not_found', { nl: `Geen scenario '${c.req.param('name')}'.`, en: `No scenario '${c.req.param('name')}'.` });
    })
    .post('/api/sandbox/reset', async (c) => {
      const refused = operatorRefusal(c, 'trainer');
      if (refused) return refused;
      if (!o.scenarios) return unavailable(c);
      return c.json({ done: await o.scenarios.reset() }, 200);
    });

  return { api, fail, operatorRefusal, sameOriginPosts };
}

export type ConsoleJsonApi = ReturnType<typeof createJsonApi>['api'];
