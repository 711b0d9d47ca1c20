/**
 * A scenario run as the sandbox's scenario service answers it (scenarios/dvza-server-certificate-revoked.yaml
 * on its own network, driven through the reference PGO by a headless browser): trace events shaped as in
 * packages/transport (caller 'client' and callee 'server' reports of the same hop, decisions, a refused TLS
 * handshake) with the rule catalogue's ids and parameters, the PGO web app's own API calls in between, and the
 * runner's log and checks in both languages.
 */
import type { ScenarioInfo, ScenarioRun, TraceEvent } from '@medmij-sandbox/console-api';
import { DVZA_AUTHORIZE, DVZA_RULES, PGO, PGO_RULES, TRANSPORT, because, cite, citing, said } from '@medmij-sandbox/rules';

export const TRACE = 'f3b6c1de-2a44-4c55-9d0e-7b1a2c3d4e5f';

export const REVOKED: ScenarioInfo = {
  name: 'dvza-server-certificate-revoked',
  title: { nl: 'Het back-channelcertificaat van de DVZA is ingetrokken', en: "The DVZA's back-channel certificate is revoked" },
  teaches: {
    nl: "De PGO controleert het certificaat van de DVZA bij de TLS-handshake van het tokenverzoek tegen de CRL's van de PKI. Een ingetrokken certificaat beëindigt de verbinding nog vóór de eerste HTTP-byte: de autorisatiecode wordt nooit overhandigd.",
    en: "The PGO checks the DVZA's certificate against the PKI's CRLs at the TLS handshake of the token request. A revoked certificate ends the connection before any HTTP byte: the code is never handed over.",
  },
  rule: {
    nl: "SPEC §4 tweezijdig TLS met PKIoverheid-certificaten; intrekking (CRL's van de sandbox)",
    en: 'SPEC §4 two-sided TLS with PKIoverheid certificates; revocation (sandbox CRLs)',
  },
};

export const UNDER_16: ScenarioInfo = {
  name: 'patient-under-16',
  title: { nl: 'Een patiënt onder de 16', en: 'A patient under 16' },
  teaches: {
    nl: 'MedMij is voor mensen van 16 jaar en ouder. De beschikbaarheidstoets van de DVZA weigert een 15-jarige na DigiD, en meldt de PGO alleen access_denied: de PGO mag niet te weten komen waarom (en ook niet of er een behandelrelatie bestaat).',
    en: "MedMij is for people of 16 and older. The DVZA's beschikbaarheidstoets refuses a 15-year-old after DigiD, and tells the PGO only access_denied: the PGO must not learn why (nor whether a treatment relation exists).",
  },
  rule: {
    nl: 'SPEC §7 leeftijd ≥ 16 in de beschikbaarheidstoets; SPEC §2.2 niets prijsgeven aan de PGO',
    en: 'SPEC §7 age ≥ 16 in the beschikbaarheidstoets; SPEC §2.2 no disclosure to the PGO',
  },
};

export const HAPPY: ScenarioInfo = {
  name: 'happy-path-bgz',
  title: { nl: 'De Basisgegevens Zorg ophalen bij een huisartsenpraktijk', en: 'Collecting the Basisgegevens Zorg at a huisartsenpraktijk' },
  teaches: {
    nl: 'De hele flow van Verzamelen: de PGO leest de Zorgaanbiederslijst, de browser gaat naar de DVZA, DigiD bij de TVS, de beschikbaarheidstoets en toestemming; de PGO wisselt de autorisatiecode in over tweezijdig TLS en doet de 28 BgZ-zoekvragen.',
    en: 'The whole Verzamelen flow: the PGO reads the Zorgaanbiederslijst, the browser goes to the DVZA, DigiD at the TVS, the beschikbaarheidstoets and consent; the PGO redeems the code over mutual TLS and runs the 28 BgZ queries.',
  },
  rule: { nl: 'SPEC §1.2 Verzamelen, stappen 1–16', en: 'SPEC §1.2 Verzamelen, steps 1–16' },
};

