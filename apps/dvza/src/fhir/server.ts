/**
 * The DVZA's FHIR resource server on the back channel (SPEC §2.7, §6.2). In order, for every request:
 *
 *   1. the TLS client certificate (checked at the handshake) belongs to a host on the Whitelist;
 *   2. /metadata needs nothing more; everything else needs `Authorization: Bearer <token>` — a token this
 *      DVZA issued, not expired (sandbox clock), not revoked, issued to this same client;
 *   3. MedMij-Request-ID and X-Correlation-ID headers are present (core.rscint.201);
 *   4. no `patient`, `subject` or other patient-identifying parameter: the token alone fixes the patient;
 *   5. the resource type belongs to a gegevensdienst in the token's scope;
 *   6. the search itself (search.ts) — or a read by id inside the scope.
 *
 * Every error is an OperationOutcome with the HTTP status FHIR and RFC 6750 prescribe; every access, allowed
 * or not, goes to the audit log.
 */
import { Hono, type Context } from 'hono';
import { ListUnusableError } from '@medmij-sandbox/lists';
import { DVZA_PATHS } from '@medmij-sandbox/medmij-oauth';
import { certificateHostname } from '@medmij-sandbox/pki';
import type { TlsPeerEnv } from '@medmij-sandbox/transport';
import { GEGEVENSDIENST_CONTENT, resourcesForGegevensdienst, type FhirResource } from '@medmij-sandbox/fhir-data';
import type { AccessToken } from '../grants.js';
import { decisionReporter, type DvzaRuntime } from '../runtime.js';
import { capabilityStatement } from './capability.js';
import { SearchError, searchDossier } from './search.js';

const RULES = {
  whitelist: 'SPEC §4 back channel: the peer certificate hostname must be on the Whitelist',
  bearer: 'SPEC §2.7 the access token only in Authorization: Bearer (core.rscint.200)',
  headers: 'SPEC §2.7 MedMij-Request-ID and X-Correlation-ID on every resource request (core.rscint.201)',
  noPatient: 'SPEC §2.7 no BSN, patient= or subject= in the request: the token fixes the patient',
  scope: 'SPEC §2.7 only the resources of the gegevensdiensten in the token',
  served: 'SPEC §6.2 FHIR searches answered with a searchset Bundle',
} as const;

/** Parameters that would let a client choose the patient: refused outright. */
const PATIENT_PARAMETERS = /^(patient|subject|_id:patient|identifier|_has|patient\..*|subject\..*|_revinclude)(:.*)?$/;

const FHIR_JSON = 'application/fhir+json; fhirVersion=3.0; charset=utf-8';

type Env = TlsPeerEnv;

