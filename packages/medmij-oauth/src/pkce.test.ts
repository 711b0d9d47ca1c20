import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { say } from '@medmij-sandbox/rules';
import { parsePkceChallenge, pkceVerifierFault } from './pkce.js';

// RFC 7636 Appendix B: the example verifier and its S256 challenge.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const s256 = (v: string) => createHash('sha256').update(v, 'ascii').digest('base64url');
const parse = (query: string) => parsePkceChallenge(new URLSearchParams(query));
const problem = (query: string) => {
  const r = parse(query);
  if (r.ok) throw new Error('accepted');
  return [r.said.reason.id, say(r.said, 'en'), say(r.said, 'nl')];
};

describe('PKCE (RFC 7636) as a sandbox DVZA checks it', () => {
  it('no PKCE at all is fine (MedMij names none); an S256 challenge is kept', () => {
    expect(parse('state=s')).toEqual({ ok: true });
    expect(parse(`code_challenge=${CHALLENGE}&code_challenge_method=S256`)).toEqual({ ok: true, pkce: { codeChallenge: CHALLENGE, method: 'S256' } });
  });

  it('plain, a missing or unknown method, a method alone, or a challenge that is no SHA-256: refused, in both languages', () => {
    expect(problem(`code_challenge=${CHALLENGE}&code_challenge_method=plain`)).toEqual([
      'oauth.pkce.method-not-s256',
      'code_challenge_method must be S256, not plain (RFC 7636 §4.2: plain only for clients that cannot hash)',
      'code_challenge_method moet S256 zijn, niet plain (RFC 7636 §4.2: plain alleen voor clients die niet kunnen hashen)',
    ]);
    expect(problem(`code_challenge=${CHALLENGE}`)[0]).toBe('oauth.pkce.method-missing');
    expect(problem(`code_challenge=${CHALLENGE}&code_challenge_method=s256`)[1]).toMatch(/not s256/);
    expect(problem('code_challenge_method=S256')[0]).toBe('oauth.pkce.method-without-challenge');
    expect(problem('code_challenge=short&code_challenge_method=S256')[0]).toBe('oauth.pkce.challenge-malformed');
    expect(problem(`code_challenge=${CHALLENGE.slice(0, 42)}=&code_challenge_method=S256`)[0]).toBe('oauth.pkce.challenge-malformed');
  });

  it('the verifier must match the challenge: missing or wrong is invalid_grant; one without a challenge too', () => {
    const pkce = { codeChallenge: CHALLENGE, method: 'S256' as const };
    expect(s256(VERIFIER)).toBe(CHALLENGE);
    expect(pkceVerifierFault(pkce, VERIFIER, s256)).toBeUndefined();
    expect(pkceVerifierFault(undefined, undefined, s256)).toBeUndefined();
    const fault = (p: typeof pkce | undefined, v: string | undefined) => {
      const f = pkceVerifierFault(p, v, s256);
      return f && [f.status, f.body.error, f.refusal.id];
    };
    expect(fault(pkce, undefined)).toEqual([400, 'invalid_grant', 'oauth.pkce.verifier-missing']);
    expect(fault(pkce, `${VERIFIER.slice(0, -1)}A`)).toEqual([400, 'invalid_grant', 'oauth.pkce.verifier-wrong']);
    expect(fault(pkce, '')).toEqual([400, 'invalid_grant', 'oauth.pkce.verifier-wrong']);
    // The challenge itself is no verifier (someone who read the authorization request has it).
    expect(fault(pkce, CHALLENGE)).toEqual([400, 'invalid_grant', 'oauth.pkce.verifier-wrong']);
    expect(fault(undefined, VERIFIER)).toEqual([400, 'invalid_grant', 'oauth.pkce.verifier-without-challenge']);
  });
});
