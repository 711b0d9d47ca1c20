import { describe, expect, it } from 'vitest';
import { say } from '@medmij-sandbox/rules';
import { parseScope, parseScopeFor, scopeFor, type ScopeProblem, type ScopeRequest } from './index.js';

const OFFERED = ['48', '49'];
const refused = (r: ScopeRequest | ScopeProblem) => {
  if (!('problem' in r)) throw new Error(`accepted: ${JSON.stringify(r)}`);
  return { en: r.problem, nl: say(r.said, 'nl'), id: r.said.reason.id };
};

describe('the scope per afsprakenstelsel', () => {
  it('2: the zorgaanbieder alone; the person chooses from what is offered, at the DVZA', () => {
    expect(scopeFor('2', 'dekroon@medmij', ['48', '49'])).toBe('dekroon');
    expect(scopeFor('2', 'dekroon@medmij')).toBe('dekroon');
    expect(parseScopeFor('2', 'dekroon', 'dekroon@medmij', OFFERED)).toEqual({
      afsprakenstelsel: '2',
      zorgaanbieder: 'dekroon',
      ids: ['48', '49'],
      chosen: 'at-consent',
    });
  });

  it('1.5: <zorgaanbieder>~<gegevensdienstId> per gegevensdienst, as before', () => {
    expect(scopeFor('1.5', 'dekroon@medmij', ['1', '4'])).toBe('dekroon~1 dekroon~4');
    expect(scopeFor('1.5', 'dekroon@medmij', '1')).toBe('dekroon~1');
    expect(() => scopeFor('1.5', 'dekroon@medmij', [])).toThrow(RangeError);
    expect(parseScopeFor('1.5', 'dekroon~4 dekroon~1 dekroon~4', 'dekroon@medmij', ['1', '4'])).toEqual({
      afsprakenstelsel: '1.5',
      zorgaanbieder: 'dekroon',
      ids: ['4', '1'],
      chosen: 'in-request',
    });
    // Today's refusals, word for word (parseScope itself is unchanged).
    for (const scope of ['', 'dekroon~9', 'elders~1', 'dekroon~1  dekroon~4']) {
      expect(parseScopeFor('1.5', scope, 'dekroon@medmij', ['1', '4'])).toEqual(parseScope(scope, 'dekroon@medmij', ['1', '4']));
    }
  });

  it('a 1.5 scope in a 2 network: names afsprakenstelsel 2 and shows the right form, in both languages', () => {
    expect(refused(parseScopeFor('2', 'dekroon~48', 'dekroon@medmij', OFFERED))).toEqual({
      id: 'oauth.scope.form-of-1-5',
      en: "scope 'dekroon~48' has the form of afsprakenstelsel 1.5 (<zorgaanbieder>~<gegevensdienstId>); this network speaks afsprakenstelsel 2: the scope is the zorgaanbieder alone, e.g. 'dekroon', and the person chooses the gegevensdiensten at the DVZA (in 2, <zorgaanbieder>~<id> is the scope of Delen, which the sandbox does not model)",
      nl: "scope 'dekroon~48' heeft de vorm van afsprakenstelsel 1.5 (<zorgaanbieder>~<gegevensdienstId>); dit netwerk spreekt afsprakenstelsel 2: de scope is alleen de zorgaanbieder, bijvoorbeeld 'dekroon', en de persoon kiest de gegevensdiensten bij de DVZA (in 2 is <zorgaanbieder>~<id> de scope van Delen, dat de sandbox niet nabootst)",
    });
    expect(refused(parseScopeFor('2', 'dekroon~48 dekroon~49', 'dekroon@medmij', OFFERED)).id).toBe('oauth.scope.form-of-1-5');
  });

  it('a 2 scope in a 1.5 network: names afsprakenstelsel 1.5 and shows the right form, in both languages', () => {
    expect(refused(parseScopeFor('1.5', 'dekroon', 'dekroon@medmij', ['1', '4']))).toEqual({
      id: 'oauth.scope.form-of-2',
      en: "scope 'dekroon' has the form of afsprakenstelsel 2 (the zorgaanbieder alone); this network speaks afsprakenstelsel 1.5: the scope names each gegevensdienst as <zorgaanbieder>~<gegevensdienstId>, e.g. 'dekroon~1 dekroon~4'",
      nl: "scope 'dekroon' heeft de vorm van afsprakenstelsel 2 (alleen de zorgaanbieder); dit netwerk spreekt afsprakenstelsel 1.5: de scope noemt elke gegevensdienst als <zorgaanbieder>~<gegevensdienstId>, bijvoorbeeld 'dekroon~1 dekroon~4'",
    });
    expect(refused(parseScopeFor('1.5', 'dekroon onbehalfofchild', 'dekroon@medmij', ['1'])).id).toBe('oauth.scope.form-of-2');
    // A word without ~ among 1.5 combinations is plainly malformed, as before.
    expect(refused(parseScopeFor('1.5', 'dekroon~1 dekroon', 'dekroon@medmij', ['1'])).id).toBe('oauth.scope.malformed');
  });

  it('2: one word, this zorgaanbieder; representation is refused until the sandbox models it', () => {
    expect(refused(parseScopeFor('2', '', 'dekroon@medmij', OFFERED))).toMatchObject({ id: 'oauth.scope.missing', nl: 'scope ontbreekt' });
    expect(refused(parseScopeFor('2', 'elders', 'dekroon@medmij', OFFERED))).toMatchObject({
      id: 'oauth.scope.other-zorgaanbieder',
      en: "scope names zorgaanbieder 'elders', this is 'dekroon'",
    });
    expect(refused(parseScopeFor('2', 'dekroon@medmij', 'dekroon@medmij', OFFERED)).id).toBe('oauth.scope.other-zorgaanbieder');
    for (const scope of ['dekroon dekroon', 'dekroon extra', 'dekroon ', ' dekroon']) {
      expect(refused(parseScopeFor('2', scope, 'dekroon@medmij', OFFERED)), scope).toMatchObject({
        id: 'oauth.scope.malformed-2',
        en: `scope '${scope}' is not <zorgaanbieder>: in afsprakenstelsel 2 the scope is the zorgaanbieder alone, one word`,
      });
    }
    expect(refused(parseScopeFor('2', 'dekroon onbehalfof', 'dekroon@medmij', OFFERED))).toEqual({
      id: 'oauth.scope.representation-not-supported',
      en: "scope asks for representation (onbehalfof), which this sandbox does not support yet: leave onbehalfof out to collect the person's own data",
      nl: 'scope vraagt om vertegenwoordiging (onbehalfof), wat deze sandbox nog niet ondersteunt: laat onbehalfof weg om de eigen gegevens van de persoon op te halen',
    });
    expect(refused(parseScopeFor('2', 'dekroon onbehalfofchild', 'dekroon@medmij', OFFERED)).id).toBe('oauth.scope.representation-not-supported');
  });
});
