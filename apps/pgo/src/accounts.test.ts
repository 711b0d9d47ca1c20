/** The demo accounts' second factor: RFC 6238 codes from a seeded secret on the sandbox clock. */
import { describe, expect, it } from 'vitest';
import { SandboxClock, SeededRandom } from '@medmij-sandbox/network';
import { Accounts } from './accounts.js';

const at = (iso: string, seed = 'seed') => new Accounts(SandboxClock.frozenAt(iso), new SeededRandom(seed).stream('pgo:totp-secrets'), 'PGO');

describe('demo accounts', () => {
  it('the same seed and sandbox time give the same code, run after run (a 20-byte secret, not a pooled buffer)', () => {
    const a = at('2026-06-01T08:00:00Z');
    const b = at('2026-06-01T08:00:00Z');
    expect(a.all[0]!.totp.secret.bytes.length).toBe(20);
    expect(a.currentCode(a.all[0]!)).toEqual(b.currentCode(b.all[0]!));
    const other = at('2026-06-01T08:00:00Z', 'other');
    expect(other.currentCode(other.all[0]!).code).not.toBe(a.currentCode(a.all[0]!).code);
  });

  it('accepts the current code and one step either side, refuses older ones and a wrong password', () => {
    const accounts = at('2026-06-01T08:00:00Z');
    const demo = accounts.all.find((x) => x.username === 'demo')!;
    const code = accounts.currentCode(demo).code;
    expect(accounts.check('demo', 'sandbox', code)).toEqual({ account: demo });
    expect(accounts.check('demo', 'wrong', code)).toEqual({ error: 'invalid_credentials' });
    expect(accounts.check('nobody', 'sandbox', code)).toEqual({ error: 'invalid_credentials' });
    const later = new Accounts(SandboxClock.frozenAt('2026-06-01T08:00:30Z'), new SeededRandom('seed').stream('pgo:totp-secrets'), 'PGO');
    expect(later.check('demo', 'sandbox', code)).toMatchObject({ account: { username: 'demo' } });
    const muchLater = new Accounts(SandboxClock.frozenAt('2026-06-01T08:02:00Z'), new SeededRandom('seed').stream('pgo:totp-secrets'), 'PGO');
    expect(muchLater.check('demo', 'sandbox', code)).toEqual({ error: 'invalid_totp' });
  });
});
