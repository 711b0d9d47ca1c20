/**
 * Who plays which part in a scenario: the names a scenario file uses (topology ids, hostnames, `browser`,
 * Zorgaanbiedernamen, persona keys and tags) resolved to the participants, hostnames and patients of the
 * network it runs on — with a participant under test (`--target`) in the place of the one it replaces.
 */
import { SandboxError, findParticipant, frontchannelUrl, participantsByRole, referenceDateOf, type SandboxClock, type Topology } from '@medmij-sandbox/network';
import { dvzaEndpoints } from '@medmij-sandbox/lists';
import { generatePersonas, personaSetOf, type Persona } from '@medmij-sandbox/fhir-data';
import { scopeZorgaanbieder } from '@medmij-sandbox/medmij-oauth';
import type { Scenario } from './schema.js';
import { targetApplies, type ScenarioTarget } from './targets.js';

/** A DVZA as the runner uses it: ours from the topology, or the target in its place. */
export interface DvzaInfo {
  id: string;
  hostname: string;
  zorgaanbiedernaam: string;
  gegevensdiensten: string[];
  endpoints: { authorize: string; token: string; fhir: string };
}

export class Cast {
  /** Where the scenario's PGO runs (ours, or the target's web app) and which hostname (= client_id) it has. */
  readonly pgoUrl: string;
  readonly pgoHostname: string;
  /** The id of the scenario's PGO or DVZA that the target stands in for. */
  readonly replaced?: string;
  private readonly personas: Persona[];

  constructor(
    private readonly scenario: Scenario,
    private readonly topology: Topology,
    clock: SandboxClock,
    readonly target?: ScenarioTarget,
  ) {
    const pgo = participantsByRole(topology, 'pgo')[0];
    if (!pgo) throw new SandboxError('the topology has no PGO to drive');
    this.pgoUrl = target?.role === 'pgo' ? (target.frontchannelUrl ?? `https://${target.hostname}`).replace(/\/$/, '') : frontchannelUrl(pgo)!;
    this.pgoHostname = target?.role === 'pgo' ? target.hostname : pgo.hostname;
    if (target?.role === 'pgo') this.replaced = pgo.id;
    if (target?.role === 'dvza') {
      const why = targetApplies(scenario, target, topology);
      if (why) throw new SandboxError(`${scenario.name} cannot check ${target.zorgaanbiedernaam}: ${why}`);
      this.replaced = target.standsInFor;
    }
    this.personas = generatePersonas(personaSetOf(topology, referenceDateOf(topology, clock)));
  }

  /** A participant id (or hostname, or 'browser') as the hostname the trace uses. */
  host(idOrHost: string): string {
    if (idOrHost === 'browser') return idOrHost;
    const p = findParticipant(this.topology, idOrHost);
    if (this.replaced && this.target && (p?.id ?? idOrHost) === this.replaced) return this.target.hostname;
    // A hostname outside the topology (e.g. of a zorgaanbieder added to the lists) stands for itself.
    if (!p && idOrHost.includes('.')) return idOrHost;
    if (!p) throw new SandboxError(`${this.scenario.file}: no participant '${idOrHost}' in the topology`);
    return p.hostname;
  }

  dvza(id: string): DvzaInfo {
    const t = this.target;
    const p = findParticipant(this.topology, id);
    if (t?.role === 'dvza' && (p?.id ?? id) === this.replaced) {
      return { id, hostname: t.hostname, zorgaanbiedernaam: t.zorgaanbiedernaam, gegevensdiensten: t.gegevensdiensten, endpoints: t.endpoints };
    }
    if (!p || p.role !== 'dvza') throw new SandboxError(`${this.scenario.file}: '${id}' is not a DVZA of the topology`);
    return { id: p.id, hostname: p.hostname, zorgaanbiedernaam: p.zorgaanbiedernaam, gegevensdiensten: p.gegevensdiensten, endpoints: dvzaEndpoints(p) };
  }

  /** The first DVZA of the topology (the one raw requests go to). */
  firstDvza(): DvzaInfo {
    return this.dvza(participantsByRole(this.topology, 'dvza')[0]!.id);
  }

  /** A DVZA of the topology by id, or a Zorgaanbiedernaam (also one only on the lists, added with `lists: { add }`). */
  zorgaanbieder(idOrNaam: string): { id: string; zorgaanbiedernaam: string } {
    if (!idOrNaam.endsWith('@medmij')) return this.dvza(idOrNaam);
    const p = participantsByRole(this.topology, 'dvza').find((d) => d.zorgaanbiedernaam === idOrNaam);
    if (p && p.id === this.replaced) return this.dvza(p.id);
    return { id: p?.id ?? idOrNaam, zorgaanbiedernaam: idOrNaam };
  }

  /** A display name for a Zorgaanbiedernaam: our DVZA's name, or the name itself. */
  providerName(zorgaanbiedernaam: string): string {
    return participantsByRole(this.topology, 'dvza').find((d) => d.zorgaanbiedernaam === zorgaanbiedernaam)?.name ?? zorgaanbiedernaam;
  }

  gegevensdienstName(id: string): string {
    return this.topology.gegevensdiensten.find((g) => g.id === id)?.weergavenaam ?? `gegevensdienst ${id}`;
  }

  persona(keyOrTagOrBsn: string): { bsn: string; label: string } {
    if (/^\d{9}$/.test(keyOrTagOrBsn)) return { bsn: keyOrTagOrBsn, label: `BSN ${keyOrTagOrBsn}` };
    const p = this.personas.find((x) => x.key === keyOrTagOrBsn) ?? this.personas.find((x) => x.tags.includes(keyOrTagOrBsn));
    if (!p) throw new SandboxError(`${this.scenario.file}: no persona with key or tag '${keyOrTagOrBsn}' (see: npm run sandbox -- personas)`);
    return { bsn: p.bsn, label: `${p.name.display} (${p.key})` };
  }

  /**
   * An expected reason as it reads when the target plays the part: the replaced participant's name,
   * hostname and Zorgaanbiedernaam (also in a scope, `dekroon~1`) become the target's.
   */
  asTargetSays(reason: string): string {
    const t = this.target;
    const replaced = this.replaced ? findParticipant(this.topology, this.replaced) : undefined;
    if (!t || !replaced) return reason;
    const pairs: Array<[string, string]> = [
      [replaced.name, t.name],
      [replaced.hostname, t.hostname],
    ];
    if (replaced.role === 'dvza' && t.role === 'dvza') {
      pairs.push(
        [replaced.zorgaanbiedernaam, t.zorgaanbiedernaam],
        [`${scopeZorgaanbieder(replaced.zorgaanbiedernaam)}~`, `${scopeZorgaanbieder(t.zorgaanbiedernaam)}~`],
      );
    }
    return pairs.reduce((text, [from, to]) => text.split(from).join(to), reason);
  }
}
