/**
 * A scenario run as the sandbox's scenario service answers it (scenarios/dvza-server-certificate-revoked.yaml
 * on its own network, driven through the reference PGO by a headless browser): trace events shaped as in
 * packages/transport (caller 'client' and callee 'server' reports of the same hop, decisions, a refused TLS
 * handshake), the PGO web app's own API calls in between, and the runner's log and checks.
 */
import type { ScenarioInfo, ScenarioRun, TraceEvent } from '@medmij-sandbox/console-api';

export const TRACE = 'f3b6c1de-2a44-4c55-9d0e-7b1a2c3d4e5f';

export const REVOKED: ScenarioInfo = {
  name: 'dvza-server-certificate-revoked',
  title: "The DVZA's back-channel certificate is revoked",
  teaches:
    "The PGO checks the DVZA's certificate against the PKI's CRLs at the TLS handshake of the token request. A revoked certificate ends the connection before any HTTP byte: the code is never handed over.",
  rule: 'SPEC §4 two-sided TLS with PKIoverheid certificates; revocation (sandbox CRLs)',
};

export const UNDER_16: ScenarioInfo = {
  name: 'patient-under-16',
  title: 'A patient under 16',
  teaches:
    "MedMij is for people of 16 and older. The DVZA's beschikbaarheidstoets refuses a 15-year-old after DigiD, and tells the PGO only access_denied: the PGO must not learn why (nor whether a treatment relation exists).",
  rule: 'SPEC §7 age ≥ 16 in the beschikbaarheidstoets; SPEC §2.2 no disclosure to the PGO',
};

export const HAPPY: ScenarioInfo = {
  name: 'happy-path-bgz',
  title: 'Collecting the Basisgegevens Zorg at a huisartsenpraktijk',
  teaches:
    'The whole Verzamelen flow: the PGO reads the Zorgaanbiederslijst, the browser goes to the DVZA, DigiD at the TVS, the beschikbaarheidstoets and consent; the PGO redeems the code over mutual TLS and runs the 28 BgZ queries.',
  rule: 'SPEC §1.2 Verzamelen, steps 1–16',
};

export const CATALOGUE: ScenarioInfo[] = [HAPPY, REVOKED, UNDER_16];

const cert = (host: string, verdict = 'ok') => ({
  peerSubject: `CN=${host}, OU=NOT FOR PRODUCTION, O=MedMij Sandbox, C=NL`,
  issuer: 'CN=MedMij Sandbox Private Services CA - NOT FOR PRODUCTION',
  serial: '5E0C2B4A9D1F3E7788AA01B2C3D4E5F6',
  dnsNames: [host],
  verdict,
});

type Input = Omit<TraceEvent, 'seq' | 'at'>;

