import { describe, expect, it } from 'vitest';
import {
  AUTHORIZATION_PARAMETERS,
  authorizationRequestUrl,
  codeRedirect,
  errorRedirect,
  issuerOf,
  parseScope,
  redirectUriProblem,
  repeatedParameters,
  scopeOf,
  tokenRequestBody,
} from './index.js';
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

  it('answers the redirect_uri with a code or an OAuth error, the state, and the issuer (RFC 9207)', () => {
    const iss = 'https://dekroon.dvza.localhost:8720';
    expect(codeRedirect('https://pgo.localhost/cb', { code: 'c1', state: 's1', iss })).toBe(
      'https://pgo.localhost/cb?code=c1&state=s1&iss=https%3A%2F%2Fdekroon.dvza.localhost%3A8720',
    );
    expect(errorRedirect('https://pgo.localhost/cb', { error: 'access_denied', description: 'no consent', state: 's1', iss })).toBe(
      'https://pgo.localhost/cb?error=access_denied&error_description=no+consent&state=s1&iss=https%3A%2F%2Fdekroon.dvza.localhost%3A8720',
    );
    const noState = new URL(errorRedirect('https://pgo.localhost/cb', { error: 'invalid_request', description: 'x', iss }));
    expect([noState.searchParams.has('state'), noState.searchParams.get('iss')]).toEqual([false, iss]);
    // What the PGO expects: the origin of the authorization endpoint it sent the browser to.
    expect(issuerOf('https://dekroon.dvza.localhost:8720/oauth/authorize')).toBe(iss);
    expect(issuerOf('https://dekroon.dvza.localhost:443/oauth/authorize')).toBe('https://dekroon.dvza.localhost');
  });

  it('names the parameters given more than once', () => {
    const q = new URLSearchParams('state=a&state=b&client_id=x&scope=s&scope=t');
    expect(repeatedParameters(q, AUTHORIZATION_PARAMETERS)).toBe('scope and state');
    expect(repeatedParameters(q, ['client_id', 'redirect_uri'])).toBeUndefined();
  });

  it('refuses userinfo and another port than the client’s; any path on the client host is fine', () => {
    const at = (uri: string, port?: number) => redirectUriProblem(uri, 'pgo.localhost', 'en', port);
    expect(at('https://pgo.localhost:8750/elders/pad', 8750)).toBeUndefined();
    expect(at('https://pgo.localhost/oauth/callback', 443)).toBeUndefined();
    expect(at('https://pgo.localhost:443/oauth/callback', 443)).toBeUndefined();
    expect(at('https://pgo.localhost:9999/oauth/callback', 8750)).toBe('The redirect_uri uses port 9999; pgo.localhost receives its answers on port 8750.');
    expect(at('https://pgo.localhost/oauth/callback', 8750)).toBe('The redirect_uri uses port 443; pgo.localhost receives its answers on port 8750.');
    expect(redirectUriProblem('https://pgo.localhost:1/cb', 'pgo.localhost', 'nl', 8750)).toBe(
      'De redirect_uri gebruikt poort 1; pgo.localhost ontvangt zijn antwoorden op poort 8750.',
    );
    for (const uri of [
      'https://evil@pgo.localhost:8750/cb',
      'https://a:b@pgo.localhost:8750/cb',
      'https://pgo.localhost@evil.localhost/cb',
      'https://@pgo.localhost:8750/cb',
    ]) {
      expect(at(uri, 8750), uri).toBe('The redirect_uri must not carry a user name or password (user@host).');
    }
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
