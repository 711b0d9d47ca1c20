/**
 * Long-lived consent and its refresh tokens (SPEC §1.3, §10.2), as pure rules a DVZA applies to what it stores:
 * no storage and no clock here, time is passed in (epoch milliseconds on the sandbox clock).
 *
 * Months are calendar months in UTC: the same day of the month six months on, at the same time of day; a day
 * that month lacks becomes its last day (31 August + 6 months = 28 or 29 February). Calendar months, because the
 * afsprakenstelsel says "6 maanden" / "half a year" and a person counts them on a calendar; UTC, because the
 * sandbox clock is epoch milliseconds and the answer must not depend on a machine's time zone.
 */
import { OAUTH, type Params, type TokenRefusal } from '@medmij-sandbox/rules';
import { tokenRefused, type TokenRefused } from './token.js';

/** Long-lived consent lapses after more than this many months without data collected. */
export const CONSENT_LAPSES_AFTER_MONTHS = 6;
/** A refresh token is valid for half a year; each refresh issues a new one, so the window slides. */
export const REFRESH_TOKEN_LIFETIME_MONTHS = 6;

/** The same instant `months` calendar months later (UTC), clamped to the last day of a shorter month. */
function calendarMonthsLater(ms: number, months: number): number {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + months;
  // Day 0 of the month after: the last day of the target month.
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

/**
 * The last instant a long-lived consent counts, given its last successful resource request (when it was given,
 * before the first one): 6 calendar months later. It has lapsed when `now > consentLapsesAt(...)`, "more than
 * 6 months" as the afsprakenstelsel says, like an expiresAt. A refresh collects no data, so it does not move this.
 */
export function consentLapsesAt(lastSuccessfulResourceRequestAt: number): number {
  return calendarMonthsLater(lastSuccessfulResourceRequestAt, CONSENT_LAPSES_AFTER_MONTHS);
}

/** Whether a long-lived consent has lapsed at `now`. */
export function consentLapsed(lastSuccessfulResourceRequestAt: number, now: number): boolean {
  return now > consentLapsesAt(lastSuccessfulResourceRequestAt);
}

/** The last instant a refresh token issued at `issuedAt` counts: half a year later (expired when `now >` it). */
export function refreshTokenExpiresAt(issuedAt: number): number {
  return calendarMonthsLater(issuedAt, REFRESH_TOKEN_LIFETIME_MONTHS);
}

/** What a DVZA keeps of one long-lived consent: shared by every refresh token rotated from it (its family). */
export interface LongLivedConsentState {
  /** The last successful resource request under this consent; when the consent was given, before the first. */
  lastCollectedAt: number;
  /** When the person withdrew it ("Toestemmingen aanpassen"), if they did. */
  withdrawnAt?: number;
  /** When every token of it was revoked because one of its refresh tokens was replayed, if that happened. */
  revokedAt?: number;
}

/** What a DVZA keeps of one refresh token. */
export interface RefreshTokenState {
  /** The client it was issued to. */
  clientId: string;
  /** From refreshTokenExpiresAt at issue. */
  expiresAt: number;
  /** When it was exchanged: it counts once, so an offer after this is a replay. */
  usedAt?: number;
  consent: LongLivedConsentState;
}

export interface RefreshCheck {
  now: number;
  /** The authenticated client: client_id, already checked to be the certificate's host and on the OAuthclientlist. */
  clientId: string;
  /** The refresh token offered, as stored; undefined when the DVZA knows no such token. */
  token: RefreshTokenState | undefined;
}

export type RefreshVerdict =
  /** Exchange it: mark the old one used at `now`, issue an access token and a new refresh token valid until `refreshTokenExpiresAt`. */
  | { ok: true; refreshTokenExpiresAt: number; consentLapsesAt: number }
  /** Refuse it with `refusal`; when `revokeFamily`, first revoke every refresh and access token of its consent (revokedAt = now). */
  | (TokenRefused & { revokeFamily: boolean });

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The contract for a refresh request (grant_type=refresh_token), checks in this order:
 * 1. the token is known;
 * 2. client binding: issued to this client. Another client's offer, replay or not, is refused and revokes
 *    nothing: the certificate proves it is not the rightful client, and letting it revoke would let any PGO on
 *    the Whitelist end a person's consent with another PGO;
 * 3. reuse: already exchanged, offered again by its own client: refused, and the whole family revoked (RFC 9700
 *    §4.14.2): either the client or a thief holding its key used it before, and the DVZA cannot tell which;
 * 4. the family is revoked already (an earlier replay);
 * 5. the person withdrew the consent;
 * 6. the consent lapsed: more than 6 months without data collected;
 * 7. the refresh token expired.
 * Of 4–7 the first that holds is named: a decision beats the passing of time, and the consent's lapse (which the
 * person can understand) beats the token's own expiry (which usually comes after it anyway).
 */
export function refreshVerdict(check: RefreshCheck): RefreshVerdict {
  const { now, clientId, token } = check;
  const refuse = <P extends Params>(refusal: TokenRefusal<P>, params: P, revokeFamily = false) => ({ ...tokenRefused(refusal, params), revokeFamily });
  if (!token) return refuse(OAUTH.refresh.unknownToken, {});
  if (token.clientId !== clientId) return refuse(OAUTH.refresh.otherClient, { issuedTo: token.clientId, clientId });
  if (token.usedAt !== undefined) return refuse(OAUTH.refresh.replayed, { usedAt: iso(token.usedAt) }, true);
  const { consent } = token;
  if (consent.revokedAt !== undefined) return refuse(OAUTH.refresh.familyRevoked, { at: iso(consent.revokedAt) });
  if (consent.withdrawnAt !== undefined && consent.withdrawnAt <= now) return refuse(OAUTH.refresh.withdrawn, { at: iso(consent.withdrawnAt) });
  const lapsesAt = consentLapsesAt(consent.lastCollectedAt);
  if (now > lapsesAt) {
    return refuse(OAUTH.refresh.lapsed, { lapsedAt: iso(lapsesAt), months: CONSENT_LAPSES_AFTER_MONTHS, lastCollectedAt: iso(consent.lastCollectedAt) });
  }
  if (now > token.expiresAt) return refuse(OAUTH.refresh.expired, { expiredAt: iso(token.expiresAt) });
  return { ok: true, refreshTokenExpiresAt: refreshTokenExpiresAt(now), consentLapsesAt: lapsesAt };
}