/** The events of the run, seq from 1 (a fresh network), 40 ms apart. */
export function revokedEvents(): TraceEvent[] {
  const events: Input[] = [
    // The headless browser loads the PGO app: its own API calls carry no traceId (hidden as clutter).
    {
      reportedBy: 'pgo.localhost',
      side: 'server',
      from: 'browser',
      to: 'pgo.localhost',
      kind: 'http',
      method: 'GET',
      url: '/api/session',
      status: 200,
      outcome: 'ok',
      durationMs: 2,
    },
    {
      traceId: TRACE,
      reportedBy: 'pgo.localhost',
      side: 'server',
      from: 'browser',
      to: 'pgo.localhost',
      kind: 'http',
      method: 'POST',
      url: '/api/collect',
      status: 200,
      outcome: 'ok',
      durationMs: 31,
    },
    {
      traceId: TRACE,
      reportedBy: 'pgo.localhost',
      side: 'client',
      from: 'pgo.localhost',
      to: 'stelselnode.localhost',
      kind: 'http',
      method: 'GET',
      url: '/MedMij_Zorgaanbiederslijst.xml',
      status: 200,
      outcome: 'ok',
      durationMs: 9,
      tls: cert('stelselnode.localhost'),
    },
    {
      traceId: TRACE,
      reportedBy: 'stelselnode.localhost',
      side: 'server',
      from: 'pgo.localhost',
      to: 'stelselnode.localhost',
      kind: 'http',
      method: 'GET',
      url: '/MedMij_Zorgaanbiederslijst.xml',
      status: 200,
      outcome: 'ok',
      tls: cert('pgo.localhost'),
    },
    {
      traceId: TRACE,
      reportedBy: 'pgo.localhost',
      from: 'pgo.localhost',
      to: 'pgo.localhost',
      kind: 'decision',
      outcome: 'ok',
      reason: 'dekroon@medmij is on the Zorgaanbiederslijst (Volgnummer 1) and offers gegevensdienst 1',
      rule: 'SPEC §3.1 Zorgaanbiederslijst',
    },
    {
      traceId: TRACE,
      reportedBy: 'dekroon.dvza.localhost',
      side: 'server',
      from: 'browser',
      to: 'dekroon.dvza.localhost',
      kind: 'http',
      method: 'GET',
      url: `/oauth/authorize?response_type=code&client_id=pgo.localhost&redirect_uri=https%3A%2F%2Fpgo.localhost%3A8750%2Foauth%2Fcallback&scope=1&state=9f1c2d`,
      status: 200,
      outcome: 'ok',
      durationMs: 4,
    },
    {
      traceId: TRACE,
      reportedBy: 'dekroon.dvza.localhost',
      from: 'browser',
      to: 'dekroon.dvza.localhost',
      kind: 'decision',
      outcome: 'ok',
      reason: 'pgo.localhost is on the OAuthclientlist; the redirect_uri is its own',
      rule: 'SPEC §2.3 OAuthclientlist',
    },
    {
      reportedBy: 'tvs.localhost',
      side: 'server',
      from: 'browser',
      to: 'tvs.localhost',
      kind: 'http',
      method: 'POST',
      url: '/login',
      status: 302,
      outcome: 'ok',
      durationMs: 6,
      reason: 'DigiD login succeeded (Substantieel)',
    },
    {
      traceId: TRACE,
      reportedBy: 'dekroon.dvza.localhost',
      side: 'client',
      from: 'dekroon.dvza.localhost',
      to: 'tvs.localhost',
      kind: 'http',
      method: 'POST',
      url: '/token',
      status: 200,
      outcome: 'ok',
      durationMs: 12,
      tls: cert('tvs.localhost'),
      reason: 'artifact resolution over mutual TLS',
    },
    {
      traceId: TRACE,
      reportedBy: 'tvs.localhost',
      side: 'server',
      from: 'dekroon.dvza.localhost',
      to: 'tvs.localhost',
      kind: 'http',
      method: 'POST',
      url: '/token',
      status: 200,
      outcome: 'ok',
      tls: cert('dekroon.dvza.localhost'),
    },
    {
      traceId: TRACE,
      reportedBy: 'dekroon.dvza.localhost',
      from: 'browser',
      to: 'dekroon.dvza.localhost',
      kind: 'decision',
      outcome: 'ok',
      reason: 'beschikbaarheidstoets positive: 34 years old, a treatment relation exists',
      rule: 'SPEC §2.2 beschikbaarheidstoets',
    },
    {
      reportedBy: 'pgo.localhost',
      side: 'server',
      from: 'browser',
      to: 'pgo.localhost',
      kind: 'http',
      method: 'GET',
      url: '/api/collections',
      status: 200,
      outcome: 'ok',
      durationMs: 1,
    },
    {
      traceId: TRACE,
      reportedBy: 'dekroon.dvza.localhost',
      side: 'server',
      from: 'browser',
      to: 'dekroon.dvza.localhost',
      kind: 'http',
      method: 'POST',
      url: '/oauth/consent',
      status: 302,
      outcome: 'ok',
      durationMs: 3,
      reason: 'consent given; the browser goes back to the PGO with a code',
    },
    {
      traceId: TRACE,
      reportedBy: 'pgo.localhost',
      side: 'server',
      from: 'browser',
      to: 'pgo.localhost',
      kind: 'http',
      method: 'GET',
      url: '/oauth/callback?code=7c1e0b&state=9f1c2d',
      status: 302,
      outcome: 'ok',
      durationMs: 48,
    },
    {
      traceId: TRACE,
      reportedBy: 'pgo.localhost',
      side: 'client',
      from: 'pgo.localhost',
      to: 'pki.localhost',
      kind: 'http',
      method: 'GET',
      url: '/crl/private-services.crl',
      status: 200,
      outcome: 'ok',
      durationMs: 3,
    },
    {
      traceId: TRACE,
      reportedBy: 'pki.localhost',
      side: 'server',
      from: 'pgo.localhost',
      to: 'pki.localhost',
      kind: 'http',
      method: 'GET',
      url: '/crl/private-services.crl',
      status: 200,
      outcome: 'ok',
    },
    {
      traceId: TRACE,
      reportedBy: 'pgo.localhost',
      side: 'client',
      from: 'pgo.localhost',
      to: 'dekroon.dvza.localhost',
      kind: 'tls',
      method: 'POST',
      url: '/oauth/token',
      outcome: 'refused',
      tls: cert('dekroon.dvza.localhost', 'CERT_REVOKED'),
      reason: 'refused the server certificate of dekroon.dvza.localhost: CERT_REVOKED (on the CRL of the Private Services CA)',
      rule: 'SPEC §4 certificate revocation',
    },
    {
      traceId: TRACE,
      reportedBy: 'pgo.localhost',
      from: 'pgo.localhost',
      to: 'pgo.localhost',
      kind: 'decision',
      outcome: 'refused',
      reason: 'collection refused at step token: CERT_REVOKED',
      rule: 'SPEC §4 two-sided TLS',
    },
    {
      reportedBy: 'pgo.localhost',
      side: 'server',
      from: 'browser',
      to: 'pgo.localhost',
      kind: 'http',
      method: 'GET',
      url: '/api/collections/c-1',
      status: 200,
      outcome: 'ok',
      durationMs: 1,
    },
  ];
  return events.map((e, i) => ({ seq: i + 1, at: new Date(Date.UTC(2026, 5, 1, 8, 0, 0, i * 40)).toISOString(), ...e }));
}

