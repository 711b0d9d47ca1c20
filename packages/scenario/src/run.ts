/**
 * One scenario being played: the setup (certificates, lists, clock, stopped participants), then the steps —
 * as the PGO user in a headless browser at the reference PGO, or, for attacks the reference PGO would never
 * make, as a raw client with the PGO's certificate.
 */
import {
  SandboxError,
  backchannelUrl,
  browserHostTable,
  findParticipant,
  gegevensdienstOf,
  hostTable,
  parseDuration,
  participantsByRole,
  type HostTable,
  type TraceEvent,
} from '@medmij-sandbox/network';
import { LIST_POLL_MS, listKindsOf, saveEnrolment, type AnyListKind } from '@medmij-sandbox/lists';
import { STELSELNODE, paramsOfReason } from '@medmij-sandbox/rules';
import {
  CONSENT_OVERVIEW_PATH,
  authorizationRequestUrl,
  refreshRequestBody,
  scopeFor,
  tokenRequestBody,
  type TokenResponse,
} from '@medmij-sandbox/medmij-oauth';
import { StelselnodeControl, wireBody, type ControlAction, type ControlBodies } from '@medmij-sandbox/stelselnode-client';
import { hop } from '@medmij-sandbox/transport';
import { HeadlessBrowser, SCENARIO_HOP_TIMEOUT_MS, type BrowserResponse } from './browser.js';
import { listDecisions } from './list-decisions.js';
import { Cast } from './cast.js';
import type { PgoCollection, RunOutcome } from './expectations.js';
import { consentAnswer, walkThroughFlow, withdrawAtDvza, type FlowChoices, type FlowEnd } from './flow.js';
import { PgoDriver } from './pgo-driver.js';
import type { ScenarioNetwork } from './runner.js';
import { expectationsIn, type Bilingual, type Scenario, type ScenarioStep, type SetupAction } from './schema.js';
import type { ScenarioTarget } from './targets.js';

/** A scenario's `login:` keyword as the Dutch run log says it (the keyword itself is the TVS's outcome). */
const LOGIN_NL: Record<Collect['login'], string> = {
  success: 'gelukt',
  cancelled: 'geannuleerd',
  authentication_failed: 'mislukt',
  session_expired: 'sessie verlopen',
  tvs_error: 'storing bij de TVS',
};

type Collect = Extract<ScenarioStep, { collect: unknown }>['collect'];
type RawToken = Extract<ScenarioStep, { token: unknown }>['token'];
type RawRefresh = Extract<ScenarioStep, { refresh: unknown }>['refresh'];
type TokenAnswer = Partial<TokenResponse> & { error?: string; error_description?: string };

/** A token endpoint's answer as the report may show it: the tokens masked (they are secrets, like in golden traces). */
const maskTokens = (text: string) => text.replace(/"(access_token|refresh_token)"\s*:\s*"[^"]*"/g, '"$1":"<masked>"');

/** A token endpoint's answer in words, without the secrets it carries (its error_description as the DVZA wrote it). */
function describeTokenAnswer(status: number, body: TokenAnswer): Bilingual {
  if (body.access_token) {
    return {
      en: `HTTP ${status}: an access token (scope ${body.scope ?? '(none)'}, ${body.expires_in ?? '?'} s)${body.refresh_token ? ' and a refresh token' : ', no refresh token'}`,
      nl: `HTTP ${status}: een toegangstoken (scope ${body.scope ?? '(geen)'}, ${body.expires_in ?? '?'} s)${body.refresh_token ? ' en een refresh token' : ', geen refresh token'}`,
    };
  }
  const said = body.error_description ? `: ${body.error_description}` : '';
  const quoted = body.error_description ? ` (toelichting van de DVZA: "${body.error_description}")` : '';
  return { en: `HTTP ${status}: ${body.error ?? '(no error code)'}${said}`, nl: `HTTP ${status}: ${body.error ?? '(geen foutcode)'}${quoted}` };
}

/** A log line in both languages. */
const line = (en: string, nl: string): Bilingual => ({ en, nl });

const CERTIFICATE_NL = { server: 'servercertificaat', client: 'clientcertificaat', browser: 'browsercertificaat' } as const;
type ListsChange = Extract<SetupAction, { lists: unknown }>['lists'];
/** A browser with its PGO account: the person's, or the attacker's. */
type Party = { browser: HeadlessBrowser; pgo: PgoDriver; who: Bilingual };

