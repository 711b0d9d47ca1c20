import { describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus, type TlsPeer } from '@medmij-sandbox/network';
import { listKindsOf, type AnyListKind } from '@medmij-sandbox/lists';
import { answerNotice, parseNotice, MAX_NOTICE_BYTES, type NoticedConsumer } from './notification.js';

const kinds = listKindsOf('1.5');
const STELSELNODE = 'stelselnode.localhost';
const peer = (hostname: string, verdict = 'ok'): TlsPeer => ({ verdict, dnsNames: [hostname], peerSubject: `CN=${hostname}, O=MedMij Sandbox` });

describe('the list notice contract', () => {
  it('reads a notice: each list of the network once, with a positive Volgnummer or null', () => {
    expect(parseNotice('{"lists":[{"list":"Whitelist","volgnummer":7},{"list":"OAuthclientlist","volgnummer":null}]}', kinds)).toEqual({
      notice: {
        lists: [
          { list: 'Whitelist', volgnummer: 7 },
          { list: 'OAuthclientlist', volgnummer: null },
        ],
      },
    });
    const problem = (text: string, k: readonly AnyListKind[] = kinds) => {
      const r = parseNotice(text, k);
      return 'problem' in r ? r.problem.reason.en(r.problem.params as never) : 'accepted';
    };
    expect(problem('not json')).toBe('the notice is not JSON');
    expect(problem('{"lists":[]}')).toBe('a notice names 1 to 16 lists as "lists": [{"list": ..., "volgnummer": ...}]');
    expect(problem('null')).toMatch(/^a notice names 1 to 16 lists/);
    // The Koppellijst is no list of afsprakenstelsel 1.5.
    expect(problem('{"lists":[{"list":"Zorgaanbiederskoppellijst","volgnummer":1}]}')).toBe(
      '"Zorgaanbiederskoppellijst" is not a list of this network (its lists: Zorgaanbiederslijst, OAuthclientlist, Whitelist, Gegevensdienstnamenlijst)',
    );
    expect(problem('{"lists":[{"list":"Zorgaanbiederskoppellijst","volgnummer":1}]}', listKindsOf('2'))).toBe('accepted');
    expect(problem('{"lists":[{"list":"Whitelist","volgnummer":"7"}]}')).toBe('the Volgnummer of Whitelist must be a positive whole number or null, not "7"');
    expect(problem('{"lists":[{"list":"Whitelist","volgnummer":0}]}')).toMatch(/not 0$/);
    expect(problem('{"lists":[{"list":"Whitelist","volgnummer":1.5}]}')).toMatch(/not 1\.5$/);
    expect(problem('{"lists":[{"list":"Whitelist","volgnummer":1},{"list":"Whitelist","volgnummer":2}]}')).toBe('Whitelist is named twice');
    expect(problem(`{"lists":[],"pad":"${'x'.repeat(MAX_NOTICE_BYTES)}"}`)).toBe(`the notice is larger than ${MAX_NOTICE_BYTES} bytes`);
  });

  describe('answering a notice', () => {
    const clock = SandboxClock.frozenAt('2026-06-01T08:00:00Z');
    const setup = () => {
      const bus = new TraceBus(clock);
      const calls: Array<{ by: string; kinds: string[] }> = [];
      const consumer: NoticedConsumer = {
        noticed: async (by, lists) => {
          calls.push({ by, kinds: lists.map((l) => l.kind) });
          return lists.map((l) => ({ kind: l.kind, status: 'fresh' as const, lastDecision: `accepted ${l.kind} Volgnummer ${l.volgnummer}` }));
        },
      };
      const answer = (body: string, p: TlsPeer | undefined) =>
        answerNotice({ body, peer: p }, { participant: 'dekroon.dvza.localhost', stelselnodeHost: STELSELNODE, kinds, consumer, bus });
      return { bus, calls, answer };
    };
    const body = '{"lists":[{"list":"Whitelist","volgnummer":7}]}';

    it("follows the stelselnode's notice: the consumer fetches the named lists, and its decisions are the answer", async () => {
      const { calls, answer, bus } = setup();
      expect(await answer(body, peer(STELSELNODE))).toEqual({ status: 200, body: { decisions: ['Whitelist: accepted Whitelist Volgnummer 7'] } });
      expect(calls).toEqual([{ by: STELSELNODE, kinds: ['Whitelist'] }]);
      expect(bus.events()).toEqual([]);
    });

    it('refuses a notice from any other certificate, or a certificate the PKI did not vouch for, and fetches nothing', async () => {
      const { calls, answer, bus } = setup();
      for (const p of [peer('pgo.localhost'), peer(STELSELNODE, 'CERT_REVOKED'), undefined]) {
        const r = await answer(body, p);
        expect(r.status).toBe(403);
        expect(r.body).toMatchObject({ error: 'not_the_stelselnode' });
      }
      expect(calls).toEqual([]);
      expect(bus.events().map((e) => [e.ruleId, e.from, e.outcome, e.params?.['problem.ruleId']])).toEqual([
        ['lists.notice.refused', 'pgo.localhost', 'refused', 'lists.notice.not-the-stelselnode'],
        ['lists.notice.refused', STELSELNODE, 'refused', 'lists.notice.not-the-stelselnode'],
        ['lists.notice.refused', 'a client without a certificate', 'refused', 'lists.notice.not-the-stelselnode'],
      ]);
      // The refusal in both languages, as the inspector may show it.
      const refused = bus.events()[0]!;
      expect(refused.reason).toBe(
        'a list notice from pgo.localhost refused: only stelselnode.localhost may announce lists, by the hostname in its client certificate; nothing fetched',
      );
    });

    it('refuses an unreadable notice of the stelselnode with a 400 that says why', async () => {
      const { calls, answer } = setup();
      const r = await answer('{"lists":[{"list":"Blacklist","volgnummer":1}]}', peer(STELSELNODE));
      expect(r).toEqual({
        status: 400,
        body: {
          error: 'invalid_request',
          message: `a list notice from ${STELSELNODE} refused: "Blacklist" is not a list of this network (its lists: ${kinds.join(', ')}); nothing fetched`,
        },
      });
      expect(calls).toEqual([]);
    });
  });
});
