import { describe, expect, it } from 'vitest';
import { say } from '@medmij-sandbox/rules';
import {
  CONSENT_LAPSES_AFTER_MONTHS,
  REFRESH_TOKEN_LIFETIME_MONTHS,
  consentLapsed,
  consentLapsesAt,
  refreshTokenExpiresAt,
  refreshVerdict,
  type RefreshTokenState,
  type RefreshVerdict,
} from './index.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const PGO = 'pgo.localhost';
const OTHER = 'andere-pgo.localhost';

/** A refresh token issued at consent, 1 June 2026, valid half a year. */
function token(o: Partial<Omit<RefreshTokenState, 'consent'>> & { consent?: Partial<RefreshTokenState['consent']> } = {}): RefreshTokenState {
  const { consent, ...rest } = o;
  return {
    clientId: PGO,
    expiresAt: refreshTokenExpiresAt(at('2026-06-01T08:00:00.000Z')),
    ...rest,
    consent: { lastCollectedAt: at('2026-06-01T08:00:00.000Z'), ...consent },
  };
}
const refusal = (v: RefreshVerdict) => {
  if (v.ok) throw new Error('exchanged');
  return { id: v.said.reason.id, error: v.body.error, description: v.body.error_description, revokeFamily: v.revokeFamily, nl: say(v.said, 'nl') };
};

describe('long-lived consent: calendar months on the sandbox clock (UTC)', () => {
  it('lapses after more than 6 calendar months without data collected, not before', () => {
    expect(CONSENT_LAPSES_AFTER_MONTHS).toBe(6);
    const last = at('2026-06-01T08:00:00.000Z');
    expect(iso(consentLapsesAt(last))).toBe('2026-12-01T08:00:00.000Z');
    expect(consentLapsed(last, at('2026-12-01T08:00:00.000Z'))).toBe(false);
    expect(consentLapsed(last, at('2026-12-01T08:00:00.001Z'))).toBe(true);
    expect(consentLapsed(last, at('2026-11-30T23:59:59.999Z'))).toBe(false);
  });

  it('counts calendar months: a day the month lacks is its last day; across a year; the time of day stays', () => {
    expect(iso(consentLapsesAt(at('2026-08-31T12:00:00.000Z')))).toBe('2027-02-28T12:00:00.000Z');
    expect(iso(consentLapsesAt(at('2027-08-31T12:00:00.000Z')))).toBe('2028-02-29T12:00:00.000Z');
    expect(iso(consentLapsesAt(at('2026-12-31T23:30:00.000Z')))).toBe('2027-06-30T23:30:00.000Z');
    expect(iso(consentLapsesAt(at('2026-01-15T00:00:00.000Z')))).toBe('2026-07-15T00:00:00.000Z');
  });

  it('a refresh token is valid half a year from its issue', () => {
    expect(REFRESH_TOKEN_LIFETIME_MONTHS).toBe(6);
    expect(iso(refreshTokenExpiresAt(at('2026-03-31T10:00:00.000Z')))).toBe('2026-09-30T10:00:00.000Z');
  });
});

