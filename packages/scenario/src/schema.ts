/**
 * The scenario file: one MedMij situation, what it teaches, how to set it up, what the PGO user does,
 * and what must happen — per hop. YAML, checked against this schema with errors naming file, line and field.
 *
 * Participants are named by their topology id (`pgo`, `dekroon`, `tvs`, `stelselnode`) or `browser`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SandboxError, parseDuration, parseYamlWithSchema } from '@medmij-sandbox/network';
import { AFSPRAKENSTELSELS, type Afsprakenstelsel } from '@medmij-sandbox/network/afsprakenstelsel';

const id = z.string().min(1);
const afsprakenstelsel = z.enum(AFSPRAKENSTELSELS);
/** A list of either afsprakenstelsel (the Zorgaanbiederskoppellijst is 2's). */
const listKind = z.enum(['Zorgaanbiederslijst', 'Zorgaanbiederskoppellijst', 'OAuthclientlist', 'Whitelist', 'Gegevensdienstnamenlijst']);
function isDuration(d: string): boolean {
  try {
    parseDuration(d);
    return true;
  } catch {
    return false;
  }
}
const duration = z.string().refine(isDuration, 'must be a duration such as 16m, 25h or 2d');
const certificate = z.enum(['server', 'client', 'browser']);
const level = z.enum(['basis', 'midden', 'substantieel', 'hoog']);
const loginOutcome = z.enum(['success', 'cancelled', 'authentication_failed', 'session_expired', 'tvs_error']);

/** A change the stelselnode makes to the lists it publishes (its control API). */
const listsAction = z.strictObject({
  lists: z.union([
    z.strictObject({ remove: id }),
    z.strictObject({ freeze: z.literal(true) }),
    z.strictObject({ stale: duration }),
    z.strictObject({
      fault: z.strictObject({
        list: listKind,
        /** `none` serves the real list again (between steps, after a fault in the setup). */
        fault: z.enum(['malformed', 'schema-invalid', 'unavailable', 'bad-signature', 'future-dated', 'none']),
      }),
    }),
    z.strictObject({ rollback: listKind }),
    /** Afsprakenstelsel 2: the OAuthclientlist lets this PGO (id or hostname) use only these gegevensdiensten. */
    z.strictObject({ restrict: z.strictObject({ client: id, gegevensdiensten: z.array(z.coerce.string()).min(1) }) }),
    /** A zorgaanbieder outside the topology on the Zorgaanbiederslijst; the Whitelist gets only its token host. */
    z.strictObject({
      add: z.strictObject({
        zorgaanbiedernaam: z.string().regex(/^[a-z]+@medmij$/, 'like naam@medmij'),
        authorizeUrl: z.string().url(),
        tokenUrl: z.string().url(),
        fhirUrl: z.string().url(),
        gegevensdiensten: z.array(z.coerce.string()).min(1),
      }),
    }),
  ]),
});

/**
 * A second PGO joins the network for this scenario, as `sandbox enrol pgo` does it: a client certificate of the
 * sandbox PKI, a place on the OAuthclientlist and the Whitelist (the stelselnode republishes them). Its steps
 * are a raw client's (`replay-code: { as: <hostname> }`): the sandbox runs no web app for it.
 */
const enrol = z.strictObject({
  pgo: z
    .string()
    .regex(
      /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.localhost$/,
      'a lowercase hostname ending in .localhost, like vreemde-pgo.localhost',
    ),
  name: z.string().min(3, 'must be at least 3 characters').max(50, 'must be at most 50 characters (the OAuthclientlist limit)'),
});

/** Changes to the network before the steps run. */
const setupAction = z.union([
  z.strictObject({ enrol }),
  z.strictObject({ revoke: z.strictObject({ participant: id, certificate: certificate.default('server') }) }),
  z.strictObject({ expire: z.strictObject({ participant: id, certificate: certificate.default('server') }) }),
  listsAction,
  z.strictObject({ clock: z.strictObject({ shift: duration }) }),
  z.strictObject({ stop: id }),
]);

