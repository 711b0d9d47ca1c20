import { describe, expect, it } from 'vitest';
import { say } from '@medmij-sandbox/rules';
import { FHIR_ACCEPT_STU3, MEDMIJ_HEADERS, medmijHeaders, missingMedmijHeaders, parseFhirAccept, tokenRequestHeadersFault, type FhirAccept } from './index.js';

const IDS = { requestId: '57510be1-73e6-4a75-9db8-ee005cced48f', correlationId: 'c0e7b545-9606-4eef-bea7-75d8addaa54b' };

describe('the MedMij headers', () => {
  it('names them, and builds them for a request', () => {
    expect(MEDMIJ_HEADERS).toEqual({ requestId: 'MedMij-Request-ID', correlationId: 'X-Correlation-ID' });
    expect(medmijHeaders(IDS)).toEqual({ 'MedMij-Request-ID': IDS.requestId, 'X-Correlation-ID': IDS.correlationId });
  });

  it('says which are missing, whatever the case of the names, from a record or fetch Headers', () => {
    expect(missingMedmijHeaders(medmijHeaders(IDS))).toEqual([]);
    expect(missingMedmijHeaders({ 'medmij-request-id': IDS.requestId, 'x-correlation-id': IDS.correlationId })).toEqual([]);
    expect(missingMedmijHeaders({ 'medmij-request-id': IDS.requestId })).toEqual(['X-Correlation-ID']);
    expect(missingMedmijHeaders({ 'MEDMIJ-REQUEST-ID': ' ', 'x-correlation-id': [IDS.correlationId] })).toEqual(['MedMij-Request-ID']);
    expect(missingMedmijHeaders({})).toEqual(['MedMij-Request-ID', 'X-Correlation-ID']);
    expect(missingMedmijHeaders(new Headers({ 'x-correlation-id': IDS.correlationId }))).toEqual(['MedMij-Request-ID']);
  });

  it('the token request: 2 requires both, invalid_request naming the missing one; 1.5 requires none', () => {
    const fault = tokenRequestHeadersFault('2', { 'medmij-request-id': IDS.requestId });
    expect(fault && { status: fault.status, ...fault.body, id: fault.said.reason.id, nl: say(fault.said, 'nl') }).toEqual({
      status: 400,
      error: 'invalid_request',
      error_description:
        'missing header X-Correlation-ID: afsprakenstelsel 2 requires MedMij-Request-ID and X-Correlation-ID on the token request (core.tknint.208)',
      id: 'oauth.token.headers-missing',
      nl: 'tokenverzoek geweigerd: invalid_request (header X-Correlation-ID ontbreekt: afsprakenstelsel 2 vereist MedMij-Request-ID en X-Correlation-ID bij het tokenverzoek (core.tknint.208))',
    });
    expect(tokenRequestHeadersFault('2', {})?.params).toEqual({ headers: 'MedMij-Request-ID and X-Correlation-ID' });
    expect(tokenRequestHeadersFault('2', medmijHeaders(IDS))).toBeUndefined();
    expect(tokenRequestHeadersFault('1.5', {})).toBeUndefined();
  });
});

describe('the Accept header of a resource request', () => {
  const refused = (r: FhirAccept) => {
    if (r.acceptable) throw new Error(`acceptable: ${r.mediaType}`);
    return { en: r.problem, nl: say(r.said, 'nl'), id: r.said.reason.id };
  };

  it('accepts FHIR STU3 JSON or plain JSON, with or without fhirVersion=3.0, and no Accept at all', () => {
    expect(FHIR_ACCEPT_STU3).toBe('application/fhir+json; fhirVersion=3.0');
    for (const accept of [FHIR_ACCEPT_STU3, 'application/fhir+json', 'application/fhir+json;fhirVersion="3.0";charset=utf-8', undefined, '']) {
      expect(parseFhirAccept(accept), String(accept)).toEqual({ acceptable: true, mediaType: 'application/fhir+json' });
    }
    for (const accept of ['application/json', 'Application/JSON; fhirVersion=3.0', 'application/json; FHIRVERSION=3.0.2']) {
      expect(parseFhirAccept(accept), accept).toEqual({ acceptable: true, mediaType: 'application/json' });
    }
    // Any acceptable range will do; a wildcard means anything, so JSON too.
    expect(parseFhirAccept('application/fhir+xml, application/fhir+json; fhirVersion=4.0, application/json;q=0.5')).toEqual({
      acceptable: true,
      mediaType: 'application/json',
    });
    expect(parseFhirAccept('*/*')).toEqual({ acceptable: true, mediaType: 'application/fhir+json' });
  });

  it('refuses another FHIR version, naming it, and a type that is not JSON, in both languages', () => {
    expect(refused(parseFhirAccept('application/fhir+json; fhirVersion=4.0'))).toEqual({
      id: 'oauth.accept.fhir-version',
      en: "Accept 'application/fhir+json; fhirVersion=4.0' asks for FHIR version 4.0; this resource server speaks STU3: send Accept: application/fhir+json; fhirVersion=3.0",
      nl: "Accept 'application/fhir+json; fhirVersion=4.0' vraagt om FHIR-versie 4.0; deze resourceserver spreekt STU3: stuur Accept: application/fhir+json; fhirVersion=3.0",
    });
    expect(refused(parseFhirAccept('application/fhir+xml'))).toEqual({
      id: 'oauth.accept.not-json',
      en: "Accept 'application/fhir+xml' allows neither application/fhir+json nor application/json: send Accept: application/fhir+json; fhirVersion=3.0",
      nl: "Accept 'application/fhir+xml' staat noch application/fhir+json noch application/json toe: stuur Accept: application/fhir+json; fhirVersion=3.0",
    });
    expect(refused(parseFhirAccept('application/fhir+json; q=0, text/html')).id).toBe('oauth.accept.not-json');
    expect(refused(parseFhirAccept('*/*; fhirVersion=4.0')).id).toBe('oauth.accept.fhir-version');
  });
});
