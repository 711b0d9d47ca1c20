/** The scenario file format: the catalogue parses, and a mistake names the file, the line and the field. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '@medmij-sandbox/network';
import { expectationsIn, loadCatalogue, notApplicable, parseScenario } from './schema.js';
import { expandPlaceholders } from './expectations.js';

const RULE = 'rule: { nl: SPEC §1.2, en: SPEC §1.2 }';
const minimal = `name: example
title: { nl: Een voorbeeld, en: An example }
teaches: { nl: Wat dit voorbeeld de zaal leert., en: What this example teaches the room. }
${RULE}
steps:
  - collect: { zorgaanbieder: dekroon, gegevensdienst: 1, persona: under-16 }
expect:
  pgo: { status: refused, code: access_denied }
`;

describe('scenario files', () => {
  it('every file of the catalogue is a valid scenario named after its file', () => {
    const dir = join(repositoryRoot(), 'scenarios');
    const catalogue = loadCatalogue(dir);
    expect(catalogue.map((s) => `${s.name}.yaml`)).toEqual(
      readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .sort(),
    );
    expect(catalogue.length).toBeGreaterThanOrEqual(3);
  });

  it('fills in the defaults: DigiD success at Substantieel, consent ja', () => {
    const s = parseScenario(minimal, 'scenarios/example.yaml');
    expect(s.steps[0]).toEqual({
      collect: { zorgaanbieder: 'dekroon', gegevensdienst: '1', persona: 'under-16', login: 'success', level: 'substantieel', consent: 'ja' },
    });
    expect(s.setup).toEqual([]);
    expect(s.expect.hops).toEqual([]);
  });

  it('names file, line and field of a mistake', () => {
    expect(() =>
      parseScenario(minimal.replace('login: success', '').replace('persona: under-16', 'persona: under-16, level: medium'), 'scenarios/example.yaml'),
    ).toThrow(/scenarios\/example\.yaml:6: steps\[0\]/);
    expect(() => parseScenario(minimal.replace('status: refused', 'status: denied'), 'scenarios/example.yaml')).toThrow(
      /scenarios\/example\.yaml:8: expect\.pgo\.status: Invalid option: expected one of "collected"\|"refused"/,
    );
    expect(() => parseScenario(`${minimal}setup:\n  - clock: { shift: soon }\n`, 'scenarios/example.yaml')).toThrow(/scenarios\/example\.yaml:10: setup\[0\]/);
    expect(() => parseScenario(minimal, 'scenarios/other-name.yaml')).toThrow(
      "scenarios/other-name.yaml: name 'example' must equal the file name 'other-name'",
    );
    expect(() => parseScenario('name: [unclosed', 'scenarios/broken.yaml')).toThrow(/^scenarios\/broken\.yaml:1:\d+: not valid YAML/);
  });

  it('texts a person reads are bilingual: both nl and en, or an error naming file, line and field', () => {
    const s = parseScenario(`${minimal}  hops:\n    - { decision: pgo, says: { nl: de PGO besluit, en: the PGO decides } }\n`, 'scenarios/example.yaml');
    expect(s.title).toEqual({ nl: 'Een voorbeeld', en: 'An example' });
    expect(s.rule).toEqual({ nl: 'SPEC §1.2', en: 'SPEC §1.2' });
    expect(s.expect.hops[0]!.says).toEqual({ nl: 'de PGO besluit', en: 'the PGO decides' });
    expect(() => parseScenario(minimal.replace(/^title: .*$/m, 'title: An example'), 'scenarios/example.yaml')).toThrow(
      /scenarios\/example\.yaml:2: title: a text in both languages: \{ nl: …, en: … \}/,
    );
    expect(() => parseScenario(minimal.replace(/^title: .*$/m, 'title: { en: An example }'), 'scenarios/example.yaml')).toThrow(
      /scenarios\/example\.yaml:2: title\.nl: the Dutch text is missing: give both nl and en/,
    );
    expect(() => parseScenario(minimal.replace(/^teaches: .*$/m, 'teaches: { nl: Wat dit voorbeeld de zaal leert. }'), 'scenarios/example.yaml')).toThrow(
      /scenarios\/example\.yaml:3: teaches\.en: the English text is missing: give both nl and en/,
    );
    expect(() => parseScenario(`${minimal}  hops:\n    - { decision: pgo, says: the PGO decides }\n`, 'scenarios/example.yaml')).toThrow(
      /scenarios\/example\.yaml:10: expect\.hops\[0\]\.says: a text in both languages/,
    );
    expect(() =>
      parseScenario(
        `${minimal}  hops:\n    - { decision: pgo, says: { nl: de PGO besluit, en: the PGO decides, de: der PGO entscheidet } }\n`,
        'scenarios/example.yaml',
      ),
    ).toThrow(/scenarios\/example\.yaml:10: expect\.hops\[0\]\.says/);
  });

  it('a scenario folder that is not there is a clear error, not a crash', () => {
    expect(() => loadCatalogue('happy-path-bgz,patient-under-16')).toThrow(/^no scenario folder at happy-path-bgz,patient-under-16$/);
  });

  it('placeholders in expected reasons stand for the state at the scenario start: {clock}, {date}, {volgnummer}', () => {
    const start = Date.parse('2026-06-01T08:00:00Z');
    const fresh = { startedAt: start, volgnummersAtStart: {} };
    expect(expandPlaceholders('valid until {clock+15m}', fresh)).toBe('valid until 2026-06-01T08:15:00.000Z');
    expect(expandPlaceholders('used at {clock}; {clock-1d}', fresh)).toBe('used at 2026-06-01T08:00:00.000Z; 2026-05-31T08:00:00.000Z');
    // {date}: the Dutch calendar date (23:30 UTC on 31 May is already 1 June in Amsterdam).
    expect(expandPlaceholders('16 on {date}', { startedAt: Date.parse('2026-05-31T23:30:00Z'), volgnummersAtStart: {} })).toBe('16 on 2026-06-01');
    // {volgnummer}: of the list named last before it; a fresh network has published Volgnummer 1 of each.
    expect(expandPlaceholders('accepted Zorgaanbiederslijst Volgnummer {volgnummer+1} (was {volgnummer})', fresh)).toBe(
      'accepted Zorgaanbiederslijst Volgnummer 2 (was 1)',
    );
    const live = { startedAt: start, volgnummersAtStart: { Zorgaanbiederslijst: 11, Whitelist: 7 } };
    expect(expandPlaceholders('Zorgaanbiederslijst Volgnummer {volgnummer} is lower than the {volgnummer+1} we hold', live)).toBe(
      'Zorgaanbiederslijst Volgnummer 11 is lower than the 12 we hold',
    );
    expect(expandPlaceholders('published Whitelist Volgnummer {volgnummer+1}; then {volgnummer-1}', live)).toBe('published Whitelist Volgnummer 8; then 6');
    expect(expandPlaceholders('no list named: {volgnummer}', live)).toBe('no list named: 11');
    // A misspelt placeholder is refused with the file and line; an XML namespace in braces is plain text.
    expect(() => parseScenario(`${minimal}  hops:\n    - { decision: pgo, reason: "Volgnummer {volgnumer}" }\n`, 'scenarios/example.yaml')).toThrow(
      /scenarios\/example\.yaml:\d+: expect\.hops\[0\]\.reason: placeholders are \{clock\}, \{clock\+15m\}, \{date\}, \{volgnummer\}, \{volgnummer\+1\}, \{naam:<gegevensdienst key>\} and \{id:<gegevensdienst key>\}/,
    );
    expect(() => parseScenario(`${minimal}  hops:\n    - { decision: pgo, reason: "Element '{xmlns://x/}Fout'" }\n`, 'scenarios/example.yaml')).not.toThrow();
    const withReason = `${minimal}  hops:\n    - { decision: dekroon, reason: "valid until {clock+soon}" }\n`;
    expect(() => parseScenario(withReason, 'scenarios/example.yaml')).toThrow(
      /scenarios\/example\.yaml:\d+: expect\.hops\[0\]\.reason: a \{clock\+<duration>\} needs a duration/,
    );
  });

  it("{naam:key} and {id:key} are the Weergavenaam and GegevensdienstId in the network's afsprakenstelsel", () => {
    const at = (afsprakenstelsel: '1.5' | '2', id: string, weergavenaam: string) => ({
      startedAt: 0,
      volgnummersAtStart: {},
      afsprakenstelsel,
      gegevensdiensten: [{ key: 'lab', id, weergavenaam, systeemrolcode: 'LAB-1.0.0-LRB-FHIR' }],
    });
    expect(expandPlaceholders('for {naam:lab} ({id:lab})', at('1.5', '4', 'Laboratoriumresultaten'))).toBe('for Laboratoriumresultaten (4)');
    expect(expandPlaceholders('for {naam:lab} ({id:lab})', at('2', '46', 'Verzamelen Laboratoriumresultaten 2.0'))).toBe(
      'for Verzamelen Laboratoriumresultaten 2.0 (46)',
    );
    // A key the network does not have is a mistake in the scenario, said with the keys it has.
    expect(() => expandPlaceholders('{naam:ggz}', at('1.5', '4', 'Laboratoriumresultaten'))).toThrow(
      "{naam:ggz}: no gegevensdienst 'ggz' in afsprakenstelsel 1.5 (keys: lab)",
    );
  });

  it('afsprakenstelsel: which versions a scenario applies to, hops per version, or a whole block per version', () => {
    const s = parseScenario(`${minimal}  hops:\n    - { decision: pgo }\n    - { decision: dekroon, afsprakenstelsel: "2" }\n`, 'scenarios/example.yaml');
    expect(s.afsprakenstelsel).toEqual(['2', '1.5']);
    expect(notApplicable(s, '1.5')).toBeUndefined();
    expect(expectationsIn(s, '1.5').hops.map((h) => h.decision)).toEqual(['pgo']);
    expect(expectationsIn(s, '2').hops.map((h) => h.decision)).toEqual(['pgo', 'dekroon']);
    const only = parseScenario(minimal.replace(RULE, `${RULE}\nafsprakenstelsel: ["1.5"]`), 'scenarios/example.yaml');
    expect(notApplicable(only, '2')).toBe('it applies to afsprakenstelsel 1.5 only; this network speaks 2');
    const blocks = minimal.replace(
      /expect:[\s\S]*$/,
      'expect:\n  "1.5": { pgo: { status: refused, code: access_denied } }\n  "2": { pgo: { status: refused, code: not_granted } }\n',
    );
    const b = parseScenario(blocks, 'scenarios/example.yaml');
    expect(expectationsIn(b, '1.5').pgo?.code).toBe('access_denied');
    expect(expectationsIn(b, '2').pgo?.code).toBe('not_granted');
    // Mistakes: a block missing for a version the scenario applies to; a block beside common expectations;
    // a hop for a version the scenario does not apply to; a version that does not exist.
    expect(() => parseScenario(blocks.replace(/ {2}"2".*\n/, ''), 'scenarios/example.yaml')).toThrow(
      'scenarios/example.yaml: expect has no "2" block, and the scenario applies to afsprakenstelsel 2',
    );
    expect(() => parseScenario(`${blocks}  hops: []\n  pgo: { status: collected }\n`, 'scenarios/example.yaml')).toThrow(
      /example\.yaml:\d+: expect: give either pgo\/response\/hops or a block per afsprakenstelsel/,
    );
    expect(() =>
      parseScenario(
        `${minimal.replace(RULE, `${RULE}\nafsprakenstelsel: ["1.5"]`)}  hops:\n    - { decision: dekroon, afsprakenstelsel: "2" }\n`,
        'scenarios/example.yaml',
      ),
    ).toThrow('scenarios/example.yaml: a hop for afsprakenstelsel 2, and the scenario applies to 1.5 only');
    expect(() => parseScenario(minimal.replace(RULE, `${RULE}\nafsprakenstelsel: ["3"]`), 'scenarios/example.yaml')).toThrow(
      /example\.yaml:5: afsprakenstelsel\[0\]/,
    );
  });

  it('attack steps: a second browser collects (by: attacker), a walk stops (until), hijack-consent, resume, open-callback', () => {
    const steps = (text: string) => parseScenario(minimal.replace(/steps:\n[\s\S]*?expect:/, `steps:\n${text}expect:`), 'scenarios/example.yaml').steps;
    expect(
      steps(
        '  - collect: { zorgaanbieder: dekroon, gegevensdienst: bgz, persona: several-providers, until: consent }\n  - hijack-consent: { answer: nee }\n  - hijack-consent: {}\n  - resume: {}\n',
      ),
    ).toEqual([
      {
        collect: {
          zorgaanbieder: 'dekroon',
          gegevensdienst: 'bgz',
          persona: 'several-providers',
          login: 'success',
          level: 'substantieel',
          consent: 'ja',
          until: 'consent',
        },
      },
      { 'hijack-consent': { answer: 'nee' } },
      { 'hijack-consent': {} },
      { resume: {} },
    ]);
    expect(
      steps(
        '  - collect: { zorgaanbieder: dekroon, gegevensdienst: bgz, persona: volwassene-diabetes, by: attacker, until: callback }\n  - open-callback: {}\n',
      ),
    ).toEqual([
      {
        collect: {
          zorgaanbieder: 'dekroon',
          gegevensdienst: 'bgz',
          persona: 'volwassene-diabetes',
          login: 'success',
          level: 'substantieel',
          consent: 'ja',
          by: 'attacker',
          until: 'callback',
        },
      },
      { 'open-callback': {} },
    ]);
    // Mistakes name the file and the line: who collects, where the walk stops, what the attacker answers.
    expect(() => steps('  - collect: { zorgaanbieder: dekroon, gegevensdienst: bgz, persona: x, by: trainer }\n')).toThrow(
      /scenarios\/example\.yaml:6: steps\[0\]/,
    );
    expect(() => steps('  - collect: { zorgaanbieder: dekroon, gegevensdienst: bgz, persona: x, until: digid }\n')).toThrow(
      /scenarios\/example\.yaml:6: steps\[0\]/,
    );
    expect(() => steps('  - hijack-consent: { answer: misschien }\n')).toThrow(/scenarios\/example\.yaml:6: steps\[0\]/);
    expect(() => steps('  - resume: { consent: ja }\n')).toThrow(/scenarios\/example\.yaml:6: steps\[0\]/);
  });

  it("expect: the answer lacks texts (one or a list); the person's PGO account holds this many collections with data", () => {
    const withExpect = (text: string) => parseScenario(minimal.replace(/expect:[\s\S]*$/, `expect:\n${text}`), 'scenarios/example.yaml');
    expect(withExpect('  response: { status: 400, lacks: Ingelogd als }\n').expect.response).toEqual({ status: 400, lacks: ['Ingelogd als'] });
    expect(withExpect('  response: { status: 400, contains: open, lacks: [Lilian Groen, Ingelogd als] }\n').expect.response).toEqual({
      status: 400,
      contains: 'open',
      lacks: ['Lilian Groen', 'Ingelogd als'],
    });
    expect(withExpect('  pgo: { status: refused, account: { collected: 0 } }\n').expect.pgo).toEqual({ status: 'refused', account: { collected: 0 } });
    expect(() => withExpect('  response: { status: 400, lacks: [] }\n')).toThrow(/scenarios\/example\.yaml:8: expect\.response\.lacks/);
    expect(() => withExpect('  pgo: { status: refused, account: { collected: -1 } }\n')).toThrow(/scenarios\/example\.yaml:8: expect\.pgo\.account\.collected/);
  });

  it('targets: which outside participant a scenario can check (none by default)', () => {
    expect(parseScenario(minimal, 'scenarios/example.yaml').targets).toEqual([]);
    expect(parseScenario(minimal.replace(RULE, `${RULE}\ntargets: [dvza]`), 'scenarios/example.yaml').targets).toEqual(['dvza']);
    expect(() => parseScenario(minimal.replace(RULE, `${RULE}\ntargets: [tvs]`), 'scenarios/example.yaml')).toThrow(/example\.yaml:5: targets\[0\]/);
  });
});
