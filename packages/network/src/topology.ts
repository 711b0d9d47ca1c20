/**
 * The topology: one declarative file (topology.yaml) naming every participant of the sandbox
 * network — the PKI repository, the stelselnode, the TVS, the DVZAs with their Zorgaanbiedernaam
 * and gegevensdiensten, and the PGOs — with hostnames and ports. Everything else (certificates,
 * lists, the start table, .sandbox/network.json) is derived from it.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SandboxError } from './errors.js';
import { parseYamlWithSchema } from './yaml-schema.js';
import { dutchDate, type Clock } from './clock.js';

/** The hostname pattern of the Whitelist and OAuthclientlist schemas (lowercase FQDN, at least one dot). */
const MEDMIJ_HOSTNAME = /^(([a-z0-9])([a-z0-9-])*(\.))+([a-z0-9])([a-z0-9-])*([a-z0-9])$/;
/**
 * Sandbox hostnames must sit under a name that can never be a production host. The sandbox root CA is
 * name-constrained to exactly these domains, so trusting it cannot endanger any real site.
 */
export const SANDBOX_DOMAINS = ['localhost', 'test'] as const;

const hostname = z
  .string()
  .regex(MEDMIJ_HOSTNAME, 'must be a lowercase hostname with at least one dot, as the MedMij lists require (e.g. dekroon.dvza.localhost)')
  .refine((h) => SANDBOX_DOMAINS.some((d) => h.endsWith(`.${d}`)), {
    message: `must end in ${SANDBOX_DOMAINS.map((d) => `.${d}`).join(' or ')}: the sandbox PKI only issues certificates for those, so nobody can mistake it for production`,
  });
const port = z.number().int().min(1).max(65535);
const id = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be lowercase letters, digits and dashes, starting with a letter');
const name = z.string().min(3, 'must be at least 3 characters').max(50, 'must be at most 50 characters (the OAuthclientlist limit)');
const address = z.ipv4().default('127.0.0.1');

const common = { id, hostname, address };

const pki = z.strictObject({
  ...common,
  role: z.literal('pki'),
  name: name.default('MedMij Sandbox PKI'),
  /** Plain HTTP, like real CRL distribution points: a CRL fetch must not depend on TLS. */
  port,
});
const stelselnode = z.strictObject({
  ...common,
  role: z.literal('stelselnode'),
  name: name.default('MedMij Stelselnode (sandbox)'),
  backchannelPort: port,
});
const tvs = z.strictObject({
  ...common,
  role: z.literal('tvs'),
  name: name.default('Toegangsverleningservice (sandbox)'),
  frontchannelPort: port,
  backchannelPort: port,
});
const dvza = z.strictObject({
  ...common,
  role: z.literal('dvza'),
  /** Display name of the zorgaanbieder. */
  name,
  zorgaanbiedernaam: z
    .string()
    .regex(/^[a-z]+@medmij$/, "must be lowercase letters followed by '@medmij' (the Zorgaanbiederslijst pattern ([a-z])+@medmij)")
    .min(10, 'must be at least 10 characters (Zorgaanbiederslijst schema)')
    .max(57, 'must be at most 57 characters (Zorgaanbiederslijst schema)'),
  /** The kind of care provider, shown in the UI: huisartsenpraktijk, ziekenhuis, ggz-instelling, ... */
  soort: z.string().min(1),
  frontchannelPort: port,
  backchannelPort: port,
  gegevensdiensten: z.array(z.string()).min(1, 'must offer at least one gegevensdienst'),
});
const pgo = z.strictObject({
  ...common,
  role: z.literal('pgo'),
  /** OAuthclientOrganisatienaam on the OAuthclientlist: the name the consent screen shows. */
  name,
  frontchannelPort: port,
});

const participant = z.discriminatedUnion('role', [pki, stelselnode, tvs, dvza, pgo]);

/**
 * The topology's own rules for a participant from outside it (`sandbox enrol`): what is wrong with a
 * hostname, a Zorgaanbiedernaam or a name, in the words a topology error would use; undefined when fine.
 */
export function participantFieldProblem(field: 'hostname' | 'zorgaanbiedernaam' | 'name', value: string): string | undefined {
  const schema = field === 'hostname' ? hostname : field === 'name' ? name : dvza.shape.zorgaanbiedernaam;
  const r = schema.safeParse(value);
  return r.success ? undefined : r.error.issues[0]!.message;
}

const gegevensdienst = z.strictObject({
  id: z.string().min(1).max(30, 'must be at most 30 characters (GegevensdienstId)'),
  weergavenaam: z.string().min(3).max(50, 'must be at most 50 characters (Weergavenaam)'),
  /** The Systeemrol under which DVZAs list its resource endpoint in the Zorgaanbiederslijst. */
  systeemrolcode: z.string().min(1).max(30, 'must be at most 30 characters (Systeemrolcode)'),
});

