/** The control API's paths, actions, bodies and token file: what both the stelselnode and its callers follow. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SandboxError, secureRandomBytes } from '@medmij-sandbox/network';
import type { AnyListKind } from '@medmij-sandbox/lists';
import type { Params } from '@medmij-sandbox/rules';
import type { NoticeReport } from './notification.js';

export const CONTROL_PATH = '/_sandbox/control';

/**
 * What a broken list looks like when the stelselnode serves one (`lists fault <list> <fault>`). `future-dated`: the
 * real list with a Tijdstempel a year ahead and its Volgnummer 50 higher, as an attacker would make it to pin every
 * consumer that takes it.
 */
export const FAULTS = ['malformed', 'schema-invalid', 'unavailable', 'bad-signature', 'future-dated'] as const;
export type Fault = (typeof FAULTS)[number];

/** A participant put on the lists from outside the topology. */
export type AddRequest =
  | { role: 'pgo'; hostname: string; name: string }
  | { role: 'node'; hostname: string }
  | { role: 'dvza'; zorgaanbiedernaam: string; authorizeUrl: string; tokenUrl: string; fhirUrl: string; gegevensdiensten: string[] };

/** Every action and the body it takes (all fields are strings on the wire: gegevensdiensten comma-separated). */
export interface ControlBodies {
  publish: Record<string, never>;
  add: AddRequest;
  /** The enrolments file changed (`sandbox enrol`): publish what it now says. */
  enrolments: Record<string, never>;
  remove: { participant: string };
  restore: { participant: string };
  freeze: Record<string, never>;
  unfreeze: Record<string, never>;
  /** Publish lists that are already `age` old (e.g. `3h`) and stop publishing. */
  stale: { age: string };
  fault: { list: AnyListKind; fault: Fault | 'none' };
  rollback: { list: AnyListKind };
  /**
   * Afsprakenstelsel 2: the GegevensdienstIds (comma-separated) the OAuthclientlist lets this client (a PGO's
   * hostname) use; `all` lifts the restriction.
   */
  restrict: { client: string; gegevensdiensten: string };
  /**
   * Back to the topology. Every list consumer also forgets the lists and Volgnummers it holds at its next fetch,
   * unless `consumers` is `keep`: a live scenario run resets before each scenario, and a forget inside the next
   * one would change what it sees (its first list taken anew, without "was").
   */
  reset: { consumers?: 'forget' | 'keep' };
}
export type ControlAction = keyof ControlBodies;
export const CONTROL_ACTIONS = [
  'publish',
  'add',
  'enrolments',
  'remove',
  'restore',
  'freeze',
  'unfreeze',
  'stale',
  'fault',
  'rollback',
  'restrict',
  'reset',
] as const satisfies readonly ControlAction[];
/** Compiles only while CONTROL_ACTIONS names every action of ControlBodies (and, by `satisfies`, nothing else). */
export const everyActionListed: [Exclude<ControlAction, (typeof CONTROL_ACTIONS)[number]>] extends [never] ? true : never = true;

/** The body as it travels: flat strings. */
export function wireBody<A extends ControlAction>(action: A, body: ControlBodies[A]): Record<string, string> {
  if (action === 'add') {
    const add = body as AddRequest;
    return add.role === 'dvza' ? { ...add, gegevensdiensten: add.gegevensdiensten.join(',') } : { ...add };
  }
  return { ...(body as Record<string, string>) };
}

/**
 * The answer to every successful action: what was done, one sentence each (`done`, the trace's English words), and
 * the same sentences as catalogue reasons (`said`: id and parameters), so a reader can say them in Dutch.
 */
export interface ControlAnswer {
  done: string[];
  /** Absent from a stelselnode of an older sandbox: then `done` is all there is. */
  said?: SaidOnWire[];
  status: unknown;
  /** The consumers told of the lists the action changed (the notice), each answered once it decided: whom to wait for. */
  notified?: NoticeReport[];
}

/** A catalogue reason as it travels: its id and parameters (nested reasons flat, as `nest` keeps them). */
export interface SaidOnWire {
  ruleId: string;
  params: Params;
}

/** The error answer (400 for a request the stelselnode cannot carry out, 401 without the right token). */
export interface ControlError {
  error: 'invalid_request' | 'unauthorized';
  message: string;
  hint?: string;
}

/** The stelselnode's side: the token, created once with real randomness (0600), read at every start. */
export function ensureControlToken(file: string): string {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, secureRandomBytes(24).toString('hex'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/** A caller's side: the token of a stelselnode that has run at least once. */
export function readControlToken(file: string): string {
  if (!existsSync(file)) {
    throw new SandboxError(
      `the stelselnode has never run here (no control token at ${file})`,
      'start the network first: npm start, or npm run sandbox -- run stelselnode',
    );
  }
  return readFileSync(file, 'utf8').trim();
}
