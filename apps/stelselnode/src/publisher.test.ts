/** The publisher when the network changes afsprakenstelsel on the same state file (unit, no server). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SandboxClock, defaultTopologyPath, loadTopology } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
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
