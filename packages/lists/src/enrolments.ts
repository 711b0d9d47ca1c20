/**
 * Enrolments: participants that are not part of the sandbox's topology but take part in its network — an
 * integration team's own PGO or DVZA (`sandbox enrol`). They get certificates from the sandbox PKI and a place
 * on the lists, kept in `<sandbox dir>/enrolments.json` (SandboxPaths.enrolments) so the stelselnode publishes them after every restart
 * and reset. The sandbox runs nothing for them: the team runs its own software.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SandboxError, WatchedFile, withFileLock, writeJsonAtomic } from '@medmij-sandbox/network';

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
export function findEnrolment(file: string, keyOrHostname: string): Enrolment | undefined {
  return readEnrolments(file).find((e) => enrolmentKey(e) === keyOrHostname || enrolmentHostname(e) === keyOrHostname);
}

/**
 * The enrolments in `file` (SandboxPaths.enrolments), read again only when the file changed: what a running
 * participant asks per request, so one enrolled while it runs counts at once.
 */
export function watchEnrolments(file: string): () => Enrolment[] {
  const watched = new WatchedFile(
    file,
    (text) => parseEnrolments(file, text),
    () => [],
  );
  return () => watched.get();
}

export function readEnrolments(file: string): Enrolment[] {
  if (!existsSync(file)) return [];
  return parseEnrolments(file, readFileSync(file, 'utf8'));
}

function parseEnrolments(file: string, text: string): Enrolment[] {
  try {
    const parsed = JSON.parse(text) as { version?: number; enrolments?: Enrolment[] };
    if (parsed.version !== 1 || !Array.isArray(parsed.enrolments)) throw new Error('not a version 1 enrolments file');
    return parsed.enrolments;
  } catch (e) {
    throw new SandboxError(`cannot read ${file}: ${(e as Error).message}`, 'fix or delete the file and enrol again');
  }
}

/** Adds or replaces (same key) an enrolment; one writer at a time, written atomically. */
export async function saveEnrolment(file: string, enrolment: Enrolment): Promise<Enrolment[]> {
  return changeEnrolments(file, (all) => [...all.filter((e) => enrolmentKey(e) !== enrolmentKey(enrolment)), enrolment]);
}

export async function removeEnrolment(file: string, key: string): Promise<boolean> {
  let removed = false;
  await changeEnrolments(file, (all) => {
    const rest = all.filter((e) => enrolmentKey(e) !== key && !(e.role === 'dvza' && enrolmentHostname(e) === key));
    removed = rest.length !== all.length;
    return removed ? rest : all;
  });
  return removed;
}

async function changeEnrolments(file: string, change: (all: Enrolment[]) => Enrolment[]): Promise<Enrolment[]> {
  return withFileLock(
    file,
    async () => {
      const before = readEnrolments(file);
      const after = change(before);
      if (after !== before) writeJsonAtomic(file, { version: 1, enrolments: after });
      return after;
    },
    { what: file },
  );
}