const collect = z.strictObject({
  /** A DVZA of the topology, or a Zorgaanbiedernaam (naam@medmij) put on the lists with `lists: { add }`. */
  zorgaanbieder: id,
  gegevensdienst: z.coerce.string(),
  /** A persona key or tag (packages/fhir-data), or a BSN. */
  persona: id,
  login: loginOutcome.default('success'),
  level: level.default('substantieel'),
  consent: z.enum(['ja', 'nee']).default('ja'),
  /** Afsprakenstelsel 2: the person also ticks long-lived consent (the page leaves it unticked). */
  longLived: z.boolean().optional(),
  /**
   * Who collects: the person (default: their browser, logged in to the PGO with its first demo account), or
   * `attacker`: a second browser with its own cookie jar, logged in with the PGO's second demo account.
   */
  by: z.enum(['person', 'attacker']).optional(),
  /**
   * Where the browser stops: at the DVZA's consent page, the question not answered yet (a `resume` step answers
   * it, a `hijack-consent` step attacks it), or at the DVZA's last redirect, not following it to the PGO's
   * redirect_uri (an `open-callback` step makes the person's browser open it).
   */
  until: z.enum(['consent', 'callback']).optional(),
});

/**
 * Afsprakenstelsel 2, a raw client with the PGO's certificate (what the reference PGO never does on its own): it
 * authorizes itself at a DVZA as this persona, ticking long-lived consent or not, and redeems the code — with the
 * MedMij headers, or (`headers: none`) without them. The tokens it gets are kept for `refresh` steps.
 */
const rawToken = z.strictObject({
  zorgaanbieder: id,
  persona: id.default('several-providers'),
  longLived: z.boolean().default(true),
  headers: z.enum(['medmij', 'none']).default('medmij'),
});

/** The raw client renews with a refresh token: the latest it got, or the one before (a replay); as another client. */
const rawRefresh = z.strictObject({ token: z.enum(['latest', 'previous']).default('latest'), as: id.default('pgo') });

/**
 * Afsprakenstelsel 2: the person withdraws a long-lived consent — in the PGO ("Toestemmingen aanpassen" on the last
 * collection: the PGO revokes its refresh token at the DVZA) or at the DVZA's own consent page after DigiD (every
 * active consent shown there). `zorgaanbieder` and `persona` default to the last collect or token step's.
 */
const withdraw = z.strictObject({ via: z.enum(['pgo', 'dvza']), zorgaanbieder: id.optional(), persona: id.optional() });

/** What the PGO user (or, for attacks, someone else) does, in order. */
const step = z.union([
  z.strictObject({ collect }),
  z.strictObject({ wait: duration }),
  z.strictObject({ 'collect-again': z.strictObject({}).default({}) }),
  /** The code of the last collect offered again, by the PGO or (a hostname enrolled in the setup) another client, as its own client_id. */
  z.strictObject({ 'replay-code': z.strictObject({ as: id.default('pgo') }).default({ as: 'pgo' }) }),
  z.strictObject({ 'forge-callback': z.strictObject({}).default({}) }),
  z.strictObject({ authorize: z.strictObject({ zorgaanbieder: id, gegevensdienst: z.coerce.string(), params: z.record(z.string(), z.string()) }) }),
  z.strictObject({ fhir: z.strictObject({ path: z.string().min(1) }) }),
  z.strictObject({ token: rawToken }),
  z.strictObject({ refresh: rawRefresh.default({ token: 'latest', as: 'pgo' }) }),
  z.strictObject({ withdraw }),
  /** The stelselnode changes the lists between two steps (e.g. a rollback after everyone took the newer list). */
  listsAction,
  /**
   * An attacker's browser (its own cookie jar) takes over the flow a `collect … until: consent` left at the consent
   * page: with that flow's id and a forged flow cookie (`__Host-dvza_flow_<id>=1`) it opens the consent page, or
   * (`answer`) answers the question for the person.
   */
  z.strictObject({ 'hijack-consent': z.strictObject({ answer: z.enum(['ja', 'nee']).optional() }).default({}) }),
  /** The browser a `collect … until: consent` left at the consent page answers it as that collect says, and walks on to the PGO. */
  z.strictObject({ resume: z.strictObject({}).default({}) }),
  /**
   * The person's browser (logged in to the PGO with its first demo account) opens the redirect URL — code, state,
   * iss — where a `collect … until: callback` stopped: another user's answer planted in this session (OAuth CSRF).
   */
  z.strictObject({ 'open-callback': z.strictObject({}).default({}) }),
]);

