/**
 * Runs one scenario against a running network: applies the setup (certificates, lists, clock, stopped
 * participants), performs the steps as the PGO user in a headless browser against the reference PGO (or,
 * for attacks the reference PGO would never make, as a raw client with the PGO's certificate), and checks
 * every expectation against the trace: per hop, in order.
 *
 * The network is handed in (the CLI starts it): a package never starts apps.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  SandboxError,
  findParticipant,
  hostTable,
  parseDuration,
  frontchannelUrl,
  participantsByRole,
  referenceDateOf,
  type HostTable,
  type SandboxClock,
  type Topology,
  type TraceBus,
  type TraceEvent,
} from '@medmij-sandbox/network';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { dvzaEndpoints } from '@medmij-sandbox/lists';
import { hop } from '@medmij-sandbox/transport';
import { generatePersonas, personaSetOf, type Persona } from '@medmij-sandbox/fhir-data';
import { HeadlessBrowser, type BrowserResponse } from './browser.js';
import type { HopExpectation, Scenario, ScenarioStep, SetupAction } from './schema.js';

/** What the runner needs of a running network (in-process: the CLI's startNetwork gives it). */
export interface ScenarioNetwork {
  topology: Topology;
  pki: SandboxPki;
  clock: SandboxClock;
  bus: TraceBus;
  sandboxDir: string;
  /** Stops one participant's listeners (e.g. the stelselnode, to show cached lists at work). */
  stop(participantId: string): Promise<void>;
  /**
   * Resolves when every participant has reported what it did: on a network of separate processes the last
   * events may reach the shared trace file just after the last answer. Absent: nothing to wait for.
   */
  settle?(): Promise<void>;
  /**
   * A participant that is not ours (enrolled with `sandbox enrol`) takes the part of the scenario's PGO or
   * DVZA. It reports nothing to our trace: expectations only it could report are left unchecked ("not
   * observable"), and the rest are judged from what our participants saw.
   */
  target?: ScenarioTarget;
  /** Tells the person driving an outside PGO what to do now; resolves when they are done. */
  ask?(instruction: string): Promise<void>;
}

export type ScenarioTarget =
  | {
      role: 'pgo';
      hostname: string;
      /** Its name on the OAuthclientlist. */
      name: string;
      /** Where its web app runs. */
      frontchannelUrl?: string;
      /**
       * Who starts its collections: the runner through the reference PGO's JSON API at `frontchannelUrl`
       * (`api`), or a person at its own screen, told what to do (`person`, through ScenarioNetwork.ask).
       */
      drive: 'api' | 'person';
    }
  | {
      role: 'dvza';
      hostname: string;
      name: string;
      zorgaanbiedernaam: string;
      /** The topology DVZA whose synthetic patients it holds: it takes that DVZA's part in a scenario. */
      standsInFor: string;
      endpoints: { authorize: string; token: string; fhir: string };
      gegevensdiensten: string[];
    };

/** A DVZA as the runner uses it: ours from the topology, or the target in its place. */
interface DvzaInfo {
  id: string;
  hostname: string;
  zorgaanbiedernaam: string;
  gegevensdiensten: string[];
  endpoints: { authorize: string; token: string; fhir: string };
}

/** Why a scenario cannot check this DVZA target (it is about another DVZA, or a gegevensdienst it lacks); undefined: it can. */
export function targetApplies(scenario: Scenario, target: Extract<ScenarioTarget, { role: 'dvza' }>, topology: Topology): string | undefined {
  const named = dvzasOf(scenario, topology).map(
    (id) => findParticipant(topology, id)?.id ?? participantsByRole(topology, 'dvza').find((d) => d.zorgaanbiedernaam === id)?.id ?? id,
  );
  if (new Set(named).size !== 1 || named[0] !== target.standsInFor) {
    return `it is about ${[...new Set(named)].join(' and ') || 'no DVZA'}, and ${target.zorgaanbiedernaam} holds the patients of ${target.standsInFor}`;
  }
  const wanted = scenario.steps.flatMap((s) => ('collect' in s ? [s.collect.gegevensdienst] : 'authorize' in s ? [s.authorize.gegevensdienst] : []));
  const missing = wanted.filter((g) => !target.gegevensdiensten.includes(g));
  return missing.length ? `${target.zorgaanbiedernaam} does not offer gegevensdienst ${[...new Set(missing)].join(', ')}` : undefined;
}

