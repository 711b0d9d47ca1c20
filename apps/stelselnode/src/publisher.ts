/**
 * The stelselnode's publication of the lists (four in afsprakenstelsel 1.5; five in 2, with the release3
 * Zorgaanbiederslijst and OAuthclientlist and the Zorgaanbiederskoppellijst beside them), and the changes a scenario or trainer can make to
 * the network at runtime. State is kept in `.sandbox/stelselnode/state.json`, so Volgnummers keep
 * rising across restarts, as consumers (also external ones) expect.
 *
 * - Every change of a list's content is a republication: Volgnummer + 1, Tijdstempel = now.
 * - An unchanged list is republished every `republishEveryMs` (when asked for), so it never looks stale
 *   while the stelselnode is "alive"; `freeze` stops all publication (lists go stale by themselves).
 * - Faults serve a broken list (malformed, schema-invalid) or none (HTTP 503) instead of the real one;
 *   `rollback` serves an earlier publication (a lower Volgnummer) again.
 */
import { existsSync, readFileSync } from 'node:fs';
import { findParticipant, parseDuration, SandboxError, writeJsonAtomic, type Afsprakenstelsel, type Clock, type Topology } from '@medmij-sandbox/network';
import {
  koppellijstEntry,
  listKindsOf,
  listToXml,
  listsFromTopology,
  validateList,
  zorgaanbiederEntry,
  zorgaanbiederEntryRelease3,
  type AnyListKind,
  type AnyMedMijList,
  type ListBodies,
  type ListBodies2,
} from '@medmij-sandbox/lists';
import type { AddRequest, Fault } from '@medmij-sandbox/stelselnode-client';
import { STELSELNODE, nest, said, type Said } from '@medmij-sandbox/rules';

interface Publication {
  volgnummer: number;
  tijdstempel: string;
  xml: string;
}

export interface PublisherState {
  version: 1;
  /** The afsprakenstelsel these publications are of (absent: 1.5, from before there was a choice). */
  afsprakenstelsel?: Afsprakenstelsel;
  /** Per list, the last Volgnummer published before the network changed afsprakenstelsel: numbering goes on from it. */
  volgnummerFloor?: Partial<Record<AnyListKind, number>>;
  /** Per list: the newest publications, newest last (a few kept for `rollback`). */
  publications: Partial<Record<AnyListKind, Publication[]>>;
  /** Participant ids left out of the lists. */
  removed: string[];
  /** Participants added at runtime, outside the topology (e.g. an integration team's own PGO or DVZA). */
  added: AddedParticipant[];
  frozen: boolean;
  faults: Partial<Record<AnyListKind, Fault>>;
  /** Lists for which an earlier publication is served. */
  rolledBack: Partial<Record<AnyListKind, number>>;
  /** Afsprakenstelsel 2: per client hostname, the only GegevensdienstIds the OAuthclientlist lets it use. */
  restricted?: Record<string, string[]>;
  /**
   * How many times `reset` ran (absent: never). Served with every list (LISTS_RESET_HEADER): a consumer that sees
   * it change forgets the lists and Volgnummers it holds. A wiped state starts at 0 again, which is a change too.
   */
  resetEpoch?: number;
}

/** A participant put on the lists at runtime (the control API's `add`). */
export type AddedParticipant = AddRequest;

function addedKey(p: AddedParticipant): string {
  return p.role === 'dvza' ? p.zorgaanbiedernaam : p.hostname;
}

export type Served = { status: 200; xml: string; volgnummer: number; tijdstempel: string } | { status: 503; message: string };

const KEEP_PUBLICATIONS = 5;

/** The future-dated fault: how far ahead its Tijdstempel lies, and how far its Volgnummer jumps. */
const FUTURE_DATED = { aheadMs: 365 * 86_400_000, volgnummerJump: 50 };

/** The lists' content without header, in either afsprakenstelsel, by kind. */
type Bodies = Partial<Record<AnyListKind, object>>;

/** A list body with its header, as XML: the body's own shape (its kind and release) decides the namespace. */
function render(body: object, header: { tijdstempel: string; volgnummer: number }): string {
  return listToXml({ ...body, ...header } as AnyMedMijList);
}

export class ListPublisher {
  private state: PublisherState;
  /** The lists this afsprakenstelsel publishes, in publication order. */
  readonly kinds: readonly AnyListKind[];
  readonly afsprakenstelsel: Afsprakenstelsel;

