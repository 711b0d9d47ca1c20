/**
 * The DVZA's audit log: one line per access and per decision about access, in the spirit of NEN 7513
 * (SPEC §7): who (the PGO's hostname from its certificate), which patient (BSN), what (gegevensdienst and
 * request), when (sandbox clock), with which outcome, and the correlation ids to find the same flow in the
 * PGO's logs. Appended as JSON Lines under .sandbox/dvza/<id>/audit.jsonl; `sandbox audit` reads it.
 */
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '@medmij-sandbox/network';

export type AuditAction = 'authorization' | 'consent' | 'consent-withdrawal' | 'token' | 'revocation' | 'fhir-search' | 'fhir-read' | 'fhir-metadata';

export interface AuditEntry {
  at: string;
  dvza: string;
  action: AuditAction;
  outcome: 'granted' | 'refused';
  /** The client: the PGO's hostname (from its certificate on the back channel, client_id on the front). */
  client?: string;
  /** The patient, when known. The BSN stays inside the DVZA: it never goes to the PGO. */
  bsn?: string;
  gegevensdiensten?: string[];
  /** e.g. `GET /fhir/Condition` or `POST /oauth/token`. */
  request?: string;
  /** Number of resources returned. */
  resources?: number;
  reason?: string;
  traceId?: string;
  requestId?: string;
}

export class AuditLog {
  constructor(
    readonly path: string,
    private readonly dvza: string,
    private readonly clock: Clock,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    // It names patients by BSN: private to the sandbox's user (0600), also a log an older sandbox left readable.
    if (existsSync(path)) chmodSync(path, 0o600);
  }

  record(entry: Omit<AuditEntry, 'at' | 'dvza'>): AuditEntry {
    const full: AuditEntry = { at: this.clock.now().toISOString(), dvza: this.dvza, ...entry };
    // Append-only and synchronous: an access is logged before its answer leaves.
    appendFileSync(this.path, `${JSON.stringify(full)}\n`, { mode: 0o600 });
    return full;
  }
}

/** Reads an audit log; a torn last line (a crash mid-write) is skipped, not fatal. */
export function readAuditLog(path: string): AuditEntry[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as AuditEntry];
      } catch {
        return [];
      }
    });
}
