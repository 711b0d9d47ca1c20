/**
 * Enrolments: participants that are not part of the sandbox's topology but take part in its network — an
 * integration team's own PGO or DVZA (`sandbox enrol`). They get certificates from the sandbox PKI and a place
 * on the lists, kept in `<sandbox dir>/enrolments.json` so the stelselnode publishes them after every restart
 * and reset. The sandbox runs nothing for them: the team runs its own software.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxError, writeFileAtomic } from '@medmij-sandbox/network';

export type Enrolment =
  | {
      role: 'pgo';
      /** The client_id and the hostname in its certificates, on the OAuthclientlist and Whitelist. */
      hostname: string;
      /** OAuthclientOrganisatienaam: what the DVZA's consent page shows. */
      name: string;
      /**
       * Where its web app runs (optional): lets `scenario run --target` drive it through the reference PGO's
       * API, and `sandbox run <hostname>` start the reference PGO as this participant.
       */
      webUrl?: string;
    }
  | {
      role: 'dvza';
      zorgaanbiedernaam: string;
      /** Display name of the care provider (certificate subject). */
      name: string;
      authorizeUrl: string;
      tokenUrl: string;
      fhirUrl: string;
      gegevensdiensten: string[];
      /**
       * The topology DVZA whose synthetic patients it holds (`sandbox dossier --provider <id>` exports them):
       * scenarios about that DVZA's patients can check it in that DVZA's place.
       */
      patientsOf: string;
    };

export function enrolmentKey(e: Enrolment): string {
  return e.role === 'pgo' ? e.hostname : e.zorgaanbiedernaam;
}

/** The hostname the participant's certificates carry (a DVZA: the host of its endpoints). */
export function enrolmentHostname(e: Enrolment): string {
  return e.role === 'pgo' ? e.hostname : new URL(e.tokenUrl).hostname;
}

/** An enrolled participant by its key (PGO hostname, DVZA Zorgaanbiedernaam) or by its hostname. */
export function findEnrolment(sandboxDir: string, keyOrHostname: string): Enrolment | undefined {
  return readEnrolments(sandboxDir).find((e) => enrolmentKey(e) === keyOrHostname || enrolmentHostname(e) === keyOrHostname);
}

export function enrolmentsPath(sandboxDir: string): string {
  return join(sandboxDir, 'enrolments.json');
}

export function readEnrolments(sandboxDir: string): Enrolment[] {
  const path = enrolmentsPath(sandboxDir);
  if (!existsSync(path)) return [];
  try {
    const file = JSON.parse(readFileSync(path, 'utf8')) as { version?: number; enrolments?: Enrolment[] };
    if (file.version !== 1 || !Array.isArray(file.enrolments)) throw new Error('not a version 1 enrolments file');
    return file.enrolments;
  } catch (e) {
    throw new SandboxError(`cannot read ${path}: ${(e as Error).message}`, 'fix or delete the file and enrol again');
  }
}

/** Adds or replaces (same key) an enrolment; written atomically. */
export function saveEnrolment(sandboxDir: string, enrolment: Enrolment): Enrolment[] {
  const all = [...readEnrolments(sandboxDir).filter((e) => enrolmentKey(e) !== enrolmentKey(enrolment)), enrolment];
  writeEnrolments(sandboxDir, all);
  return all;
}

export function removeEnrolment(sandboxDir: string, key: string): boolean {
  const all = readEnrolments(sandboxDir);
  const rest = all.filter((e) => enrolmentKey(e) !== key && !(e.role === 'dvza' && enrolmentHostname(e) === key));
  if (rest.length === all.length) return false;
  writeEnrolments(sandboxDir, rest);
  return true;
}

function writeEnrolments(sandboxDir: string, enrolments: Enrolment[]): void {
  writeFileAtomic(enrolmentsPath(sandboxDir), `${JSON.stringify({ version: 1, enrolments }, null, 2)}\n`);
}
