/**
 * What a 2.x DVZA remembers across restarts (SPEC §10.2): the person's long-lived consents, the refresh tokens
 * rotated from each (its family, kept by hash: the DVZA never stores a refresh token it could leak), and the hash
 * of every authorization code, access token and refresh token it ever issued. Afsprakenstelsel 2.0.0 makes a
 * uniqueness check on those mandatory: a value is never issued twice, not even after a restart.
 *
 * Secrets come from the CSPRNG (secureRandomBytes), never from the seed: someone who knows the committed seed must
 * not be able to compute a token. The file is JSON under .sandbox/dvza/<id>/; a damaged file is an error that
 * names it, never silently replaced (that would lose every person's consent).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { SandboxError, secureRandomBytes, writeFileAtomic, type Clock } from '@medmij-sandbox/network';
import { refreshTokenExpiresAt, refreshVerdict, tokenRefused, type LongLivedConsentState, type RefreshVerdict } from '@medmij-sandbox/medmij-oauth';
import { OAUTH } from '@medmij-sandbox/rules';

export type SecretKind = 'code' | 'access-token' | 'refresh-token';

/** One long-lived consent: who gave it to which client, for which gegevensdiensten. */
export interface LongLivedConsent extends LongLivedConsentState {
  id: string;
  clientId: string;
  bsn: string;
  /** The granted gegevensdienst ids. */
  gegevensdiensten: string[];
  grantedAt: number;
  traceId?: string;
}

const hash = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex');
const instant = z.number().int().nonnegative();

const storedRefreshToken = z.strictObject({
  hash,
  consentId: z.string().min(1),
  clientId: z.string().min(1),
  issuedAt: instant,
  expiresAt: instant,
  usedAt: instant.optional(),
});
type StoredRefreshToken = z.infer<typeof storedRefreshToken>;

const storedConsent = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{24}$/, 'must be 24 hex digits'),
  clientId: z.string().min(1),
  bsn: z.string().regex(/^\d{9}$/, 'must be 9 digits'),
  gegevensdiensten: z.array(z.string().min(1)).min(1),
  grantedAt: instant,
  lastCollectedAt: instant,
  withdrawnAt: instant.optional(),
  revokedAt: instant.optional(),
  traceId: z.string().optional(),
});

/** The state file: checked field by field when read, so a damaged one is named, never half-trusted. */
const storeFile = z.strictObject({
  version: z.literal(1),
  issued: z.strictObject({ code: z.array(hash), 'access-token': z.array(hash), 'refresh-token': z.array(hash) }),
  consents: z.array(storedConsent),
  refreshTokens: z.array(storedRefreshToken),
});
type StoreFile = z.infer<typeof storeFile>;