/** The DVZAs a scenario names (at most one may be replaced by a target DVZA). */
export function dvzasOf(scenario: Scenario, topology: Topology): string[] {
  const ids = new Set<string>();
  for (const step of scenario.steps) {
    if ('collect' in step) ids.add(step.collect.zorgaanbieder);
    if ('authorize' in step) ids.add(step.authorize.zorgaanbieder);
    if ('fhir' in step) ids.add(participantsByRole(topology, 'dvza')[0]!.id);
  }
  for (const a of scenario.setup) for (const who of 'revoke' in a ? [a.revoke.participant] : 'expire' in a ? [a.expire.participant] : []) ids.add(who);
  const dvzas = new Set(participantsByRole(topology, 'dvza').flatMap((d) => [d.id, d.zorgaanbiedernaam]));
  return [...ids].filter((id) => dvzas.has(id));
}

export interface Check {
  what: string;
  ok: boolean;
  message: string;
  /** The trace event that satisfied (or, for `absent`, broke) the expectation. */
  event?: TraceEvent;
  /** What the participant under test says of itself (its own API): shown, but no evidence for a rule. */
  selfReported?: boolean;
  /** The check that a target run had evidence at all; failing it makes the verdict "undetermined". */
  evidence?: boolean;
}

export interface ScenarioResult {
  scenario: Scenario;
  ok: boolean;
  durationMs: number;
  /** What the runner did, step by step, in words. */
  log: string[];
  checks: Check[];
  /** Expectations a target participant could only have reported itself: left unchecked. */
  unobservable?: string[];
  /** The participant checked, when it is not ours. */
  target?: string;
  /** Every trace event from the start of the scenario. */
  events: TraceEvent[];
  /** A setup or step that could not be performed (not an unmet expectation). */
  error?: string;
}

interface PgoCollection {
  id: string;
  traceId: string;
  status: 'pending' | 'collected' | 'refused';
  refusal?: { code: string; step: string; title: { en: string } };
  resourceCount?: number;
}

export async function runScenario(scenario: Scenario, net: ScenarioNetwork): Promise<ScenarioResult> {
  const started = performance.now();
  const firstSeq = (net.bus.events().at(-1)?.seq ?? 0) + 1;
  let run: Run | undefined;
  let error: string | undefined;
  let checks: Check[] = [];
  let unobservable: string[] | undefined;
  const events = () => net.bus.events().filter((e) => e.seq >= firstSeq);
  try {
    if (net.target && !scenario.targets.includes(net.target.role)) {
      throw new SandboxError(
        `${scenario.name} does not check an outside ${net.target.role.toUpperCase()} (its targets: ${scenario.targets.join(', ') || 'none'})`,
      );
    }
    run = new Run(scenario, net);
    for (const action of scenario.setup) await run.setup(action);
    for (const step of scenario.steps) await run.step(step);
    await net.settle?.();
    // Inside the try: an unknown participant in an expectation is a mistake in the file, reported as such.
    checks = run.checks(events());
    unobservable = run.unobservable;
    if (net.target) {
      // A rule is met only on evidence: at least one expectation the sandbox itself could see.
      const seen = checks.filter((c) => !c.selfReported).length;
      checks.push({
        what: 'evidence: expectations the sandbox saw for itself',
        evidence: true,
        ok: seen > 0,
        message: seen > 0 ? `${seen}` : `undetermined: everything this scenario expects is only visible inside ${net.target.hostname}`,
      });
    }
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
    run?.log.push(`could not continue: ${error}`);
  }
  return {
    scenario,
    ok: !error && checks.every((c) => c.ok),
    durationMs: Math.round(performance.now() - started),
    log: run?.log ?? [`could not start: ${error}`],
    checks,
    ...(net.target ? { target: net.target.role === 'pgo' ? net.target.hostname : net.target.zorgaanbiedernaam, unobservable: unobservable ?? [] } : {}),
    events: events(),
    ...(error ? { error } : {}),
  };
}

class Run {
  readonly log: string[] = [];
  private readonly browser: HeadlessBrowser;
  private readonly pgoUrl: string;
  private readonly personas: Persona[];
  private loggedIn = false;
  private lastCollection?: PgoCollection;
  private lastResponse?: { status: number; text: string };
  private lastCallback?: URL;
  private counter = 0;
  private readonly hosts: HostTable;
  readonly unobservable: string[] = [];
  /** The sandbox time when the scenario began: `{clock+15m}` in an expected reason counts from here. */
  private readonly startedAt: number;
  /** The id of the scenario's PGO or DVZA that the target stands in for. */
  private readonly replaced?: string;
  private readonly pgoHostname: string;

