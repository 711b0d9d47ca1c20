/**
 * PGO accounts. MedMij asks PGO users to log in with two factors; the sandbox has demo accounts with a
 * password and a TOTP (RFC 6238) second factor. The TOTP secrets come from the CSPRNG and are kept in a file
 * only the owner can read (0600): from the public seed anyone could compute every code. For workshops the
 * login page shows the current code, clearly as a demo, so nobody needs an authenticator app — a real PGO
 * never would (topology `pgo.demoAccounts: false` hides it). The page's codes follow the sandbox clock, so time
 * travel moves them too; a code an authenticator app makes from real time is taken as well.
 */
import { Secret, TOTP } from 'otpauth';
import { loadOrCreateSecrets, sameSecret, wallClock, type Clock } from '@medmij-sandbox/network';

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

/** The TOTP secrets of the demo accounts, by username: 20 bytes each (RFC 4226's recommended length). */
export type TotpSecrets = Readonly<Record<string, Uint8Array>>;

export class Accounts {
  readonly all: Account[];

  /** The accounts with the TOTP secrets in `file`: read when it exists, drawn from the CSPRNG and written (0600) when not. */
  static open(o: { clock: Clock; issuer: string; file: string }): Accounts {
    const secrets = loadOrCreateSecrets(o.file, {
      description: 'MedMij Sandbox PGO: the TOTP secrets of the demo accounts (from the CSPRNG, never from the seed). Keep this file private.',
      names: DEMO.map((d) => d.username),
      bytes: 20,
    });
    return new Accounts(o.clock, secrets, o.issuer);
  }

  constructor(
    private readonly clock: Clock,
    secrets: TotpSecrets,
    issuer: string,
  ) {
    this.all = DEMO.map((d) => {
      const bytes = secrets[d.username];
      if (!bytes || bytes.length !== 20) throw new RangeError(`no 20-byte TOTP secret for ${d.username}`);
      return {
        ...d,
        // Uint8Array.from: exactly these 20 bytes (a Buffer's .buffer is Node's shared pool).
        totp: new TOTP({ issuer, label: d.username, algorithm: 'SHA1', digits: 6, period: 30, secret: new Secret({ buffer: Uint8Array.from(bytes).buffer }) }),
      };
    });
  }

  currentCode(account: Account): { code: string; validForSeconds: number } {
    const now = this.clock.nowMs();
    return { code: account.totp.generate({ timestamp: now }), validForSeconds: 30 - (Math.floor(now / 1000) % 30) };
  }

  /** Both factors; which one failed is told apart for the person, as a real PGO would. */
  check(username: string, password: string, code: string): { account: Account } | { error: 'invalid_credentials' | 'invalid_totp' } {
    const account = this.all.find((a) => a.username === username);
    if (!account || !sameSecret(password, account.password)) return { error: 'invalid_credentials' };
    // One step of drift either way, as authenticator apps expect. The code on the login page follows the sandbox
    // clock; an authenticator app (demoAccounts: false) follows real time, which a shifted or frozen clock leaves.
    const token = code.replace(/\s/g, '');
    const validAt = (timestamp: number) => account.totp.validate({ token, timestamp, window: 1 }) !== null;
    if (!validAt(this.clock.nowMs()) && !validAt(wallClock.nowMs())) return { error: 'invalid_totp' };
    return { account };
  }
}
