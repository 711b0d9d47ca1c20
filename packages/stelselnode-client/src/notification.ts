/**
 * The list notice: after every change of what it serves, the stelselnode tells each list consumer that has a back
 * channel which lists changed, so a consumer never has to fetch per request. Not part of MedMij (production
 * consumers poll); one home for both sides: the stelselnode sends it (`notifyConsumer`), a DVZA's back channel and
 * the PGO's notice listener answer it (`answerNotice`).
 *
 *   POST /_sandbox/lists-changed   {"lists":[{"list":"Whitelist","volgnummer":7}, ...]}   mutual TLS
 *        → 200 {"decisions":["accepted Whitelist Volgnummer 7 ...", ...]}   once the consumer decided on each list
 *        → 400 {"error":"invalid_request","message":...}   403 {"error":"not_the_stelselnode","message":...}
 *
 * Who may send it: only the stelselnode, by the hostname in its client certificate (judged against the sandbox PKI
 * at the handshake). The notice is never list content: the consumer fetches each named list from the stelselnode
 * and checks it with every rule (signature, XSD, Volgnummer, Tijdstempel), as on a poll.
 */
import { type Clock, type HostTable, type TlsPeer, type TraceBus } from '@medmij-sandbox/network';
import { certificateHostname, type SandboxPki } from '@medmij-sandbox/pki';
import { HopError, hop } from '@medmij-sandbox/transport';
import { LISTS, because, nest, said, say, type Said } from '@medmij-sandbox/rules';
import type { AnyListKind, ListState } from '@medmij-sandbox/lists';

export const LISTS_NOTICE_PATH = '/_sandbox/lists-changed';

/** One list the notice names: the Volgnummer the stelselnode serves now (null: it serves none, a fault). */
export interface NoticedList {
  list: AnyListKind;
  volgnummer: number | null;
}

export interface ListsNotice {
  lists: NoticedList[];
}

/** The consumer's answer: its decision on each list, in its own words. */
export interface NoticeAnswer {
  decisions: string[];
}

/** What a notice round did, per consumer: on the control answer, so a caller knows whose decisions to wait for. */
export interface NoticeReport {
  consumer: string;
  lists: AnyListKind[];
  ok: boolean;
  /** What it answered (its decisions), or why it could not be told, in a sentence. */
  line: string;
}

export interface NoticeError {
  error: 'invalid_request' | 'not_the_stelselnode';
  message: string;
}

/** A notice names each list at most once: more than this is no notice of ours. */
const MAX_LISTS = 16;
/** A notice body is a few hundred bytes; anything bigger is refused unread. */
export const MAX_NOTICE_BYTES = 4096;

/** Reads a notice body: the lists it names (each a list of `kinds`), or what is wrong with it. */
export function parseNotice(text: string, kinds: readonly AnyListKind[]): { notice: ListsNotice } | { problem: Said } {
  const N = LISTS.notice;
  if (Buffer.byteLength(text) > MAX_NOTICE_BYTES) return { problem: said(N.tooLarge, { limit: MAX_NOTICE_BYTES }) };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { problem: said(N.notJson, {}) };
  }
  const lists = (body as { lists?: unknown } | null)?.lists;
  if (!Array.isArray(lists) || lists.length === 0 || lists.length > MAX_LISTS) return { problem: said(N.shape, { max: MAX_LISTS }) };
  const out: NoticedList[] = [];
  for (const entry of lists as unknown[]) {
    const { list, volgnummer } = (entry ?? {}) as { list?: unknown; volgnummer?: unknown };
    if (typeof list !== 'string' || !(kinds as readonly string[]).includes(list))
      return { problem: said(N.unknownList, { list: String(list).slice(0, 60), kinds: kinds.join(', ') }) };
    if (volgnummer !== null && !(typeof volgnummer === 'number' && Number.isSafeInteger(volgnummer) && volgnummer > 0))
      return { problem: said(N.badVolgnummer, { list, value: String(JSON.stringify(volgnummer)).slice(0, 40) }) };
    if (out.some((o) => o.list === list)) return { problem: said(N.twice, { list }) };
    out.push({ list: list as AnyListKind, volgnummer });
  }
  return { notice: { lists: out } };
}

