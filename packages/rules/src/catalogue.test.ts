import { readdirSync, readFileSync } from 'node:fs';
import { describe as group, expect, it } from 'vitest';
import {
  DVZA_FHIR,
  DVZA_PAGE,
  DVZA_TOKEN,
  DVZA_TO_CLIENT,
  DVZA_RULES,
  LISTS,
  LISTS_RULES,
  TRANSPORT,
  because,
  catalogue,
  catalogueEntry,
  cite,
  describe,
  nest,
  nestedReasons,
  paramsOfReason,
  ruleText,
  said,
  type Reason,
  type Rule,
} from './index.js';

const entries = catalogue();
const rules = entries.filter((e): e is Rule => e.kind === 'rule');
const reasons = entries.filter((e): e is Reason => e.kind === 'reason');

group('the rule catalogue', () => {
  it('has every rule and reason once, with a well-formed id', () => {
    expect(rules.length).toBeGreaterThanOrEqual(45);
    expect(reasons.length).toBeGreaterThanOrEqual(150);
    const ids = entries.map((e) => e.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    for (const e of entries) expect(catalogueEntry(e.id)).toBe(e);
  });

  it('imports nothing but its own files: no dependencies, no Node (the PGO web UI may load it)', () => {
    const dir = new URL('.', import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const imports = [...readFileSync(new URL(file, dir), 'utf8').matchAll(/^import [^;]*? from '([^']+)';$/gm)].map((m) => m[1]);
      expect(
        imports.filter((i) => !i!.startsWith('./')),
        file,
      ).toEqual([]);
    }
  });

  it('gives every rule a text in both languages, citing the spec or saying it is a sandbox extension', () => {
    for (const r of rules) {
      expect(r.en.trim(), r.id).not.toBe('');
      expect(r.nl.trim(), r.id).not.toBe('');
      expect(r.nl, r.id).not.toMatch(/^SPEC/);
      const t = ruleText(r);
      // The one exception cites another standard: the PKI repository's OCSP responder (RFC 6960).
      if (!r.spec) expect(t, r.id).toMatch(/^(sandbox extension: |RFC \d+ )/);
      else expect(t, r.id).toBe(`SPEC ${r.spec} ${r.en}`);
    }
    expect(ruleText(DVZA_RULES.codeSingleUse)).toBe(
      'SPEC §2.5 the code is single-use (core.tknint.203/204), short-lived, bound to client and redirect_uri (core.tknint.205)',
    );
    expect(ruleText(LISTS_RULES.signature, 'nl')).toBe('sandbox-uitbreiding: lijsten ondertekend door de stelselnode (XML-DSig)');
    expect(ruleText(DVZA_RULES.accessToken, 'nl')).toBe('SPEC §2.5 toegangstoken, ongeveer 15 minuten geldig');
  });

  it('gives every reason a text in both languages, and names no rule outside the catalogue', () => {
    // Parameters every reason can render with: whatever a text reads is there.
    const any = new Proxy({}, { get: (_t, k) => (typeof k === 'string' && !k.includes('.') ? 'x' : undefined), has: () => true }) as never;
    for (const r of reasons) {
      expect(r.en(any).trim(), r.id).not.toBe('');
      expect(r.nl(any).trim(), r.id).not.toBe('');
      if (r.rule) expect(catalogueEntry(r.rule.id)).toBe(r.rule);
    }
  });

  it('renders a reason with its parameters in English (the trace) and Dutch', () => {
    const replay = { usedAt: '2026-06-01T08:00:00.000Z', revoked: 1 };
    expect(DVZA_TOKEN.codeReplayed.en(replay)).toBe(
      'token refused: invalid_grant (the code was already used at 2026-06-01T08:00:00.000Z; 1 access token(s) issued from it are revoked)',
    );
    expect(DVZA_TOKEN.codeReplayed.nl(replay)).toBe(
      'tokenverzoek geweigerd: invalid_grant (de autorisatiecode is al gebruikt op 2026-06-01T08:00:00.000Z; 1 ermee uitgegeven toegangstoken(s) zijn ingetrokken)',
    );
    expect(DVZA_TOKEN.codeReplayed.description.en(replay)).toBe(
      'the code was already used at 2026-06-01T08:00:00.000Z; 1 access token(s) issued from it are revoked',
    );

    const young = { name: 'Vienna van Dongen', age: 15, today: '2026-06-01', born: '2010-10-22', minimum: 16, client: 'pgo.localhost' };
    expect(DVZA_TO_CLIENT.under16.en(young)).toBe(
      'beschikbaarheidstoets negative: Vienna van Dongen is 15 on 2026-06-01 (born 2010-10-22); MedMij requires at least 16 → access_denied to pgo.localhost',
    );
    expect(DVZA_TO_CLIENT.under16.nl(young)).toBe(
      'beschikbaarheidstoets negatief: Vienna van Dongen is 15 op 2026-06-01 (geboren 2010-10-22); MedMij vereist minstens 16 → access_denied aan pgo.localhost',
    );
    expect(DVZA_TO_CLIENT.under16.description.en(young)).toBe('the care provider makes no data available for this request');

    // A page quotes itself in the person's language; the Dutch reading is Dutch throughout.
    expect(DVZA_PAGE.clientNotListed.en({ client: 'pgo.localhost', lang: 'nl' })).toBe(
      'De app pgo.localhost staat niet op de OAuthclientlist van MedMij. (invalid_client; shown to the person, not redirected)',
    );
    expect(DVZA_PAGE.clientNotListed.en({ client: 'pgo.localhost', lang: 'en' })).toBe(
      'The app pgo.localhost is not on the MedMij OAuthclientlist. (invalid_client; shown to the person, not redirected)',
    );
    expect(DVZA_PAGE.flowNotInProgress.en({ lang: 'nl/en' })).toBe(
      'Deze aanvraag loopt niet (meer) in deze browser. / This request is not (or no longer) in progress in this browser. (invalid_request; shown to the person, not redirected)',
    );
    expect(DVZA_PAGE.clientNotListed.nl({ client: 'pgo.localhost', lang: 'en' })).toBe(
      'De app pgo.localhost staat niet op de OAuthclientlist van MedMij. (invalid_client; aan de persoon getoond, niet doorgestuurd)',
    );
  });

  it('puts a rule and a reason on a trace event: text, id, parameters', () => {
    expect(cite(DVZA_RULES.bearer)).toEqual({
      rule: 'SPEC §2.7 the access token only in Authorization: Bearer (core.rscint.200)',
      ruleId: 'dvza.fhir.bearer-token',
    });
    expect(because(DVZA_TOKEN.unknownCode)).toEqual({
      reason: 'token refused: invalid_grant (unknown code)',
      ruleId: 'dvza.token.unknown-code',
      rule: 'SPEC §2.5 the code is single-use (core.tknint.203/204), short-lived, bound to client and redirect_uri (core.tknint.205)',
    });
    // A reason without a rule of its own leaves the event's rule alone.
    expect(because(TRANSPORT.timedOut, { to: 'tvs.localhost' })).toEqual({
      reason: 'tvs.localhost did not answer in time',
      ruleId: 'transport.hop.timed-out',
      params: { to: 'tvs.localhost' },
    });
    expect(describe('dvza.fhir.bearer-token', {}, 'nl')).toBe('SPEC §2.7 het toegangstoken alleen in Authorization: Bearer (core.rscint.200)');
    expect(describe('transport.hop.timed-out', { to: 'tvs.localhost' }, 'nl')).toBe('tvs.localhost antwoordde niet op tijd');
    expect(describe('no.such-id')).toBeUndefined();
  });

  it('nests a reason in another one: said once in English, said again in Dutch', () => {
    const hop = said(TRANSPORT.connectionRefused, { to: 'stelselnode.localhost' });
    const keeping = said(LISTS.keeping.held, { volgnummer: 1, tijdstempel: '2026-06-01T08:00:00Z' });
    const params = { ...nest('problem', hop), ...nest('keeping', keeping) };
    expect(params).toMatchObject({
      problem: 'nothing listens at stelselnode.localhost: connection refused (is that participant running?)',
      'problem.ruleId': 'transport.hop.connection-refused',
      'problem.to': 'stelselnode.localhost',
    });
    const b = because(LISTS.unreachable, params);
    expect(b.reason).toBe(
      'stelselnode unreachable (nothing listens at stelselnode.localhost: connection refused (is that participant running?)); keeping Volgnummer 1 (published 2026-06-01T08:00:00Z)',
    );
    expect(describe(b.ruleId, b.params, 'nl')).toBe(
      'stelselnode onbereikbaar (niets luistert op stelselnode.localhost: verbinding geweigerd (draait die deelnemer wel?)); Volgnummer 1 blijft in gebruik (gepubliceerd 2026-06-01T08:00:00Z)',
    );
    expect(nestedReasons(params).map((n) => n.ruleId)).toEqual(['transport.hop.connection-refused', 'lists.keeping.held']);
    // A reason found by its id, given itself or nested: what the scenario runner reads Volgnummers from.
    expect(paramsOfReason(b, LISTS.unreachable.id)).toEqual(params);
    expect(paramsOfReason(b, 'transport.hop.connection-refused')).toEqual({ to: 'stelselnode.localhost' });
    expect(paramsOfReason(b, LISTS.accepted.id)).toBeUndefined();

    // Two levels deep, and an open-ended text kept as it came.
    const last = said(LISTS.unreachable, params);
    const deep = because(LISTS.noneReceivedLastAttempt, { kind: 'Whitelist', ...nest('last', last) });
    expect(describe(deep.ruleId, deep.params, 'nl')).toContain('(laatste poging: stelselnode onbereikbaar (niets luistert op stelselnode.localhost');
    const open = because(DVZA_FHIR.tokenRevoked, { request: 'GET /fhir/Patient', ...nest('why', 'revoked by hand') });
    expect(describe(open.ruleId, open.params, 'nl')).toBe('FHIR GET /fhir/Patient geweigerd (401): het toegangstoken is ingetrokken: revoked by hand');
  });
});