  constructor(
    private readonly scenario: Scenario,
    private readonly net: ScenarioNetwork,
  ) {
    this.hosts = hostTable(net.topology, { sandboxDir: net.sandboxDir });
    this.startedAt = net.clock.nowMs();
    // With a participant under test, the browser reports its own requests: a page the target showed it is then
    // seen by the sandbox too. (Not otherwise: the golden traces of the catalogue have no browser reports.)
    this.browser = new HeadlessBrowser({ pki: net.pki, clock: net.clock, hosts: this.hosts, ...(net.target ? { bus: net.bus } : {}) });
    const pgo = participantsByRole(net.topology, 'pgo')[0];
    if (!pgo) throw new SandboxError('the topology has no PGO to drive');
    const target = net.target;
    this.pgoUrl = target?.role === 'pgo' ? (target.frontchannelUrl ?? `https://${target.hostname}`).replace(/\/$/, '') : frontchannelUrl(pgo)!;
    this.pgoHostname = target?.role === 'pgo' ? target.hostname : pgo.hostname;
    if (target?.role === 'pgo') this.replaced = pgo.id;
    if (target?.role === 'dvza') {
      const why = targetApplies(scenario, target, net.topology);
      if (why) throw new SandboxError(`${scenario.name} cannot check ${target.zorgaanbiedernaam}: ${why}`);
      this.replaced = target.standsInFor;
    }
    this.personas = generatePersonas(personaSetOf(net.topology, referenceDateOf(net.topology, net.clock)));
  }

  /** A participant id (or hostname, or 'browser') as the hostname the trace uses. */
  host(idOrHost: string): string {
    if (idOrHost === 'browser') return idOrHost;
    const p = findParticipant(this.net.topology, idOrHost);
    if (this.replaced && this.net.target && (p?.id ?? idOrHost) === this.replaced) return this.net.target.hostname;
    // A hostname outside the topology (e.g. of a zorgaanbieder added to the lists) stands for itself.
    if (!p && idOrHost.includes('.')) return idOrHost;
    if (!p) throw new SandboxError(`${this.scenario.file}: no participant '${idOrHost}' in the topology`);
    return p.hostname;
  }

  private dvza(id: string): DvzaInfo {
    const t = this.net.target;
    const p = findParticipant(this.net.topology, id);
    if (t?.role === 'dvza' && (p?.id ?? id) === this.replaced) {
      return { id, hostname: t.hostname, zorgaanbiedernaam: t.zorgaanbiedernaam, gegevensdiensten: t.gegevensdiensten, endpoints: t.endpoints };
    }
    if (!p || p.role !== 'dvza') throw new SandboxError(`${this.scenario.file}: '${id}' is not a DVZA of the topology`);
    return { id: p.id, hostname: p.hostname, zorgaanbiedernaam: p.zorgaanbiedernaam, gegevensdiensten: p.gegevensdiensten, endpoints: dvzaEndpoints(p) };
  }

  /** A DVZA of the topology by id, or a Zorgaanbiedernaam (also one only on the lists, added with `lists: { add }`). */
  private zorgaanbieder(idOrNaam: string): { id: string; zorgaanbiedernaam: string } {
    if (!idOrNaam.endsWith('@medmij')) return this.dvza(idOrNaam);
    const p = participantsByRole(this.net.topology, 'dvza').find((d) => d.zorgaanbiedernaam === idOrNaam);
    if (p && p.id === this.replaced) return this.dvza(p.id);
    return { id: p?.id ?? idOrNaam, zorgaanbiedernaam: idOrNaam };
  }

  private persona(keyOrTagOrBsn: string): { bsn: string; label: string } {
    if (/^\d{9}$/.test(keyOrTagOrBsn)) return { bsn: keyOrTagOrBsn, label: `BSN ${keyOrTagOrBsn}` };
    const p = this.personas.find((x) => x.key === keyOrTagOrBsn) ?? this.personas.find((x) => x.tags.includes(keyOrTagOrBsn));
    if (!p) throw new SandboxError(`${this.scenario.file}: no persona with key or tag '${keyOrTagOrBsn}' (see: npm run sandbox -- personas)`);
    return { bsn: p.bsn, label: `${p.name.display} (${p.key})` };
  }

  // ---- setup ---------------------------------------------------------------------------------------

  async setup(action: SetupAction): Promise<void> {
    if ('revoke' in action) {
      await this.net.pki.revoke(this.host(action.revoke.participant), { kinds: [action.revoke.certificate] });
      this.log.push(`setup: revoked the ${action.revoke.certificate} certificate of ${action.revoke.participant}`);
    } else if ('expire' in action) {
      await this.net.pki.expire(this.host(action.expire.participant), { kinds: [action.expire.certificate] });
      this.log.push(`setup: replaced the ${action.expire.certificate} certificate of ${action.expire.participant} by an expired one`);
    } else if ('clock' in action) {
      this.net.clock.shift(action.clock.shift);
      this.log.push(`setup: sandbox clock shifted by ${action.clock.shift}`);
    } else if ('stop' in action) {
      await this.net.stop(action.stop);
      this.log.push(`setup: stopped ${action.stop}`);
    } else {
      this.log.push(`setup: ${await this.lists(action.lists)}`);
    }
  }