  constructor(
    private readonly topology: Topology,
    private readonly clock: Clock,
    private readonly statePath: string,
    /** Each change as a catalogue reason (the control client gets its English text). */
    private readonly onChange: (what: Said) => void = () => {},
    readonly republishEveryMs = 3_600_000,
    /** Enrolled participants (`sandbox enrol`): listed like the topology's own, kept across resets. */
    private readonly enrolled: () => readonly AddedParticipant[] = () => [],
  ) {
    this.afsprakenstelsel = topology.afsprakenstelsel;
    this.kinds = listKindsOf(topology.afsprakenstelsel);
    this.state = existsSync(statePath) ? (JSON.parse(readFileSync(statePath, 'utf8')) as PublisherState) : this.emptyState();
    this.state.added ??= [];
    if ((this.state.afsprakenstelsel ?? '1.5') !== this.afsprakenstelsel) this.changeVersion();
    // A state of the other afsprakenstelsel lacks a list (the Koppellijst): it starts at Volgnummer 1. The others
    // go on counting, so a consumer never sees a Volgnummer go down when the network changes version.
    for (const kind of this.kinds) this.state.publications[kind] ??= [];
    // Publish what the (possibly changed) topology says now; unchanged lists keep their Volgnummer.
    if (!this.state.frozen) this.report(this.publishLists({ force: false, reason: said(STELSELNODE.why.started, {}) }));
  }

  /**
   * The network now speaks another afsprakenstelsel: nothing of the other version's publications may be served
   * again (no rollback into release2, no frozen old list, no fault set for it), and participants added at runtime
   * named that version's gegevensdiensten. Only the Volgnummers go on, so no consumer sees one go down.
   */
  private changeVersion(): void {
    const floor: Partial<Record<AnyListKind, number>> = { ...this.state.volgnummerFloor };
    for (const [kind, pubs] of Object.entries(this.state.publications) as [AnyListKind, Publication[]][]) {
      const last = pubs.at(-1)?.volgnummer;
      if (last !== undefined) floor[kind] = Math.max(floor[kind] ?? 0, last);
    }
    this.state = { ...this.emptyState(), removed: this.state.removed, volgnummerFloor: floor };
  }

  private emptyState(): PublisherState {
    return {
      version: 1,
      afsprakenstelsel: this.topology.afsprakenstelsel,
      publications: Object.fromEntries(listKindsOf(this.topology.afsprakenstelsel).map((k) => [k, []])),
      removed: [],
      added: [],
      frozen: false,
      faults: {},
      rolledBack: {},
    };
  }

  /** What a GET of a list returns right now. */
  serve(kind: AnyListKind): Served {
    const fault = this.state.faults[kind];
    if (fault === 'unavailable') return { status: 503, message: `${kind} is unavailable (sandbox fault)` };
    if (!this.state.frozen && this.state.rolledBack[kind] === undefined) {
      const ageMs = this.clock.nowMs() - Date.parse(this.latest(kind).tijdstempel);
      // Before it could look stale; and at once when the clock was put back before its Tijdstempel (`clock reset`
      // after a shift): consumers refuse a list dated ahead of their clock.
      if (ageMs > this.republishEveryMs) this.republish([kind], said(STELSELNODE.why.periodic, {}));
      else if (ageMs < 0) this.report(this.republish([kind], said(STELSELNODE.why.clockBack, {})));
    }
    const pub = this.served(kind);
    if (fault === 'malformed')
      return { status: 200, xml: pub.xml.slice(0, Math.floor(pub.xml.length / 2)), volgnummer: pub.volgnummer, tijdstempel: pub.tijdstempel };
    if (fault === 'future-dated') {
      // Schema-valid and otherwise the real list: only the header lies.
      const volgnummer = pub.volgnummer + FUTURE_DATED.volgnummerJump;
      const tijdstempel = formatTijdstempel(new Date(this.clock.nowMs() + FUTURE_DATED.aheadMs));
      const xml = pub.xml
        .replace(/<Tijdstempel>[^<]*<\/Tijdstempel>/, `<Tijdstempel>${tijdstempel}</Tijdstempel>`)
        .replace(/<Volgnummer>[^<]*<\/Volgnummer>/, `<Volgnummer>${volgnummer}</Volgnummer>`);
      return { status: 200, xml, volgnummer, tijdstempel };
    }
    if (fault === 'schema-invalid') {
      // Well-formed and with a valid Volgnummer, but with an element the schema does not allow.
      const xml = pub.xml.replace('</Volgnummer>', '</Volgnummer>\n    <SandboxFout>niet toegestaan door het schema</SandboxFout>');
      return { status: 200, xml, volgnummer: pub.volgnummer, tijdstempel: pub.tijdstempel };
    }
    return { status: 200, ...pub };
  }