export class Run {
  /** What the runner did, in both languages (the console shows the UI language's, the CLI `en`). */
  readonly log: Bilingual[] = [];
  readonly cast: Cast;
  private readonly browser: HeadlessBrowser;
  private readonly pgo: PgoDriver;
  private readonly hosts: HostTable;
  private readonly control?: StelselnodeControl;
  private lastCollection?: PgoCollection;
  private lastResponse?: { status: number; text: string };
  private lastCallback?: URL;
  /** The flow a `collect … until: consent` left at the consent page: whose browser, which page, the choices to answer with. */
  private paused?: Party & { dvzaId: string; page: BrowserResponse; choices: FlowChoices; what: Bilingual };
  /** The DVZA's last redirect, not followed, where a `collect … until: callback` stopped. */
  private stoppedCallback?: URL;
  /** The attacker's browser (its own cookie jar) and his PGO account, once a step needs them. */
  private attacker?: Party;
  /** How many collections of the person's PGO account hold data after the last step (when an expectation asks). */
  private accountCollected?: number;
  private accountBefore?: number;
  private lastDvza?: string;
  /** The person of the last collect or token step: who logs in at the DVZA's consent page by default. */
  private lastPerson?: { bsn: string; label: string };
  /** What the raw client of `token` and `refresh` steps holds: its DVZA and the refresh tokens it got, in order. */
  private raw?: { dvzaId: string; refreshTokens: string[] };
  private counter = 0;
  /** Participants the setup stopped (hostnames): they poll no lists. */
  private readonly stopped = new Set<string>();
  /** The sandbox time when the scenario began: `{clock+15m}` in an expected reason counts from here. */
  private readonly startedAt: number;
  /** What the stelselnode had published when the scenario began: `{volgnummer}` in an expected reason. */
  private readonly volgnummersAtStart: Partial<Record<AnyListKind, number>>;

  constructor(
    private readonly scenario: Scenario,
    private readonly net: ScenarioNetwork,
  ) {
    this.hosts = hostTable(net.topology, { hostsFile: net.paths.hosts });
    this.startedAt = net.clock.nowMs();
    this.volgnummersAtStart = publishedVolgnummers(net.bus.events());
    this.browser = this.newBrowser();
    this.cast = new Cast(scenario, net.topology, net.clock, net.target);
    this.pgo = new PgoDriver(this.browser, this.cast.pgoUrl);
    const stelselnode = participantsByRole(net.topology, 'stelselnode')[0];
    if (stelselnode) {
      this.control = new StelselnodeControl({
        url: backchannelUrl(stelselnode)!,
        tokenFile: net.paths.stelselnode.controlToken,
        from: 'scenario',
        pki: net.pki,
        clock: net.clock,
        hosts: this.hosts,
      });
    }
  }

  /** What the checks need to know of the run. */
  get outcome(): RunOutcome {
    return {
      lastCollection: this.lastCollection,
      lastResponse: this.lastResponse,
      ...(this.accountCollected !== undefined ? { accountCollected: this.accountCollected } : {}),
      personDrove: this.personDrives,
      startedAt: this.startedAt,
      volgnummersAtStart: this.volgnummersAtStart,
      afsprakenstelsel: this.net.topology.afsprakenstelsel,
      gegevensdiensten: this.net.topology.gegevensdiensten,
    };
  }

  // ---- setup ---------------------------------------------------------------------------------------

  async setup(action: SetupAction): Promise<void> {
    if ('revoke' in action) {
      await this.net.pki.revoke(this.cast.host(action.revoke.participant), { kinds: [action.revoke.certificate] });
      const { certificate, participant } = action.revoke;
      this.log.push(
        line(
          `setup: revoked the ${certificate} certificate of ${participant}`,
          `voorbereiding: het ${CERTIFICATE_NL[certificate]} van ${participant} ingetrokken`,
        ),
      );
    } else if ('expire' in action) {
      await this.net.pki.expire(this.cast.host(action.expire.participant), { kinds: [action.expire.certificate] });
      const { certificate, participant } = action.expire;
      this.log.push(
        line(
          `setup: replaced the ${certificate} certificate of ${participant} by an expired one`,
          `voorbereiding: het ${CERTIFICATE_NL[certificate]} van ${participant} vervangen door een verlopen certificaat`,
        ),
      );
    } else if ('clock' in action) {
      await this.shiftClock(action.clock.shift);
      this.log.push(line(`setup: sandbox clock shifted by ${action.clock.shift}`, `voorbereiding: sandboxklok ${action.clock.shift} verzet`));
    } else if ('stop' in action) {
      await this.net.stop(action.stop);
      this.stopped.add(this.cast.host(action.stop));
      this.log.push(line(`setup: stopped ${action.stop}`, `voorbereiding: ${action.stop} gestopt`));
    } else if ('enrol' in action) {
      await this.enrolPgo(action.enrol);
    } else {
      const done = await this.lists(action.lists);
      this.log.push(line(`setup: ${done.en}`, `voorbereiding: ${done.nl}`));
    }
  }

  /** Another PGO joins for this scenario (a fresh network: its enrolment ends with it), as `sandbox enrol pgo` does. */
  private async enrolPgo(e: Extract<SetupAction, { enrol: unknown }>['enrol']): Promise<void> {
    if (findParticipant(this.net.topology, e.pgo)) throw new SandboxError(`${this.scenario.file}: enrol: ${e.pgo} is a participant of the topology already`);
    await this.net.pki.enrol({ hostname: e.pgo, organisation: e.name, kinds: ['client'] });
    await saveEnrolment(this.net.paths.enrolments, { role: 'pgo', hostname: e.pgo, name: e.name });
    const told = await this.tell('enrolments', {});
    this.log.push(
      line(
        `setup: enrolled PGO ${e.pgo} (${e.name}): a client certificate, and ${told.en}`,
        `voorbereiding: PGO ${e.pgo} (${e.name}) ingeschreven: een clientcertificaat, en ${told.nl}`,
      ),
    );
  }

