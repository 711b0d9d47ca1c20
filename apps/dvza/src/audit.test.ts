/** The DVZA's audit log names patients by BSN: it is private to the sandbox's user (0600), also one an older sandbox left readable. */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SandboxClock } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { AuditLog, readAuditLog } from './audit.js';

const clock = SandboxClock.frozenAt('2026-06-01T10:00:00.000Z');
const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);

describe('the audit log file', () => {
  it('is created 0600', () => {
    const path = join(tempDir(), 'dvza', 'dekroon', 'audit.jsonl');
    new AuditLog(path, 'dekroon.dvza.localhost', clock).record({ action: 'fhir-search', outcome: 'granted', bsn: '999911120' });
    expect(mode(path)).toBe('600');
    expect(readAuditLog(path)).toEqual([expect.objectContaining({ bsn: '999911120', dvza: 'dekroon.dvza.localhost' })]);
  });

  it('an existing readable log is made 0600 at start, its lines kept', () => {
    const path = join(tempDir(), 'audit.jsonl');
    writeFileSync(path, `${JSON.stringify({ at: 'x', dvza: 'd', action: 'token', outcome: 'granted', bsn: '999911120' })}\n`, { mode: 0o644 });
    const log = new AuditLog(path, 'd', clock);
    expect(mode(path)).toBe('600');
    log.record({ action: 'fhir-read', outcome: 'granted' });
    expect(readAuditLog(path).map((e) => e.action)).toEqual(['token', 'fhir-read']);
  });
});
