/** The demo accounts' second factor: RFC 6238 codes on the sandbox clock, from secrets the seed does not know. */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SandboxClock, wallClock } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { Accounts } from './accounts.js';

const open = (iso: string, file: string) => Accounts.open({ clock: SandboxClock.frozenAt(iso), issuer: 'PGO', file });

describe('demo accounts', () => {
  it('draws the TOTP secrets from the CSPRNG once, keeps them in a 0600 file, and gives the same codes after a restart', () => {
    const dir = tempDir('pgo-accounts-');
    const file = join(dir, 'pgo', 'secrets.json');
    const a = open('2026-06-01T08:00:00Z', file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(a.all[0]!.totp.secret.bytes.length).toBe(20);
    // A restart reads the same secrets: the same code at the same sandbox time.
    const again = open('2026-06-01T08:00:00Z', file);
    expect(again.currentCode(again.all[0]!)).toEqual(a.currentCode(a.all[0]!));
    // A second sandbox (same seed, same time, another folder) has other secrets: nothing follows from the seed.
    const other = open('2026-06-01T08:00:00Z', join(dir, 'other', 'secrets.json'));
    expect(other.all[0]!.totp.secret.hex).not.toBe(a.all[0]!.totp.secret.hex);
    expect(other.all[1]!.totp.secret.hex).not.toBe(a.all[1]!.totp.secret.hex);
  });

  it('refuses a damaged secrets file, naming the file and the field, and leaves it as it was', () => {
    const file = join(tempDir('pgo-accounts-'), 'secrets.json');
    writeFileSync(file, JSON.stringify({ secrets: { demo: 'abc', trainer: '00'.repeat(20) } }));
    expect(() => open('2026-06-01T08:00:00Z', file)).toThrow(`${file}: secrets.demo is not 40 hex digits`);
    writeFileSync(file, '{not json');
    expect(() => open('2026-06-01T08:00:00Z', file)).toThrow(`${file}: not JSON`);
    expect(readFileSync(file, 'utf8')).toBe('{not json');
  });

  it('accepts the current code and one step either side, refuses older ones and a wrong password', () => {
    const file = join(tempDir('pgo-accounts-'), 'secrets.json');
    const accounts = open('2026-06-01T08:00:00Z', file);
    const demo = accounts.all.find((x) => x.username === 'demo')!;
    const code = accounts.currentCode(demo).code;
    expect(accounts.check('demo', 'sandbox', code)).toEqual({ account: demo });
    expect(accounts.check('demo', 'wrong', code)).toEqual({ error: 'invalid_credentials' });
    expect(accounts.check('nobody', 'sandbox', code)).toEqual({ error: 'invalid_credentials' });
    expect(open('2026-06-01T08:00:30Z', file).check('demo', 'sandbox', code)).toMatchObject({ account: { username: 'demo' } });
    expect(open('2026-06-01T08:02:00Z', file).check('demo', 'sandbox', code)).toEqual({ error: 'invalid_totp' });
  });

  it("takes an authenticator app's code too (real time), whatever the sandbox clock says (demoAccounts: false)", () => {
    const file = join(tempDir('pgo-accounts-'), 'secrets.json');
    // Frozen half a year away from real time, as a scenario's clock is.
    const accounts = open('2026-06-01T08:00:00Z', file);
    const demo = accounts.all.find((x) => x.username === 'demo')!;
    const fromTheApp = demo.totp.generate({ timestamp: wallClock.nowMs() });
    expect(accounts.check('demo', 'sandbox', fromTheApp)).toEqual({ account: demo });
    // A code of neither time is refused.
    const other = demo.totp.generate({ timestamp: wallClock.nowMs() - 3_600_000 });
    expect(accounts.check('demo', 'sandbox', other)).toEqual({ error: 'invalid_totp' });
  });
});