  /** A change to the lists through the stelselnode's control API; says what was done. */
  private async lists(l: Extract<SetupAction, { lists: unknown }>['lists']): Promise<string> {
    const [name, body] =
      'remove' in l
        ? ['remove', { participant: l.remove }]
        : 'freeze' in l
          ? ['freeze', {}]
          : 'stale' in l
            ? ['stale', { age: l.stale }]
            : 'fault' in l
              ? ['fault', l.fault]
              : 'add' in l
                ? ['add', { role: 'dvza', ...l.add, gegevensdiensten: l.add.gegevensdiensten.join(',') }]
                : ['rollback', { list: l.rollback }];
    await this.stelselnode(name, body);
    return `lists ${name} ${JSON.stringify(body)}`;
  }

  private async stelselnode(action: string, body: object): Promise<void> {
    const stelselnode = participantsByRole(this.net.topology, 'stelselnode')[0]!;
    const tokenFile = join(this.net.sandboxDir, 'stelselnode', 'control-token');
    if (!existsSync(tokenFile)) throw new SandboxError(`the stelselnode of ${this.net.sandboxDir} has never run (no control token): start it first`);
    const token = readFileSync(tokenFile, 'utf8').trim();
    const r = await hop(`https://${stelselnode.hostname}:${stelselnode.backchannelPort}/_sandbox/control/${action}`, {
      method: 'POST',
      from: 'scenario',
      clientCertificate: false,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      pki: this.net.pki,
      clock: this.net.clock,
      hosts: this.hosts,
    });
    if (r.status !== 200) throw new SandboxError(`the stelselnode refused '${action}': ${r.text()}`);
  }

  // ---- steps ---------------------------------------------------------------------------------------

  async step(step: ScenarioStep): Promise<void> {
    if ('collect' in step) return this.collect(step.collect);
    if ('wait' in step) {
      this.net.clock.shift(step.wait);
      this.log.push(`wait ${step.wait} (sandbox clock)`);
      return;
    }
    if ('collect-again' in step) {
      if (!this.lastCollection) throw new SandboxError(`${this.scenario.file}: collect-again needs an earlier collect step`);
      await this.loginToPgo();
      const r = await this.browser.request(`${this.pgoUrl}/api/collections/${this.lastCollection.id}/refresh`, { method: 'POST', json: {} });
      this.lastCollection = r.json<PgoCollection>();
      this.log.push(`collect again with the same access token: ${this.describeCollection()}`);
      return;
    }
    if ('replay-code' in step) {
      if (!this.lastCallback) throw new SandboxError(`${this.scenario.file}: replay-code needs an earlier collect that reached the PGO's redirect_uri`);
      const code = this.lastCallback.searchParams.get('code');
      if (!code) throw new SandboxError(`${this.scenario.file}: the last redirect to the PGO carried no code`);
      const zorgaanbieder = this.lastDvza!;
      const r = await this.tokenRequest(zorgaanbieder, code, this.host(step['replay-code'].as));
      this.lastResponse = { status: r.status, text: r.text() };
      this.log.push(`replay the code as ${step['replay-code'].as}: HTTP ${r.status} ${r.text().slice(0, 160)}`);
      return;
    }
    if ('forge-callback' in step) {
      await this.loginToPgo();
      const r = await this.browser.request(`${this.pgoUrl}/oauth/callback?code=stolen-code&state=forged-state`);
      await this.readCollectionFrom(r);
      this.log.push(`the browser arrives at the PGO's redirect_uri with a forged state: ${this.describeCollection()}`);
      return;
    }
    if ('authorize' in step) {
      const a = step.authorize;
      const url = this.authorizationUrl(a.zorgaanbieder, a.gegevensdienst, a.params);
      const r = await this.browser.request(url);
      this.lastResponse = { status: r.status, text: r.status >= 300 && r.status < 400 ? `Location: ${String(r.headers.location)}` : r.text() };
      this.log.push(`authorization request with ${JSON.stringify(a.params)}: HTTP ${r.status}`);
      return;
    }
    if ('fhir' in step) return this.rawFhir(step.fhir.path);
    if ('lists' in step) {
      this.log.push(`the stelselnode changes the lists: ${await this.lists(step.lists)}`);
      return;
    }
    throw new SandboxError(`${this.scenario.file}: unknown step ${JSON.stringify(step)}`);
  }

  private lastDvza?: string;

  private async loginToPgo(): Promise<void> {
    if (this.loggedIn) return;
    if (this.personDrives) throw new SandboxError(`${this.scenario.name} needs the reference PGO's API, and a person drives ${this.net.target!.hostname}`);
    const session = (await this.browser.request(`${this.pgoUrl}/api/session`)).json<{
      demoAccounts: Array<{ username: string; password: string }>;
      demoTotp: Record<string, { code: string }>;
    }>();
    const account = session.demoAccounts[0]!;
    const r = await this.browser.request(`${this.pgoUrl}/api/login`, {
      json: { username: account.username, password: account.password, totp: session.demoTotp[account.username]!.code },
    });
    if (r.status !== 200) throw new SandboxError(`could not log in to the PGO: ${r.text()}`);
    this.loggedIn = true;
  }