  /** A change to the lists through the stelselnode's control API; says what was done. */
  private async lists(l: ListsChange): Promise<Bilingual> {
    if ('remove' in l) return this.tell('remove', { participant: l.remove });
    if ('freeze' in l) return this.tell('freeze', {});
    if ('stale' in l) return this.tell('stale', { age: l.stale });
    if ('fault' in l) return this.tell('fault', l.fault);
    if ('add' in l) return this.tell('add', { role: 'dvza', ...l.add, gegevensdiensten: l.add.gegevensdiensten.map((g) => this.gegevensdienstId(g)) });
    if ('restrict' in l) {
      return this.tell('restrict', {
        client: this.cast.host(l.restrict.client),
        gegevensdiensten: l.restrict.gegevensdiensten.map((g) => this.gegevensdienstId(g)).join(','),
      });
    }
    return this.tell('rollback', { list: l.rollback });
  }

  private async tell<A extends ControlAction>(action: A, body: ControlBodies[A]): Promise<Bilingual> {
    if (!this.control) throw new SandboxError('the topology has no stelselnode to change the lists');
    const since = this.lastSeq();
    const answer = await this.control.change(action, body);
    // The stelselnode answers once the consumers it told have decided; the trace must show each decision too.
    const wanted = new Map((answer.notified ?? []).filter((n) => n.ok).map((n) => [n.consumer, n.lists.length]));
    const done = line(`lists ${action} ${JSON.stringify(wireBody(action, body))}`, `lijsten: ${action} ${JSON.stringify(wireBody(action, body))}`);
    await this.consumersDecided(wanted, since, done);
    return done;
  }

  /**
   * Moves the sandbox clock. A move of at least the consumers' poll interval (or back) makes their fallback poll
   * due at once: the next step starts once each running consumer decided on each of its lists.
   */
  private async shiftClock(by: string): Promise<void> {
    const since = this.lastSeq();
    const ms = parseDuration(by);
    this.net.clock.shift(ms);
    if (ms >= 0 && ms < LIST_POLL_MS) return;
    const moved = line(`the clock moved ${by}`, `de klok ${by} verzet`);
    const count = listKindsOf(this.net.topology.afsprakenstelsel).length;
    const reported = new Set(this.net.bus.events().map((e) => e.reportedBy));
    // The PGOs and DVZAs read every list; the TVS the Whitelist alone (it polls last).
    const consumers: Array<[string, number]> = [
      ...[...participantsByRole(this.net.topology, 'pgo'), ...participantsByRole(this.net.topology, 'dvza')].map((p): [string, number] => [p.hostname, count]),
      ...participantsByRole(this.net.topology, 'tvs').map((p): [string, number] => [p.hostname, 1]),
    ];
    await this.consumersDecided(new Map(consumers.filter(([host]) => reported.has(host) && !this.stopped.has(host))), since, moved);
  }

  private async consumersDecided(wanted: ReadonlyMap<string, number>, since: number, after: Bilingual): Promise<void> {
    const stelselnode = participantsByRole(this.net.topology, 'stelselnode')[0];
    if (!stelselnode || wanted.size === 0) return;
    const behind = await listDecisions(this.net.bus, { stelselnodeHost: stelselnode.hostname, wanted, sinceSeq: since });
    if (behind.length)
      this.log.push(
        line(
          `warning: after ${after.en}, no decision on the lists seen from ${behind.join(', ')}`,
          `waarschuwing: na ${after.nl} geen besluit over de lijsten gezien van ${behind.join(', ')}`,
        ),
      );
  }

  private lastSeq(): number {
    return this.net.bus.events().at(-1)?.seq ?? 0;
  }

  // ---- steps ---------------------------------------------------------------------------------------

  /**
   * A scenario names a gegevensdienst by its version-neutral key (bgz, lab, …) or by id: the id of the network's
   * afsprakenstelsel (BgZ is 1 in 1.5, 48 in 2).
   */
  private gegevensdienstId(keyOrId: string): string {
    return gegevensdienstOf(this.net.topology, keyOrId)?.id ?? keyOrId;
  }

