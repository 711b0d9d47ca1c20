/**
 * `sandbox audit [dvza]`: the DVZAs' audit logs (who accessed which patient's data, for which
 * gegevensdienst, when, with which outcome), read from .sandbox/dvza/<id>/audit.jsonl.
 */
import { SandboxError, findParticipant, participantsByRole, type SandboxPaths, type Topology } from '@medmij-sandbox/network';
import { readAuditLog, type AuditEntry } from '@medmij-sandbox/dvza';
import { formatTable } from './table.js';

export function auditEntries(topology: Topology, paths: SandboxPaths, o: { dvza?: string; bsn?: string }): AuditEntry[] {
  let dvzas = participantsByRole(topology, 'dvza');
  if (o.dvza) {
    const found = findParticipant(topology, o.dvza);
    if (!found || found.role !== 'dvza') throw new SandboxError(`no DVZA '${o.dvza}' in the topology`, `DVZAs: ${dvzas.map((d) => d.id).join(', ')}`);
    dvzas = [found];
  }
  return dvzas
    .flatMap((d) => readAuditLog(paths.dvzaAudit(d.id)))
    .filter((e) => !o.bsn || e.bsn === o.bsn)
    .sort((a, b) => a.at.localeCompare(b.at));
}

export function formatAudit(entries: AuditEntry[]): string {
  if (entries.length === 0) return 'no audit entries yet: a DVZA logs every authorization, token and FHIR request once the network runs';
  return formatTable(
    ['at (sandbox clock)', 'dvza', 'action', 'outcome', 'client', 'bsn', 'gd', 'what'],
    entries.map((e) => [
      e.at,
      e.dvza,
      e.action,
      e.outcome,
      e.client ?? '-',
      e.bsn ?? '-',
      e.gegevensdiensten?.join(',') ?? '-',
      [e.request, e.resources !== undefined ? `${e.resources} resource(s)` : undefined, e.reason].filter(Boolean).join('; '),
    ]),
  );
}