/** What `answerNotice` needs of a consumer (ListConsumer of either afsprakenstelsel). */
export interface NoticedConsumer {
  noticed(by: string, lists: ReadonlyArray<{ kind: never; volgnummer: number | null }>, traceId?: string): Promise<ListState<AnyListKind>[]>;
}

export interface AnswerNoticeOptions {
  /** The consumer's hostname (who reports the refusal). */
  participant: string;
  /** The only hostname a notice may come from. */
  stelselnodeHost: string;
  /** The lists this consumer reads. */
  kinds: readonly AnyListKind[];
  consumer: NoticedConsumer;
  bus?: TraceBus;
}

/**
 * The consumer's side, framework-free: the body and the TLS peer of the request in, the answer out. A notice that
 * is not the stelselnode's, or not readable, is refused on the trace and fetches nothing.
 */
export async function answerNotice(
  request: { body: string; peer: TlsPeer | undefined; traceId?: string },
  o: AnswerNoticeOptions,
): Promise<{ status: 200; body: NoticeAnswer } | { status: 400 | 403; body: NoticeError }> {
  const from = (request.peer && certificateHostname(request.peer)) ?? 'a client without a certificate';
  const refuse = (status: 400 | 403, error: NoticeError['error'], problem: Said) => {
    const refusal = said(LISTS.noticeRefused, { from, ...nest('problem', problem) });
    o.bus?.emit({ reportedBy: o.participant, from, to: o.participant, kind: 'decision', outcome: 'refused', ...because(refusal) });
    return { status, body: { error, message: say(refusal) } } as const;
  };
  // The listener's gate refused every certificate the PKI does not vouch for; here: is it the stelselnode's?
  if (request.peer?.verdict !== 'ok' || from !== o.stelselnodeHost)
    return refuse(403, 'not_the_stelselnode', said(LISTS.notice.notTheStelselnode, { stelselnode: o.stelselnodeHost }));
  const parsed = parseNotice(request.body, o.kinds);
  if ('problem' in parsed) return refuse(400, 'invalid_request', parsed.problem);
  const states = await o.consumer.noticed(
    from,
    parsed.notice.lists.map((l) => ({ kind: l.list as never, volgnummer: l.volgnummer })),
    request.traceId,
  );
  return { status: 200, body: { decisions: states.map((s) => `${s.kind}: ${s.lastDecision ?? s.status}`) } };
}

export interface NotifyOptions {
  /** The stelselnode's hostname: its client certificate is presented. */
  from: string;
  pki: SandboxPki;
  clock: Clock;
  bus?: TraceBus;
  hosts?: HostTable;
  /** A safety net only: a consumer answers once it fetched and checked the lists. */
  timeoutMs?: number;
}

/** The stelselnode's side: tells one consumer (its base URL) of a change. Never throws: a failure is in the result. */
export async function notifyConsumer(
  consumerUrl: string,
  notice: ListsNotice,
  o: NotifyOptions,
): Promise<{ ok: true; answer: NoticeAnswer } | { ok: false; problem: string | Said }> {
  try {
    const r = await hop(`${consumerUrl}${LISTS_NOTICE_PATH}`, {
      method: 'POST',
      from: o.from,
      clientCertificate: true,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(notice),
      pki: o.pki,
      clock: o.clock,
      ...(o.bus ? { bus: o.bus } : {}),
      ...(o.hosts ? { hosts: o.hosts } : {}),
      timeoutMs: o.timeoutMs ?? 60_000,
    });
    if (r.status !== 200) {
      let message: string;
      try {
        message = r.json<NoticeError>().message;
      } catch {
        message = r.text().slice(0, 200);
      }
      return { ok: false, problem: `HTTP ${r.status}${message ? `: ${message}` : ''}` };
    }
    const answer = r.json<NoticeAnswer>();
    return { ok: true, answer: { decisions: Array.isArray(answer.decisions) ? answer.decisions.map(String) : [] } };
  } catch (e) {
    return { ok: false, problem: e instanceof HopError && e.said ? e.said : (e as Error).message };
  }
}
