/**
 * The consumer side every participant uses: fetch the lists from the stelselnode, refuse what must be
 * refused, keep the last good list, and say whether a list may still be used to start a flow.
 *
 * Rules (SPEC §3.2 and §3.4; the age limits are sandbox choices, the spec gives none):
 * - a list that is not well-formed, carries a DOCTYPE, is too large or fails its XSD is refused;
 * - a list with a namespace prefix is refused (SPEC §3.2: default namespace, no prefix); a UTF-8 BOM is read past;
 * - a Volgnummer lower than the one held is a rollback and is refused; the same Volgnummer with other
 *   content is refused too (every republication must raise it). Volgnummers are compared exactly (bigint);
 * - a list whose Tijdstempel lies more than `maxAheadMs` ahead of the sandbox clock is refused and pins nothing:
 *   taken, it would look fresh for as long as it likes, and its Volgnummer would turn every real list after it
 *   into a "rollback";
 * - a list whose Tijdstempel is older than `staleAfterMs` is stale: used, with a warning;
 *   older than `expiredAfterMs` it is expired: no new flow may start on it;
 * - when the stelselnode cannot be reached, the last good list stays in use (and keeps ageing).
 * - sandbox extension: when the stelselnode's reset number (header LISTS_RESET_HEADER) changes, `lists reset` was
 *   run there, or its state was wiped: the consumer forgets every list and Volgnummer it holds first.
 * Every decision is a trace event with its reason.
 *
 * When it fetches: never per request (a flow uses the lists held, judged on the sandbox clock now). It fetches when
 * the stelselnode announces a change (`noticed`, packages/stelselnode-client), and polls as a fallback once
 * `intervalMs` of *sandbox* time passed since its last fetch: a jump of the sandbox clock makes a poll due at once,
 * a frozen clock polls never.
 *
 * A consumer speaks one afsprakenstelsel (`afsprakenstelsel`, default '1.5'): its lists, namespaces and schemas.
 */
import { formatDuration, SandboxError, type Afsprakenstelsel, type Clock, type HostTable, type TraceBus, type TraceOutcome } from '@medmij-sandbox/network';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { HopError, hop } from '@medmij-sandbox/transport';
import { isDerivedSchema, listFileName, listKindsOf, type AnyListKind, type ListKind, type ListKindOf, type SchemaVariant } from './kinds.js';
import type { AnyMedMijList, ListIn, ListOf } from './model.js';
import { ListXmlError, assertSafeXml, parseListExact, volgnummerParam } from './xml.js';
import { validateList } from './validate.js';
import { verifySignedList } from './signature.js';
import { LISTS, LISTS_RULES, because, nest, said, say, type Said } from '@medmij-sandbox/rules';

export interface ListRules {
  /** Older than this (by Tijdstempel, on the sandbox clock): stale, used with a warning. */
  staleAfterMs: number;
  /** Older than this: expired, no new flows. */
  expiredAfterMs: number;
  /** Accept a Zorgaanbiederslijst that is valid only against the sandbox variant (front-channel ports). */
  allowSandboxVariant: boolean;
  /**
   * Sandbox extension: fetch the signed lists (`/signed/...`) and refuse any whose XML-DSig signature is not
   * the stelselnode's. Off by default: production lists are unsigned.
   */
  requireSignature: boolean;
  /** A Tijdstempel further ahead of the sandbox clock than this: refused (clocks of two machines drift a little). */
  maxAheadMs: number;
}

export const DEFAULT_LIST_RULES: ListRules = {
  staleAfterMs: 2 * 3_600_000,
  expiredAfterMs: 24 * 3_600_000,
  allowSandboxVariant: true,
  requireSignature: false,
  maxAheadMs: 5 * 60_000,
};

/**
 * Sandbox extension: the stelselnode's reset number on every list it serves. It changes when `lists reset` runs
 * there (or its state was wiped); a consumer that sees it change forgets the lists and Volgnummers it holds.
 * Only the stelselnode can set it: the consumer checks its certificate against the sandbox PKI and its hostname.
 */
export const LISTS_RESET_HEADER = 'x-sandbox-lists-reset';

export type ListStatus = 'none' | 'fresh' | 'stale' | 'expired';