  /** A person drives the outside PGO: told what to collect and what to choose, the runner waits until they are done. */
  private get personDrives(): boolean {
    return this.net.target?.role === 'pgo' && this.net.target.drive === 'person';
  }

  private async collectByPerson(c: Extract<ScenarioStep, { collect: unknown }>['collect']): Promise<void> {
    const target = this.net.target as Extract<ScenarioTarget, { role: 'pgo' }>;
    if (!this.net.ask) throw new SandboxError(`a person must drive ${target.hostname}, and there is nobody to ask here`);
    const dvza = this.zorgaanbieder(c.zorgaanbieder);
    this.lastDvza = dvza.id;
    const person = this.persona(c.persona);
    const dienst = this.net.topology.gegevensdiensten.find((g) => g.id === c.gegevensdienst)?.weergavenaam ?? `gegevensdienst ${c.gegevensdienst}`;
    const provider = participantsByRole(this.net.topology, 'dvza').find((d) => d.zorgaanbiedernaam === dvza.zorgaanbiedernaam)?.name ?? dvza.zorgaanbiedernaam;
    await this.net.ask(
      [
        `In ${target.name} (${target.hostname}): collect "${dienst}" (gegevensdienst ${c.gegevensdienst}) at ${provider} (${dvza.zorgaanbiedernaam}).`,
        `If it sends you to DigiD: choose BSN ${person.bsn} (${person.label}), outcome "${c.login}", level ${c.level}. Consent: ${c.consent}.`,
        'Press Enter when your PGO shows the outcome (or refuses to start).',
      ].join('\n'),
    );
    this.lastCollection = undefined;
    this.log.push(`collect ${c.gegevensdienst} at ${dvza.id} as ${person.label}: done by a person in ${target.hostname}`);
  }

  /** The PGO user collects a gegevensdienst: the reference PGO starts, the browser walks the flow. */
  private async collect(c: Extract<ScenarioStep, { collect: unknown }>['collect']): Promise<void> {
    if (this.personDrives) return this.collectByPerson(c);
    await this.loginToPgo();
    const dvza = this.zorgaanbieder(c.zorgaanbieder);
    this.lastDvza = dvza.id;
    const person = this.persona(c.persona);
    const r = await this.browser.request(`${this.pgoUrl}/api/collect`, {
      json: { zorgaanbiedernaam: dvza.zorgaanbiedernaam, gegevensdienstId: c.gegevensdienst },
    });
    if (r.status === 409) {
      const { collectionId } = r.json<{ collectionId: string }>();
      this.lastCollection = (await this.browser.request(`${this.pgoUrl}/api/collections/${collectionId}`)).json<PgoCollection>();
      this.log.push(`collect ${c.gegevensdienst} at ${dvza.id}: the PGO does not start: ${this.describeCollection()}`);
      return;
    }
    if (r.status !== 200) throw new SandboxError(`the PGO answered HTTP ${r.status} to the collect request: ${r.text().slice(0, 200)}`);
    const { authorizeUrl } = r.json<{ authorizeUrl: string }>();
    const end = await this.walk(authorizeUrl, { ...c, bsn: person.bsn }, false);
    if (end.kind === 'page') {
      this.log.push(
        `collect ${c.gegevensdienst} at ${dvza.id} as ${person.label}: the browser stopped at ${end.response.url.host}${end.response.url.pathname} (HTTP ${end.response.status})`,
      );
      this.lastResponse = { status: end.response.status, text: end.response.text() };
      return;
    }
    await this.readCollectionFrom(end.response);
    this.log.push(
      `collect ${c.gegevensdienst} at ${dvza.id} as ${person.label} (DigiD: ${c.login}, ${c.level}; consent: ${c.consent}): ${this.describeCollection()}`,
    );
  }

  private async walk(
    url: string,
    c: FlowChoices,
    raw: boolean,
  ): Promise<{ kind: 'callback'; response: BrowserResponse; url: URL } | { kind: 'page'; response: BrowserResponse }> {
    const end = await walkThroughFlow(this.browser, this.pgoUrl, url, c, raw);
    if (end.callback) this.lastCallback = end.callback;
    return end;
  }

  private async readCollectionFrom(response: BrowserResponse): Promise<void> {
    const id = /#\/collection\/([0-9a-f]+)/.exec(String(response.headers.location ?? response.url.hash))?.[1];
    if (!id) throw new SandboxError(`the PGO did not show a collection (HTTP ${response.status} at ${response.url.pathname})`);
    this.lastCollection = (await this.browser.request(`${this.pgoUrl}/api/collections/${id}`)).json<PgoCollection>();
  }