  async step(step: ScenarioStep): Promise<void> {
    if ('collect' in step) return this.collect({ ...step.collect, gegevensdienst: this.gegevensdienstId(step.collect.gegevensdienst) });
    if ('wait' in step) {
      await this.shiftClock(step.wait);
      this.log.push(line(`wait ${step.wait} (sandbox clock)`, `${step.wait} wachten (sandboxklok)`));
      return;
    }
    if ('collect-again' in step) {
      if (!this.lastCollection) throw new SandboxError(`${this.scenario.file}: collect-again needs an earlier collect step`);
      await this.loginToPgo();
      this.lastCollection = await this.pgo.collectAgain(this.lastCollection.id);
      const got = this.describeCollection();
      this.log.push(line(`collect again with the same access token: ${got.en}`, `opnieuw ophalen met hetzelfde toegangstoken: ${got.nl}`));
      return;
    }
    if ('replay-code' in step) {
      if (!this.lastCallback) throw new SandboxError(`${this.scenario.file}: replay-code needs an earlier collect that reached the PGO's redirect_uri`);
      const code = this.lastCallback.searchParams.get('code');
      if (!code) throw new SandboxError(`${this.scenario.file}: the last redirect to the PGO carried no code`);
      // Another client offers the code as itself: its own certificate and its own client_id.
      const from = this.cast.host(step['replay-code'].as);
      const r = await this.tokenRequest(this.lastDvza!, code, from, {
        body: tokenRequestBody({ code, redirect_uri: this.pgo.redirectUri, client_id: from }),
      });
      this.lastResponse = { status: r.status, text: maskTokens(r.text()) };
      const answer = `HTTP ${r.status} ${r.text().slice(0, 160)}`;
      this.log.push(
        line(`replay the code as ${step['replay-code'].as}: ${answer}`, `de autorisatiecode opnieuw aanbieden als ${step['replay-code'].as}: ${answer}`),
      );
      return;
    }
    if ('forge-callback' in step) {
      await this.loginToPgo();
      this.lastCollection = await this.pgo.forgedCallback();
      const got = this.describeCollection();
      this.log.push(
        line(
          `the browser arrives at the PGO's redirect_uri with a forged state: ${got.en}`,
          `de browser komt aan op de redirect_uri van de PGO met een vervalste state: ${got.nl}`,
        ),
      );
      return;
    }
    if ('authorize' in step) {
      const a = step.authorize;
      const r = await this.browser.request(this.authorizationUrl(a.zorgaanbieder, this.gegevensdienstId(a.gegevensdienst), a.params));
      this.lastResponse = { status: r.status, text: r.status >= 300 && r.status < 400 ? `Location: ${String(r.headers.location)}` : r.text() };
      this.log.push(
        line(
          `authorization request with ${JSON.stringify(a.params)}: HTTP ${r.status}`,
          `autorisatieverzoek met ${JSON.stringify(a.params)}: HTTP ${r.status}`,
        ),
      );
      return;
    }
    if ('fhir' in step) return this.rawFhir(step.fhir.path);
    if ('token' in step) return this.rawToken(step.token);
    if ('refresh' in step) return this.rawRefresh(step.refresh);
    if ('withdraw' in step) return this.withdraw(step.withdraw);
    if ('lists' in step) {
      const done = await this.lists(step.lists);
      this.log.push(line(`the stelselnode changes the lists: ${done.en}`, `de stelselnode wijzigt de lijsten: ${done.nl}`));
      return;
    }
    if ('hijack-consent' in step) return this.hijackConsent(step['hijack-consent'].answer);
    if ('resume' in step) return this.resume();
    if ('open-callback' in step) return this.openCallback();
    throw new SandboxError(`${this.scenario.file}: unknown step ${JSON.stringify(step)}`);
  }

  private async loginToPgo(): Promise<void> {
    if (this.personDrives) throw new SandboxError(`${this.scenario.name} needs the reference PGO's API, and a person drives ${this.net.target!.hostname}`);
    await this.pgo.login();
  }

  /** A person drives the outside PGO: told what to collect and what to choose, the runner waits until they are done. */
  private get personDrives(): boolean {
    return this.net.target?.role === 'pgo' && this.net.target.drive === 'person';
  }

  private async collectByPerson(c: Collect): Promise<void> {
    const target = this.net.target as Extract<ScenarioTarget, { role: 'pgo' }>;
    if (!this.net.ask) throw new SandboxError(`a person must drive ${target.hostname}, and there is nobody to ask here`);
    const dvza = this.cast.zorgaanbieder(c.zorgaanbieder);
    this.lastDvza = dvza.id;
    const person = this.cast.persona(c.persona);
    await this.net.ask(
      [
        `In ${target.name} (${target.hostname}): collect "${this.cast.gegevensdienstName(c.gegevensdienst)}" (gegevensdienst ${c.gegevensdienst}) at ${this.cast.providerName(dvza.zorgaanbiedernaam)} (${dvza.zorgaanbiedernaam}).`,
        `If it sends you to DigiD: choose BSN ${person.bsn} (${person.label}), outcome "${c.login}", level ${c.level}. Consent: ${c.consent}.`,
        'Press Enter when your PGO shows the outcome (or refuses to start).',
      ].join('\n'),
    );
    this.lastCollection = undefined;
    this.log.push(
      line(
        `collect ${c.gegevensdienst} at ${dvza.id} as ${person.label}: done by a person in ${target.hostname}`,
        `gegevensdienst ${c.gegevensdienst} ophalen bij ${dvza.id} als ${person.label}: gedaan door een persoon in ${target.hostname}`,
      ),
    );
  }