/**
 * A text a person reads, in both languages of the sandbox's web UIs: `{ nl: …, en: … }`, both required. The console
 * shows the UI language's; the CLI and the reports print `en`.
 */
const bilingual = (min: number) => {
  const side = (name: string) =>
    z
      .string({ error: (i) => (i.input === undefined ? `the ${name} text is missing: give both nl and en` : `the ${name} text must be text`) })
      .min(min, `the ${name} text must be at least ${min} characters`);
  return z.strictObject(
    { nl: side('Dutch'), en: side('English') },
    { error: (i) => (i.code === 'invalid_type' && i.input !== undefined ? 'a text in both languages: { nl: …, en: … }' : undefined) },
  );
};

/** Text with placeholders for the state at the scenario's start (expectations.ts expandPlaceholders). */
const placeholderText = z
  .string()
  .refine(
    (r) => [...r.matchAll(/\{clock(?:[+-]([^}]*))?\}/g)].every((m) => m[1] === undefined || isDuration(m[1])),
    'a {clock+<duration>} needs a duration such as 15m or 1d',
  )
  .refine(
    // Only word-like braces are placeholders (an XML namespace such as {xmlns://…} in a schema error is text).
    (r) => [...r.matchAll(/\{([a-z][a-z0-9+:-]*)\}/g)].every((m) => /^(clock([+-].*)?|date|volgnummer([+-]\d+)?|(naam|id):[a-z][a-z0-9-]*)$/.test(m[1]!)),
    'placeholders are {clock}, {clock+15m}, {date}, {volgnummer}, {volgnummer+1}, {naam:<gegevensdienst key>} and {id:<gegevensdienst key>}',
  );

const hopExpectation = z.strictObject({
  from: id.optional(),
  to: id.optional(),
  method: z.string().optional(),
  /** Path, `*` at the end matches any rest (`/fhir/*`). Query strings are ignored. */
  path: z.string().optional(),
  status: z.number().int().optional(),
  /** A TLS refusal with this verdict (CERT_REVOKED, CERT_HAS_EXPIRED, ...). */
  tls: z.string().optional(),
  /** A decision reported by this participant. */
  decision: id.optional(),
  outcome: z.enum(['ok', 'warning', 'refused', 'error']).optional(),
  /**
   * Text the event's (English) reason must contain: for scenario folders of your own. The catalogue matches by
   * `ruleId` and `params` instead (texts may be reworded; ids and parameters are the contract). Placeholders
   * (expectations.ts expandPlaceholders) stand for the state at the scenario's start: `{clock}` / `{clock+15m}` the
   * sandbox time (± a duration), `{date}` its Dutch calendar date, `{volgnummer}` / `{volgnummer+1}` the Volgnummer
   * published of the list named before it; `{naam:lab}` / `{id:lab}` the Weergavenaam / GegevensdienstId of a
   * gegevensdienst key in the network's afsprakenstelsel.
   */
  reason: placeholderText.optional(),
  /**
   * A rule or reason of the rule catalogue (packages/rules), e.g. `dvza.token.code-replayed`, that the event gives
   * itself or nests one level deep (`nest`: the PGO's "lists unusable" holds the list's own reason); or, ending in
   * `.*`, any of that area (`dvza.beschikbaarheid.*`: any beschikbaarheidstoets).
   */
  ruleId: z
    .string()
    .regex(
      /^[a-z0-9-]+(\.[a-z0-9-]+)+$|^[a-z0-9-]+(\.[a-z0-9-]+)*\.\*$/,
      'a rule id such as dvza.token.code-replayed, or an area such as dvza.beschikbaarheid.*',
    )
    .optional(),
  /**
   * Parameters of that reason, each matched exactly (as text): `{ kind: Zorgaanbiederslijst, volgnummer: "{volgnummer+1}" }`;
   * those of a reason it nests are `<name>.ruleId` and `<name>.<param>`. The placeholders of `reason` work here too,
   * a `{volgnummer}` counting for the list named in a value before it. `{ has: 46 }` matches a list-valued
   * parameter (items split on commas and spaces, as in `48, 46, 52` or a scope `48 46 52`) that holds the item in
   * any position: what an `absent` check needs ("no token whose scope holds 46", whatever else it holds).
   */
  params: z
    .record(
      z.string(),
      z.union([
        placeholderText,
        z.number(),
        z.strictObject({
          has: z.union([
            // One item: a value with a separator in it could never equal an item (they are split on those).
            placeholderText.refine((v) => !/[\s,]/.test(v), 'one item, without spaces or commas (e.g. "46"): has matches one item of the list'),
            z.number(),
          ]),
        }),
      ]),
    )
    .optional(),
  /** No event may match (e.g. "no FHIR request made"). */
  absent: z.boolean().optional(),
  /**
   * Happens alongside the expectation before it: their order is not fixed. Two participants that react to the
   * same change in their own processes (a PGO and a DVZA deciding on a new list) report in either order; a run of
   * `alongside` expectations is matched from where the first of the run was sought, and what follows the run
   * comes after all of it.
   */
  alongside: z.boolean().optional(),
  /** What this expectation shows, for the console and the reports. */
  says: bilingual(1).optional(),
  /** Checked only when the network speaks this afsprakenstelsel (a hop that differs between versions). */
  afsprakenstelsel: afsprakenstelsel.optional(),
});