  private describeCollection(): string {
    const c = this.lastCollection!;
    return c.status === 'collected'
      ? `collected ${c.resourceCount} resources`
      : `${c.status}${c.refusal ? ` (${c.refusal.code} at ${c.refusal.step}: ${c.refusal.title.en})` : ''}`;
  }

  private authorizationUrl(dvzaId: string, gegevensdienst: string, params: Record<string, string> = {}): string {
    const dvza = this.dvza(dvzaId);
    const url = new URL(dvza.endpoints.authorize);
    const all: Record<string, string> = {
      response_type: 'code',
      client_id: this.pgoHostname,
      redirect_uri: `${this.pgoUrl}/oauth/callback`,
      scope: `${dvza.zorgaanbiedernaam.replace(/@medmij$/, '')}~${gegevensdienst}`,
      state: `scenario-state-${++this.counter}`,
      'X-Correlation-ID': `scenario-${this.scenario.name}-${this.counter}`,
      ...params,
    };
    for (const [k, v] of Object.entries(all)) if (v !== '') url.searchParams.set(k, v);
    return url.toString();
  }

  private tokenRequest(dvzaId: string, code: string, from: string) {
    const dvza = this.dvza(dvzaId);
    return hop(dvza.endpoints.token, {
      method: 'POST',
      from,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: `${this.pgoUrl}/oauth/callback`,
        client_id: this.pgoHostname,
      }).toString(),
      traceId: `scenario-${this.scenario.name}-raw`,
      pki: this.net.pki,
      clock: this.net.clock,
      hosts: this.hosts,
      bus: this.net.bus,
    });
  }

  /**
   * A request the reference PGO would never make (e.g. `patient=` in the URL): a raw client with the
   * PGO's certificate authorizes itself (the adult persona at the first DVZA, BgZ) and sends it.
   */
  private async rawFhir(path: string): Promise<void> {
    const dvza = this.dvza(participantsByRole(this.net.topology, 'dvza')[0]!.id);
    this.lastDvza = dvza.id;
    const person = this.persona('several-providers');
    const end = await this.walk(
      this.authorizationUrl(dvza.id, dvza.gegevensdiensten[0]!),
      { bsn: person.bsn, login: 'success', level: 'substantieel', consent: 'ja' },
      true,
    );
    const code = end.kind === 'callback' ? end.url.searchParams.get('code') : null;
    if (!code) throw new SandboxError(`the raw client got no code from ${dvza.id}`);
    const pgoHost = this.pgoHostname;
    const token = (await this.tokenRequest(dvza.id, code, pgoHost)).json<{ access_token?: string }>().access_token;
    if (!token) throw new SandboxError(`the raw client got no access token from ${dvza.id}`);
    const r = await hop(`${dvza.endpoints.fhir}/${path}`, {
      from: pgoHost,
      headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json', 'medmij-request-id': `scenario-${++this.counter}` },
      traceId: `scenario-${this.scenario.name}-raw`,
      pki: this.net.pki,
      clock: this.net.clock,
      hosts: this.hosts,
      bus: this.net.bus,
    });
    this.lastResponse = { status: r.status, text: r.text() };
    this.log.push(`raw FHIR request as the PGO to ${dvza.id}: GET ${path} → HTTP ${r.status}`);
  }

  // ---- checks ----------------------------------------------------------------------------------------

  checks(events: TraceEvent[]): Check[] {
    const out: Check[] = [];
    const want = this.scenario.expect;
    if (want.pgo && this.personDrives) {
      this.unobservable.push(`PGO shows: ${want.pgo.status}${want.pgo.code ? ` ${want.pgo.code}` : ''} (on its own screen: a person drove it)`);
    } else if (want.pgo) {
      const c = this.lastCollection;
      const got = c ? `${c.status}${c.refusal ? ` ${c.refusal.code} at ${c.refusal.step}` : ''}` : 'no collection';
      const ok =
        !!c && c.status === want.pgo.status && (!want.pgo.code || c.refusal?.code === want.pgo.code) && (!want.pgo.step || c.refusal?.step === want.pgo.step);
      const self = this.net.target?.role === 'pgo';
      out.push({
        what: `PGO shows: ${want.pgo.status}${want.pgo.code ? ` ${want.pgo.code}` : ''}${want.pgo.step ? ` at ${want.pgo.step}` : ''}${self ? ' (its own account)' : ''}`,
        ok,
        message: ok ? got : `expected ${want.pgo.status}${want.pgo.code ? ` ${want.pgo.code}` : ''}, got ${got}`,
        ...(self ? { selfReported: true } : {}),
      });
    }
    if (want.response) {
      const r = this.lastResponse;
      const ok = !!r && r.status === want.response.status && (!want.response.contains || r.text.includes(want.response.contains));
      out.push({
        what: `answer: HTTP ${want.response.status}${want.response.contains ? ` containing "${want.response.contains}"` : ''}`,
        ok,
        message: r ? `HTTP ${r.status}: ${r.text.slice(0, 200)}` : 'no answer recorded',
      });
    }
    let cursor = 0;
    for (const e of want.hops.map((h) => (h.reason ? { ...h, reason: this.asTargetSays(expandTimes(h.reason, this.startedAt)) } : h))) {
      const what = describeExpectation(e);
      const hidden = this.hiddenFromUs(e, events);
      if (hidden) {
        this.unobservable.push(`${what} (${hidden})`);
        continue;
      }
      const matches = (ev: TraceEvent) => this.matches(e, ev);
      if (e.absent) {
        const found = events.find(matches);
        out.push({ what, ok: !found, message: found ? `found #${found.seq}: ${summary(found)}` : 'none, as expected', ...(found ? { event: found } : {}) });
        continue;
      }
      const index = events.findIndex((ev, i) => i >= cursor && matches(ev));
      if (index >= 0) {
        cursor = index + 1;
        out.push({ what, ok: true, message: `#${events[index]!.seq}: ${summary(events[index]!)}`, event: events[index] });
      } else {
        const anywhere = events.find(matches);
        out.push({
          what,
          ok: false,
          message: anywhere ? `only earlier than the previous expectation: #${anywhere.seq} ${summary(anywhere)}` : 'no such event in the trace',
        });
      }
    }
    return out;
  }

  /**
   * An expected reason as it reads when the target plays the part: the replaced participant's name,
   * hostname and Zorgaanbiedernaam (also in a scope, `dekroon~1`) become the target's.
   */
  private asTargetSays(reason: string): string {
    const t = this.net.target;
    const replaced = this.replaced ? findParticipant(this.net.topology, this.replaced) : undefined;
    if (!t || !replaced) return reason;
    const pairs: Array<[string, string]> = [
      [replaced.name, t.name],
      [replaced.hostname, t.hostname],
    ];
    if (replaced.role === 'dvza' && t.role === 'dvza') {
      pairs.push(
        [replaced.zorgaanbiedernaam, t.zorgaanbiedernaam],
        [`${replaced.zorgaanbiedernaam.replace(/@medmij$/, '')}~`, `${t.zorgaanbiedernaam.replace(/@medmij$/, '')}~`],
      );
    }
    return pairs.reduce((text, [from, to]) => text.split(from).join(to), reason);
  }

  /**
   * Why an expectation cannot be checked when a target plays a part: only the target would report such an
   * event (its decisions, a hop between it and the browser, a handshake it refused). Undefined: checkable.
   */
  private hiddenFromUs(e: HopExpectation, events: TraceEvent[]): string | undefined {
    const target = this.net.target?.hostname;
    if (!target) return undefined;
    const mine = (who: string | undefined) => who !== undefined && this.host(who) === target;
    if (e.decision !== undefined) return mine(e.decision) ? `a decision only ${target} could report` : undefined;
    if (e.tls !== undefined && (mine(e.from) || mine(e.to))) {
      // The side that refuses a handshake reports it, with its reason. Checked when our side reported this very
      // refusal, or when our side got an answer over that connection (then there was no refusal: the check
      // fails); otherwise only the target knows why the connection ended.
      const [from, to] = [e.from && this.host(e.from), e.to && this.host(e.to)];
      const between = (ev: TraceEvent) => ev.reportedBy !== target && (!from || ev.from === from) && (!to || ev.to === to);
      const seen = events.some((ev) => between(ev) && this.matches(e, ev)) || events.some((ev) => between(ev) && ev.kind === 'http' && ev.status !== undefined);
      return seen ? undefined : `a handshake only ${target} may have judged`;
    }
    // Every other hop has one side that is ours (the browser reports its own requests during a target run).
    return mine(e.to) && mine(e.from) ? `a hop inside ${target}` : undefined;
  }

  private matches(e: HopExpectation, ev: TraceEvent): boolean {
    if (e.decision !== undefined) {
      if (ev.kind !== 'decision' || ev.reportedBy !== this.host(e.decision)) return false;
    } else if (e.tls !== undefined) {
      if (ev.kind !== 'tls' || ev.tls?.verdict !== e.tls) return false;
    } else if (ev.kind !== 'http') return false;
    if (e.from !== undefined && ev.from !== this.host(e.from)) return false;
    if (e.to !== undefined && ev.to !== this.host(e.to)) return false;
    if (e.method !== undefined && ev.method !== e.method) return false;
    if (e.path !== undefined) {
      const path = (ev.url ?? '').split('?')[0]!;
      if (e.path.endsWith('*') ? !path.startsWith(e.path.slice(0, -1)) : path !== e.path) return false;
    }
    if (e.status !== undefined && ev.status !== e.status) return false;
    if (e.outcome !== undefined && ev.outcome !== e.outcome) return false;
    if (e.reason !== undefined && !(ev.reason ?? '').includes(e.reason)) return false;
    return true;
  }
}

