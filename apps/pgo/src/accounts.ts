/**
 * PGO accounts. MedMij asks PGO users to log in with two factors; the sandbox has demo accounts with a
 * password and a TOTP (RFC 6238) second factor whose secret derives from the seed. The login page shows
 * the current code, clearly as a demo, so nobody needs an authenticator app — a real PGO never would.
 * Codes follow the sandbox clock, so time travel moves them too.
 */
import { timingSafeEqual } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { Clock, RandomStream } from '@medmij-sandbox/network';

export interface Account {
  username: string;
  password: string;
  displayName: string;
  totp: TOTP;
}

const DEMO = [
  { username: 'demo', password: 'sandbox', displayName: 'Demo-gebruiker' },
  { username: 'trainer', password: 'sandbox', displayName: 'Trainer' },
];

export class Accounts {
  readonly all: Account[];

  constructor(
    private readonly clock: Clock,
    random: RandomStream,
    issuer: string,
  ) {
    this.all = DEMO.map((d) => ({
      ...d,
      // Uint8Array.from: exactly these 20 bytes (a Buffer's .buffer is Node's shared pool).
      totp: new TOTP({
        issuer,
        label: d.username,
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
        secret: new Secret({ buffer: Uint8Array.from(random.bytes(20)).buffer }),
      }),
    }));
  }

  currentCode(account: Account): { code: string; validForSeconds: number } {
    const now = this.clock.nowMs();
    return { code: account.totp.generate({ timestamp: now }), validForSeconds: 30 - (Math.floor(now / 1000) % 30) };
  }

  /** Both factors; which one failed is told apart for the person, as a real PGO would. */
  check(username: string, password: string, code: string): { account: Account } | { error: 'invalid_credentials' | 'invalid_totp' } {
    const account = this.all.find((a) => a.username === username);
    if (!account || !sameText(account.password, password)) return { error: 'invalid_credentials' };
    // One step of drift either way, as authenticator apps expect.
    if (account.totp.validate({ token: code.replace(/\s/g, ''), timestamp: this.clock.nowMs(), window: 1 }) === null) return { error: 'invalid_totp' };
    return { account };
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