  /**
   * The PGO user collects a gegevensdienst: the reference PGO starts, the browser walks the flow — the person's, or
   * (`by: attacker`) the attacker's with the PGO's second demo account; to the end, or `until` the consent page or
   * the DVZA's last redirect.
   */
  private async collect(c: Collect): Promise<void> {
    if (this.personDrives && !c.by && !c.until) return this.collectByPerson(c);
    const party: Party = c.by === 'attacker' ? this.attackerParty() : { browser: this.browser, pgo: this.pgo, who: line('the person', 'de persoon') };
    if (party.pgo === this.pgo) await this.loginToPgo();
    else await party.pgo.login();
    const dvza = this.cast.zorgaanbieder(c.zorgaanbieder);
    this.lastDvza = dvza.id;
    const person = this.cast.persona(c.persona);
    this.lastPerson = person;
    const what = line(
      `collect ${c.gegevensdienst} at ${dvza.id} as ${person.label}${c.by === 'attacker' ? ` by the attacker (PGO user ${party.pgo.username})` : ''}`,
      `gegevensdienst ${c.gegevensdienst} ophalen bij ${dvza.id} als ${person.label}${c.by === 'attacker' ? ` door de aanvaller (PGO-gebruiker ${party.pgo.username})` : ''}`,
    );
    const digid = line(`DigiD: ${c.login}, ${c.level}`, `DigiD: ${LOGIN_NL[c.login]}, ${c.level}`);
    const answered = line(
      `${digid.en}; consent: ${c.consent}${c.longLived ? ', long-lived' : ''}`,
      `${digid.nl}; toestemming: ${c.consent}${c.longLived ? ', langdurig' : ''}`,
    );
    const started = await party.pgo.collect(dvza.zorgaanbiedernaam, c.gegevensdienst);
    if ('refused' in started) {
      this.lastCollection = started.refused;
      const got = this.describeCollection();
      this.log.push(line(`${what.en}: the PGO does not start: ${got.en}`, `${what.nl}: de PGO begint niet: ${got.nl}`));
      return;
    }
    const choices = { ...c, bsn: person.bsn };
    const end = await this.walk(party.browser, { authorizeUrl: started.start.authorizeUrl }, choices, {
      stopAtCallback: c.until === 'callback',
      stopAtConsent: c.until === 'consent',
    });
    if (end.kind === 'consent') {
      this.paused = { ...party, dvzaId: dvza.id, page: end.response, choices, what };
      this.lastResponse = { status: end.response.status, text: end.response.text() };
      this.log.push(
        line(
          `${what.en} (${digid.en}): the browser stops at the consent page, the question not answered yet`,
          `${what.nl} (${digid.nl}): de browser stopt bij de toestemmingspagina, de vraag nog niet beantwoord`,
        ),
      );
      return;
    }
    if (c.until === 'callback' && end.kind === 'callback') {
      this.stoppedCallback = end.url;
      const to = `${end.url.origin}${end.url.pathname}`;
      const code = end.url.searchParams.has('code');
      this.log.push(
        line(
          `${what.en} (DigiD: ${c.login}, ${c.level}; consent: ${c.consent}): the browser does not follow the DVZA's redirect to ${to} (with a ${code ? 'code' : 'error'} and the state)`,
          `${what.nl} (DigiD: ${LOGIN_NL[c.login]}, ${c.level}; toestemming: ${c.consent}): de browser volgt de redirect van de DVZA naar ${to} niet (met ${code ? 'een autorisatiecode' : 'een fout'} en de state)`,
        ),
      );
      return;
    }
    await this.walkEnded(end, party.pgo, line(`${what.en} (${answered.en})`, `${what.nl} (${answered.nl})`));
  }

  /** Where a walk to the PGO ended: a page the browser stopped at (the last raw answer), or the collection the PGO shows. */
  private async walkEnded(end: FlowEnd, pgo: PgoDriver, what: Bilingual): Promise<void> {
    if (end.kind === 'page' || end.kind === 'consent') {
      const page = `${end.response.url.host}${end.response.url.pathname} (HTTP ${end.response.status})`;
      this.log.push(line(`${what.en}: the browser stopped at ${page}`, `${what.nl}: de browser stopte bij ${page}`));
      this.lastResponse = { status: end.response.status, text: end.response.text() };
      return;
    }
    this.lastCollection = await pgo.collectionShownBy(end.response);
    const got = this.describeCollection();
    this.log.push(line(`${what.en}: ${got.en}`, `${what.nl}: ${got.nl}`));
  }

  private async walk(
    browser: HeadlessBrowser,
    start: { authorizeUrl: string } | { from: BrowserResponse },
    choices: FlowChoices,
    o: { stopAtCallback: boolean; stopAtConsent?: boolean },
  ): Promise<FlowEnd> {
    const end = await walkThroughFlow(browser, { ...start, redirectUri: this.pgo.redirectUri, choices, ...o });
    if (end.callback) this.lastCallback = end.callback;
    return end;
  }

  /** The attacker: a second browser with its own cookie jar, at the PGO (when he goes there) with its second demo account. */
  private attackerParty(): Party {
    if (this.personDrives)
      throw new SandboxError(`${this.scenario.name} needs the reference PGO's API for its attacker, and a person drives ${this.net.target!.hostname}`);
    if (!this.attacker) {
      const browser = this.newBrowser();
      this.attacker = { browser, pgo: new PgoDriver(browser, this.cast.pgoUrl, 'second'), who: line('the attacker', 'de aanvaller') };
    }
    return this.attacker;
  }