  faultOf(kind: AnyListKind): Fault | undefined {
    return this.state.faults[kind];
  }

  status() {
    return {
      frozen: this.state.frozen,
      removed: [...this.state.removed],
      added: this.state.added.map(addedKey),
      faults: { ...this.state.faults },
      lists: this.kinds.map((kind) => {
        const pub = this.served(kind);
        return {
          kind,
          volgnummer: pub.volgnummer,
          tijdstempel: pub.tijdstempel,
          rolledBack: this.state.rolledBack[kind] !== undefined,
          fault: this.state.faults[kind] ?? null,
        };
      }),
    };
  }

  // ---- changes (each reported through onChange) ------------------------------------------------

  /** Republishes every list now (Volgnummer + 1 each). */
  publishNow(): Said[] {
    if (this.state.frozen)
      throw new SandboxError('the stelselnode is frozen: it publishes nothing', 'resume publication with: npm run sandbox -- lists unfreeze');
    return this.report(this.publishLists({ force: true, reason: said(STELSELNODE.why.onRequest, {}) }));
  }

  /** Republishes changed lists, and unchanged ones too when forced. Returns what was published. */
  private publishLists(opts: { force: boolean; reason: Said; tijdstempel?: Date }): Said[] {
    const bodies = this.bodies();
    const changed = this.kinds.filter((kind) => {
      const latest = this.pubs(kind).at(-1);
      // Rendered with the latest header, an unchanged list is byte-identical to the latest publication.
      return !latest || opts.force || latest.xml !== render(bodies[kind]!, latest);
    });
    return this.republish(changed, opts.reason, opts.tijdstempel);
  }

  /**
   * Puts a participant that is not in the topology on the lists. The resulting lists are checked against
   * the schemas first, so a bad hostname or URL is refused with the schema's own words and never published.
   */
  async add(participant: AddedParticipant): Promise<Said[]> {
    const key = addedKey(participant);
    if (this.state.added.some((a) => addedKey(a) === key) || this.enrolled().some((e) => addedKey(e) === key) || findParticipant(this.topology, key)) {
      throw new SandboxError(`${key} is already a participant`);
    }
    if (participant.role === 'dvza') {
      const known = new Set(this.topology.gegevensdiensten.map((g) => g.id));
      const unknown = participant.gegevensdiensten.filter((g) => !known.has(g));
      if (participant.gegevensdiensten.length === 0 || unknown.length > 0) {
        throw new SandboxError(
          unknown.length ? `unknown gegevensdienst ${unknown.join(', ')}` : 'a DVZA must offer at least one gegevensdienst',
          `gegevensdiensten: ${[...known].join(', ')}`,
        );
      }
    }
    const candidate = withAdded(this.bodies(), [participant], this.topology);
    for (const kind of this.kinds) {
      const validation = await validateList(kind, render(candidate[kind]!, { tijdstempel: '2026-01-01T00:00:00Z', volgnummer: 1 }), {
        allowSandboxVariant: true,
        afsprakenstelsel: this.topology.afsprakenstelsel,
      });
      if (!validation.valid) throw new SandboxError(`the ${kind} would not be valid with ${key}: ${validation.errors[0]}`);
    }
    this.state.added.push(participant);
    return this.changed(said(STELSELNODE.change.added, { role: participant.role, key }));
  }

  remove(idOrHostname: string): Said[] {
    const added = this.state.added.find((a) => addedKey(a) === idOrHostname);
    if (added) {
      this.state.added = this.state.added.filter((a) => a !== added);
      return this.changed(said(STELSELNODE.change.removedAdded, { role: added.role, key: idOrHostname }));
    }
    const enrolled = this.enrolled().find((e) => addedKey(e) === idOrHostname);
    if (enrolled) {
      if (this.state.removed.includes(idOrHostname))
        throw new SandboxError(`${idOrHostname} is already left out of the lists`, `put it back with: npm run sandbox -- lists restore ${idOrHostname}`);
      this.state.removed.push(idOrHostname);
      return this.changed(said(STELSELNODE.change.removedEnrolled, { role: enrolled.role, key: idOrHostname }));
    }
    const p = this.participant(idOrHostname);
    if (p.role === 'pki') throw new SandboxError(`${p.id} is the PKI repository; it is on no MedMij list`);
    if (p.role === 'console') throw new SandboxError(`${p.id} is the operator's console, no MedMij role; it is on no MedMij list`);
    if (this.state.removed.includes(p.id))
      throw new SandboxError(`${p.id} is already left out of the lists`, `put it back with: npm run sandbox -- lists restore ${p.id}`);
    this.state.removed.push(p.id);
    return this.changed(said(STELSELNODE.change.removed, { role: p.role, id: p.id, hostname: p.hostname }));
  }