/** What must happen: the PGO's last collection, the last raw answer, the hops in order. */
const expectationBlock = z.strictObject({
  /** The reference PGO's last collection: collected, or refused with this code. */
  pgo: z
    .strictObject({
      status: z.enum(['collected', 'refused']),
      code: z.string().optional(),
      step: z.string().optional(),
      /** The person's account at the PGO (its first demo account) at the end: how many of its collections hold data. */
      account: z.strictObject({ collected: z.number().int().min(0) }).optional(),
    })
    .optional(),
  /**
   * The last raw answer (authorize, replay-code, fhir, hijack-consent steps, a page a collect stopped at): HTTP
   * status, text it contains, and text it must not contain (`lacks`: one text or a list).
   */
  response: z
    .strictObject({
      status: z.number().int(),
      contains: z.string().optional(),
      lacks: z
        .union([
          z
            .string()
            .min(1)
            .transform((t) => [t]),
          z.array(z.string().min(1)).min(1),
        ])
        .optional(),
    })
    .optional(),
  hops: z
    .array(hopExpectation)
    .default([])
    .superRefine((hops, ctx) =>
      hops.forEach((h, i) => {
        if (h.alongside && (h.absent || i === 0 || hops[i - 1]!.absent))
          ctx.addIssue({ code: 'custom', path: [i, 'alongside'], message: 'alongside needs an expected hop before it, and cannot be absent itself' });
        if (h.params && !h.ruleId) ctx.addIssue({ code: 'custom', path: [i, 'params'], message: 'params are those of a reason: name it with ruleId' });
      }),
    ),
});

