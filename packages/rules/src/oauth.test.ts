import { describe, expect, it } from 'vitest';
import { DVZA_FHIR, OAUTH, OAUTH_RULES, because, describe as describeId, nest, ruleText, said } from './index.js';

describe('the 2.x OAuth contract in the catalogue', () => {
  it('cites SPEC §10 for what afsprakenstelsel 2 adds', () => {
    expect(ruleText(OAUTH_RULES.refreshRotation)).toMatch(/^SPEC §10\.2 a refresh token is bound to its client and counts once/);
    expect(ruleText(OAUTH_RULES.longLivedConsent, 'nl')).toBe(
      'SPEC §10.2 langdurige toestemming, als de persoon ervoor kiest: die vervalt na meer dan 6 maanden zonder opgehaalde gegevens, en de persoon kan die intrekken',
    );
  });

  it('a token refusal of the contract reads and answers like the DVZA’s own', () => {
    const r = OAUTH.token.fieldsMissing;
    expect([r.status, r.error]).toEqual([400, 'invalid_request']);
    expect(because(r, { fields: 'redirect_uri' })).toEqual({
      reason: 'token refused: invalid_request (redirect_uri is missing)',
      ruleId: 'oauth.token.fields-missing',
      params: { fields: 'redirect_uri' },
      rule: 'SPEC §2.5 the token request is a form: grant_type, code, redirect_uri and client_id; a refresh: grant_type, refresh_token and client_id; each once',
    });
    expect(r.description.nl({ fields: 'code and client_id' })).toBe('code en client_id ontbreken');
    expect(OAUTH.refresh.exchanged.nl({ clientId: 'pgo.localhost', scope: '48 49', expiresAt: 'T1', refreshExpiresAt: 'T2' })).toBe(
      'refresh token ingewisseld door pgo.localhost: toegangstoken voor gegevensdienst 48 49, geldig tot T1, en een nieuw refresh token, geldig tot T2 (sandboxklok)',
    );
  });

  it('an Accept problem nested in the resource server’s refusal, said again in Dutch', () => {
    const problem = said(OAUTH.accept.fhirVersion, { accept: 'application/fhir+json; fhirVersion=4.0', fhirVersion: '4.0' });
    const b = because(DVZA_FHIR.acceptRefused, { request: 'GET /fhir/Patient', ...nest('problem', problem) });
    expect(b.reason).toBe(
      "FHIR GET /fhir/Patient refused (406): Accept 'application/fhir+json; fhirVersion=4.0' asks for FHIR version 4.0; this resource server speaks STU3: send Accept: application/fhir+json; fhirVersion=3.0",
    );
    expect(describeId(b.ruleId, b.params, 'nl')).toBe(
      "FHIR GET /fhir/Patient geweigerd (406): Accept 'application/fhir+json; fhirVersion=4.0' vraagt om FHIR-versie 4.0; deze resourceserver spreekt STU3: stuur Accept: application/fhir+json; fhirVersion=3.0",
    );
  });
});
