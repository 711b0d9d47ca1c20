/**
 * The scope of an authorization request (SPEC §2.1, §10.1), per afsprakenstelsel. In 1.5 the PGO names each
 * gegevensdienst: `dekroon~1 dekroon~4`. In 2 it names the zorgaanbieder alone, `dekroon`, and the person
 * chooses the gegevensdiensten on the DVZA's consent screen. Each network speaks one of the two; a scope of the
 * other is refused with a reason that says which one this network speaks and shows the right form.
 */
import { OAUTH, said, say, type Said } from '@medmij-sandbox/rules';
import type { Afsprakenstelsel } from '@medmij-sandbox/network/afsprakenstelsel';

/** A scope refused: the problem in English (the trace's words) and as a catalogue reason, to say again in Dutch. */
export interface ScopeProblem {
  problem: string;
  said: Said;
}

const problem = (s: Said): ScopeProblem => ({ problem: say(s), said: s });

/** The zorgaanbieder's part of a scope: the Zorgaanbiedernaam without `@medmij`. */
export function scopeZorgaanbieder(zorgaanbiedernaam: string): string {
  return zorgaanbiedernaam.replace(/@medmij$/, '');
}

/** The 1.5 scope: `dekroon~1`, or `dekroon~1 dekroon~4` for several gegevensdiensten at one zorgaanbieder. */
export function scopeOf(zorgaanbiedernaam: string, gegevensdienstIds: string | readonly string[]): string {
  const ids = typeof gegevensdienstIds === 'string' ? [gegevensdienstIds] : gegevensdienstIds;
  return ids.map((id) => `${scopeZorgaanbieder(zorgaanbiedernaam)}~${id}`).join(' ');
}

/**
 * The 1.5 scope grammar for Verzamelen: one or more `<zorgaanbiedernaam without @medmij>~<gegevensdienstId>`,
 * separated by single spaces, all for the same zorgaanbieder, each offered by it.
 */
export function parseScope(scope: string, zorgaanbiedernaam: string, offered: readonly string[]): { ids: string[] } | ScopeProblem {
  if (!scope) return problem(said(OAUTH.scope.missing, {}));
  const self = scopeZorgaanbieder(zorgaanbiedernaam);
  const ids: string[] = [];
  for (const combination of scope.split(' ')) {
    const match = /^([^~\s]+)~([^~\s]+)$/.exec(combination);
    if (!match) return problem(said(OAUTH.scope.malformed, { combination }));
    const [, za, id] = match;
    if (za !== self) return problem(said(OAUTH.scope.otherZorgaanbieder, { named: za!, self }));
    if (!offered.includes(id!)) return problem(said(OAUTH.scope.notOffered, { gegevensdienst: id!, zorgaanbieder: self, offered: offered.join(', ') }));
    if (!ids.includes(id!)) ids.push(id!);
  }
  return { ids };
}

/** The scope words of a later issue: representation (SPEC §1.3, §10.5). Refused until the sandbox models it. */
export const REPRESENTATION_SCOPES = ['onbehalfof', 'onbehalfofchild'] as const;

/** An authorization request's scope, understood. */
export interface ScopeRequest {
  afsprakenstelsel: Afsprakenstelsel;
  /** The Zorgaanbiedernaam without `@medmij`, as the scope names it. */
  zorgaanbieder: string;
  /**
   * 1.5: the gegevensdiensten the scope asks for (each offered, once, in the order asked).
   * 2: the scope names none, so these are all the zorgaanbieder offers: the choice the consent screen starts
   * from. The DVZA narrows them further to what the OAuthclientlist lets this client use (SPEC §10.4).
   */
  ids: string[];
  /** Who picks the gegevensdiensten: the PGO in the request (1.5) or the person on the consent screen (2). */
  chosen: 'in-request' | 'at-consent';
}

/**
 * The scope grammar of the network's afsprakenstelsel (Verzamelen).
 * - '2': exactly `<zorgaanbieder>`, one word, this zorgaanbieder. `onbehalfof` / `onbehalfofchild` after it are
 *   refused for now with their own reason (representation is a later issue); refusing beats accepting them
 *   unmodelled, which would issue a code for the person's own identity to a PGO that asked to represent someone.
 * - '1.5': today's grammar (`parseScope`).
 * A scope in the other afsprakenstelsel's form is refused with a reason naming the one this network speaks and
 * showing an example of the right form.
 */
export function parseScopeFor(
  afsprakenstelsel: Afsprakenstelsel,
  scope: string,
  zorgaanbiedernaam: string,
  offered: readonly string[],
): ScopeRequest | ScopeProblem {
  if (!scope) return problem(said(OAUTH.scope.missing, {}));
  const self = scopeZorgaanbieder(zorgaanbiedernaam);
  const words = scope.split(' ');
  if (afsprakenstelsel === '1.5') {
    if (inFormOf2(words))
      return problem(said(OAUTH.scope.form2InNetwork15, { scope, example: offered.length ? scopeOf(self, offered) : `${self}~<gegevensdienstId>` }));
    const parsed = parseScope(scope, zorgaanbiedernaam, offered);
    return 'problem' in parsed ? parsed : { afsprakenstelsel, zorgaanbieder: self, ids: parsed.ids, chosen: 'in-request' };
  }
  if (words.some((w) => w.includes('~'))) return problem(said(OAUTH.scope.form15InNetwork2, { scope, example: self }));
  if (words.includes('')) return problem(said(OAUTH.scope.malformed2, { scope }));
  const representation = words.find((w) => (REPRESENTATION_SCOPES as readonly string[]).includes(w));
  if (representation) return problem(said(OAUTH.scope.representation, { word: representation }));
  if (words.length !== 1) return problem(said(OAUTH.scope.malformed2, { scope }));
  if (words[0] !== self) return problem(said(OAUTH.scope.otherZorgaanbieder, { named: words[0]!, self }));
  return { afsprakenstelsel, zorgaanbieder: self, ids: [...offered], chosen: 'at-consent' };
}

/** The 2.x form: one word without `~`, perhaps followed by representation words. */
function inFormOf2(words: readonly string[]): boolean {
  const [first, ...rest] = words;
  return !!first && !first.includes('~') && rest.every((w) => (REPRESENTATION_SCOPES as readonly string[]).includes(w));
}

/**
 * The scope a PGO asks for. '2': the zorgaanbieder alone (`dekroon`); the ids do not go in the scope, the person
 * chooses at the DVZA. '1.5': `dekroon~1 dekroon~4` (`scopeOf`), which needs at least one id.
 */
export function scopeFor(afsprakenstelsel: Afsprakenstelsel, zorgaanbiedernaam: string, gegevensdienstIds: string | readonly string[] = []): string {
  if (afsprakenstelsel === '2') return scopeZorgaanbieder(zorgaanbiedernaam);
  const ids = typeof gegevensdienstIds === 'string' ? [gegevensdienstIds] : gegevensdienstIds;
  // An empty 1.5 scope is a programming error, not a request to send: the DVZA would only refuse it.
  if (ids.length === 0) throw new RangeError(`a 1.5 scope names at least one gegevensdienst of ${zorgaanbiedernaam}`);
  return scopeOf(zorgaanbiedernaam, ids);
}