export interface HeldList<K extends ListKind = ListKind, L = ListOf<K>> {
  list: L;
  /** The Volgnummer exactly: the high-water mark a new list must exceed. */
  volgnummer: bigint;
  /** The bytes as received: an unchanged list is recognised by them before any validation. */
  bytes: Buffer;
  /** The text (without a UTF-8 BOM, if it had one). */
  xml: string;
  variant: SchemaVariant;
  /** When we last received it (sandbox time). */
  receivedAt: string;
}

export interface ListState<K extends AnyListKind = ListKind> {
  kind: K;
  status: ListStatus;
  /** A number while that is exact (below 2^53), its decimal digits beyond. */
  volgnummer?: number | string;
  tijdstempel?: string;
  ageMs?: number;
  variant?: SchemaVariant;
  /** The last refresh's outcome for this list, in words (English: the trace's own words). */
  lastDecision?: string;
  /** The same in Dutch, for the pages a person reads. */
  lastDecisionNl?: string;
}

/** A list cannot be used to start a flow: none received yet, or expired. */
export class ListUnusableError extends SandboxError {
  constructor(
    /** Why, as a catalogue reason (to nest in the refusal that follows): its English text is the message. */
    readonly said: Said,
    readonly kind: AnyListKind,
    readonly status: ListStatus,
  ) {
    super(say(said));
    this.name = 'ListUnusableError';
  }
}

export interface ListConsumerOptions<A extends Afsprakenstelsel = '1.5'> {
  /** Base URL of the stelselnode, e.g. https://stelselnode.localhost:8701. */
  stelselnodeUrl: string;
  /** The consuming participant's hostname (for the trace and the User-Agent). */
  participant: string;
  pki: SandboxPki;
  clock: Clock;
  bus?: TraceBus;
  hosts?: HostTable;
  rules?: Partial<ListRules>;
  /** Which afsprakenstelsel's lists to fetch, and against which schemas: '1.5' (default) or '2'. */
  afsprakenstelsel?: A;
  /** When one clock move makes several consumers' polls due, lower turns poll first (then by hostname). Default 0. */
  pollTurn?: number;
  /** The lists this consumer reads, fetched on polls and resets (default: every list of the afsprakenstelsel; the TVS reads the Whitelist only). */
  reads?: readonly ListKindOf<A>[];
}

/** How often a running participant polls the stelselnode (sandbox time), besides following its notices. */
export const LIST_POLL_MS = 30_000;

/** How often (real time) a polling consumer looks at the sandbox clock: a move in another process is seen within it. */
const POLL_TICK_MS = 1_000;

/**
 * Fetches of every consumer in this process take turns: the stelselnode's notices and clock-driven polls of several
 * participants then reach the trace in the same order on every run (golden traces).
 */
let turns: Promise<unknown> = Promise.resolve();
function inTurn<T>(work: () => Promise<T>): Promise<T> {
  const mine = turns.then(work, work);
  turns = mine.catch(() => undefined);
  return mine;
}

/**
 * Consumers whose poll a clock move made due, queued in the same tick: they take their turns by `pollTurn`, then
 * hostname, not by who happened to start first (participants start side by side).
 */
const duePolls = new Set<ListConsumer<Afsprakenstelsel>>();
function queuePoll(consumer: ListConsumer<Afsprakenstelsel>): void {
  if (duePolls.size === 0) queueMicrotask(startDuePolls);
  duePolls.add(consumer);
}
function startDuePolls(): void {
  const due = [...duePolls].sort((a, b) => a.pollTurn - b.pollTurn || a.participant.localeCompare(b.participant));
  duePolls.clear();
  for (const consumer of due) consumer.pollIfDue();
}

/** A list held or asked for by a consumer of afsprakenstelsel A. */
type Kind<A extends Afsprakenstelsel> = ListKindOf<A>;