export const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes, like the file name'),
  title: bilingual(3),
  /** What a trainer tells the room: what this situation teaches. */
  teaches: bilingual(10),
  /** The rule of the MedMij spec it demonstrates, e.g. "SPEC §7 age ≥ 16" (nl: "SPEC §7 leeftijd ≥ 16"). */
  rule: bilingual(3),
  /**
   * Which participant this scenario can check when it is not ours (`scenario run --live --target`): `pgo`
   * (the stelselnode and DVZAs create the situation, the PGO must react) or `dvza` (our PGO and TVS drive it;
   * it stands in for the one DVZA the scenario names). Scenarios that move the sandbox clock to create the
   * situation at the target itself leave that role out: an outside participant keeps its own time.
   */
  targets: z.array(z.enum(['pgo', 'dvza'])).default([]),
  setup: z.array(setupAction).default([]),
  steps: z.array(step).min(1),
  /** The afsprakenstelsels this situation exists in (default both); in another one the run skips it, saying why. */
  afsprakenstelsel: z
    .array(afsprakenstelsel)
    .min(1)
    .default([...AFSPRAKENSTELSELS]),
  /**
   * What must happen: one block for every afsprakenstelsel (hops marked `afsprakenstelsel` differ), or — when
   * the versions behave differently as a whole — a block per version: `"1.5": {…}` and `"2": {…}`.
   */
  expect: expectationBlock.extend({ '1.5': expectationBlock.optional(), '2': expectationBlock.optional() }).superRefine((e, ctx) => {
    const perVersion = AFSPRAKENSTELSELS.filter((v) => e[v] !== undefined);
    if (perVersion.length && (e.pgo || e.response || e.hops.length)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'give either pgo/response/hops or a block per afsprakenstelsel ("1.5", "2"), not both' });
    }
  }),
});

/** A text in both languages (as the console's contract has it). */
export interface Bilingual {
  nl: string;
  en: string;
}

type ParsedScenario = z.output<typeof scenarioSchema>;
export type Scenario = ParsedScenario & { file: string };
export type ScenarioStep = Scenario['steps'][number];
export type SetupAction = Scenario['setup'][number];
export type Expectations = z.output<typeof expectationBlock>;
export type HopExpectation = Expectations['hops'][number];

/** Why a scenario does not apply to a network of this afsprakenstelsel; undefined when it does. */
export function notApplicable(scenario: Pick<Scenario, 'afsprakenstelsel'>, version: Afsprakenstelsel): string | undefined {
  if (scenario.afsprakenstelsel.includes(version)) return undefined;
  return `it applies to afsprakenstelsel ${scenario.afsprakenstelsel.join(' and ')} only; this network speaks ${version}`;
}

/** The expectations of a scenario in one afsprakenstelsel: its version block or the common one, hops of that version. */
export function expectationsIn(scenario: Pick<Scenario, 'expect'>, version: Afsprakenstelsel): Expectations {
  const e = scenario.expect;
  const block: Expectations = e[version] ?? { ...(e.pgo ? { pgo: e.pgo } : {}), ...(e.response ? { response: e.response } : {}), hops: e.hops };
  return { ...block, hops: block.hops.filter((h) => h.afsprakenstelsel === undefined || h.afsprakenstelsel === version) };
}

export function parseScenario(text: string, file: string): Scenario {
  const scenario = parseYamlWithSchema(text, file, scenarioSchema, 'scenario');
  const base = file
    .split('/')
    .at(-1)!
    .replace(/\.ya?ml$/, '');
  if (base !== scenario.name) throw new SandboxError(`${file}: name '${scenario.name}' must equal the file name '${base}'`);
  const blocks = AFSPRAKENSTELSELS.filter((v) => scenario.expect[v] !== undefined);
  if (blocks.length) {
    const missing = scenario.afsprakenstelsel.filter((v) => !blocks.includes(v));
    if (missing.length)
      throw new SandboxError(`${file}: expect has no "${missing.join('", "')}" block, and the scenario applies to afsprakenstelsel ${missing.join(' and ')}`);
  }
  const hops = [...scenario.expect.hops, ...blocks.flatMap((v) => scenario.expect[v]!.hops)];
  for (const h of hops) {
    if (h.afsprakenstelsel && !scenario.afsprakenstelsel.includes(h.afsprakenstelsel)) {
      throw new SandboxError(
        `${file}: a hop for afsprakenstelsel ${h.afsprakenstelsel}, and the scenario applies to ${scenario.afsprakenstelsel.join(' and ')} only`,
      );
    }
  }
  return { ...scenario, file };
}

/** Every scenario in a folder (scenarios/*.yaml), sorted by name. */
export function loadCatalogue(dir: string): Scenario[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new SandboxError(
      `no scenario folder at ${dir}`,
      '--scenarios names the folder the scenarios are in; name the scenarios themselves as arguments: scenario run happy-path-bgz patient-under-16',
    );
  }
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => parseScenario(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
}
