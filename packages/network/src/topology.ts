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
import { DEFAULT_TRACE_MAX_BYTES } from './trace.js';
import { AFSPRAKENSTELSELS, DEFAULT_AFSPRAKENSTELSEL, isAfsprakenstelsel, type Afsprakenstelsel } from './afsprakenstelsel.js';

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
  /**
   * The gegevensdiensten it offers, by key (bgz, medicatie, …) or id: one list for every afsprakenstelsel, or a
   * list per afsprakenstelsel (`{ "1.5": [...], "2": [...] }`) when the offer differs.
   */
  gegevensdiensten: z.union([
    z.array(z.string()).min(1, 'must offer at least one gegevensdienst'),
    z.strictObject({
      '1.5': z.array(z.string()).min(1, 'must offer at least one gegevensdienst').optional(),
      '2': z.array(z.string()).min(1, 'must offer at least one gegevensdienst').optional(),
    }),
  ]),
});
const pgo = z.strictObject({
  ...common,
  role: z.literal('pgo'),
  /** OAuthclientOrganisatienaam on the OAuthclientlist: the name the consent screen shows. */
  name,
  frontchannelPort: port,
  /**
   * Sandbox extension (a PGO has no back channel in MedMij): a small listener, mutual TLS, where the stelselnode
   * tells the PGO which list changed, so it never fetches lists per request. Absent: the PGO only polls.
   */
  notificationPort: port.optional(),
  /**
   * The login page lists the demo accounts with their passwords and current TOTP codes (workshops: nobody needs
   * an authenticator app). `false` on a shared machine: then only who has .sandbox/pgo/<id>/secrets.json logs in.
   */
  demoAccounts: z.boolean().default(true),
});

/**
 * The operator's console (not a MedMij role): the network inspector, the trace API and stream, the scenario
 * catalogue, runs, resets and presenter mode, on a front channel of its own. A real PGO has none of that.
 */
const console_ = z.strictObject({
  ...common,
  role: z.literal('console'),
  name: name.default('MedMij Sandbox Console'),
  frontchannelPort: port,
});

const participant = z.discriminatedUnion('role', [pki, stelselnode, tvs, dvza, pgo, console_]);

/**
 * The topology's own rules for a participant from outside it (`sandbox enrol`): what is wrong with a
 * hostname, a Zorgaanbiedernaam or a name, in the words a topology error would use; undefined when fine.
 */
export function participantFieldProblem(field: 'hostname' | 'zorgaanbiedernaam' | 'name', value: string): string | undefined {
  const schema = field === 'hostname' ? hostname : field === 'name' ? name : dvza.shape.zorgaanbiedernaam;
  const r = schema.safeParse(value);
  return r.success ? undefined : r.error.issues[0]!.message;
}

/** A gegevensdienst as one afsprakenstelsel numbers and names it. */
const gegevensdienstInVersion = z.strictObject({
  id: z.string().min(1).max(30, 'must be at most 30 characters (GegevensdienstId)'),
  weergavenaam: z.string().min(3).max(50, 'must be at most 50 characters (Weergavenaam)'),
  /** The Systeemrol under which DVZAs list its resource endpoint in the Zorgaanbiederslijst. */
  systeemrolcode: z.string().min(1).max(30, 'must be at most 30 characters (Systeemrolcode)'),
  /** Why this id or code is the sandbox's own choice where MedMij material names none (shown, never hidden). */
  sandboxChoice: z.string().min(1).optional(),
});

/**
 * A gegevensdienst: a version-neutral key (what scenario files name) and, per afsprakenstelsel, its id, name and
 * Systeemrolcode (ids of the 1.x era lapsed in 2022: BgZ is 1 in 1.5 and 48 in 2). The short form, `id`,
 * `weergavenaam` and `systeemrolcode` at the top, is one numbering for every afsprakenstelsel.
 */