export class ListConsumer<A extends Afsprakenstelsel = '1.5'> {
  readonly rules: ListRules;
  readonly afsprakenstelsel: A;
  /** The lists it reads (ListConsumerOptions.reads). */
  readonly reads: readonly Kind<A>[];
  private readonly held = new Map<AnyListKind, HeldList<ListKind, AnyMedMijList>>();
  private readonly lastDecision = new Map<AnyListKind, Said>();
  private readonly stelselnodeHost: string;
  /** The stelselnode's reset number when we last fetched (LISTS_RESET_HEADER). */
  private resetEpoch?: string;
  /** How many resets this consumer has followed. */
  private resets = 0;
  private timer?: ReturnType<typeof setInterval>;
  private stopFollowingClock?: () => void;
  /** Sandbox time of the last fetch: the fallback poll is due `intervalMs` after it. */
  private lastFetchMs?: number;
  private pollEveryMs?: number;
  /** A poll queued or running: a clock that moves again meanwhile asks for no second one. */
  private polling?: Promise<unknown>;
  /** How many times this consumer fetched the lists (each refresh once): what tests count. */
  private fetchRounds = 0;
  /** Whether the stelselnode ever answered a fetch (with any status); until then retryUntilAnswered tries again. */
  private answered = false;
  /** Ticks since the last try, and how many to wait, while the stelselnode never answered (retryUntilAnswered). */
  private retry = { ticks: 0, after: 1 };

  constructor(private readonly opts: ListConsumerOptions<A>) {
    this.rules = { ...DEFAULT_LIST_RULES, ...opts.rules };
    this.afsprakenstelsel = opts.afsprakenstelsel ?? ('1.5' as A);
    this.reads = opts.reads ?? listKindsOf(this.afsprakenstelsel);
    this.stelselnodeHost = new URL(opts.stelselnodeUrl).hostname;
  }

  /** Fetches the lists (all of the afsprakenstelsel by default); resolves with each list's state afterwards. Never throws. */
  refresh(kinds: readonly Kind<A>[] = this.reads): Promise<ListState<Kind<A>>[]> {
    // One refresh at a time (and one consumer of the process at a time): two at once would validate and
    // take the same new list twice, and the trace order would depend on who was faster.
    return inTurn(async () => {
      this.fetchRounds++;
      this.lastFetchMs = this.opts.clock.nowMs();
      // One after the other, not in parallel: the trace then shows the same order on every run (golden traces).
      const resetsBefore = this.resets;
      for (const kind of kinds) await this.refreshOne(kind);
      // A reset forgot every list, not only the ones asked for: fetch the others too, so none is left empty.
      if (this.resets !== resetsBefore) for (const kind of this.reads) if (!kinds.includes(kind)) await this.refreshOne(kind);
      return kinds.map((k) => this.state(k));
    });
  }

  /**
   * The stelselnode announced these lists (`by`: the hostname its client certificate names, checked by the caller):
   * fetch them as on any other fetch, with every rule. The notice is no list content: it only says when to fetch.
   * Resolves once every announced list was decided on (a decision each on the trace).
   */
  noticed(by: string, lists: ReadonlyArray<{ kind: Kind<A>; volgnummer: number | string | null }>, traceId?: string): Promise<ListState<Kind<A>>[]> {
    const named = lists.map((l) => (l.volgnummer === null ? `${l.kind} (not served now)` : `${l.kind} Volgnummer ${l.volgnummer}`)).join(', ');
    this.opts.bus?.emit({
      reportedBy: this.opts.participant,
      from: by,
      to: this.opts.participant,
      kind: 'decision',
      outcome: 'ok',
      ...because(LISTS.noticed, { by, lists: named }),
      ...(traceId ? { traceId } : {}),
    });
    return this.refresh([...new Set(lists.map((l) => l.kind))]);
  }

  /**
   * The fallback: polls once `intervalMs` of sandbox time passed since the last fetch (or the clock went back before
   * it), until stopPolling(). Looks at the clock every second of real time and whenever this process moves it.
   */
  startPolling(intervalMs: number = LIST_POLL_MS): void {
    this.stopPolling();
    this.pollEveryMs = intervalMs;
    this.lastFetchMs ??= this.opts.clock.nowMs();
    this.timer = setInterval(() => (this.pollDue() ? queuePoll(this) : this.retryUntilAnswered()), Math.min(intervalMs, POLL_TICK_MS));
    this.timer.unref();
    const clock = this.opts.clock as Clock & { onChange?: (listener: () => void) => () => void };
    this.stopFollowingClock = clock.onChange?.(() => this.pollDue() && queuePoll(this));
  }