  /**
   * The attacker takes over the flow left at the consent page: he has its id (it travels in URLs, and the trace
   * showed it before the trace was the operator's only) but not the flow cookie only the person's browser got;
   * he forges one. Opens the consent page, or answers the question.
   */
  private async hijackConsent(answer: 'ja' | 'nee' | undefined): Promise<void> {
    const p = this.paused;
    if (!p) throw new SandboxError(`${this.scenario.file}: hijack-consent needs an earlier collect with until: consent that stopped at the consent page`);
    const { browser } = this.attackerParty();
    const form = consentAnswer(p.page.text(), { consent: answer ?? 'ja' });
    const url = new URL(form.action, p.page.url).toString();
    const cookie = `__Host-dvza_flow_${form.flow}=1`;
    browser.plantCookie(cookie, url);
    const r = answer ? await browser.request(url, { form: form.form }) : await browser.request(url);
    this.lastResponse = { status: r.status, text: r.text() };
    const did = answer
      ? line(`answers "${answer}" on the person's consent question`, `beantwoordt de toestemmingsvraag van de persoon met "${answer}"`)
      : line("opens the person's consent page", 'opent de toestemmingspagina van de persoon');
    this.log.push(
      line(
        `the attacker (another browser, a forged cookie ${cookie}) ${did.en} at ${p.dvzaId}: HTTP ${r.status}`,
        `de aanvaller (een andere browser, een vervalste cookie ${cookie}) ${did.nl} bij ${p.dvzaId}: HTTP ${r.status}`,
      ),
    );
  }

  /** The browser a collect left at the consent page answers it as that collect said, and walks on to the PGO. */
  private async resume(): Promise<void> {
    const p = this.paused;
    if (!p) throw new SandboxError(`${this.scenario.file}: resume needs an earlier collect with until: consent that stopped at the consent page`);
    this.paused = undefined;
    const end = await this.walk(p.browser, { from: p.page }, p.choices, { stopAtCallback: false });
    await this.walkEnded(
      end,
      p.pgo,
      line(
        `${p.what.en}: ${p.who.en} answers the consent page left open (consent: ${p.choices.consent}${p.choices.longLived ? ', long-lived' : ''})`,
        `${p.what.nl}: ${p.who.nl} beantwoordt de opengelaten toestemmingspagina (toestemming: ${p.choices.consent}${p.choices.longLived ? ', langdurig' : ''})`,
      ),
    );
  }

  /** The person's browser opens the redirect URL where another browser's walk stopped: someone else's code and state. */
  private async openCallback(): Promise<void> {
    const url = this.stoppedCallback;
    if (!url)
      throw new SandboxError(`${this.scenario.file}: open-callback needs an earlier collect with until: callback that reached the DVZA's last redirect`);
    this.stoppedCallback = undefined;
    await this.loginToPgo();
    this.lastCollection = await this.pgo.collectionShownBy(await this.browser.request(url.toString()));
    const got = this.describeCollection();
    this.log.push(
      line(
        `the person's browser (PGO user ${this.pgo.username}) opens that redirect URL: ${got.en}`,
        `de browser van de persoon (PGO-gebruiker ${this.pgo.username}) opent die redirect-URL: ${got.nl}`,
      ),
    );
  }

  private asksAccount(): boolean {
    return !this.personDrives && this.scenario.afsprakenstelsel.some((v) => expectationsIn(this.scenario, v).pgo?.account);
  }

  /** Before the first step: what the person's account already holds (a live network keeps earlier scenarios' collections). */
  async begin(): Promise<void> {
    if (!this.asksAccount()) return;
    await this.loginToPgo();
    this.accountBefore = (await this.pgo.collections()).filter((c) => c.status === 'collected').length;
  }

  /**
   * After the last step: what the expectations ask of the person's PGO account (how many collections with data the
   * scenario added to it), read through the PGO API (untraced) in the person's browser.
   */
  async finish(): Promise<void> {
    if (!this.asksAccount()) return;
    await this.loginToPgo();
    const now = (await this.pgo.collections()).filter((c) => c.status === 'collected').length;
    this.accountCollected = now - (this.accountBefore ?? 0);
    this.log.push(
      line(
        `the person's PGO account (${this.pgo.username}) gained ${this.accountCollected} collection(s) with data (holds ${now})`,
        `het PGO-account van de persoon (${this.pgo.username}) kreeg er ${this.accountCollected} verzameling(en) met gegevens bij (heeft er ${now})`,
      ),
    );
  }

  private newBrowser(): HeadlessBrowser {
    // With a participant under test, the browser reports its own requests: a page the target showed it is then
    // seen by the sandbox too. (Not otherwise: the golden traces of the catalogue have no browser reports.)
    return new HeadlessBrowser({
      pki: this.net.pki,
      clock: this.net.clock,
      hosts: browserHostTable(this.net.topology, { hostsFile: this.net.paths.hosts }),
      ...(this.net.target ? { bus: this.net.bus } : {}),
    });
  }

  private describeCollection(): Bilingual {
    const c = this.lastCollection!;
    if (c.status === 'collected') return line(`collected ${c.resourceCount} resources`, `${c.resourceCount} resources opgehaald`);
    const r = c.refusal;
    return line(
      `${c.status}${r ? ` (${r.code} at ${r.step}: ${r.title.en})` : ''}`,
      `${c.status === 'refused' ? 'geweigerd' : 'nog bezig'}${r ? ` (${r.code} bij ${r.step}: ${r.title.nl})` : ''}`,
    );
  }

