import { describe, expect, it } from 'vitest';
import { parseRevocationRequest, revocationEndpointOf, revocationRequestBody } from './revocation.js';

describe('token revocation (RFC 7009, the sandbox extension of afsprakenstelsel 2)', () => {
  it('sits beside the token endpoint', () => {
    expect(revocationEndpointOf('https://dekroon.dvza.localhost:8721/oauth/token')).toBe('https://dekroon.dvza.localhost:8721/oauth/revoke');
  });

  it('reads the form both sides write', () => {
    const body = revocationRequestBody({ token: 'abc', token_type_hint: 'refresh_token', client_id: 'pgo.localhost' });
    expect(parseRevocationRequest('2', body)).toEqual({ ok: true, request: { token: 'abc', token_type_hint: 'refresh_token', client_id: 'pgo.localhost' } });
    expect(parseRevocationRequest('2', { token: 'abc', client_id: 'pgo.localhost' })).toMatchObject({ ok: true, request: { token: 'abc' } });
  });

  it('refuses what RFC 7009 and this network do not allow, saying why', () => {
    const refusal = (r: ReturnType<typeof parseRevocationRequest>) => (r.ok ? undefined : [r.status, r.body.error, r.body.error_description]);
    expect(refusal(parseRevocationRequest('2', 'client_id=pgo.localhost'))).toEqual([
      400,
      'invalid_request',
      'a revocation request is a form with token, client_id and optionally token_type_hint: token missing',
    ]);
    expect(refusal(parseRevocationRequest('2', 'token=a&token=b&client_id=x'))?.[2]).toMatch(/token is given more than once$/);
    // RFC 7009 §2.1: a hint the server does not know (or an empty one) is ignored, not refused.
    expect(parseRevocationRequest('2', 'token=a&client_id=x&token_type_hint=id_token')).toEqual({ ok: true, request: { token: 'a', client_id: 'x' } });
    expect(parseRevocationRequest('2', 'token=a&client_id=x&token_type_hint=')).toEqual({ ok: true, request: { token: 'a', client_id: 'x' } });
    expect(refusal(parseRevocationRequest('1.5', 'token=a&client_id=x'))?.[2]).toMatch(/^this network speaks afsprakenstelsel 1\.5/);
  });
});