/**
 * `{clock}`, `{clock+15m}`, `{clock-1d}` in an expected reason: the sandbox time at the start of the scenario,
 * plus or minus a duration, as ISO text. So "a token valid for 15 minutes" reads the same on a frozen
 * scenario clock and on a live network.
 */
export function expandTimes(text: string, startMs: number): string {
  return text.replace(/\{clock(?:([+-])([0-9a-z]+))?\}/g, (_m, sign: string | undefined, d: string | undefined) =>
    new Date(startMs + (sign ? (sign === '-' ? -1 : 1) * parseDuration(d!) : 0)).toISOString(),
  );
}

/** What the person chooses on the way: at DigiD (BSN, outcome, level) and on the consent page. */
export interface FlowChoices {
  bsn: string;
  login: string;
  level: string;
  consent: string;
}

/**
 * A person's browser from the authorization request to the PGO's redirect_uri: DVZA landing page → DigiD at the
 * TVS → consent. `raw`: stop at the redirect_uri instead of following it. Knows the reference DVZA's pages and
 * the sandbox TVS; another page ends the walk (`kind: 'page'`).
 */
export async function walkThroughFlow(
  browser: HeadlessBrowser,
  pgoUrl: string,
  url: string,
  c: FlowChoices,
  raw: boolean,
): Promise<({ kind: 'callback'; response: BrowserResponse; url: URL } | { kind: 'page'; response: BrowserResponse }) & { callback?: URL }> {
  let callback: URL | undefined;
  let response = await browser.request(url);
  for (let i = 0; i < 12; i++) {
    if (response.status >= 300 && response.status < 400) {
      const next = new URL(HeadlessBrowser.location(response));
      if (next.origin === new URL(pgoUrl).origin && next.pathname === '/oauth/callback') {
        callback = next;
        if (raw) return { kind: 'callback', response, url: next, callback };
      }
      if (next.hash.startsWith('#/collection/')) return { kind: 'callback', response, url: next, ...(callback ? { callback } : {}) };
      response = await browser.request(next.toString());
      continue;
    }
    if (response.status !== 200) return { kind: 'page', response, ...(callback ? { callback } : {}) };
    const html = response.text();
    const digid = HeadlessBrowser.link(html, /\/oauth\/digid\?flow=/);
    if (digid) {
      response = await browser.request(new URL(digid, response.url).toString());
    } else if (/name="session"/.test(html)) {
      const session = /name="session" value="([^"]+)"/.exec(html)![1]!;
      response = await browser.request(new URL(HeadlessBrowser.formAction(html), response.url).toString(), {
        form: { session, lang: 'nl', outcome: c.login, bsn: 'other', otherBsn: c.bsn, level: c.level },
      });
    } else if (/name="toestemming"/.test(html)) {
      const flow = /name="flow" value="([^"]+)"/.exec(html)![1]!;
      response = await browser.request(new URL(HeadlessBrowser.formAction(html), response.url).toString(), {
        form: { flow, lang: 'nl', toestemming: c.consent },
      });
    } else {
      return { kind: 'page', response, ...(callback ? { callback } : {}) };
    }
  }
  throw new SandboxError('the browser went round in circles (more than 12 steps)');
}