  restore(idOrHostname: string): Said[] {
    if (this.enrolled().some((e) => addedKey(e) === idOrHostname)) {
      if (!this.state.removed.includes(idOrHostname)) throw new SandboxError(`${idOrHostname} is on the lists already`);
      this.state.removed = this.state.removed.filter((id) => id !== idOrHostname);
      return this.changed(said(STELSELNODE.change.restoredEnrolled, { key: idOrHostname }));
    }
    const p = this.participant(idOrHostname);
    if (!this.state.removed.includes(p.id)) throw new SandboxError(`${p.id} is on the lists already`);
    this.state.removed = this.state.removed.filter((id) => id !== p.id);
    return this.changed(said(STELSELNODE.change.restored, { role: p.role, id: p.id, hostname: p.hostname }));
  }

  freeze(): Said[] {
    this.state.frozen = true;
    this.save();
    return this.report([said(STELSELNODE.frozen, {})]);
  }

  unfreeze(): Said[] {
    this.state.frozen = false;
    return this.report([said(STELSELNODE.resumed, {}), ...this.publishLists({ force: true, reason: said(STELSELNODE.why.resumed, {}) })]);
  }

  /** Publishes lists that are already `age` old, and stops publishing so they stay that way. */
  stale(age: string): Said[] {
    let ms: number;
    try {
      ms = parseDuration(age);
    } catch (e) {
      throw new SandboxError((e as Error).message);
    }
    const done = this.publishLists({ force: true, reason: said(STELSELNODE.why.backdated, { age }), tijdstempel: new Date(this.clock.nowMs() - ms) });
    this.state.frozen = true;
    this.save();
    return this.report([...done, said(STELSELNODE.backdatedFrozen, { age })]);
  }

  fault(kind: AnyListKind, fault: Fault | 'none'): Said[] {
    if (fault === 'none') delete this.state.faults[kind];
    else this.state.faults[kind] = fault;
    this.save();
    return this.report([fault === 'none' ? said(STELSELNODE.faultCleared, { kind }) : said(STELSELNODE.fault, { kind, fault })]);
  }

  /** Serves the previous publication again: a lower Volgnummer than consumers have seen. */
  rollback(kind: AnyListKind): Said[] {
    const pubs = this.pubs(kind);
    const servedIndex = this.state.rolledBack[kind] ?? pubs.length - 1;
    if (servedIndex === 0) {
      throw new SandboxError(
        `${kind}: there is no earlier publication to roll back to (Volgnummer ${pubs[0]!.volgnummer} is the oldest kept)`,
        'publish once more first: npm run sandbox -- lists publish',
      );
    }
    this.state.rolledBack[kind] = servedIndex - 1;
    this.save();
    return this.report([said(STELSELNODE.rolledBack, { kind, volgnummer: pubs[servedIndex - 1]!.volgnummer, from: pubs[servedIndex]!.volgnummer })]);
  }

