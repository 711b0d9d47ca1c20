/**
 * `sandbox personas` and `sandbox dossier <bsn>`: the synthetic patients of the network and their FHIR
 * dossiers, generated on the spot from the topology's seed (packages/fhir-data), no running network needed.
 */
import { SandboxError, referenceDateOf, type Clock, type Topology } from '@medmij-sandbox/network';
import {
  dossierBundle,
  findPersonaByBsn,
  generateDossier,
  generatePersonas,
  isValidBsn,
  personaSetOf,
  type FhirBundle,
  type Persona,
  type PersonaSetOptions,
  type ProviderRef,
} from '@medmij-sandbox/fhir-data';
import { formatTable } from './table.js';

/** Seed and providers from the topology; the reference date from --reference-date, else the topology or the sandbox clock. */
export function personaSetOptions(topology: Topology, clock: Clock, referenceDate?: string): PersonaSetOptions {
  if (referenceDate !== undefined) {
    const [y, m, d] = referenceDate.split('-').map(Number);
    const real = /^\d{4}-\d{2}-\d{2}$/.test(referenceDate) && new Date(Date.UTC(y!, m! - 1, d!)).toISOString().startsWith(referenceDate);
    if (!real) throw new SandboxError(`--reference-date: '${referenceDate}' is not a date`, 'use YYYY-MM-DD, e.g. 2026-06-01');
  }
  return personaSetOf(topology, referenceDate ?? referenceDateOf(topology, clock));
}

function providerCell(p: Persona): string {
  return p.providers.length === 0 ? '(none)' : p.providers.map((e) => `${e.providerId}(${e.gegevensdiensten.join(',') || '-'})`).join(' ');
}

/** What `sandbox personas` prints: the table, or with --json `{ seed, referenceDate, personas }`. */
export function personasOutput(opts: PersonaSetOptions, json: boolean): string {
  const personas = generatePersonas(opts);
  return json ? JSON.stringify({ seed: opts.seed, referenceDate: opts.referenceDate, personas }, null, 2) : formatPersonaTable(personas, opts);
}

/** The persona table: key, name, age, BSN, DVZAs with the gegevensdiensten they hold data for, scenario. */
export function formatPersonaTable(personas: Persona[], opts: PersonaSetOptions): string {
  const rows = personas.map((p) => [
    p.key,
    p.name.display,
    p.deceasedDate ? `${p.age} (died ${p.deceasedDate})` : String(p.age),
    p.bsn,
    providerCell(p),
    p.scenario.en,
  ]);
  const header = `${personas.length} personas (seed '${opts.seed}', reference date ${opts.referenceDate}); DVZA(gegevensdiensten with data)\n`;
  const footer = '\nA dossier as FHIR:  npm run sandbox -- dossier <BSN> [--provider <dvza>] [--gegevensdienst <id>]';
  return `${header}\n${formatTable(['key', 'name', 'age', 'BSN', 'DVZAs', 'scenario'], rows)}\n${footer}`;
}

export interface DossierRequest {
  bsn: string;
  provider?: string;
  gegevensdienst?: string;
}

export interface DossierResult {
  /** One Bundle with --provider; else an array with one Bundle per DVZA that knows the persona. */
  output: FhirBundle | FhirBundle[];
  persona: Persona;
  /** Remarks for stderr (an empty dossier is not an error, but worth saying). */
  notes: string[];
}

/** Checks the request against the topology and the personas and builds the Bundle(s); bad input is a SandboxError. */
export function dossierFor(topology: Topology, opts: PersonaSetOptions, request: DossierRequest): DossierResult {
  const { bsn } = request;
  if (!isValidBsn(bsn)) throw new SandboxError(`'${bsn}' is not a valid BSN`, 'a BSN has 9 digits and passes the 11-proef, e.g. 999911120');
  const personas = generatePersonas(opts);
  const persona = findPersonaByBsn(personas, bsn);
  if (!persona)
    throw new SandboxError(`no persona with BSN ${bsn}; run \`npm run sandbox -- personas\``, `the personas of seed '${opts.seed}' have other BSNs`);
  const who = `${persona.name.display} (${persona.key})`;
  const known = persona.providers.map((e) => e.providerId);

  const gd = request.gegevensdienst;
  if (gd !== undefined && !topology.gegevensdiensten.some((g) => g.id === gd)) {
    throw new SandboxError(
      `unknown gegevensdienst '${gd}'`,
      `the topology has: ${topology.gegevensdiensten.map((g) => `${g.id} (${g.weergavenaam})`).join(', ')}`,
    );
  }

  let providers: ProviderRef[];
  if (request.provider !== undefined) {
    const provider = opts.providers.find((p) => p.id === request.provider);
    if (!provider) throw new SandboxError(`no DVZA '${request.provider}' in the topology`, `DVZAs: ${opts.providers.map((p) => p.id).join(', ')}`);
    if (!known.includes(provider.id)) {
      throw new SandboxError(
        `${who} has no treatment relation with ${provider.id}`,
        known.length > 0 ? `they are known at: ${known.join(', ')}` : 'this persona is known to no care provider',
      );
    }
    if (gd !== undefined && !provider.gegevensdiensten.includes(gd)) {
      throw new SandboxError(`${provider.id} does not offer gegevensdienst ${gd}`, `${provider.id} offers: ${provider.gegevensdiensten.join(', ')}`);
    }
    providers = [provider];
  } else {
    providers = known.map((id) => opts.providers.find((p) => p.id === id)!).filter((p) => gd === undefined || p.gegevensdiensten.includes(gd));
    if (gd !== undefined && providers.length === 0 && known.length > 0) {
      throw new SandboxError(`none of the DVZAs that know ${who} offers gegevensdienst ${gd}`, `they are known at: ${known.join(', ')}`);
    }
  }

  const notes: string[] = [];
  if (known.length === 0) notes.push(`${who} is known to no care provider: there is no dossier`);
  const bundles = providers.map((p) => {
    const bundle = dossierBundle(generateDossier(opts, persona, p.id), gd);
    if (!bundle.entry) notes.push(`${p.id} holds no data for gegevensdienst ${gd} about ${who}: the Bundle is empty`);
    return bundle;
  });
  return { output: request.provider !== undefined ? bundles[0]! : bundles, persona, notes };
}

/**
 * Validates Bundles against the FHIR STU3 JSON schema. The validator needs ajv, a development dependency
 * of fhir-data, so it is loaded only when asked for (--validate).
 */
export async function validateBundles(bundles: FhirBundle[]): Promise<string[]> {
  const { validateFhirResource } = await import('@medmij-sandbox/fhir-data/validate');
  return bundles.flatMap((b) => validateFhirResource(b).errors.map((e) => `${b.identifier.value}: ${e}`));
}