  stopPolling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stopFollowingClock?.();
    this.stopFollowingClock = undefined;
    this.pollEveryMs = undefined;
  }

  /**
   * The stelselnode never answered yet (it was not up when this participant started, as with separate processes or
   * containers started side by side): fetched again on real time, after 1, 2, 4 … at most 60 ticks, until it
   * answers. Else a frozen sandbox clock would leave this consumer without lists until a notice came. Once it
   * answered, polls and notices decide as always (a list it refuses is not fetched again and again).
   */
  private retryUntilAnswered(): void {
    if (this.polling || this.answered) {
      this.retry = { ticks: 0, after: 1 };
      return;
    }
    if (++this.retry.ticks < this.retry.after) return;
    this.retry = { ticks: 0, after: Math.min(this.retry.after * 2, 60) };
    this.polling = this.refresh().finally(() => (this.polling = undefined));
  }

  /** Whether a fallback poll is due now, on the sandbox clock. */
  pollDue(): boolean {
    if (this.pollEveryMs === undefined || this.lastFetchMs === undefined) return false;
    const since = this.opts.clock.nowMs() - this.lastFetchMs;
    return since >= this.pollEveryMs || since < 0;
  }

  /** How many refreshes (of any number of lists) this consumer made since it was made. */
  get fetches(): number {
    return this.fetchRounds;
  }

  get participant(): string {
    return this.opts.participant;
  }

  get pollTurn(): number {
    return this.opts.pollTurn ?? 0;
  }

  /** Polls when due and no poll is queued or running already (a clock that moves again asks for no second one). */
  pollIfDue(): void {
    if (this.polling || !this.pollDue()) return;
    this.polling = this.refresh().finally(() => (this.polling = undefined));
  }

  heldList<K extends Kind<A>>(kind: K): HeldList<ListKind, ListIn<A, K>> | undefined {
    return this.held.get(kind) as HeldList<ListKind, ListIn<A, K>> | undefined;
  }

  /** The last good list of a kind, whatever its age (for display). */
  current<K extends Kind<A>>(kind: K): ListIn<A, K> | undefined {
    return this.heldList(kind)?.list;
  }

  state<K extends Kind<A>>(kind: K): ListState<K> {
    const held = this.held.get(kind);
    const last = this.lastDecision.get(kind);
    const said = last ? { lastDecision: say(last), lastDecisionNl: say(last, 'nl') } : {};
    if (!held) return { kind, status: 'none', ...said };
    const ageMs = this.opts.clock.nowMs() - Date.parse(held.list.tijdstempel);
    const status: ListStatus = ageMs > this.rules.expiredAfterMs ? 'expired' : ageMs > this.rules.staleAfterMs ? 'stale' : 'fresh';
    return {
      kind,
      status,
      volgnummer: volgnummerParam(held.volgnummer),
      tijdstempel: held.list.tijdstempel,
      ageMs,
      variant: held.variant,
      ...said,
    };
  }

  states(): ListState<Kind<A>>[] {
    return this.reads.map((k) => this.state(k));
  }

  /**
   * The list to start a new flow on. A stale list is returned with a warning on the trace; no list or
   * an expired one throws ListUnusableError (and the refusal is on the trace).
   */
  require<K extends Kind<A>>(kind: K, traceId?: string): ListIn<A, K> {
    const state = this.state(kind);
    const held = this.heldList(kind);
    if (!held || state.status === 'none') {
      const last = this.lastDecision.get(kind);
      const reason = last ? said(LISTS.noneReceivedLastAttempt, { kind, ...nest('last', last) }) : said(LISTS.noneReceived, { kind });
      this.decide(kind, 'refused', reason, traceId);
      throw new ListUnusableError(reason, kind, 'none');
    }
    const age = { volgnummer: volgnummerParam(held.volgnummer), tijdstempel: held.list.tijdstempel, age: formatDuration(Math.max(0, state.ageMs!)) };
    if (state.status === 'expired') {
      const reason = said(LISTS.expired, { kind, ...age, limit: formatDuration(this.rules.expiredAfterMs) });
      this.decide(kind, 'refused', reason, traceId);
      throw new ListUnusableError(reason, kind, 'expired');
    }
    if (state.status === 'stale') {
      const staleAfter = formatDuration(this.rules.staleAfterMs);
      this.decide(kind, 'warning', said(LISTS.stale, { kind, ...age, staleAfter, expiredAfter: formatDuration(this.rules.expiredAfterMs) }), traceId);
    }
    return held.list;
  }

  /**
   * Forgets every list held and every Volgnummer seen (a reset of the network): the next lists are taken as on a
   * first fetch. What it let go of, in the trace's words: `Whitelist Volgnummer 3, …`, empty when nothing was held.
   */
  forget(): string {
    const forgot = [...this.held].map(([kind, h]) => `${kind} Volgnummer ${h.volgnummer}`).join(', ');
    this.held.clear();
    this.lastDecision.clear();
    return forgot;
  }

  private async refreshOne(kind: Kind<A>): Promise<void> {
    const url = `${this.opts.stelselnodeUrl}/${this.rules.requireSignature ? 'signed/' : ''}${listFileName(kind)}?api=2`;
    let body: Buffer;
    try {
      const res = await hop(url, {
        from: this.opts.participant,
        to: this.stelselnodeHost,
        pki: this.opts.pki,
        clock: this.opts.clock,
        bus: this.opts.bus,
        hosts: this.opts.hosts,
        // The lists are public: one-sided TLS, the stelselnode's certificate checked against the sandbox PKI.
        clientCertificate: false,
        rule: LISTS_RULES.fetch,
      });
      this.answered = true;
      this.noticeReset(res.headers[LISTS_RESET_HEADER]);
      if (res.status !== 200)
        return this.decide(kind, 'refused', said(LISTS.httpError, { status: res.status, file: listFileName(kind), ...this.keeping(kind) }));
      body = res.body;
    } catch (e) {
      // The hop's own reason when it has one; any other error's message as it is.
      const problem = e instanceof HopError && e.said ? e.said : (e as Error).message;
      return this.decide(kind, 'refused', said(LISTS.unreachable, { ...nest('problem', problem), ...this.keeping(kind) }));
    }
    // Read after the reset check: a reset leaves nothing to keep.
    const held = this.held.get(kind);
    const keeping = this.keeping(kind);

    if (this.rules.requireSignature) {
      try {
        const verdict = verifySignedList(body, { pki: this.opts.pki, clock: this.opts.clock, expectedSigner: this.stelselnodeHost });
        // Without a catalogue reason, the verdict is the PKI's on the signing certificate.
        if (!verdict.ok)
          return this.decide(kind, 'refused', said(LISTS.signatureRefused, { kind, ...nest('problem', verdict.said ?? verdict.reason), ...keeping }));
        // From here on only what was signed counts (no signature wrapping).
        body = Buffer.from(verdict.signedXml!);
      } catch (e) {
        const problem = e instanceof ListXmlError ? e.said : (e as Error).message;
        return this.decide(kind, 'refused', said(LISTS.signatureRefused, { kind, ...nest('problem', problem), ...keeping }));
      }
    }

    // The same bytes as the list we hold: nothing to validate again (schema validation is the costly step).
    if (held && body.equals(held.bytes)) {
      return this.decide(kind, 'ok', said(LISTS.unchanged, { kind, volgnummer: volgnummerParam(held.volgnummer) }));
    }

    let list: AnyMedMijList;
    let volgnummer: bigint;
    let variant: SchemaVariant;
    try {
      const validation = await validateList(kind, body, { allowSandboxVariant: this.rules.allowSandboxVariant, afsprakenstelsel: this.afsprakenstelsel });
      if (!validation.valid) {
        const errors = validation.errors.slice(0, 3).join(' | ');
        return this.decide(kind, 'refused', said(LISTS.xsdFailed, { kind, errors, ...keeping }));
      }
      variant = validation.variant!;
      ({
        list,
        header: { volgnummer },
      } = parseListExact(kind, body, this.afsprakenstelsel));
    } catch (e) {
      if (e instanceof ListXmlError) {
        const refusal = e.code === 'doctype' || e.code === 'too-large' ? LISTS.unsafe : e.code === 'prefixed' ? LISTS.notDefaultNamespace : LISTS.unreadable;
        return this.decide(kind, 'refused', said(refusal, { kind, ...nest('problem', e.said), ...keeping }));
      }
      return this.decide(kind, 'refused', said(LISTS.unreadable, { kind, ...nest('problem', (e as Error).message), ...keeping }));
    }

    const v = volgnummerParam(volgnummer);
    // Before any Volgnummer comparison: a list from the future must leave the high-water mark where it was.
    const publishedMs = Date.parse(list.tijdstempel);
    const nowMs = this.opts.clock.nowMs();
    if (Number.isNaN(publishedMs)) {
      return this.decide(kind, 'refused', said(LISTS.tijdstempelUnreadable, { kind, volgnummer: v, tijdstempel: list.tijdstempel, ...keeping }));
    }
    if (publishedMs - nowMs > this.rules.maxAheadMs) {
      const ahead = { ahead: formatDuration(publishedMs - nowMs), limit: formatDuration(this.rules.maxAheadMs) };
      const now = this.opts.clock.now().toISOString();
      return this.decide(kind, 'refused', said(LISTS.futureDated, { kind, volgnummer: v, tijdstempel: list.tijdstempel, now, ...ahead, ...keeping }));
    }

    const xml = assertSafeXml(body);
    if (held) {
      if (volgnummer < held.volgnummer) {
        return this.decide(kind, 'refused', said(LISTS.rollback, { kind, volgnummer: v, held: volgnummerParam(held.volgnummer), ...keeping }));
      }
      // Identical bytes were answered as "unchanged" before validation; so the same number means new content.
      if (volgnummer === held.volgnummer) {
        return this.decide(kind, 'refused', said(LISTS.sameVolgnummer, { kind, volgnummer: v, ...keeping }));
      }
    }
    this.held.set(kind, { list, volgnummer, bytes: body, xml, variant, receivedAt: this.opts.clock.now().toISOString() });
    const missed = held && volgnummer > held.volgnummer + 1n ? volgnummerParam(volgnummer - held.volgnummer - 1n) : 0;
    const state = this.state(kind);
    this.decide(
      kind,
      state.status === 'fresh' ? 'ok' : 'warning',
      said(LISTS.accepted, {
        kind,
        volgnummer: v,
        was: held ? volgnummerParam(held.volgnummer) : 0,
        missed,
        // A strict 2.x schema of a list that changed is the sandbox's derivation, not an official one: say so.
        variant: variant === 'official' && isDerivedSchema(kind, this.afsprakenstelsel) ? 'derived' : variant,
        status: state.status,
        tijdstempel: list.tijdstempel,
      }),
    );
  }

  /** What a refusal falls back on: the list held, or nothing. */
  private keeping(kind: AnyListKind): ReturnType<typeof nest<'keeping'>> {
    const held = this.held.get(kind);
    return nest(
      'keeping',
      held ? said(LISTS.keeping.held, { volgnummer: volgnummerParam(held.volgnummer), tijdstempel: held.list.tijdstempel }) : said(LISTS.keeping.nothing, {}),
    );
  }

  /** The stelselnode's reset number on a response: when it changed since the last fetch, forget what we hold. */
  private noticeReset(header: string | string[] | undefined): void {
    const epoch = Array.isArray(header) ? header[0] : header;
    if (epoch === undefined) return;
    const before = this.resetEpoch;
    this.resetEpoch = epoch;
    // The first number seen is where we start; nothing was reset since.
    if (before === undefined || before === epoch) return;
    const forgot = this.forget();
    this.resets++;
    this.opts.bus?.emit({
      reportedBy: this.opts.participant,
      from: this.opts.participant,
      to: this.stelselnodeHost,
      kind: 'decision',
      outcome: 'ok',
      ...because(LISTS.forgotten, { epoch, forgot }),
    });
  }

  private decide(kind: AnyListKind, outcome: TraceOutcome, reason: Said, traceId?: string): void {
    this.lastDecision.set(kind, reason);
    this.opts.bus?.emit({
      reportedBy: this.opts.participant,
      from: this.opts.participant,
      to: this.stelselnodeHost,
      kind: 'decision',
      outcome,
      ...because(reason.reason, reason.params),
      ...(traceId ? { traceId } : {}),
    });
  }
}