  private authorizationUrl(dvzaId: string, gegevensdienst: string, params: Record<string, string> = {}): string {
    const dvza = this.cast.dvza(dvzaId);
    const n = ++this.counter;
    return authorizationRequestUrl(
      dvza.endpoints.authorize,
      {
        response_type: 'code',
        client_id: this.cast.pgoHostname,
        redirect_uri: this.pgo.redirectUri,
        scope: scopeFor(this.net.topology.afsprakenstelsel, dvza.zorgaanbiedernaam, gegevensdienst),
        state: `scenario-state-${n}`,
        'X-Correlation-ID': `scenario-${this.scenario.name}-${n}`,
      },
      params,
    );
  }

  private tokenRequest(dvzaId: string, code: string, from: string, o: { body?: string; headers?: 'medmij' | 'none' } = {}) {
    const dvza = this.cast.dvza(dvzaId);
    const medmij = o.headers !== 'none';
    return hop(dvza.endpoints.token, {
      method: 'POST',
      from,
      timeoutMs: SCENARIO_HOP_TIMEOUT_MS,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        // 2.x requires both MedMij headers on the token request (the trace id adds X-Correlation-ID).
        ...(this.net.topology.afsprakenstelsel === '2' && medmij ? { 'medmij-request-id': `scenario-${this.scenario.name}-request-${++this.counter}` } : {}),
      },
      body: o.body ?? tokenRequestBody({ code, redirect_uri: this.pgo.redirectUri, client_id: this.cast.pgoHostname }),
      ...(medmij ? { traceId: `scenario-${this.scenario.name}-raw` } : {}),
      pki: this.net.pki,
      clock: this.net.clock,
      hosts: this.hosts,
      bus: this.net.bus,
    });
  }

  /** A raw client with the PGO's certificate authorizes itself (ticking long-lived consent or not) and redeems the code. */
  private async rawToken(t: RawToken): Promise<void> {
    const dvza = this.cast.dvza(t.zorgaanbieder);
    this.lastDvza = dvza.id;
    const person = this.cast.persona(t.persona);
    this.lastPerson = person;
    const end = await this.walk(
      this.browser,
      { authorizeUrl: this.authorizationUrl(dvza.id, dvza.gegevensdiensten[0]!) },
      { bsn: person.bsn, login: 'success', level: 'substantieel', consent: 'ja', longLived: t.longLived },
      { stopAtCallback: true },
    );
    const code = end.kind === 'callback' ? end.url.searchParams.get('code') : null;
    if (!code) throw new SandboxError(`the raw client got no code from ${dvza.id}`);
    const r = await this.tokenRequest(dvza.id, code, this.cast.pgoHostname, { headers: t.headers });
    const body = r.json<TokenAnswer>();
    this.lastResponse = { status: r.status, text: maskTokens(r.text()) };
    this.raw = { dvzaId: dvza.id, refreshTokens: body.refresh_token ? [body.refresh_token] : [] };
    const how = line(
      `${t.longLived ? 'with' : 'without'} long-lived consent, ${t.headers === 'none' ? 'a token request without the MedMij headers' : 'the code redeemed'}`,
      `${t.longLived ? 'met' : 'zonder'} langdurige toestemming, ${t.headers === 'none' ? 'een tokenverzoek zonder de MedMij-headers' : 'de autorisatiecode ingewisseld'}`,
    );
    const answer = describeTokenAnswer(r.status, body);
    this.log.push(
      line(
        `raw client as the PGO at ${dvza.id} as ${person.label} (${how.en}): ${answer.en}`,
        `losse client als de PGO bij ${dvza.id} als ${person.label} (${how.nl}): ${answer.nl}`,
      ),
    );
  }

  /** The raw client sends a refresh token: the latest, or the one before it (a replay) — as the PGO or another client. */
  private async rawRefresh(step: RawRefresh): Promise<void> {
    if (!this.raw) throw new SandboxError(`${this.scenario.file}: a refresh step needs an earlier token step`);
    const tokens = this.raw.refreshTokens;
    const token = step.token === 'latest' ? tokens.at(-1) : tokens.at(-2);
    if (!token) throw new SandboxError(`${this.scenario.file}: refresh ${step.token}: the raw client holds ${tokens.length} refresh token(s)`);
    const from = this.cast.host(step.as);
    const r = await this.tokenRequest(this.raw.dvzaId, '', from, { body: refreshRequestBody({ refresh_token: token, client_id: from }) });
    const body = r.json<TokenAnswer>();
    this.lastResponse = { status: r.status, text: maskTokens(r.text()) };
    if (body.refresh_token) tokens.push(body.refresh_token);
    const answer = describeTokenAnswer(r.status, body);
    this.log.push(
      line(
        `refresh with the ${step.token === 'latest' ? 'latest' : 'previous (already used)'} refresh token as ${step.as}: ${answer.en}`,
        `vernieuwen met het ${step.token === 'latest' ? 'laatste' : 'vorige (al gebruikte)'} refresh token als ${step.as}: ${answer.nl}`,
      ),
    );
  }

  /** The person withdraws a long-lived consent: in the PGO, or at the DVZA's own consent page after DigiD. */
  private async withdraw(w: Extract<ScenarioStep, { withdraw: unknown }>['withdraw']): Promise<void> {
    if (w.via === 'pgo') {
      if (!this.lastCollection) throw new SandboxError(`${this.scenario.file}: withdraw via pgo needs an earlier collect step`);
      await this.loginToPgo();
      this.lastCollection = await this.pgo.withdrawConsent(this.lastCollection.id);
      const consent = this.lastCollection.longLivedConsent;
      this.log.push(
        line(
          `withdraw the long-lived consent in the PGO ("Toestemmingen aanpassen"): consent ${consent ?? 'none'}`,
          `de langdurige toestemming intrekken in de PGO ("Toestemmingen aanpassen"): toestemming ${consent ?? 'geen'}`,
        ),
      );
      return;
    }
    const dvzaId = w.zorgaanbieder ?? this.lastDvza;
    if (!dvzaId) throw new SandboxError(`${this.scenario.file}: withdraw via dvza needs a zorgaanbieder or an earlier collect or token step`);
    const dvza = this.cast.dvza(dvzaId);
    const person = w.persona ? this.cast.persona(w.persona) : this.lastPerson;
    if (!person) throw new SandboxError(`${this.scenario.file}: withdraw via dvza needs a persona or an earlier collect or token step`);
    const overviewUrl = new URL(CONSENT_OVERVIEW_PATH, dvza.endpoints.authorize).toString();
    const { withdrawn, response } = await withdrawAtDvza(this.browser, { overviewUrl, choices: { bsn: person.bsn, login: 'success', level: 'substantieel' } });
    this.lastResponse = { status: response.status, text: response.text() };
    this.log.push(
      line(
        `withdraw at ${dvza.id}'s consent page as ${person.label} (after DigiD): ${withdrawn} consent(s) withdrawn, HTTP ${response.status}`,
        `intrekken op de toestemmingspagina van ${dvza.id} als ${person.label} (na DigiD): ${withdrawn} toestemming(en) ingetrokken, HTTP ${response.status}`,
      ),
    );
  }

  /**
   * A request the reference PGO would never make (e.g. `patient=` in the URL): a raw client with the
   * PGO's certificate authorizes itself (the adult persona at the first DVZA, BgZ) and sends it.
   */
  private async rawFhir(path: string): Promise<void> {
    const dvza = this.cast.firstDvza();
    this.lastDvza = dvza.id;
    const person = this.cast.persona('several-providers');
    const end = await this.walk(
      this.browser,
      { authorizeUrl: this.authorizationUrl(dvza.id, dvza.gegevensdiensten[0]!) },
      { bsn: person.bsn, login: 'success', level: 'substantieel', consent: 'ja' },
      { stopAtCallback: true },
    );
    const code = end.kind === 'callback' ? end.url.searchParams.get('code') : null;
    if (!code) throw new SandboxError(`the raw client got no code from ${dvza.id}`);
    const pgoHost = this.cast.pgoHostname;
    const token = (await this.tokenRequest(dvza.id, code, pgoHost)).json<Partial<TokenResponse>>().access_token;
    if (!token) throw new SandboxError(`the raw client got no access token from ${dvza.id}`);
    const r = await hop(`${dvza.endpoints.fhir}/${path}`, {
      from: pgoHost,
      timeoutMs: SCENARIO_HOP_TIMEOUT_MS,
      headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json', 'medmij-request-id': `scenario-${++this.counter}` },
      traceId: `scenario-${this.scenario.name}-raw`,
      pki: this.net.pki,
      clock: this.net.clock,
      hosts: this.hosts,
      bus: this.net.bus,
    });
    this.lastResponse = { status: r.status, text: r.text() };
    this.log.push(
      line(
        `raw FHIR request as the PGO to ${dvza.id}: GET ${path} → HTTP ${r.status}`,
        `los FHIR-verzoek als de PGO aan ${dvza.id}: GET ${path} → HTTP ${r.status}`,
      ),
    );
  }
}

/**
 * The Volgnummer of each list the stelselnode last published, as the trace tells it (the operator's view, which
 * the runner reads anyway). A fresh network's trace may hold none yet: then every list is at Volgnummer 1.
 */
export function publishedVolgnummers(events: TraceEvent[]): Partial<Record<AnyListKind, number>> {
  const found: Partial<Record<AnyListKind, number>> = {};
  for (const e of events) {
    // The stelselnode reports a publication inside its "changed" decision (the reason nested as `what`).
    const published = e.kind === 'decision' ? paramsOfReason(e, STELSELNODE.published.id) : undefined;
    if (!published) continue;
    const kind = published.kind;
    const volgnummer = Number(published.volgnummer);
    if (typeof kind === 'string' && (listKindsOf('2') as readonly string[]).includes(kind) && Number.isInteger(volgnummer))
      found[kind as AnyListKind] = volgnummer;
  }
  return found;
}
