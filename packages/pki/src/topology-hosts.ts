import { hasFrontchannel, type Topology } from '@medmij-sandbox/network';
import type { HostSpec } from './store.js';

/**
 * Which certificates each participant of a topology gets: a back-channel server and client certificate
 * for every hostname, plus a browser-facing one for participants that a browser visits.
 */
export function hostSpecs(topology: Topology): HostSpec[] {
  return topology.participants.map((p) => ({
    hostname: p.hostname,
    organisation: p.name,
    kinds: hasFrontchannel(p) ? ['server', 'client', 'browser'] : ['server', 'client'],
  }));
}
