import { describe, expect, it } from 'vitest';
import { authorizationRequestUrl, codeRedirect, errorRedirect, parseScope, redirectUriProblem, scopeOf, tokenRequestBody } from './index.js';
import { say } from '@medmij-sandbox/rules';

describe('the MedMij OAuth contract', () => {
  it('builds and parses the scope: <zorgaanbieder>~<gegevensdienstId>, space separated', () => {
    expect(scopeOf('dekroon@medmij', '1')).toBe('dekroon~1');
    expect(scopeOf('dekroon@medmij', ['1', '4'])).toBe('dekroon~1 dekroon~4');
    expect(parseScope('dekroon~1 dekroon~4 dekroon~1', 'dekroon@medmij', ['1', '4'])).toEqual({ ids: ['1', '4'] });
  });

  it('says what is wrong with a scope', () => {
    expect(parseScope('', 'dekroon@medmij', ['1'])).toMatchObject({ problem: 'scope is missing' });
    expect(parseScope('dekroon', 'dekroon@medmij', ['1'])).toMatchObject({ problem: "scope 'dekroon' is not <zorgaanbieder>~<gegevensdienstId>" });
    expect(parseScope('elders~1', 'dekroon@medmij', ['1'])).toMatchObject({ problem: "scope names zorgaanbieder 'elders', this is 'dekroon'" });
    const notOffered = parseScope('dekroon~9', 'dekroon@medmij', ['1', '4']);
    expect(notOffered).toMatchObject({ problem: 'gegevensdienst 9 is not offered by dekroon (offered: 1, 4)' });
    // The same problem from the rule catalogue, to say again in Dutch.
    expect('said' in notOffered && say(notOffered.said, 'nl')).toBe('gegevensdienst 9 wordt niet aangeboden door dekroon (aangeboden: 1, 4)');
  });

  it('the authorization request keeps its parameter order; extra parameters replace or leave one out', () => {
    const request = { response_type: 'code', client_id: 'pgo.localhost', redirect_uri: 'https://pgo.localhost/cb', scope: 'dekroon~1', state: 's' } as const;
    const url = new URL(
      authorizationRequestUrl('https://dekroon.dvza.localhost/oauth/authorize', request, { state: null, client_id: 'x.localhost', extra: 'y' }),
    );
    expect([...url.searchParams.keys()]).toEqual(['response_type', 'client_id', 'redirect_uri', 'scope', 'extra']);
    expect(url.searchParams.get('client_id')).toBe('x.localhost');
    expect(new URL(authorizationRequestUrl('https://a.localhost/x', request, { scope: '' })).searchParams.has('scope')).toBe(false);
  });

  it('answers the redirect_uri with a code or an OAuth error, and the state', () => {
    expect(codeRedirect('https://pgo.localhost/cb', { code: 'c1', state: 's1' })).toBe('https://pgo.localhost/cb?code=c1&state=s1');
    expect(errorRedirect('https://pgo.localhost/cb', { error: 'access_denied', description: 'no consent', state: 's1' })).toBe(
      'https://pgo.localhost/cb?error=access_denied&error_description=no+consent&state=s1',
    );
    expect(errorRedirect('https://pgo.localhost/cb', { error: 'invalid_request', description: 'x' })).not.toContain('state=');
  });

  it('accepts only an https redirect_uri without query or fragment on the client host, in both languages', () => {
    expect(redirectUriProblem('https://pgo.localhost:8750/oauth/callback', 'pgo.localhost', 'nl')).toBeUndefined();
    expect(redirectUriProblem('http://pgo.localhost/cb', 'pgo.localhost', 'en')).toBe('The redirect_uri must use https.');
    expect(redirectUriProblem('https://pgo.localhost/cb?x=1', 'pgo.localhost', 'nl')).toBe('De redirect_uri mag geen query hebben.');
    expect(redirectUriProblem('https://pgo.localhost/cb#x', 'pgo.localhost', 'en')).toBe('The redirect_uri must not have a #fragment.');
    expect(redirectUriProblem('https://evil.localhost/cb', 'pgo.localhost', 'en')).toMatch(/is on evil\.localhost, not on pgo\.localhost/);
    expect(redirectUriProblem('', 'pgo.localhost', 'en')).toBe('The redirect_uri is missing or not a URL.');
  });

  it('the token request is a form; extra fields replace or leave one out', () => {
    const body = new URLSearchParams(
      tokenRequestBody({ code: 'c', redirect_uri: 'https://pgo.localhost/cb', client_id: 'pgo.localhost' }, { redirect_uri: null }),
    );
    expect(Object.fromEntries(body)).toEqual({ grant_type: 'authorization_code', code: 'c', client_id: 'pgo.localhost' });
  });
});