  /**
   * Afsprakenstelsel 2: the OAuthclientlist lets `client` (a PGO's hostname, or its id in the topology) use only
   * these GegevensdienstIds; 'all' lifts it. The DVZAs' consent pages then offer no other (SPEC §10.4).
   */
  restrict(client: string, gegevensdiensten: string[] | 'all'): Said[] {
    if (this.afsprakenstelsel !== '2') {
      throw new SandboxError('the OAuthclientlist of afsprakenstelsel 1.5 names no gegevensdiensten per client', 'restrict a client in afsprakenstelsel 2');
    }
    const hostname = this.clientHostname(client);
    if (gegevensdiensten === 'all') {
      delete this.state.restricted?.[hostname];
      return this.changed(said(STELSELNODE.change.unrestricted, { client: hostname }));
    }
    const unknown = gegevensdiensten.filter((g) => !this.topology.gegevensdiensten.some((d) => d.id === g));
    if (gegevensdiensten.length === 0 || unknown.length > 0) {
      throw new SandboxError(
        `restrict ${hostname}: ${gegevensdiensten.length === 0 ? 'no gegevensdienst given' : `gegevensdienst ${unknown.join(', ')} does not exist in afsprakenstelsel 2`}`,
        `gegevensdiensten: ${this.topology.gegevensdiensten.map((d) => d.id).join(', ')}, or all`,
      );
    }
    (this.state.restricted ??= {})[hostname] = [...new Set(gegevensdiensten)];
    return this.changed(said(STELSELNODE.change.restricted, { client: hostname, gegevensdiensten: this.state.restricted[hostname]!.join(', ') }));
  }

  /** A client on the OAuthclientlist by hostname, or a topology PGO by id. */
  private clientHostname(client: string): string {
    const listed = (this.bodies().OAuthclientlist as { oauthclients: Array<{ hostname: string }> } | undefined)?.oauthclients ?? [];
    const topologyPgo = findParticipant(this.topology, client);
    const hostname = topologyPgo?.role === 'pgo' ? topologyPgo.hostname : client;
    if (!listed.some((c) => c.hostname === hostname)) {
      throw new SandboxError(`${client} is not on the OAuthclientlist`, `clients: ${listed.map((c) => c.hostname).join(', ')}`);
    }
    return hostname;
  }

  /** Publishes what changed in the enrolments (`sandbox enrol` tells a running stelselnode). */
  enrolmentsChanged(): Said[] {
    if (this.state.frozen) return this.report([said(STELSELNODE.enrolmentsChangedFrozen, {})]);
    const changed = said(STELSELNODE.why.enrolmentsChanged, {});
    return this.report([changed, ...this.publishLists({ force: false, reason: changed })]);
  }

  /** The reset number every list is served with (LISTS_RESET_HEADER). */
  resetEpoch(): number {
    return this.state.resetEpoch ?? 0;
  }

  /**
   * Back to the topology and the enrolments: nothing removed, no faults, no rollback, publishing; and, with
   * `forgetConsumers`, a new reset number, so every consumer forgets the lists and Volgnummers it holds at its next
   * fetch. `consumers`: who fetched lists here, to say where that happens.
   */
  reset(o: { forgetConsumers: boolean; consumers?: readonly string[] } = { forgetConsumers: true }): Said[] {
    const s = this.state;
    // Republish everything only when something was undone: every participant must re-validate a new
    // publication against the XSDs (~0.1 s per list), and a live scenario run resets before each scenario.
    const undone =
      s.frozen ||
      s.removed.length > 0 ||
      s.added.length > 0 ||
      Object.keys(s.faults).length > 0 ||
      Object.keys(s.rolledBack).length > 0 ||
      Object.keys(s.restricted ?? {}).length > 0;
    s.removed = [];
    s.restricted = {};
    s.added = [];
    s.faults = {};
    s.rolledBack = {};
    s.frozen = false;
    if (o.forgetConsumers) s.resetEpoch = (s.resetEpoch ?? 0) + 1;
    const published = this.publishLists({ force: undone, reason: said(STELSELNODE.why.reset, {}) });
    // The clock put back before a list's Tijdstempel (a live scenario run resets the clock first): republished now,
    // so the consumers take it before the next scenario rather than during it.
    const ahead = this.kinds.filter((kind) => Date.parse(this.latest(kind).tijdstempel) > this.clock.nowMs());
    return this.report([
      undone ? said(STELSELNODE.reset, {}) : said(STELSELNODE.resetNothing, {}),
      ...published,
      ...(ahead.length > 0 ? this.republish(ahead, said(STELSELNODE.why.clockBack, {})) : []),
      ...(o.forgetConsumers ? [said(STELSELNODE.consumersForget, { epoch: s.resetEpoch!, consumers: (o.consumers ?? []).join(', ') })] : []),
    ]);
  }

  // ---- internals -------------------------------------------------------------------------------

  private changed(what: Said): Said[] {
    this.save();
    const done = this.state.frozen ? [said(STELSELNODE.frozenChange, {})] : this.publishLists({ force: false, reason: what });
    return this.report([what, ...done]);
  }

