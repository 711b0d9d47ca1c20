/**
 * Operator access: the network trace holds the DVZA's view (BSNs, names, codes), so only the person who runs the
 * sandbox may read it; scenario runs and resets change the network, so only a trainer may start them. One home for
 * the contract between `npm start` (which prints a login link per role) and the console that checks it
 * (apps/console: the inspector, the trace API, scenario runs and resets).
 *
 * `.sandbox/operator.json` (0600) holds one random token per role, made once and kept across restarts (a trainer's
 * link keeps working); `sandbox reset` (a new .sandbox) makes new ones. A token is presented as
 * `Authorization: Bearer <token>`, or once at the login link (the token in its fragment), which exchanges it for an
 * HttpOnly, Secure, SameSite=Strict cookie.
 */
import { timingSafeEqual } from 'node:crypto';
import { WatchedFile, loadOrCreateSecrets } from './state-files.js';
import { SandboxError } from './errors.js';

export const OPERATOR_ROLES = ['viewer', 'trainer'] as const;
/** viewer: the trace (list, stream, export) and the scenario list; trainer: also scenario runs, resets, faults. */
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/**
 * The console's page of the login link, `/operator/login#token=…`: the token in the fragment, which the browser
 * keeps to itself (apps/console operator-login.ts exchanges it for the operator cookie).
 */
export const OPERATOR_LOGIN_PATH = '/operator/login';

/** Does `role` allow what needs `needed`? A trainer may do everything a viewer may. */
export function roleAllows(role: OperatorRole | undefined, needed: OperatorRole): boolean {
  return role !== undefined && OPERATOR_ROLES.indexOf(role) >= OPERATOR_ROLES.indexOf(needed);
}

/** The login link of one role at the console's front channel. */
export function operatorLoginUrl(consoleFrontchannel: string, token: string): string {
  return `${consoleFrontchannel}${OPERATOR_LOGIN_PATH}#token=${token}`;
}

export class OperatorAccess {
  private readonly file: WatchedFile<Record<OperatorRole, Buffer>>;

  /** Opens `path`, making it (two tokens from the CSPRNG, 0600) when it does not exist yet. */
  constructor(readonly path: string) {
    const o = {
      description: 'MedMij Sandbox operator tokens: who may read the network trace (viewer) and run scenarios or resets (trainer). Keep this file private.',
      names: OPERATOR_ROLES,
      bytes: 32,
    };
    loadOrCreateSecrets(path, o);
    // Re-read when another process made new ones (a reset while a PGO runs).
    this.file = new WatchedFile(
      path,
      () => loadOrCreateSecrets(path, o),
      () => {
        throw new SandboxError(`${path} is gone: restart the network (npm start) to make new operator tokens`);
      },
    );
  }

  /** The tokens, hex: for the login links `npm start` prints. */
  tokens(): Record<OperatorRole, string> {
    const t = this.file.get();
    return { viewer: t.viewer.toString('hex'), trainer: t.trainer.toString('hex') };
  }

  /** The role a presented token has, compared in constant time; undefined for anything else. */
  roleOf(presented: string | undefined): OperatorRole | undefined {
    if (!presented || !/^[0-9a-f]{64}$/.test(presented)) return undefined;
    const given = Buffer.from(presented, 'hex');
    const tokens = this.file.get();
    // The highest role first: both compared, so the time taken does not say which one matched.
    const matches = OPERATOR_ROLES.map((r) => timingSafeEqual(given, tokens[r]));
    return matches[1] ? 'trainer' : matches[0] ? 'viewer' : undefined;
  }
}