const gegevensdienst = z
  .strictObject({
    key: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes (e.g. bgz, vitale-functies)')
      .optional(),
    ...gegevensdienstInVersion.partial().shape,
    '1.5': gegevensdienstInVersion.optional(),
    '2': gegevensdienstInVersion.optional(),
  })
  .superRefine((g, ctx) => {
    const flat = g.id !== undefined || g.weergavenaam !== undefined || g.systeemrolcode !== undefined;
    const perVersion = g['1.5'] !== undefined || g['2'] !== undefined;
    if (flat && perVersion)
      ctx.addIssue({ code: 'custom', path: [], message: 'give either id/weergavenaam/systeemrolcode or a block per afsprakenstelsel ("1.5", "2"), not both' });
    else if (perVersion && !g.key)
      ctx.addIssue({ code: 'custom', path: ['key'], message: 'a gegevensdienst with a block per afsprakenstelsel needs a key (e.g. bgz)' });
    else if (!perVersion) {
      for (const field of ['id', 'weergavenaam', 'systeemrolcode'] as const)
        if (g[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'is required (or give a block per afsprakenstelsel: "1.5", "2")' });
    }
  });

/** A gegevensdienst of the network's afsprakenstelsel. */
export interface Gegevensdienst {
  /** Version-neutral: the same for BgZ in 1.5 (id 1) and 2 (id 48). */
  key: string;
  id: string;
  weergavenaam: string;
  systeemrolcode: string;
  sandboxChoice?: string;
}

type RawGegevensdienst = z.infer<typeof gegevensdienst>;

/** The entry as `afsprakenstelsel` knows it, or undefined when that afsprakenstelsel has no such gegevensdienst. */
function inVersion(g: RawGegevensdienst, afsprakenstelsel: Afsprakenstelsel): Gegevensdienst | undefined {
  if (g.id !== undefined)
    return {
      key: g.key ?? g.id,
      id: g.id,
      weergavenaam: g.weergavenaam!,
      systeemrolcode: g.systeemrolcode!,
      ...(g.sandboxChoice ? { sandboxChoice: g.sandboxChoice } : {}),
    };
  const v = g[afsprakenstelsel];
  return v ? { key: g.key!, ...v } : undefined;
}

/** A DVZA's offer in one afsprakenstelsel, as written (keys or ids), or undefined when it names none for it. */
function offerIn(offer: z.infer<typeof dvza>['gegevensdiensten'], afsprakenstelsel: Afsprakenstelsel): string[] | undefined {
  return Array.isArray(offer) ? offer : offer[afsprakenstelsel];
}