  private republish(kinds: readonly AnyListKind[], reason: Said, at?: Date): Said[] {
    const bodies = this.bodies();
    const tijdstempel = formatTijdstempel(at ?? this.clock.now());
    const done: Said[] = [];
    for (const kind of kinds) {
      const pubs = this.pubs(kind);
      const volgnummer = (pubs.at(-1)?.volgnummer ?? this.state.volgnummerFloor?.[kind] ?? 0) + 1;
      const xml = render(bodies[kind]!, { tijdstempel, volgnummer });
      pubs.push({ volgnummer, tijdstempel, xml });
      if (pubs.length > KEEP_PUBLICATIONS) pubs.shift();
      delete this.state.rolledBack[kind];
      done.push(said(STELSELNODE.published, { kind, volgnummer, ...nest('why', reason) }));
    }
    this.save();
    if (reason.reason === STELSELNODE.why.periodic) this.report(done);
    return done;
  }

  /** The lists' content now: the topology minus removed participants, plus added ones. */
  private bodies(): Bodies {
    const enrolled = this.enrolled().filter((e) => !this.state.removed.includes(addedKey(e)));
    const bodies = withAdded(listsOf(this.topology, new Set(this.state.removed)), [...enrolled, ...this.state.added], this.topology);
    const restricted = this.state.restricted ?? {};
    if (this.afsprakenstelsel === '2' && Object.keys(restricted).length > 0) {
      const ocl = bodies.OAuthclientlist as ListBodies2['OAuthclientlist'];
      bodies.OAuthclientlist = {
        ...ocl,
        oauthclients: ocl.oauthclients.map((c) => (restricted[c.hostname] ? { ...c, gegevensdiensten: restricted[c.hostname]! } : c)),
      };
    }
    return bodies;
  }

  private pubs(kind: AnyListKind): Publication[] {
    return (this.state.publications[kind] ??= []);
  }

  private served(kind: AnyListKind): Publication {
    const pubs = this.pubs(kind);
    return pubs[this.state.rolledBack[kind] ?? pubs.length - 1]!;
  }

  private latest(kind: AnyListKind): Publication {
    return this.pubs(kind).at(-1)!;
  }

  private participant(idOrHostname: string) {
    const p = findParticipant(this.topology, idOrHostname);
    if (!p)
      throw new SandboxError(`no participant '${idOrHostname}' in the topology`, `participants: ${this.topology.participants.map((x) => x.id).join(', ')}`);
    return p;
  }

  /** Tells onChange each line; the caller (the control API) gets them as text. */
  private report(lines: Said[]): Said[] {
    for (const line of lines) this.onChange(line);
    return lines;
  }

  private save(): void {
    writeJsonAtomic(this.statePath, this.state);
  }
}

/**
 * Would the lists of this topology, with these participants enrolled, be valid against the list schemas?
 * `sandbox enrol` asks before it writes anything; the answer is the schema's own words, or undefined.
 */
export async function listProblemWith(topology: Topology, enrolled: readonly AddedParticipant[]): Promise<string | undefined> {
  const lists = withAdded(listsOf(topology, new Set()), enrolled, topology);
  for (const kind of listKindsOf(topology.afsprakenstelsel)) {
    const validation = await validateList(kind, render(lists[kind]!, { tijdstempel: '2026-01-01T00:00:00Z', volgnummer: 1 }), {
      allowSandboxVariant: true,
      afsprakenstelsel: topology.afsprakenstelsel,
    });
    if (!validation.valid) return `the ${kind} would not be valid: ${validation.errors[0]}`;
  }
  return undefined;
}

/** The topology's lists in its afsprakenstelsel. */
function listsOf(topology: Topology, removed: ReadonlySet<string>): Bodies {
  return topology.afsprakenstelsel === '2' ? listsFromTopology(topology, removed, '2') : listsFromTopology(topology, removed);
}

function withAdded(base: Bodies, added: readonly AddedParticipant[], topology: Topology): Bodies {
  for (const a of added) {
    if (a.role !== 'dvza') continue;
    const unknown = a.gegevensdiensten.filter((g) => !topology.gegevensdiensten.some((d) => d.id === g));
    if (unknown.length > 0) {
      throw new SandboxError(
        `${a.zorgaanbiedernaam}: gegevensdienst ${unknown.join(', ')} does not exist in afsprakenstelsel ${topology.afsprakenstelsel}`,
        `enrol it again for this afsprakenstelsel (sandbox enrol remove ${a.zorgaanbiedernaam}, then enrol with --gegevensdienst ${topology.gegevensdiensten.map((d) => d.key).join('|')})`,
      );
    }
  }
  return topology.afsprakenstelsel === '2' ? listsFromAdded2(base as ListBodies2, added, topology) : listsFromAdded(base as ListBodies, added, topology);
}