/** What a refresh did: the verdict, and on success the new refresh token and the consent it continues. */
export type RefreshOutcome = { verdict: RefreshVerdict; consent?: LongLivedConsent; refreshToken?: string };

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export class ConsentStore {
  private readonly issued: Record<SecretKind, Set<string>> = { code: new Set(), 'access-token': new Set(), 'refresh-token': new Set() };
  private readonly consents = new Map<string, LongLivedConsent>();
  private readonly refreshTokens = new Map<string, StoredRefreshToken>();
  /** How many drawn values were refused because they had been issued before (a test injects a colliding source). */
  duplicatesRefused = 0;

  constructor(
    private readonly o: {
      /** The state file; undefined keeps everything in memory (unit tests). */
      file?: string;
      clock: Clock;
      /** Where secrets come from: the CSPRNG; a test injects a colliding source. */
      randomBytes?: (n: number) => Uint8Array;
    },
  ) {
    if (o.file && existsSync(o.file)) this.load(o.file);
  }

  /**
   * A new secret of `kind`: 32 random bytes as hex (256 bits), never one issued before by this DVZA — a value
   * whose hash is known is refused and drawn again. Its hash is kept (and written) before it is handed out.
   */
  issueSecret(kind: SecretKind): string {
    const draw = this.o.randomBytes ?? secureRandomBytes;
    for (let attempt = 0; attempt < 8; attempt++) {
      const value = Buffer.from(draw(32)).toString('hex');
      const hash = sha256(value);
      if (this.isIssued(hash)) {
        this.duplicatesRefused++;
        continue;
      }
      this.issued[kind].add(hash);
      this.save();
      return value;
    }
    // Eight collisions of 256-bit values in a row: the random source is broken, not unlucky.
    throw new Error('the random source keeps repeating values: refusing to issue a secret');
  }

  /** Was this value (of any kind) ever issued by this DVZA? */
  wasIssued(value: string): boolean {
    return this.isIssued(sha256(value));
  }

  private isIssued(hash: string): boolean {
    return this.issued.code.has(hash) || this.issued['access-token'].has(hash) || this.issued['refresh-token'].has(hash);
  }

  /** A new long-lived consent (the person ticked the option on the consent page) and its first refresh token. */
  grant(o: { clientId: string; bsn: string; gegevensdiensten: string[]; traceId?: string }): { consent: LongLivedConsent; refreshToken: string } {
    const now = this.o.clock.nowMs();
    const consent: LongLivedConsent = {
      // Not a secret (it names the consent on the person's own withdrawal page), but unguessable all the same.
      id: Buffer.from((this.o.randomBytes ?? secureRandomBytes)(12)).toString('hex'),
      clientId: o.clientId,
      bsn: o.bsn,
      gegevensdiensten: [...o.gegevensdiensten],
      grantedAt: now,
      lastCollectedAt: now,
      ...(o.traceId ? { traceId: o.traceId } : {}),
    };
    this.consents.set(consent.id, consent);
    return { consent, refreshToken: this.newRefreshToken(consent) };
  }

  private newRefreshToken(consent: LongLivedConsent): string {
    const token = this.issueSecret('refresh-token');
    const issuedAt = this.o.clock.nowMs();
    this.refreshTokens.set(sha256(token), {
      hash: sha256(token),
      consentId: consent.id,
      clientId: consent.clientId,
      issuedAt,
      expiresAt: refreshTokenExpiresAt(issuedAt),
    });
    this.save();
    return token;
  }

  /**
   * A refresh request by `clientId` (already authenticated: certificate, Whitelist, OAuthclientlist) with
   * `token`: the contract's verdict (medmij-oauth refreshVerdict), applied. On a replay by the rightful client the
   * whole family is revoked; on success the old token counts as used and a new one is issued (rotation).
   */
  refresh(token: string, clientId: string, o: { mayUse?: (ids: readonly string[]) => readonly string[] } = {}): RefreshOutcome {
    const now = this.o.clock.nowMs();
    const stored = this.refreshTokens.get(sha256(token));
    const consent = stored ? this.consents.get(stored.consentId) : undefined;
    let verdict: RefreshVerdict = refreshVerdict({ now, clientId, token: stored && consent ? { ...stored, consent } : undefined });
    // After the contract's checks (a replay still revokes the family), before the token is spent: the
    // OAuthclientlist of now must still let the client use something this consent is for.
    if (verdict.ok && consent && o.mayUse && o.mayUse(consent.gegevensdiensten).length === 0) {
      verdict = { ...tokenRefused(OAUTH.refresh.clientMayNoLongerUse, { clientId, consented: consent.gegevensdiensten.join(', ') }), revokeFamily: false };
    }
    if (!verdict.ok) {
      if (verdict.revokeFamily && consent && consent.revokedAt === undefined) {
        consent.revokedAt = now;
        this.save();
      }
      return { verdict, consent };
    }
    stored!.usedAt = now;
    return { verdict, consent, refreshToken: this.newRefreshToken(consent!) };
  }

  /** A successful resource request under this consent: the 6 months start again. */
  collected(consentId: string): void {
    const consent = this.consents.get(consentId);
    // A withdrawn or revoked consent stays so (collecting with a token issued before cannot revive it).
    if (!consent || !ConsentStore.active(consent)) return;
    consent.lastCollectedAt = this.o.clock.nowMs();
    this.save();
  }

  /** The person withdrew the consent ("Toestemmingen aanpassen"): no refresh token of it counts any more. */
  withdraw(consentId: string, bsn: string): LongLivedConsent | undefined {
    const consent = this.consents.get(consentId);
    // Only the person it belongs to withdraws it.
    if (!consent || consent.bsn !== bsn) return undefined;
    // A consent that no longer counts (withdrawn, or revoked after a replay) stays as it ended.
    if (ConsentStore.active(consent)) {
      consent.withdrawnAt = this.o.clock.nowMs();
      this.save();
    }
    return consent;
  }

  /**
   * The PGO revokes a refresh token (RFC 7009, the sandbox's withdrawal interface): the consent it belongs to is
   * withdrawn, as when the person withdraws it at the DVZA. The client binding first: another client's token
   * revokes nothing. A token of a consent that no longer counts is nothing to revoke (RFC 7009 §2.2: 200 all the same).
   */
  revokeRefreshToken(
    token: string,
    clientId: string,
  ): { outcome: 'withdrawn'; consent: LongLivedConsent } | { outcome: 'other-client'; issuedTo: string } | { outcome: 'nothing' } {
    const stored = this.refreshTokens.get(sha256(token));
    const consent = stored ? this.consents.get(stored.consentId) : undefined;
    if (!stored || !consent) return { outcome: 'nothing' };
    if (stored.clientId !== clientId) return { outcome: 'other-client', issuedTo: stored.clientId };
    if (!ConsentStore.active(consent)) return { outcome: 'nothing' };
    consent.withdrawnAt = this.o.clock.nowMs();
    this.save();
    return { outcome: 'withdrawn', consent };
  }

  /** Every token of this consent stops counting (its code was replayed: a thief may hold the refresh token). */
  revoke(consentId: string): void {
    const consent = this.consents.get(consentId);
    if (!consent || consent.revokedAt !== undefined) return;
    consent.revokedAt = this.o.clock.nowMs();
    this.save();
  }

  consent(id: string): LongLivedConsent | undefined {
    return this.consents.get(id);
  }

  /** A person's consents, newest first (their own page at the DVZA lists them). */
  consentsOf(bsn: string): LongLivedConsent[] {
    return [...this.consents.values()].filter((c) => c.bsn === bsn).sort((a, b) => b.grantedAt - a.grantedAt);
  }

  /** Does a consent still count: not withdrawn, not revoked? (Whether it lapsed is the refresh verdict's part.) */
  static active(consent: LongLivedConsent): boolean {
    return consent.withdrawnAt === undefined && consent.revokedAt === undefined;
  }

  private save(): void {
    if (!this.o.file) return;
    const state: StoreFile = {
      version: 1,
      issued: { code: [...this.issued.code], 'access-token': [...this.issued['access-token']], 'refresh-token': [...this.issued['refresh-token']] },
      consents: [...this.consents.values()],
      refreshTokens: [...this.refreshTokens.values()],
    };
    // Compact: it is rewritten whenever a secret is issued; nobody reads it by eye.
    writeFileAtomic(this.o.file, `${JSON.stringify(state)}\n`, 0o600);
  }

  private load(file: string): void {
    let state: StoreFile;
    const problem = (why: string) =>
      new SandboxError(
        `cannot read the DVZA's consents ${file}: ${why}`,
        'it holds every long-lived consent and the hash of every code and token issued; restore it, or delete it to start with no consents (the people log in again)',
      );
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw problem((e as Error).message);
    }
    const parsed = storeFile.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw problem(`${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    }
    state = parsed.data;
    for (const kind of Object.keys(this.issued) as SecretKind[]) for (const h of state.issued[kind]) this.issued[kind].add(h);
    for (const c of state.consents) this.consents.set(c.id, c);
    for (const t of state.refreshTokens) this.refreshTokens.set(t.hash, t);
  }
}
