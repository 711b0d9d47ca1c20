import { describe, expect, it } from 'vitest';
import { say } from '@medmij-sandbox/rules';
import {
  GRANT_TYPES,
  grantedIdsOf,
  issuesRefreshToken,
  parseTokenRequest,
  refreshRequestBody,
  tokenRequestBody,
  tokenScopeFor,
  type TokenRefused,
  type TokenResponse,
} from './index.js';

const CODE = { code: 'c1', redirect_uri: 'https://pgo.localhost/cb', client_id: 'pgo.localhost' };
const REFRESH = { refresh_token: 'r1', client_id: 'pgo.localhost' };
const refusal = (r: ReturnType<typeof parseTokenRequest>) => {
  if (r.ok) throw new Error(`accepted: ${JSON.stringify(r.request)}`);
  return { status: r.status, ...r.body, id: r.said.reason.id, nl: say(r.said, 'nl') };
};

describe('the token endpoint contract', () => {
  it('the grant types per afsprakenstelsel', () => {
    expect(GRANT_TYPES['2']).toEqual(['authorization_code', 'refresh_token']);
    expect(GRANT_TYPES['1.5']).toEqual(['authorization_code']);
  });

  it('a refresh is a form: grant_type, refresh_token and client_id, no scope; extra fields replace or leave one out', () => {
    expect(Object.fromEntries(new URLSearchParams(refreshRequestBody(REFRESH)))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'r1',
      client_id: 'pgo.localhost',
    });
    expect(refreshRequestBody(REFRESH, { client_id: null, extra: 'x' })).toBe('grant_type=refresh_token&refresh_token=r1&extra=x');
    // The code request's body is as before.
    expect(tokenRequestBody(CODE)).toBe('grant_type=authorization_code&code=c1&redirect_uri=https%3A%2F%2Fpgo.localhost%2Fcb&client_id=pgo.localhost');
  });

  it('reads both grants in 2, from a body, URLSearchParams or parsed fields; other fields are ignored', () => {
    expect(parseTokenRequest('2', tokenRequestBody(CODE))).toEqual({ ok: true, request: { grant_type: 'authorization_code', ...CODE } });
    expect(parseTokenRequest('2', new URLSearchParams(refreshRequestBody(REFRESH, { scope: '48' })))).toEqual({
      ok: true,
      request: { grant_type: 'refresh_token', ...REFRESH },
    });
    expect(parseTokenRequest('2', { grant_type: 'refresh_token', ...REFRESH, file: {} })).toMatchObject({ ok: true });
    expect(parseTokenRequest('1.5', tokenRequestBody(CODE))).toEqual({ ok: true, request: { grant_type: 'authorization_code', ...CODE } });
  });

  it('2: a missing grant_type is invalid_request, another one unsupported_grant_type naming afsprakenstelsel 2', () => {
    expect(refusal(parseTokenRequest('2', tokenRequestBody(CODE, { grant_type: null })))).toEqual({
      status: 400,
      error: 'invalid_request',
      error_description: 'grant_type is missing',
      id: 'oauth.token.fields-missing',
      nl: 'tokenverzoek geweigerd: invalid_request (grant_type ontbreekt)',
    });
    expect(refusal(parseTokenRequest('2', tokenRequestBody(CODE, { grant_type: 'password' })))).toEqual({
      status: 400,
      error: 'unsupported_grant_type',
      error_description: 'grant_type must be authorization_code or refresh_token in afsprakenstelsel 2, not password',
      id: 'oauth.token.grant-type-unsupported',
      nl: 'tokenverzoek geweigerd: unsupported_grant_type (grant_type moet in afsprakenstelsel 2 authorization_code of refresh_token zijn, niet password)',
    });
  });

  it('1.5: refresh_token is unsupported_grant_type naming afsprakenstelsel 1.5; another grant_type is refused as before', () => {
    expect(refusal(parseTokenRequest('1.5', refreshRequestBody(REFRESH)))).toEqual({
      status: 400,
      error: 'unsupported_grant_type',
      error_description:
        'this network speaks afsprakenstelsel 1.5, which has no refresh tokens (long-lived consent came with afsprakenstelsel 2): grant_type must be authorization_code, not refresh_token',
      id: 'oauth.token.refresh-not-in-1-5',
      nl: 'tokenverzoek geweigerd: unsupported_grant_type (dit netwerk spreekt afsprakenstelsel 1.5, dat geen refresh tokens kent (langdurige toestemming kwam met afsprakenstelsel 2): grant_type moet authorization_code zijn, niet refresh_token)',
    });
    expect(refusal(parseTokenRequest('1.5', tokenRequestBody(CODE, { grant_type: 'password' })))).toMatchObject({
      error: 'unsupported_grant_type',
      error_description: 'grant_type must be authorization_code, not password',
      id: 'dvza.token.grant-type',
    });
  });

  it('a missing grant_type is invalid_request in both afsprakenstelsels (RFC 6749 §5.2), not unsupported_grant_type', () => {
    for (const v of ['1.5', '2'] as const) {
      expect(refusal(parseTokenRequest(v, tokenRequestBody(CODE, { grant_type: null }))), v).toMatchObject({
        status: 400,
        error: 'invalid_request',
        error_description: 'grant_type is missing',
        id: 'oauth.token.fields-missing',
      });
    }
  });

  it('any parameter the grant knows given twice is invalid_request naming it: code_verifier and scope too; unknown ones are ignored', () => {
    for (const v of ['1.5', '2'] as const) {
      expect(refusal(parseTokenRequest(v, `${tokenRequestBody(CODE)}&code_verifier=a&code_verifier=b`)), v).toMatchObject({
        error: 'invalid_request',
        error_description: 'code_verifier given more than once (RFC 6749 §3.2: each parameter once)',
      });
      expect(refusal(parseTokenRequest(v, `${tokenRequestBody(CODE)}&client_id=pgo.localhost`)), v).toMatchObject({
        error_description: 'client_id given more than once (RFC 6749 §3.2: each parameter once)',
      });
      expect(refusal(parseTokenRequest(v, `${tokenRequestBody(CODE)}&scope=a&scope=b&code=c2`)), v).toMatchObject({
        error_description: 'code and scope given more than once (RFC 6749 §3.2: each parameter once)',
      });
      expect(parseTokenRequest(v, `${tokenRequestBody(CODE)}&extra=1&extra=2`).ok, v).toBe(true);
    }
  });

  it('reads a code_verifier when one is sent (an empty one too: a wrong verifier, not none)', () => {
    const read = (body: string) => {
      const r = parseTokenRequest('2', body);
      if (!r.ok || r.request.grant_type !== 'authorization_code') throw new Error('refused');
      return r.request;
    };
    expect(read(tokenRequestBody(CODE)).code_verifier).toBeUndefined();
    expect(read(tokenRequestBody(CODE, { code_verifier: 'v'.repeat(43) })).code_verifier).toBe('v'.repeat(43));
    expect(read(`${tokenRequestBody(CODE)}&code_verifier=`)).toHaveProperty('code_verifier', '');
  });

  it('names every missing field of the grant, and a field given twice', () => {
    // One field reads as the DVZA always said it.
    expect(refusal(parseTokenRequest('1.5', tokenRequestBody(CODE, { redirect_uri: null })))).toMatchObject({
      error: 'invalid_request',
      error_description: 'redirect_uri is missing',
    });
    expect(refusal(parseTokenRequest('2', tokenRequestBody(CODE, { code: '', client_id: null })))).toMatchObject({
      error: 'invalid_request',
      error_description: 'code and client_id are missing',
      nl: 'tokenverzoek geweigerd: invalid_request (code en client_id ontbreken)',
    });
    expect(refusal(parseTokenRequest('2', refreshRequestBody({ refresh_token: '', client_id: 'pgo.localhost' })))).toMatchObject({
      error_description: 'refresh_token is missing',
    });
    expect(refusal(parseTokenRequest('2', `${refreshRequestBody(REFRESH)}&refresh_token=r2`))).toMatchObject({
      error: 'invalid_request',
      error_description: 'refresh_token given more than once (RFC 6749 §3.2: each parameter once)',
      id: 'oauth.token.fields-repeated',
    });
    expect(refusal(parseTokenRequest('2', { ...REFRESH, grant_type: ['refresh_token', 'authorization_code'] }))).toMatchObject({
      error_description: 'grant_type given more than once (RFC 6749 §3.2: each parameter once)',
    });
  });

  it('the refusal carries what a DVZA answers with: the catalogue refusal, its parameters and the RFC 6749 body', () => {
    const r = parseTokenRequest('2', 'grant_type=refresh_token') as TokenRefused;
    expect(r.refusal.id).toBe('oauth.token.fields-missing');
    expect(r.params).toEqual({ fields: 'refresh_token and client_id' });
    expect(say(r.said)).toBe('token refused: invalid_request (refresh_token and client_id are missing)');
  });

  it('the token response: a refresh token only in 2 with long-lived consent; scope = the granted ids in 2', () => {
    expect([issuesRefreshToken('2', true), issuesRefreshToken('2', false), issuesRefreshToken('1.5', true)]).toEqual([true, false, false]);
    expect(tokenScopeFor('2', 'dekroon@medmij', ['48', '49'])).toBe('48 49');
    expect(tokenScopeFor('1.5', 'dekroon@medmij', ['1', '4'])).toBe('dekroon~1 dekroon~4');
    expect(grantedIdsOf('48 49')).toEqual(['48', '49']);
    expect(grantedIdsOf(' 48  49 48 ')).toEqual(['48', '49']);
    expect(grantedIdsOf(undefined)).toEqual([]);
    expect(grantedIdsOf('dekroon~1 dekroon~4', '1.5')).toEqual(['1', '4']);
    const response: TokenResponse = { access_token: 'a', token_type: 'bearer', expires_in: 900, scope: '48 49', refresh_token: 'r' };
    expect(grantedIdsOf(response.scope)).toEqual(['48', '49']);
  });
});