function listsFromAdded(base: ListBodies, added: readonly AddedParticipant[], topology: Topology): ListBodies {
  const out: ListBodies = {
    Zorgaanbiederslijst: { ...base.Zorgaanbiederslijst, zorgaanbieders: [...base.Zorgaanbiederslijst.zorgaanbieders] },
    OAuthclientlist: { ...base.OAuthclientlist, oauthclients: [...base.OAuthclientlist.oauthclients] },
    Whitelist: { ...base.Whitelist, nodes: [...base.Whitelist.nodes] },
    Gegevensdienstnamenlijst: base.Gegevensdienstnamenlijst,
  };
  for (const a of added) {
    if (a.role === 'pgo') {
      out.OAuthclientlist.oauthclients.push({ hostname: a.hostname, organisatienaam: a.name });
      out.Whitelist.nodes.push(a.hostname);
    } else if (a.role === 'node') {
      out.Whitelist.nodes.push(a.hostname);
    } else {
      out.Zorgaanbiederslijst.zorgaanbieders.push(
        zorgaanbiederEntry(topology, a.zorgaanbiedernaam, { authorize: a.authorizeUrl, token: a.tokenUrl, fhir: a.fhirUrl }, a.gegevensdiensten),
      );
      const host = safeHostname(a.tokenUrl);
      if (host && !out.Whitelist.nodes.includes(host)) out.Whitelist.nodes.push(host);
    }
  }
  return out;
}

/**
 * The same for afsprakenstelsel 2: an added DVZA on the release3 Zorgaanbiederslijst and the Koppellijst, an added
 * PGO on the OAuthclientlist with every gegevensdienst of the network (an enrolment names none yet).
 */
function listsFromAdded2(base: ListBodies2, added: readonly AddedParticipant[], topology: Topology): ListBodies2 {
  const out: ListBodies2 = {
    Zorgaanbiederslijst: { ...base.Zorgaanbiederslijst, zorgaanbieders: [...base.Zorgaanbiederslijst.zorgaanbieders] },
    Zorgaanbiederskoppellijst: { ...base.Zorgaanbiederskoppellijst, zorgaanbieders: [...base.Zorgaanbiederskoppellijst.zorgaanbieders] },
    OAuthclientlist: { ...base.OAuthclientlist, oauthclients: [...base.OAuthclientlist.oauthclients] },
    Whitelist: { ...base.Whitelist, nodes: [...base.Whitelist.nodes] },
    Gegevensdienstnamenlijst: base.Gegevensdienstnamenlijst,
  };
  const allIds = topology.gegevensdiensten.map((g) => g.id);
  for (const a of added) {
    if (a.role === 'pgo') {
      out.OAuthclientlist.oauthclients.push({ hostname: a.hostname, organisatienaam: a.name, gegevensdiensten: allIds });
      out.Whitelist.nodes.push(a.hostname);
    } else if (a.role === 'node') {
      out.Whitelist.nodes.push(a.hostname);
    } else {
      out.Zorgaanbiederslijst.zorgaanbieders.push(
        zorgaanbiederEntryRelease3(topology, a.zorgaanbiedernaam, { authorize: a.authorizeUrl, token: a.tokenUrl, fhir: a.fhirUrl }, a.gegevensdiensten),
      );
      // AGB codes differ from every one already listed (the Koppellijst is how a PGO finds a provider by AGB).
      const taken = new Set(out.Zorgaanbiederskoppellijst.zorgaanbieders.flatMap((z) => z.identificerendeKenmerken.map((k) => k.value)));
      out.Zorgaanbiederskoppellijst.zorgaanbieders.push(koppellijstEntry(topology, a.zorgaanbiedernaam, a.gegevensdiensten, { taken }));
      const host = safeHostname(a.tokenUrl);
      if (host && !out.Whitelist.nodes.includes(host)) out.Whitelist.nodes.push(host);
    }
  }
  return out;
}

function safeHostname(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/** xs:dateTime with seconds and an explicit timezone, as the schema's `.{20,}` pattern demands: 2026-11-23T10:00:00Z. */
export function formatTijdstempel(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