export function createFhirServer(rt: DvzaRuntime): Hono<Env> {
  const { participant, clock, grants } = rt;
  const host = participant.hostname;
  const base = `${rt.backchannelUrl}${DVZA_PATHS.fhir}`;
  const app = new Hono<Env>();
  const bundleIds = rt.random('dvza:bundle-ids');
  const decision = decisionReporter(rt);

  app.all(`${DVZA_PATHS.fhir}/*`, async (c) => {
    const url = new URL(c.req.url);
    const path = url.pathname.slice(DVZA_PATHS.fhir.length + 1);
    const request = `${c.req.method} ${url.pathname}${url.search}`;
    const traceId = c.req.header('x-correlation-id');
    const requestId = c.req.header('medmij-request-id');
    const peer = c.var.peer;
    const caller = peer ? certificateHostname(peer) : undefined;
    let token: AccessToken | undefined;

    const fail = (status: 400 | 401 | 403 | 404 | 405 | 406 | 503, code: string, message: string, rule: string, authenticate?: string) => {
      decision({ from: caller ?? 'unknown client', traceId, requestId, outcome: 'refused', rule, reason: `FHIR ${request} refused (${status}): ${message}` });
      rt.audit.record({
        action: path === 'metadata' ? 'fhir-metadata' : 'fhir-search',
        outcome: 'refused',
        client: caller,
        bsn: token?.bsn,
        gegevensdiensten: token?.gegevensdiensten,
        request,
        reason: message,
        traceId,
        requestId,
      });
      if (authenticate) c.header('www-authenticate', authenticate);
      return fhirJson(c, operationOutcome(code, message), status);
    };
    const bearerChallenge = (error?: string, description?: string) =>
      `Bearer realm="${host}"${error ? `, error="${error}"` : ''}${description ? `, error_description="${description.replace(/"/g, "'")}"` : ''}`;

    let whitelist;
    try {
      whitelist = rt.lists.require('Whitelist', traceId);
    } catch (e) {
      if (!(e instanceof ListUnusableError)) throw e;
      return fail(503, 'transient', e.message, 'SPEC §3.4 no new flow on an expired list');
    }
    if (!caller || !whitelist.nodes.includes(caller))
      return fail(403, 'security', `the client certificate's host ${caller ?? '(none)'} is not on the Whitelist`, RULES.whitelist);
    if (c.req.method !== 'GET')
      return fail(405, 'not-supported', `${c.req.method} is not supported: this sandbox resource server serves Verzamelen (GET) only`, RULES.served);
    if (/xml/.test(url.searchParams.get('_format') ?? '') || (/xml/.test(c.req.header('accept') ?? '') && !/json/.test(c.req.header('accept') ?? ''))) {
      return fail(406, 'not-supported', 'this sandbox resource server answers in application/fhir+json only', RULES.served);
    }

    if (path === 'metadata') {
      rt.audit.record({ action: 'fhir-metadata', outcome: 'granted', client: caller, request, traceId, requestId });
      return fhirJson(c, capabilityStatement(rt, base), 200);
    }

    const authorization = c.req.header('authorization') ?? '';
    if (url.searchParams.has('access_token'))
      return fail(
        400,
        'security',
        'the access token must not be in the URL; send it as Authorization: Bearer',
        RULES.bearer,
        bearerChallenge('invalid_request'),
      );
    if (!authorization) return fail(401, 'login', 'no access token: send Authorization: Bearer <access_token>', RULES.bearer, bearerChallenge());
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    if (!bearer) return fail(401, 'login', 'the Authorization header is not "Bearer <access_token>"', RULES.bearer, bearerChallenge('invalid_request'));
    token = grants.tokens.get(bearer);
    if (!token) return fail(401, 'login', 'unknown access token', RULES.bearer, bearerChallenge('invalid_token', 'unknown access token'));
    if (token.revoked)
      return fail(
        401,
        'login',
        `the access token was revoked: ${token.revoked}`,
        RULES.bearer,
        bearerChallenge('invalid_token', 'the access token was revoked'),
      );
    if (clock.nowMs() > token.expiresAt) {
      return fail(
        401,
        'expired',
        `the access token expired at ${new Date(token.expiresAt).toISOString()} (sandbox clock)`,
        RULES.bearer,
        bearerChallenge('invalid_token', 'the access token expired'),
      );
    }
    if (token.clientId !== caller) {
      return fail(
        401,
        'login',
        `the access token was issued to ${token.clientId}, not to ${caller}`,
        RULES.bearer,
        bearerChallenge('invalid_token', 'the access token belongs to another client'),
      );
    }
    const missingHeaders = [
      ['MedMij-Request-ID', requestId],
      ['X-Correlation-ID', traceId],
    ]
      .filter(([, v]) => !v)
      .map(([h]) => h);
    if (missingHeaders.length) return fail(400, 'required', `missing header ${missingHeaders.join(' and ')}`, RULES.headers);
    const forbidden = [...url.searchParams.keys()].filter((k) => PATIENT_PARAMETERS.test(k));
    if (forbidden.length)
      return fail(400, 'security', `parameter ${forbidden.join(', ')} is not allowed: the access token alone decides whose data this is`, RULES.noPatient);

    const segments = path.split('/').filter(Boolean);
    const type = segments[0] ?? '';
    const lastn = segments[1] === '$lastn';
    const readId = !lastn ? segments[1] : undefined;
    if (!type || segments.length > 2 || (segments[1]?.startsWith('$') && !lastn))
      return fail(404, 'not-supported', `no such FHIR endpoint: ${url.pathname}`, RULES.served);
    if (!/^[A-Z][A-Za-z]+$/.test(type)) return fail(404, 'not-supported', `'${type}' is not a FHIR resource type`, RULES.served);

    const inScope = token.gegevensdiensten.filter((id) => GEGEVENSDIENST_CONTENT[id]?.resourceTypes.includes(type));
    if (inScope.length === 0) {
      return fail(
        403,
        'forbidden',
        `${type} is not part of gegevensdienst ${token.gegevensdiensten.join(', ')} (the token's scope)`,
        RULES.scope,
        bearerChallenge('insufficient_scope', `${type} is outside the scope of this token`),
      );
    }
    const patient = rt.patients.byBsn(token.bsn);
    if (!patient) return fail(404, 'not-found', 'the patient of this token is no longer known here', RULES.served);
    const dossier = rt.patients.dossier(patient);
    const pool = dedupe(inScope.flatMap((id) => resourcesForGegevensdienst(dossier, id)));

    if (readId) {
      const resource = pool.find((r) => r.resourceType === type && r.id === readId);
      if (!resource) return fail(404, 'not-found', `${type}/${readId} is not among the resources this token may read`, RULES.scope);
      rt.audit.record({
        action: 'fhir-read',
        outcome: 'granted',
        client: caller,
        bsn: token.bsn,
        gegevensdiensten: inScope,
        request,
        resources: 1,
        traceId,
        requestId,
      });
      decision({
        from: caller,
        traceId,
        requestId,
        outcome: 'ok',
        rule: RULES.scope,
        reason: `FHIR read ${type}/${readId} for gegevensdienst ${inScope.join(', ')}`,
      });
      return fhirJson(c, resource, 200);
    }

    let result;
    try {
      result = searchDossier(type, url.searchParams, pool, { lastn, all: pool });
    } catch (e) {
      if (e instanceof SearchError) return fail(e.status, e.issueCode, e.message, RULES.served);
      throw e;
    }
    const bundle = {
      resourceType: 'Bundle',
      id: bundleIds.uuid(),
      meta: { lastUpdated: clock.now().toISOString() },
      type: 'searchset',
      total: result.matches.length,
      link: [{ relation: 'self', url: `${base}/${path}${url.search}` }],
      entry: [
        ...result.matches.map((r) => ({ fullUrl: `${base}/${r.resourceType}/${r.id}`, resource: r, search: { mode: 'match' } })),
        ...result.included.map((r) => ({ fullUrl: `${base}/${r.resourceType}/${r.id}`, resource: r, search: { mode: 'include' } })),
      ],
    };
    rt.audit.record({
      action: 'fhir-search',
      outcome: 'granted',
      client: caller,
      bsn: token.bsn,
      gegevensdiensten: inScope,
      request,
      resources: bundle.entry.length,
      traceId,
      requestId,
    });
    decision({
      from: caller,
      traceId,
      requestId,
      outcome: 'ok',
      rule: RULES.served,
      reason: `FHIR ${lastn ? `${type}/$lastn` : `${type} search`} for gegevensdienst ${inScope.join(', ')}: ${result.matches.length} match(es)${result.included.length ? `, ${result.included.length} included` : ''}; patient from the token, none named in the request`,
      body: { total: bundle.total, entries: bundle.entry.map((e) => `${e.resource.resourceType}/${e.resource.id} (${e.search.mode})`) },
    });
    return fhirJson(c, bundle, 200);
  });

  return app;
}

function dedupe(resources: FhirResource[]): FhirResource[] {
  const seen = new Map<string, FhirResource>();
  for (const r of resources) seen.set(`${r.resourceType}/${r.id}`, r);
  return [...seen.values()];
}

export function operationOutcome(code: string, diagnostics: string) {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
}

function fhirJson(c: Context<Env>, body: unknown, status: number) {
  return c.body(JSON.stringify(body, null, 2), status as 200, { 'content-type': FHIR_JSON });
}
