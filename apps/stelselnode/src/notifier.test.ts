/** Whom the stelselnode tells of a change, and of which lists (unit, no server; delivery: tests/cross-participant). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SandboxClock, defaultTopologyPath, loadTopology } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { ListPublisher } from './publisher.js';
import { noticeBetween, noticeTargets, servedSnapshot } from './notifier.js';

const topology = loadTopology(defaultTopologyPath(), { afsprakenstelsel: '1.5', env: {} });

describe('the list notice of a change', () => {
  it('names exactly the lists whose served state changed, with the Volgnummer served (null when none is)', async () => {
    const clock = SandboxClock.frozenAt('2026-06-01T10:00:00Z');
    const publisher = new ListPublisher(topology, clock, join(tempDir(), 'state.json'));
    const around = async (change: () => unknown) => {
      const before = servedSnapshot(publisher);
      await change();
      return noticeBetween(before, servedSnapshot(publisher));
    };
    // Off the OAuthclientlist and the Whitelist: those two are republished, the others untouched.
    expect(await around(() => publisher.remove('pgo'))).toEqual({
      lists: [
        { list: 'OAuthclientlist', volgnummer: 2 },
        { list: 'Whitelist', volgnummer: 2 },
      ],
    });
    // A fault changes what is served without a publication; `unavailable` serves none.
    expect(await around(() => publisher.fault('Whitelist', 'schema-invalid'))).toEqual({ lists: [{ list: 'Whitelist', volgnummer: 2 }] });
    expect(await around(() => publisher.fault('Whitelist', 'unavailable'))).toEqual({ lists: [{ list: 'Whitelist', volgnummer: null }] });
    expect(await around(() => publisher.rollback('OAuthclientlist'))).toEqual({ lists: [{ list: 'OAuthclientlist', volgnummer: 1 }] });
    // Nothing a consumer would see: no notice.
    expect(await around(() => publisher.freeze())).toBeUndefined();
    expect(await around(() => publisher.unfreeze())).toMatchObject({ lists: expect.arrayContaining([{ list: 'Zorgaanbiederslijst', volgnummer: 2 }]) });
    // A reset that makes consumers forget: every list, changed or not.
    publisher.reset({ forgetConsumers: false });
    expect(await around(() => publisher.reset({ forgetConsumers: false }))).toBeUndefined();
    expect((await around(() => publisher.reset({ forgetConsumers: true })))?.lists.map((l) => l.list)).toEqual(publisher.kinds);
  });

  it('tells the PGOs with a notice listener first, then the DVZAs, each by hostname, the TVS (of the Whitelist only), then enrolled DVZAs at their token origin', () => {
    const targets = noticeTargets(topology, [
      { role: 'pgo', hostname: 'teampgo.test', name: 'Team PGO' },
      {
        role: 'dvza',
        zorgaanbiedernaam: 'teamdvza@medmij',
        name: 'Team DVZA',
        authorizeUrl: 'https://teamdvza.test:9443/authorize',
        tokenUrl: 'https://api.teamdvza.test:9444/oauth/token',
        fhirUrl: 'https://api.teamdvza.test:9444/fhir',
        gegevensdiensten: ['1'],
        patientsOf: 'dekroon',
      },
    ]);
    expect(targets.map((t) => t.url)).toEqual([
      'https://pgo.localhost:8751',
      'https://deboog.dvza.localhost:8741',
      'https://dekroon.dvza.localhost:8721',
      'https://rivierenland.dvza.localhost:8731',
      'https://tvs.localhost:8711',
      // The enrolled PGO has no back channel: it polls.
      'https://api.teamdvza.test:9444',
    ]);
    expect(targets.at(-1)!.hostname).toBe('api.teamdvza.test');
    // The TVS reads the Whitelist alone: it is told of nothing else; every other consumer of every list.
    expect(targets.map((t) => t.reads)).toEqual([undefined, undefined, undefined, undefined, ['Whitelist'], undefined]);
  });
});
