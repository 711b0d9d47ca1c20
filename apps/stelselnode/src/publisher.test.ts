/** The publisher when the network changes afsprakenstelsel on the same state file (unit, no server). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SandboxClock, defaultTopologyPath, loadTopology } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { say } from '@medmij-sandbox/rules';
import { ListPublisher } from './publisher.js';

describe('the list publisher across a change of afsprakenstelsel', () => {
  it('serves nothing of the other version again (no frozen list, no rollback into it); Volgnummers go on', () => {
    const clock = SandboxClock.frozenAt('2026-06-01T10:00:00Z');
    const state = join(tempDir(), 'state.json');
    const v15 = new ListPublisher(loadTopology(defaultTopologyPath(), { afsprakenstelsel: '1.5', env: {} }), clock, state);
    v15.publishNow();
    v15.freeze();
    const before = v15.status().lists.find((l) => l.kind === 'Zorgaanbiederslijst')!.volgnummer;

    const v2 = new ListPublisher(loadTopology(defaultTopologyPath(), { afsprakenstelsel: '2', env: {} }), clock, state);
    const status = v2.status();
    expect(status.frozen).toBe(false);
    expect(status.lists.map((l) => l.kind)).toEqual([
      'Zorgaanbiederslijst',
      'Zorgaanbiederskoppellijst',
      'OAuthclientlist',
      'Whitelist',
      'Gegevensdienstnamenlijst',
    ]);
    const zal = v2.serve('Zorgaanbiederslijst');
    expect(zal.status === 200 && zal.xml).toContain('zorgaanbiederslijst/release3/');
    expect(zal.status === 200 && zal.volgnummer).toBe(before + 1);
    const koppel = v2.serve('Zorgaanbiederskoppellijst');
    expect(koppel.status === 200 && koppel.volgnummer).toBe(1);
    // Only this version's publication is there: nothing to roll back to.
    expect(() => v2.rollback('Zorgaanbiederslijst')).toThrow(/no earlier publication/);
  });
});

describe('the list publisher and the consumers’ clock rules', () => {
  it('republishes at once when the clock is put back before its last Tijdstempel, rather than serve a list from the future', () => {
    const clock = SandboxClock.frozenAt('2026-06-01T10:00:00Z');
    const changes: string[] = [];
    const publisher = new ListPublisher(loadTopology(defaultTopologyPath(), { env: {} }), clock, join(tempDir(), 'state.json'), (s) =>
      changes.push(s.reason.id),
    );
    clock.shift('25h');
    const shifted = publisher.serve('Whitelist');
    expect(shifted.status === 200 && shifted.tijdstempel).toBe('2026-06-02T11:00:00Z');
    // `sandbox clock reset` after a scenario's shift: the list just served is now dated 25 hours ahead.
    clock.freeze('2026-06-01T10:00:00Z');
    const after = publisher.serve('Whitelist');
    expect(after.status === 200 && [after.volgnummer, after.tijdstempel]).toEqual([
      (shifted.status === 200 ? shifted.volgnummer : 0) + 1,
      '2026-06-01T10:00:00Z',
    ]);
    expect(changes.at(-1)).toBe('stelselnode.publish.published');
    // A reset after the clock was put back republishes what is dated ahead of it, at once.
    clock.shift('3h');
    const ahead = publisher.serve('OAuthclientlist');
    clock.freeze('2026-06-01T10:00:00Z');
    expect(publisher.reset({ forgetConsumers: false }).map((d) => say(d))).toContain(
      `published OAuthclientlist Volgnummer ${(ahead.status === 200 ? ahead.volgnummer : 0) + 1} (the clock is now before its last Tijdstempel)`,
    );
  });

  it('serves the future-dated fault a year ahead and 50 Volgnummers on, and counts resets', () => {
    const clock = SandboxClock.frozenAt('2026-06-01T10:00:00Z');
    const publisher = new ListPublisher(loadTopology(defaultTopologyPath(), { env: {} }), clock, join(tempDir(), 'state.json'));
    const real = publisher.serve('Gegevensdienstnamenlijst');
    publisher.fault('Gegevensdienstnamenlijst', 'future-dated');
    const forged = publisher.serve('Gegevensdienstnamenlijst');
    expect(forged.status === 200 && forged.xml).toContain('<Tijdstempel>2027-06-01T10:00:00Z</Tijdstempel>');
    expect(forged.status === 200 && forged.xml).toContain(`<Volgnummer>${(real.status === 200 ? real.volgnummer : 0) + 50}</Volgnummer>`);
    expect(publisher.resetEpoch()).toBe(0);
    expect(say(publisher.reset({ forgetConsumers: true, consumers: ['pgo.localhost'] }).at(-1)!)).toMatch(
      /^reset 1: every list consumer forgets .*: pgo\.localhost$/,
    );
    expect(say(publisher.reset().at(-1)!)).toMatch(/^reset 2: .*; no consumer has fetched a list here since the stelselnode started$/);
    // A live scenario run's reset before each scenario keeps what consumers hold: the number stays.
    expect(
      publisher
        .reset({ forgetConsumers: false })
        .map((d) => say(d))
        .join('\n'),
    ).not.toContain('forgets');
    expect(publisher.resetEpoch()).toBe(2);
    // The fault undone, the real list republished: the next Volgnummer after the real one, not after the forged one.
    expect(publisher.serve('Gegevensdienstnamenlijst')).toMatchObject({ status: 200, volgnummer: (real.status === 200 ? real.volgnummer : 0) + 1 });
  });
});