/** The PGO's decision before the browser goes to the DVZA (seq 5), as the catalogue says it. */
export const AUTHORIZATION_REQUEST = said(PGO.authorizationRequest, {
  gegevensdienst: 'Basisgegevens Zorg (BgZ)',
  zorgaanbieder: 'Huisartsenpraktijk De Kroon',
  endpoint: 'https://dekroon.dvza.localhost:8720/oauth/authorize',
});
/** The refused handshake of the token request (seq 17): a reason without a rule of its own, and the PGO's rule. */
export const CERT_REFUSED = said(TRANSPORT.serverCertificateRefused, {
  to: 'dekroon.dvza.localhost',
  code: 'CERT_REVOKED',
  explanation: 'the certificate is on the CRL of its issuing CA (revoked)',
});
export const CERT_REFUSED_RULE = PGO_RULES.mutualTls;

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
      ...because(AUTHORIZATION_REQUEST),
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
      ...because(DVZA_AUTHORIZE.accepted, { client: 'pgo.localhost', organisatie: 'MedMij Sandbox PGO', scope: 'dekroon~1' }),
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
      ...cite(DVZA_RULES.artifactResolution),
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
      ...because(DVZA_AUTHORIZE.positive, { name: 'Lilian Groen', age: 32, today: '2026-06-01', available: '1', missing: '' }),
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
      ...because(CERT_REFUSED),
      ...citing(CERT_REFUSED_RULE),
    },
    {
      traceId: TRACE,
      reportedBy: 'pgo.localhost',
      from: 'pgo.localhost',
      to: 'pgo.localhost',
      kind: 'decision',
      outcome: 'refused',
      // An event without a catalogue id (an older trace, a participant of elsewhere): shown in its own English words.
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

/** The run as the API answers it. */
export function revokedRun(overrides: Partial<ScenarioRun> = {}): ScenarioRun {
  return {
    ...REVOKED,
    ok: true,
    durationMs: 1840,
    log: [
      { en: 'setup: revoked the server certificate of dekroon', nl: 'voorbereiding: het servercertificaat van dekroon ingetrokken' },
      {
        en: 'collect 1 at dekroon as Lilian Groen (several-providers) (DigiD: success, substantieel; consent: ja): refused (CERT_REVOKED at token: The certificate was revoked)',
        nl: 'gegevensdienst 1 ophalen bij dekroon als Lilian Groen (several-providers) (DigiD: success, substantieel; toestemming: ja): geweigerd (CERT_REVOKED bij token: Het certificaat is ingetrokken)',
      },
    ],
    checks: [
      {
        what: { en: 'PGO shows: refused CERT_REVOKED at token', nl: 'de PGO toont: geweigerd CERT_REVOKED bij token' },
        ok: true,
        message: { en: 'refused CERT_REVOKED at token', nl: 'geweigerd CERT_REVOKED bij token' },
      },
      {
        what: { en: 'the person consented', nl: 'de persoon gaf toestemming' },
        ok: true,
        message: {
          en: '#13: server browser → dekroon.dvza.localhost POST /oauth/consent 302',
          nl: '#13: server browser → dekroon.dvza.localhost POST /oauth/consent 302',
        },
        seq: 13,
      },
      // Matched the TVS's (callee's) report; the presenter shows the DVZA's (caller's) report of that hop.
      {
        what: { en: 'artifact resolution over mTLS', nl: 'het artefact inwisselen over mTLS' },
        ok: true,
        message: {
          en: '#10: server dekroon.dvza.localhost → tvs.localhost POST /token 200',
          nl: '#10: server dekroon.dvza.localhost → tvs.localhost POST /token 200',
        },
        seq: 10,
      },
      {
        what: { en: 'the PGO refuses the handshake', nl: 'de PGO weigert de handshake' },
        ok: true,
        message: { en: '#17: TLS pgo.localhost → dekroon.dvza.localhost CERT_REVOKED', nl: '#17: TLS pgo.localhost → dekroon.dvza.localhost CERT_REVOKED' },
        seq: 17,
      },
      {
        what: { en: 'the DVZA never sees a token request', nl: 'de DVZA ziet nooit een tokenverzoek' },
        ok: true,
        message: { en: 'none, as expected', nl: 'geen, zoals verwacht' },
      },
      { what: { en: 'no FHIR request made', nl: 'geen FHIR-verzoek gedaan' }, ok: true, message: { en: 'none, as expected', nl: 'geen, zoals verwacht' } },
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
        ? { ...c, ok: false, message: { en: 'expected refused CERT_REVOKED, got collected', nl: 'verwacht: geweigerd CERT_REVOKED; gekregen: opgehaald' } }
        : i === 3
          ? {
              what: c.what,
              ok: false,
              message: { en: 'no such event in the trace', nl: 'zo’n gebeurtenis staat niet in de trace' },
              // The event that came closest, as packages/scenario finds it: same hop, another status.
              nearMisses: [
                {
                  seq: 16,
                  summary: {
                    en: 'client pgo.localhost → dekroon.dvza.localhost POST /oauth/token 400',
                    nl: 'client pgo.localhost → dekroon.dvza.localhost POST /oauth/token 400',
                  },
                  differs: [{ field: 'status', expected: '200', actual: '400' }],
                },
              ],
            }
          : c,
    ),
  };
}