export const topologySchema = z
  .strictObject({
    version: z.literal(1),
    /** Seed for every generated thing: patients, identifiers, lists. Same seed, same network. */
    seed: z.string().min(1),
    /**
     * The day synthetic patients' ages and dossier dates are computed against (YYYY-MM-DD).
     * Absent: the sandbox clock's date when the network starts, so "the 15-year-old" is 15 on any day.
     */
    referenceDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD, e.g. 2026-06-01')
      .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a real calendar date')
      .optional(),
    gegevensdiensten: z.array(gegevensdienst).min(1),
    participants: z.array(participant).min(1),
    /**
     * Where a browser on the host reaches every front channel, when that is not each participant's own address:
     * docker compose's edge container, published on the host's 127.0.0.1:443 (browsers resolve every *.localhost
     * name to 127.0.0.1). The sandbox's own headless browser then goes there too, as a person's browser would.
     * Absent: browsers go to each participant's address.
     */
    edge: z.strictObject({ address: z.ipv4() }).optional(),
  })
  .superRefine((t, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const firstIndex = new Map<string, number>();
    const unique = (key: string, field: string, value: string | number, path: (string | number)[]) => {
      const k = `${key}:${value}`;
      const seen = firstIndex.get(k);
      if (seen !== undefined) issue(path, `${field} '${value}' is already used by participants[${seen}]`);
      else firstIndex.set(k, path[1] as number);
    };
    t.participants.forEach((p, i) => {
      unique('id', 'id', p.id, ['participants', i, 'id']);
      unique('host', 'hostname', p.hostname, ['participants', i, 'hostname']);
      // A port is taken per address: on one machine everyone shares 127.0.0.1, in docker-compose each
      // container has its own address and they all listen on 443.
      const ownPorts = new Set<number>();
      for (const field of ['port', 'frontchannelPort', 'backchannelPort'] as const) {
        const value = (p as Partial<Record<typeof field, number>>)[field];
        if (value === undefined) continue;
        if (ownPorts.has(value)) issue(['participants', i, field], `port ${value} is used twice by this participant (front and back channel need a port each)`);
        else unique(`port@${p.address}`, 'port', value, ['participants', i, field]);
        ownPorts.add(value);
      }
      if (p.role === 'dvza') {
        unique('zan', 'zorgaanbiedernaam', p.zorgaanbiedernaam, ['participants', i, 'zorgaanbiedernaam']);
        p.gegevensdiensten.forEach((g, j) => {
          if (!t.gegevensdiensten.some((d) => d.id === g)) {
            issue(['participants', i, 'gegevensdiensten', j], `gegevensdienst '${g}' is not in the gegevensdiensten list at the top of the file`);
          }
          if (p.gegevensdiensten.indexOf(g) !== j) issue(['participants', i, 'gegevensdiensten', j], `gegevensdienst '${g}' is listed twice`);
        });
      }
    });
    const seenIds = new Set<string>();
    t.gegevensdiensten.forEach((g, i) => {
      if (seenIds.has(g.id)) issue(['gegevensdiensten', i, 'id'], `gegevensdienst id '${g.id}' is listed twice`);
      seenIds.add(g.id);
    });
    for (const role of ['pki', 'stelselnode', 'tvs'] as const) {
      const count = t.participants.filter((p) => p.role === role).length;
      if (count !== 1) issue(['participants'], `needs exactly one participant with role '${role}', found ${count}`);
    }
    for (const role of ['dvza', 'pgo'] as const) {
      if (!t.participants.some((p) => p.role === role)) issue(['participants'], `needs at least one participant with role '${role}'`);
    }
  });

export type Topology = z.infer<typeof topologySchema>;
export type Participant = Topology['participants'][number];
export type Role = Participant['role'];
export type DvzaParticipant = Extract<Participant, { role: 'dvza' }>;
export type PgoParticipant = Extract<Participant, { role: 'pgo' }>;

/** Parses and checks topology YAML; errors name the file, line and field. */
export function parseTopology(text: string, file = 'topology.yaml'): Topology {
  return parseYamlWithSchema(text, file, topologySchema, 'topology');
}

export function loadTopology(path: string): Topology {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SandboxError(`cannot read topology file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseTopology(text, path);
}

export function participantsByRole<R extends Role>(topology: Topology, role: R): Extract<Participant, { role: R }>[] {
  return topology.participants.filter((p): p is Extract<Participant, { role: R }> => p.role === role);
}

export function findParticipant(topology: Topology, idOrHostname: string): Participant | undefined {
  return topology.participants.find((p) => p.id === idOrHostname || p.hostname === idOrHostname);
}

/** Does this participant serve pages to a browser (and so need a browser-trusted certificate)? */
export function hasFrontchannel(p: Participant): p is Extract<Participant, { frontchannelPort: number }> {
  return 'frontchannelPort' in p;
}

export function hasBackchannel(p: Participant): p is Extract<Participant, { backchannelPort: number }> {
  return 'backchannelPort' in p;
}

/** `https://host` on 443, `https://host:port` elsewhere. */
export function httpsBaseUrl(hostname: string, port: number): string {
  return port === 443 ? `https://${hostname}` : `https://${hostname}:${port}`;
}

export function frontchannelUrl(p: Participant): string | undefined {
  return hasFrontchannel(p) ? httpsBaseUrl(p.hostname, p.frontchannelPort) : undefined;
}

export function backchannelUrl(p: Participant): string | undefined {
  return hasBackchannel(p) ? httpsBaseUrl(p.hostname, p.backchannelPort) : undefined;
}

/** Base URL of the PKI repository (CRLs, CA certificates, OCSP): plain HTTP on purpose. */
export function pkiRepositoryUrl(topology: Topology): string {
  const p = participantsByRole(topology, 'pki')[0]!;
  return p.port === 80 ? `http://${p.hostname}` : `http://${p.hostname}:${p.port}`;
}

/**
 * The reference date of the synthetic patients: the topology's fixed `referenceDate`, or else the sandbox
 * clock's Dutch date. Generators take this date as input and never read a clock themselves.
 */
export function referenceDateOf(topology: Topology, clock: Clock): string {
  return topology.referenceDate ?? dutchDate(clock.now());
}