export const topologySchema = z
  .strictObject({
    version: z.literal(1),
    /** Seed for every generated thing: patients, identifiers, lists. Same seed, same network. */
    seed: z.string().min(1),
    /**
     * The MedMij afsprakenstelsel the network speaks: "2" (production today, the default) or "1.5". The CLI's
     * --afsprakenstelsel (and SANDBOX_AFSPRAKENSTELSEL) override it for one run.
     */
    afsprakenstelsel: z
      .enum(AFSPRAKENSTELSELS, { message: `must be one of ${AFSPRAKENSTELSELS.map((v) => `"${v}"`).join(', ')} (quoted: 1.5 unquoted is a number)` })
      .optional(),
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
    /** How much of the trace is kept: on disk, in each process's memory, and sent to an inspector (TRACE_LIMITS). */
    trace: z
      .strictObject({
        maxBytes: z
          .number()
          .int('must be a whole number of bytes')
          .min(64 * 1024, 'must be at least 65536 (64 KB): a smaller trace file would rotate at every scenario')
          .optional(),
        memoryEvents: z.number().int('must be a whole number').min(1000, 'must be at least 1000: a scenario reads its events from memory').optional(),
        streamWindow: z.number().int('must be a whole number').min(1, 'must be at least 1').optional(),
        streamQueue: z.number().int('must be a whole number').min(100, 'must be at least 100').optional(),
      })
      .optional(),
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
      for (const field of ['port', 'frontchannelPort', 'backchannelPort', 'notificationPort'] as const) {
        const value = (p as Partial<Record<typeof field, number>>)[field];
        if (value === undefined) continue;
        if (ownPorts.has(value)) issue(['participants', i, field], `port ${value} is used twice by this participant (front and back channel need a port each)`);
        else unique(`port@${p.address}`, 'port', value, ['participants', i, field]);
        ownPorts.add(value);
      }
      if (p.role === 'dvza') {
        unique('zan', 'zorgaanbiedernaam', p.zorgaanbiedernaam, ['participants', i, 'zorgaanbiedernaam']);
        // Every name must be a gegevensdienst of each afsprakenstelsel its list applies to.
        // A plain list applies to both afsprakenstelsels: each of its problems is said once.
        const said = new Set<string>();
        for (const version of AFSPRAKENSTELSELS) {
          const offer = offerIn(p.gegevensdiensten, version);
          if (!offer) continue;
          const path = (j: number): (string | number)[] =>
            Array.isArray(p.gegevensdiensten) ? ['participants', i, 'gegevensdiensten', j] : ['participants', i, 'gegevensdiensten', version, j];
          offer.forEach((g, j) => {
            const once = (message: string) => {
              const k = `${path(j).join('.')}:${message}`;
              if (!said.has(k)) issue(path(j), message);
              said.add(k);
            };
            if (offer.indexOf(g) !== j) once(`gegevensdienst '${g}' is listed twice`);
            const entry = t.gegevensdiensten.find((d) => d.key === g || d.id === g);
            if (!entry) once(`gegevensdienst '${g}' is not in the gegevensdiensten list at the top of the file`);
            else if (!Array.isArray(p.gegevensdiensten) && !inVersion(entry, version)) {
              issue(path(j), `gegevensdienst '${g}' has no "${version}" block in the gegevensdiensten list at the top of the file`);
            }
          });
        }
      }
    });
    const seenKeys = new Set<string>();
    t.gegevensdiensten.forEach((g, i) => {
      const key = g.key ?? g.id;
      if (key !== undefined && seenKeys.has(key)) issue(['gegevensdiensten', i, g.key ? 'key' : 'id'], `gegevensdienst '${key}' is listed twice`);
      if (key !== undefined) seenKeys.add(key);
    });
    for (const version of AFSPRAKENSTELSELS) {
      const seenIds = new Map<string, string>();
      t.gegevensdiensten.forEach((g, i) => {
        const v = inVersion(g, version);
        if (!v) return;
        const other = seenIds.get(v.id);
        if (other !== undefined && other !== v.key)
          issue(['gegevensdiensten', i], `gegevensdienst id '${v.id}' (afsprakenstelsel ${version}) is also '${other}'`);
        seenIds.set(v.id, v.key);
      });
    }
    for (const role of ['pki', 'stelselnode', 'tvs'] as const) {
      const count = t.participants.filter((p) => p.role === role).length;
      if (count !== 1) issue(['participants'], `needs exactly one participant with role '${role}', found ${count}`);
    }
    for (const role of ['dvza', 'pgo'] as const) {
      if (!t.participants.some((p) => p.role === role)) issue(['participants'], `needs at least one participant with role '${role}'`);
    }
    // One console reads the one trace; a topology without one runs the network without operator tooling.
    const consoles = t.participants.filter((p) => p.role === 'console').length;
    if (consoles > 1) issue(['participants'], `has at most one participant with role 'console', found ${consoles}`);
  });

/** The topology file as written: gegevensdiensten per afsprakenstelsel. */
export type TopologyFile = z.infer<typeof topologySchema>;
type RawParticipant = TopologyFile['participants'][number];
type Resolved<P> = P extends { role: 'dvza' }
  ? Omit<P, 'gegevensdiensten'> & { /** The ids it offers in the network's afsprakenstelsel. */ gegevensdiensten: string[] }
  : P;

/**
 * The network as one afsprakenstelsel sees it: the gegevensdiensten (key, id, name, Systeemrolcode) of that
 * version, and each DVZA's offer as the ids of that version. What every participant, list and page works with.
 */
export type Topology = Omit<TopologyFile, 'gegevensdiensten' | 'participants' | 'afsprakenstelsel'> & {
  afsprakenstelsel: Afsprakenstelsel;
  gegevensdiensten: Gegevensdienst[];
  participants: Resolved<RawParticipant>[];
};
export type Participant = Topology['participants'][number];

/**
 * The defaults of topology `trace`: a busy or hostile client (10,000 handshakes without a certificate) must not
 * grow a file, a process or an inspector's connection without bound.
 */
