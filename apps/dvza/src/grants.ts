/**
 * What the authorization server remembers: authorization flows in progress, authorization codes and access
 * tokens. Kept in memory: a restart of a DVZA ends every flow and token, like a real server's key rollover
 * would; the PGO starts a new authorization. Expired entries are swept so a long-running sandbox stays small.
 */
import type { IdentityAssertion } from '@medmij-sandbox/tvs-client';
import type { PkceChallenge } from '@medmij-sandbox/medmij-oauth';
import type { Said } from '@medmij-sandbox/rules';
import type { Lang } from './pages.js';

/** One authorization request, from /authorize to the code. */
export interface Flow {
  id: string;
  clientId: string;
  /** OAuthclientOrganisatienaam from the OAuthclientlist, shown on the consent screen. */
  organisatienaam: string;
  redirectUri: string;
  state: string;
  /** The requested gegevensdienst ids (one per scope combination). */
  gegevensdiensten: string[];
  traceId?: string;
  lang: Lang;
  createdAt: number;
  /** The flow cookie's random value: only the browser that started the flow has it. */
  cookie: string;
  /** PKCE (RFC 7636), when the client sent a code_challenge: its code must be redeemed with the verifier. */
  pkce?: PkceChallenge;
  /** What the TVS login of this flow is bound to. */
  tvs: { state: string; nonce: string };
  identity?: IdentityAssertion;
  /** The gegevensdiensten the beschikbaarheidstoets found data for (≤ the requested ones). */
  available?: string[];
  finished?: boolean;
}

export interface CodeGrant {
  code: string;
  clientId: string;
  redirectUri: string;
  bsn: string;
  gegevensdiensten: string[];
  traceId?: string;
  expiresAt: number;
  usedAt?: number;
  /** Tokens issued from this code: revoked when the code is replayed (RFC 6749 §4.1.2). */
  tokens: string[];
  /** Afsprakenstelsel 2: the person chose long-lived consent, so the token response carries a refresh token. */
  longLived?: boolean;
  /** The long-lived consent the code's redemption started (revoked too when the code is replayed). */
  consentId?: string;
  /** The authorization request's PKCE challenge, if it had one. */
  pkce?: PkceChallenge;
}

export interface AccessToken {
  token: string;
  clientId: string;
  bsn: string;
  gegevensdiensten: string[];
  traceId?: string;
  issuedAt: number;
  expiresAt: number;
  /** Why the token no longer counts, if it was revoked. */
  revoked?: string;
  /** The same as a catalogue reason (quoted when the resource server refuses the token). */
  revokedBecause?: Said;
  /** Afsprakenstelsel 2: the long-lived consent it was issued under (collecting with it keeps the consent alive). */
  consentId?: string;
}

export const LIFETIMES = {
  /** A person has this long between /authorize and consent. */
  flowMs: 30 * 60_000,
  /** RFC 6749 §4.1.2 advises at most 10 minutes; a PGO redeems at once. */
  codeMs: 5 * 60_000,
  /** SPEC §2.5: about 15 minutes (the GIDS reference server uses 900 s). */
  accessTokenMs: 15 * 60_000,
} as const;

export class GrantStore {
  readonly flows = new Map<string, Flow>();
  readonly codes = new Map<string, CodeGrant>();
  readonly tokens = new Map<string, AccessToken>();

  flowByTvsState(state: string | null): Flow | undefined {
    if (!state) return undefined;
    for (const flow of this.flows.values()) if (flow.tvs.state === state) return flow;
    return undefined;
  }

  /** Revokes every live access token `which` picks, with the reason the resource server will quote; says how many. */
  revokeTokens(which: (t: AccessToken) => boolean, why: Said): number {
    let revoked = 0;
    for (const t of this.tokens.values()) {
      if (t.revoked || !which(t)) continue;
      t.revokedBecause = why;
      t.revoked = why.reason.en(why.params);
      revoked++;
    }
    return revoked;
  }

  sweep(now: number): void {
    for (const [id, f] of this.flows) if (now - f.createdAt > LIFETIMES.flowMs) this.flows.delete(id);
    // Used codes are kept while their tokens live, so a replay can still revoke them.
    for (const [c, g] of this.codes) if (now > g.expiresAt + LIFETIMES.accessTokenMs) this.codes.delete(c);
    for (const [t, a] of this.tokens) if (now > a.expiresAt + LIFETIMES.accessTokenMs) this.tokens.delete(t);
  }
}
