import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SandboxClock } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { ConsentStore } from './consents.js';

const PGO = 'pgo.localhost';
const BSN = '999907967';
const refusalId = (o: ReturnType<ConsentStore['refresh']>) => (o.verdict.ok ? 'ok' : o.verdict.said.reason.id);

describe("the DVZA's long-lived consents and issued secrets (2.x)", () => {
  it('never issues a value twice: a repeated draw is refused and a fresh one issued', () => {
    const same = Buffer.alloc(32, 7);
    const draws = [same, same, Buffer.alloc(32, 9)];
    const store = new ConsentStore({ clock: SandboxClock.frozenAt('2026-06-01T10:00:00Z'), randomBytes: () => draws.shift()! });
    const first = store.issueSecret('code');
    const second = store.issueSecret('access-token');
    expect(first).toBe(same.toString('hex'));
    expect(second).toBe(Buffer.alloc(32, 9).toString('hex'));
    expect(store.duplicatesRefused).toBe(1);
    expect(store.wasIssued(first) && store.wasIssued(second)).toBe(true);
  });

  it('refuses to go on with a random source that only repeats itself', () => {
    const store = new ConsentStore({ clock: SandboxClock.frozenAt('2026-06-01T10:00:00Z'), randomBytes: () => Buffer.alloc(32, 1) });
    store.issueSecret('code');
    expect(() => store.issueSecret('code')).toThrow(/keeps repeating values/);
  });

  it('rotates refresh tokens; a replay by the rightful client revokes the whole family', () => {
    const clock = SandboxClock.frozenAt('2026-06-01T10:00:00Z');
    const store = new ConsentStore({ clock });
    const { consent, refreshToken } = store.grant({ clientId: PGO, bsn: BSN, gegevensdiensten: ['48', '49'] });
    clock.shift('16m');
    const next = store.refresh(refreshToken, PGO);
    expect(refusalId(next)).toBe('ok');
    expect(next.refreshToken).toMatch(/^[0-9a-f]{64}$/);
    expect(next.refreshToken).not.toBe(refreshToken);
    // The old one again, by its own client: a thief or a confused client; the DVZA cannot tell, so all goes.
    expect(refusalId(store.refresh(refreshToken, PGO))).toBe('oauth.refresh.replayed');
    expect(store.consent(consent.id)?.revokedAt).toBe(clock.nowMs());
    expect(refusalId(store.refresh(next.refreshToken!, PGO))).toBe('oauth.refresh.consent-revoked');
  });

  it("another client's offer (even a replay) is refused and revokes nothing", () => {
    const store = new ConsentStore({ clock: SandboxClock.frozenAt('2026-06-01T10:00:00Z') });
    const { refreshToken } = store.grant({ clientId: PGO, bsn: BSN, gegevensdiensten: ['48'] });
    const next = store.refresh(refreshToken, PGO);
    expect(refusalId(store.refresh(refreshToken, 'evil.localhost'))).toBe('oauth.refresh.other-client');
    expect(refusalId(store.refresh(next.refreshToken!, 'evil.localhost'))).toBe('oauth.refresh.other-client');
    expect(refusalId(store.refresh(next.refreshToken!, PGO))).toBe('ok');
    expect(refusalId(store.refresh('0'.repeat(64), PGO))).toBe('oauth.refresh.unknown-token');
  });

  it('lapses 6 months after the last successful resource request, not before; collecting starts the 6 months again', () => {
    const clock = SandboxClock.frozenAt('2026-06-01T10:00:00Z');
    const store = new ConsentStore({ clock });
    const { consent, refreshToken } = store.grant({ clientId: PGO, bsn: BSN, gegevensdiensten: ['48'] });
    // A PGO refreshes when it collects again (its access token lasts 15 minutes): a new refresh token, new data.
    clock.freeze('2026-11-30T10:00:00Z');
    const rotated = store.refresh(refreshToken, PGO);
    store.collected(consent.id);
    clock.freeze('2027-05-30T10:00:00Z');
    const stillValid = store.refresh(rotated.refreshToken!, PGO);
    expect(refusalId(stillValid)).toBe('ok');
    clock.freeze('2027-05-30T10:00:01Z');
    expect(refusalId(store.refresh(stillValid.refreshToken!, PGO))).toBe('oauth.refresh.consent-lapsed');
  });

  it('only the person it belongs to withdraws a consent; then no refresh token of it counts', () => {
    const store = new ConsentStore({ clock: SandboxClock.frozenAt('2026-06-01T10:00:00Z') });
    const { consent, refreshToken } = store.grant({ clientId: PGO, bsn: BSN, gegevensdiensten: ['48'] });
    expect(store.withdraw(consent.id, '999900000')).toBeUndefined();
    expect(store.withdraw(consent.id, BSN)?.withdrawnAt).toBeDefined();
    expect(refusalId(store.refresh(refreshToken, PGO))).toBe('oauth.refresh.consent-withdrawn');
    expect(store.consentsOf(BSN).map((c) => c.id)).toEqual([consent.id]);
  });

  it('keeps consents, refresh tokens and the hashes of everything issued across a restart, never the tokens themselves', () => {
    const file = join(tempDir(), 'dvza', 'consents.json');
    const clock = SandboxClock.frozenAt('2026-06-01T10:00:00Z');
    const before = new ConsentStore({ file, clock });
    const code = before.issueSecret('code');
    const { refreshToken } = before.grant({ clientId: PGO, bsn: BSN, gegevensdiensten: ['48'] });
    const after = new ConsentStore({ file, clock });
    expect(after.wasIssued(code)).toBe(true);
    expect(refusalId(after.refresh(refreshToken, PGO))).toBe('ok');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(refreshToken);
    expect(text).not.toContain(code);
  });

  it('a damaged store is an error naming the file, not an empty start', () => {
    const file = join(tempDir(), 'consents.json');
    writeFileSync(file, '{ not json');
    expect(() => new ConsentStore({ file, clock: SandboxClock.frozenAt('2026-06-01T10:00:00Z') })).toThrow(/cannot read the DVZA's consents .*consents\.json/);
    // Well-formed JSON with a consent that has no lastCollectedAt would never lapse: refused, naming the field.
    const clock = SandboxClock.frozenAt('2026-06-01T10:00:00Z');
    const damaged = {
      version: 1,
      issued: { code: [], 'access-token': [], 'refresh-token': [] },
      consents: [{ id: 'a'.repeat(24), clientId: PGO, bsn: BSN, gegevensdiensten: ['48'], grantedAt: 1 }],
      refreshTokens: [],
    };
    writeFileSync(file, JSON.stringify(damaged));
    expect(() => new ConsentStore({ file, clock })).toThrow(/consents\.0\.lastCollectedAt/);
    writeFileSync(file, JSON.stringify({ ...damaged, consents: [], issued: { ...damaged.issued, code: 'abc' } }));
    expect(() => new ConsentStore({ file, clock })).toThrow(/issued\.code/);
  });
});