export const TRACE_LIMITS = {
  /** Past this size the trace file is rotated: one older part is kept (trace.1.jsonl). */
  maxBytes: DEFAULT_TRACE_MAX_BYTES,
  /** The recent events each process keeps in memory (what a scenario and a new inspector read). */
  memoryEvents: 10_000,
  /** The latest events a newly connected inspector gets; older ones are left out (and it is told so). */
  streamWindow: 2_000,
  /** Events waiting for one inspector that does not read: past this it is disconnected (it reconnects). */
  streamQueue: 5_000,
} as const;

/** The topology's trace limits with the defaults filled in. */
export function traceLimits(topology: Pick<Topology, 'trace'>): { [K in keyof typeof TRACE_LIMITS]: number } {
  return { ...TRACE_LIMITS, ...topology.trace };
}
export type Role = Participant['role'];
export type DvzaParticipant = Extract<Participant, { role: 'dvza' }>;
export type PgoParticipant = Extract<Participant, { role: 'pgo' }>;
export type ConsoleParticipant = Extract<Participant, { role: 'console' }>;

export interface TopologyOptions {
  /** Another afsprakenstelsel than the file's (the CLI's --afsprakenstelsel); default SANDBOX_AFSPRAKENSTELSEL, then the file's. */
  afsprakenstelsel?: Afsprakenstelsel;
  env?: NodeJS.ProcessEnv;
}

/** Parses and checks topology YAML; errors name the file, line and field. */
export function parseTopology(text: string, file = 'topology.yaml', o: TopologyOptions = {}): Topology {
  return resolveTopology(parseYamlWithSchema(text, file, topologySchema, 'topology'), file, o);
}

/** The file's network in one afsprakenstelsel (see Topology). */
export function resolveTopology(raw: TopologyFile, file: string, o: TopologyOptions = {}): Topology {
  const fromEnv = (o.env ?? process.env).SANDBOX_AFSPRAKENSTELSEL;
  if (fromEnv !== undefined && fromEnv !== '' && !isAfsprakenstelsel(fromEnv)) {
    throw new SandboxError(`SANDBOX_AFSPRAKENSTELSEL=${fromEnv}: must be one of ${AFSPRAKENSTELSELS.join(', ')}`);
  }
  const afsprakenstelsel = o.afsprakenstelsel ?? (fromEnv ? (fromEnv as Afsprakenstelsel) : undefined) ?? raw.afsprakenstelsel ?? DEFAULT_AFSPRAKENSTELSEL;
  const gegevensdiensten = raw.gegevensdiensten.map((g) => inVersion(g, afsprakenstelsel)).filter((g): g is Gegevensdienst => g !== undefined);
  const participants = raw.participants.map((p): Participant => {
    if (p.role !== 'dvza') return p;
    const offer = offerIn(p.gegevensdiensten, afsprakenstelsel);
    if (!offer)
      throw new SandboxError(
        `${file}: ${p.id}: gegevensdiensten has no list for afsprakenstelsel ${afsprakenstelsel}`,
        `add "${afsprakenstelsel}": [...] to its gegevensdiensten`,
      );
    const ids = offer.flatMap((name) => gegevensdiensten.filter((g) => g.key === name || g.id === name).map((g) => g.id));
    if (ids.length === 0)
      throw new SandboxError(`${file}: ${p.id}: none of its gegevensdiensten (${offer.join(', ')}) exists in afsprakenstelsel ${afsprakenstelsel}`);
    return { ...p, gegevensdiensten: ids };
  });
  return { ...raw, afsprakenstelsel, gegevensdiensten, participants };
}

export function loadTopology(path: string, o: TopologyOptions = {}): Topology {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SandboxError(`cannot read topology file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseTopology(text, path, o);
}

/** The gegevensdienst of the network's afsprakenstelsel with this key or id. */
export function gegevensdienstOf(topology: Topology, keyOrId: string): Gegevensdienst | undefined {
  return topology.gegevensdiensten.find((g) => g.key === keyOrId) ?? topology.gegevensdiensten.find((g) => g.id === keyOrId);
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