export function describeExpectation(e: HopExpectation): string {
  const parts: string[] = [];
  if (e.absent) parts.push('no');
  if (e.decision) parts.push(`decision by ${e.decision}${e.outcome ? ` (${e.outcome})` : ''}`);
  else if (e.tls) parts.push(`TLS ${e.from ?? '*'} → ${e.to ?? '*'} refused: ${e.tls}`);
  else
    parts.push(
      `${e.from ?? '*'} → ${e.to ?? '*'} ${e.method ?? ''} ${e.path ?? ''}${e.status !== undefined ? ` ${e.status}` : ''}${e.outcome && !e.decision ? ` (${e.outcome})` : ''}`
        .replace(/\s+/g, ' ')
        .trim(),
    );
  if (e.reason) parts.push(`"…${e.reason}…"`);
  return `${parts.join(' ')}${e.says ? ` — ${e.says}` : ''}`;
}

function summary(e: TraceEvent): string {
  if (e.kind === 'decision') return `${e.reportedBy} ${e.outcome}: ${e.reason ?? ''}`.slice(0, 220);
  if (e.kind === 'tls') return `TLS ${e.from} → ${e.to} ${e.tls?.verdict ?? ''}`;
  return `${e.side ?? ''} ${e.from} → ${e.to} ${e.method ?? ''} ${(e.url ?? '').split('?')[0]} ${e.status ?? e.outcome}`.trim();
}
