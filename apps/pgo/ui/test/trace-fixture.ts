/**
 * One authorization flow as the sandbox participants report it (shapes as in packages/transport: the
 * caller reports side 'client' with the server's certificate, the callee side 'server' with headers and
 * the client's certificate), plus a refused TLS hop and an unrelated flow.
 */
import type { TraceEvent } from '../../src/api.ts';

export const TRACE_ID = 'trace-flow-1';

const serverCert = (host: string) => ({
  peerSubject: `CN=${host}, OU=NOT FOR PRODUCTION, O=Sandbox, C=NL`,
  issuer: 'CN=MedMij Sandbox Private Services CA - NOT FOR PRODUCTION',
  serial: '1B562613CCCC4542D55BACD0125F8CED',
  dnsNames: [host],
  verdict: 'ok',
});

export function flowEvents(): TraceEvent[] {
  const events: Omit<TraceEvent, 'seq' | 'at'>[] = [
    { traceId: TRACE_ID, reportedBy: 'pgo.localhost', side: 'server', from: 'browser', to: 'pgo.localhost', kind: 'http', method: 'POST', url: '/api/collect', status: 200, outcome: 'ok', durationMs: 12 },
    { reportedBy: 'pgo.localhost', side: 'server', from: 'browser', to: 'pgo.localhost', kind: 'http', method: 'GET', url: '/api/session', status: 200, outcome: 'ok', durationMs: 1 },
    { traceId: TRACE_ID, reportedBy: 'pki.localhost', side: 'server', from: 'pgo.localhost', to: 'pki.localhost', kind: 'http', method: 'GET', url: '/crl/private-services.crl', status: 200, outcome: 'ok' },
    { traceId: TRACE_ID, reportedBy: 'pgo.localhost', side: 'client', from: 'pgo.localhost', to: 'pki', kind: 'http', method: 'GET', url: '/crl/private-services.crl', status: 200, outcome: 'ok' },
    { traceId: TRACE_ID, reportedBy: 'dekroon.dvza.localhost', side: 'server', from: 'browser', to: 'dekroon.dvza.localhost', kind: 'http', method: 'GET', url: '/oauth/authorize?client_id=pgo.localhost&scope=1', status: 302, outcome: 'ok', headers: { host: 'dekroon.dvza.localhost:8720' } },
    { traceId: TRACE_ID, reportedBy: 'dekroon.dvza.localhost', from: 'browser', to: 'dekroon.dvza.localhost', kind: 'decision', outcome: 'ok', reason: 'to DigiD via the TVS, minimum level Substantieel', rule: 'SPEC §2.3 DigiD' },
    { traceId: TRACE_ID, reportedBy: 'tvs.localhost', side: 'server', from: 'browser', to: 'tvs.localhost', kind: 'http', method: 'POST', url: '/login', status: 302, outcome: 'ok' },
    { traceId: TRACE_ID, reportedBy: 'dekroon.dvza.localhost', from: 'browser', to: 'dekroon.dvza.localhost', kind: 'decision', outcome: 'warning', reason: 'the Whitelist is stale', rule: 'SPEC §3.3 stale lists' },
    { reportedBy: 'dekroon.dvza.localhost', side: 'server', from: 'browser', to: 'dekroon.dvza.localhost', kind: 'http', method: 'POST', url: '/oauth/consent', status: 302, outcome: 'ok' },
    { traceId: TRACE_ID, reportedBy: 'dekroon.dvza.localhost', side: 'server', from: 'pgo.localhost', to: 'dekroon.dvza.localhost', kind: 'http', method: 'POST', url: '/oauth/token', status: 200, outcome: 'ok', tls: { ...serverCert('pgo.localhost') }, headers: { 'content-type': 'application/x-www-form-urlencoded' }, requestId: 'req-1' },
    { traceId: TRACE_ID, reportedBy: 'pgo.localhost', side: 'client', from: 'pgo.localhost', to: 'dekroon.dvza.localhost', kind: 'http', method: 'POST', url: '/oauth/token', status: 200, outcome: 'ok', tls: serverCert('dekroon.dvza.localhost'), requestId: 'req-1', rule: 'SPEC §2.5 token request', body: { token_type: 'Bearer', expires_in: 900 } },
    { traceId: TRACE_ID, reportedBy: 'pgo.localhost', side: 'client', from: 'pgo.localhost', to: 'stelselnode.localhost', kind: 'http', method: 'GET', url: '/MedMij_Whitelist.xml', status: 200, outcome: 'ok' },
    { traceId: TRACE_ID, reportedBy: 'pgo.localhost', side: 'client', from: 'pgo.localhost', to: 'rivierenland.dvza.localhost', kind: 'tls', method: 'GET', url: '/fhir/Patient', outcome: 'refused', tls: { ...serverCert('rivierenland.dvza.localhost'), verdict: 'CERT_REVOKED' }, reason: 'refused the server certificate of rivierenland.dvza.localhost: CERT_REVOKED' },
    { traceId: 'trace-other', reportedBy: 'deboog.dvza.localhost', side: 'server', from: 'curl', to: 'deboog.dvza.localhost', kind: 'http', method: 'GET', url: '/oauth/authorize', status: 400, outcome: 'refused' },
    { reportedBy: 'dekroon.dvza.localhost', side: 'server', from: 'browser', to: 'dekroon.dvza.localhost', kind: 'http', method: 'GET', url: '/later', status: 200, outcome: 'ok' },
  ];
  return events.map((e, i) => ({ seq: i + 1, at: new Date(Date.UTC(2026, 10, 23, 10, 0, 0, i * 40)).toISOString(), ...e }));
}