/** The hops a person sees (as the inspector shows them) in revokedEvents(), in order. */
export const REVOKED_STEP_SEQS = [2, 3, 5, 6, 7, 8, 9, 11, 13, 14, 15, 17, 18];

export function revokedRun(overrides: Partial<ScenarioRun> = {}): ScenarioRun {
  return {
    ...REVOKED,
    ok: true,
    durationMs: 1840,
    log: [
      'setup: revoked the server certificate of dekroon',
      'collect 1 at dekroon as Sanne de Vries (DigiD: success, substantieel; consent: ja): refused CERT_REVOKED at token',
    ],
    checks: [
      { what: 'PGO shows: refused CERT_REVOKED at token', ok: true, message: 'refused CERT_REVOKED at token' },
      { what: 'the person consented', ok: true, message: '#13: browser → dekroon.dvza.localhost POST /oauth/consent → 302', seq: 13 },
      // Matched the TVS's (callee's) report; the presenter shows the DVZA's (caller's) report of that hop.
      { what: 'artifact resolution over mTLS', ok: true, message: '#10: dekroon.dvza.localhost → tvs.localhost POST /token → 200', seq: 10 },
      { what: 'the PGO refuses the handshake', ok: true, message: '#17: TLS CERT_REVOKED pgo.localhost → dekroon.dvza.localhost', seq: 17 },
      { what: 'the DVZA never sees a token request', ok: true, message: 'none, as expected' },
      { what: 'no FHIR request made', ok: true, message: 'none, as expected' },
    ],
    events: revokedEvents(),
    ...overrides,
  };
}

/** The same run when the DVZA's certificate was not revoked after all: the PGO collects, two checks fail. */
export function failedRevokedRun(): ScenarioRun {
  const run = revokedRun();
  return {
    ...run,
    ok: false,
    checks: run.checks.map((c, i) =>
      i === 0
        ? { ...c, ok: false, message: 'expected refused CERT_REVOKED, got collected (34 resources)' }
        : i === 3
          ? { what: c.what, ok: false, message: 'no such event in the trace' }
          : c,
    ),
  };
}