describe('the refresh verdict, in its order', () => {
  const now = at('2026-07-01T08:00:00.000Z');

  it('exchanges a valid token of its client: a new refresh token for half a year from now; the consent still counts from the last collection', () => {
    expect(refreshVerdict({ now, clientId: PGO, token: token() })).toEqual({
      ok: true,
      refreshTokenExpiresAt: at('2027-01-01T08:00:00.000Z'),
      consentLapsesAt: at('2026-12-01T08:00:00.000Z'),
    });
  });

  it('an unknown token: invalid_grant', () => {
    expect(refusal(refreshVerdict({ now, clientId: PGO, token: undefined }))).toMatchObject({
      id: 'oauth.refresh.unknown-token',
      error: 'invalid_grant',
      description: 'unknown refresh token',
      revokeFamily: false,
    });
  });

  it("another client's offer is refused and revokes nothing, replay or not", () => {
    for (const t of [token(), token({ usedAt: at('2026-06-15T08:00:00.000Z') })]) {
      expect(refusal(refreshVerdict({ now, clientId: OTHER, token: t }))).toEqual({
        id: 'oauth.refresh.other-client',
        error: 'invalid_grant',
        description: `the refresh token was issued to ${PGO}, not to ${OTHER}; nothing is revoked`,
        revokeFamily: false,
        nl: `tokenverzoek geweigerd: invalid_grant (het refresh token is uitgegeven aan ${PGO}, niet aan ${OTHER}; er wordt niets ingetrokken)`,
      });
    }
  });

  it('a replay by the rightful client revokes the whole family, even one revoked, withdrawn or expired already', () => {
    const usedAt = at('2026-06-15T08:00:00.000Z');
    expect(refusal(refreshVerdict({ now, clientId: PGO, token: token({ usedAt }) }))).toEqual({
      id: 'oauth.refresh.replayed',
      error: 'invalid_grant',
      description:
        'the refresh token was already exchanged at 2026-06-15T08:00:00.000Z; every token of this long-lived consent is revoked: the person gives consent again',
      revokeFamily: true,
      nl: 'tokenverzoek geweigerd: invalid_grant (het refresh token is al ingewisseld op 2026-06-15T08:00:00.000Z; alle tokens van deze langdurige toestemming zijn ingetrokken: de persoon geeft opnieuw toestemming)',
    });
    const everything = token({ usedAt, expiresAt: now - 1, consent: { revokedAt: usedAt, withdrawnAt: usedAt } });
    expect(refusal(refreshVerdict({ now, clientId: PGO, token: everything }))).toMatchObject({ id: 'oauth.refresh.replayed', revokeFamily: true });
  });

  it('the unused token of a revoked family is refused, saying when and why, and revokes nothing more', () => {
    expect(refusal(refreshVerdict({ now, clientId: PGO, token: token({ consent: { revokedAt: at('2026-06-20T08:00:00.000Z') } }) }))).toMatchObject({
      id: 'oauth.refresh.consent-revoked',
      description:
        'every token of this long-lived consent was revoked at 2026-06-20T08:00:00.000Z, when a refresh token or the code it came from was offered again',
      revokeFamily: false,
    });
  });

  it('a withdrawn consent is refused, before lapse or expiry; a withdrawal still to come is not yet', () => {
    const withdrawnAt = at('2026-06-20T08:00:00.000Z');
    expect(refusal(refreshVerdict({ now, clientId: PGO, token: token({ expiresAt: now - 1, consent: { withdrawnAt } }) }))).toEqual({
      id: 'oauth.refresh.consent-withdrawn',
      error: 'invalid_grant',
      description: 'the person withdrew this long-lived consent at 2026-06-20T08:00:00.000Z',
      revokeFamily: false,
      nl: 'tokenverzoek geweigerd: invalid_grant (de persoon heeft deze langdurige toestemming ingetrokken op 2026-06-20T08:00:00.000Z)',
    });
    expect(refreshVerdict({ now, clientId: PGO, token: token({ consent: { withdrawnAt: now + 1 } }) }).ok).toBe(true);
  });

  it('a consent lapses after 6 months without data collected, not before; a refresh does not keep it alive', () => {
    // Refreshed a month ago (a fresh token), but nothing collected since 1 June.
    const refreshed = token({ expiresAt: refreshTokenExpiresAt(at('2026-11-01T08:00:00.000Z')) });
    expect(refreshVerdict({ now: at('2026-12-01T08:00:00.000Z'), clientId: PGO, token: refreshed }).ok).toBe(true);
    expect(refusal(refreshVerdict({ now: at('2026-12-01T08:00:00.001Z'), clientId: PGO, token: refreshed }))).toEqual({
      id: 'oauth.refresh.consent-lapsed',
      error: 'invalid_grant',
      description:
        'the long-lived consent lapsed after 2026-12-01T08:00:00.000Z (sandbox clock): no data collected for more than 6 months, last at 2026-06-01T08:00:00.000Z',
      revokeFamily: false,
      nl: 'tokenverzoek geweigerd: invalid_grant (de langdurige toestemming is vervallen na 2026-12-01T08:00:00.000Z (sandboxklok): meer dan 6 maanden geen gegevens opgehaald, het laatst op 2026-06-01T08:00:00.000Z)',
    });
    // Data collected in November: the consent counts until May.
    const collected = token({ expiresAt: refreshed.expiresAt, consent: { lastCollectedAt: at('2026-11-15T08:00:00.000Z') } });
    expect(refreshVerdict({ now: at('2027-03-01T08:00:00.000Z'), clientId: PGO, token: collected })).toMatchObject({
      ok: true,
      consentLapsesAt: at('2027-05-15T08:00:00.000Z'),
    });
  });

  it('an expired refresh token is refused, at its expiry not yet', () => {
    const t = token({ expiresAt: at('2026-06-30T08:00:00.000Z') });
    expect(refreshVerdict({ now: t.expiresAt, clientId: PGO, token: t }).ok).toBe(true);
    expect(refusal(refreshVerdict({ now, clientId: PGO, token: t }))).toEqual({
      id: 'oauth.refresh.expired',
      error: 'invalid_grant',
      description: 'the refresh token expired at 2026-06-30T08:00:00.000Z (sandbox clock)',
      revokeFamily: false,
      nl: 'tokenverzoek geweigerd: invalid_grant (het refresh token is verlopen op 2026-06-30T08:00:00.000Z (sandboxklok))',
    });
  });
});
