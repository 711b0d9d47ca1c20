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
import { DVZA_PATHS, parseFhirAccept } from '@medmij-sandbox/medmij-oauth';
import { gegevensdienstOf } from '@medmij-sandbox/network';
import { certificateHostname } from '@medmij-sandbox/pki';
import type { TlsPeerEnv } from '@medmij-sandbox/transport';
import { gegevensdienstContent, maskBsn, resourcesForGegevensdienst, type FhirResource } from '@medmij-sandbox/fhir-data';
import type { AccessToken } from '../grants.js';
import { decisionReporter, type DvzaRuntime } from '../runtime.js';
import { capabilityStatement } from './capability.js';
import { SearchError, searchDossier } from './search.js';
import { DVZA_FHIR, OAUTH, because, nest, said, type FhirRefusal, type NoParams, type Params, type Said } from '@medmij-sandbox/rules';

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

    // The message is the OperationOutcome's diagnostics and the audit log's reason too.
    const refuseWith = (status: number, code: string, message: string, why: Said, authenticate?: string) => {
      decision({ from: caller ?? 'unknown client', traceId, requestId, outcome: 'refused', ...because(why) });
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
    const fail = <P extends Params = NoParams>(refusal: FhirRefusal<P>, params: P, authenticate?: string) =>
      refuseWith(refusal.status, refusal.code, refusal.message.en(params), said(refusal, { ...params, request }), authenticate);
    const bearerChallenge = (error?: string, description?: string) =>
      `Bearer realm="${host}"${error ? `, error="${error}"` : ''}${description ? `, error_description="${description.replace(/"/g, "'")}"` : ''}`;

    let whitelist;
    try {
      whitelist = rt.lists.require('Whitelist', traceId);
    } catch (e) {
      if (!(e instanceof ListUnusableError)) throw e;
      return fail(DVZA_FHIR.listsUnusable, nest('problem', e.said));
    }
    if (!caller || !whitelist.nodes.includes(caller)) return fail(DVZA_FHIR.notOnWhitelist, { host: caller ?? '(none)' });
    if (c.req.method !== 'GET') return fail(DVZA_FHIR.methodNotSupported, { method: c.req.method });
    if (/xml/.test(url.searchParams.get('_format') ?? '') || (/xml/.test(c.req.header('accept') ?? '') && !/json/.test(c.req.header('accept') ?? ''))) {
      return fail(DVZA_FHIR.jsonOnly, {});
    }
    if (rt.topology.afsprakenstelsel === '2') {
      // 2.x PGOs ask for STU3 explicitly (SPEC §10.3): a request for another FHIR version gets 406, not STU3 it cannot read.
      const accept = parseFhirAccept(c.req.header('accept'));
      if (!accept.acceptable) return fail(DVZA_FHIR.acceptRefused, nest('problem', accept.said));
    }

    if (path === 'metadata') {
      rt.audit.record({ action: 'fhir-metadata', outcome: 'granted', client: caller, request, traceId, requestId });
      return fhirJson(c, capabilityStatement(rt, base), 200);
    }

    const authorization = c.req.header('authorization') ?? '';
    // The challenges' error_description is RFC 6750's channel to the client: English, left as it is.
    if (url.searchParams.has('access_token')) return fail(DVZA_FHIR.tokenInUrl, {}, bearerChallenge('invalid_request'));
    if (!authorization) return fail(DVZA_FHIR.noToken, {}, bearerChallenge());
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    if (!bearer) return fail(DVZA_FHIR.notBearer, {}, bearerChallenge('invalid_request'));
    token = grants.tokens.get(bearer);
    if (!token) return fail(DVZA_FHIR.unknownToken, {}, bearerChallenge('invalid_token', 'unknown access token'));
    if (token.revoked)
      return fail(DVZA_FHIR.tokenRevoked, nest('why', token.revokedBecause ?? token.revoked), bearerChallenge('invalid_token', 'the access token was revoked'));
    // A token of a long-lived consent that was revoked (a replay) or withdrawn since it was issued counts no more.
    const consent = token.consentId ? rt.consents.consent(token.consentId) : undefined;
    if (consent && (consent.revokedAt !== undefined || consent.withdrawnAt !== undefined)) {
      const why =
        consent.revokedAt !== undefined
          ? said(OAUTH.refresh.familyRevoked, { at: new Date(consent.revokedAt).toISOString() })
          : said(OAUTH.refresh.withdrawn, { at: new Date(consent.withdrawnAt!).toISOString() });
      return fail(DVZA_FHIR.tokenRevoked, nest('why', why), bearerChallenge('invalid_token', 'the access token was revoked'));
    }
    if (clock.nowMs() > token.expiresAt) {
      return fail(DVZA_FHIR.tokenExpired, { expiredAt: new Date(token.expiresAt).toISOString() }, bearerChallenge('invalid_token', 'the access token expired'));
    }
    if (token.clientId !== caller) {
      return fail(
        DVZA_FHIR.tokenOtherClient,
        { issuedTo: token.clientId, caller },
        bearerChallenge('invalid_token', 'the access token belongs to another client'),
      );
    }
    const missingHeaders = [
      ['MedMij-Request-ID', requestId],
      ['X-Correlation-ID', traceId],
    ]
      .filter(([, v]) => !v)
      .map(([h]) => h);
    if (missingHeaders.length) return fail(DVZA_FHIR.headersMissing, { headers: missingHeaders.join(' and ') });
    const forbidden = [...url.searchParams.keys()].filter((k) => PATIENT_PARAMETERS.test(k));
    if (forbidden.length) return fail(DVZA_FHIR.patientParameter, { parameters: forbidden.join(', ') });

    const segments = path.split('/').filter(Boolean);
    const type = segments[0] ?? '';
    const lastn = segments[1] === '$lastn';
    const readId = !lastn ? segments[1] : undefined;
    if (!type || segments.length > 2 || (segments[1]?.startsWith('$') && !lastn)) return fail(DVZA_FHIR.noSuchEndpoint, { path: url.pathname });
    if (!/^[A-Z][A-Za-z]+$/.test(type)) return fail(DVZA_FHIR.notAResourceType, { type });

    const inScope = token.gegevensdiensten.filter((id) => gegevensdienstContent(gegevensdienstOf(rt.topology, id)?.key)?.resourceTypes.includes(type));
    if (inScope.length === 0) {
      return fail(
        DVZA_FHIR.outsideScope,
        { type, gegevensdiensten: token.gegevensdiensten.join(', ') },
        bearerChallenge('insufficient_scope', `${type} is outside the scope of this token`),
      );
    }
    const patient = rt.patients.byBsn(token.bsn);
    if (!patient) return fail(DVZA_FHIR.patientUnknown, {});
    const dossier = rt.patients.dossier(patient);
    const pool = dedupe(inScope.flatMap((id) => resourcesForGegevensdienst(dossier, id)));

    if (readId) {
      const resource = pool.find((r) => r.resourceType === type && r.id === readId);
      if (!resource) return fail(DVZA_FHIR.readOutsideScope, { type, id: readId });
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
        ...because(DVZA_FHIR.read, { type, id: readId, gegevensdiensten: inScope.join(', ') }),
      });
      // Data collected under a long-lived consent: its 6 months start again (SPEC §10.2).
      if (token.consentId) rt.consents.collected(token.consentId);
      return fhirJson(c, resource, 200);
    }

    let result;
    try {
      result = searchDossier(type, url.searchParams, pool, { lastn, all: pool });
    } catch (e) {
      if (e instanceof SearchError)
        return refuseWith(e.status, e.issueCode, e.message, said(DVZA_FHIR.searchRefused, { request, status: e.status, ...nest('problem', e.said) }));
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
      ...because(lastn ? DVZA_FHIR.lastn : DVZA_FHIR.searched, {
        type,
        gegevensdiensten: inScope.join(', '),
        matches: result.matches.length,
        included: result.included.length,
      }),
      body: { total: bundle.total, entries: bundle.entry.map((e) => `${e.resource.resourceType}/${e.resource.id} (${e.search.mode})`) },
    });
    if (token.consentId) rt.consents.collected(token.consentId);
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

/**
 * Every FHIR answer leaves through here, and leaves with its BSNs masked (SPEC §10.6: the PGO may not process the
 * BSN): the DVZA's dossier keeps them; what goes over the wire says "BSN, masked" (data-absent-reason).
 */
function fhirJson(c: Context<Env>, body: unknown, status: number) {
  return c.body(JSON.stringify(maskBsn(body).masked, null, 2), status as 200, { 'content-type': FHIR_JSON });
}
