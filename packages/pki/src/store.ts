/**
 * The sandbox PKI on disk (`.sandbox/pki/`): CA keys and certificates, one server, client and
 * (for participants a browser visits) browser certificate per participant hostname, the CRLs, and
 * state.json with every certificate ever issued. It is created once and kept across restarts, so a
 * developer who trusted the root once never has to again; `pki init --force` rebuilds it.
 *
 * Several processes use it at once (the running network reads it, the CLI changes it), so every
 * change takes a lock, re-reads state.json, writes files atomically and bumps `generation`;
 * readers watch state.json and reload their TLS contexts.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { SandboxError, fileStamp, secureRandomBytes, wallClock, withFileLock, writeFileAtomic, type Clock } from '@medmij-sandbox/network';
import { CA_IDS, LEAF_ISSUER, LEAF_KINDS, PERMITTED_DOMAINS, VALIDITY, caSubject, leafSubject, type CaId, type LeafKind } from './hierarchy.js';
import { createCrl, fingerprint256, generateRsaKey, issueCertificate, publicKeyOfCsr, REVOCATION_REASONS, type RevocationReason } from './x509.js';

const DAY = 86_400_000;

export type CertKind = 'root' | 'intermediate' | LeafKind;

export interface CertRecord {
  /** Upper-case hex, as OpenSSL and Node print it. */
  serial: string;
  kind: CertKind;
  /** For CAs: which CA this is. For leaves: the issuing CA. */
  ca: CaId;
  host?: string;
  subject: string;
  notBefore: string;
  notAfter: string;
  fingerprint256: string;
  /** `current` certificates are the ones in use; `superseded` ones were replaced by reissue/expire. */
  status: 'current' | 'superseded';
  revoked?: { at: string; reason: RevocationReason };
  /** Issued with a validity that has already ended (`pki expire`): start-up must not renew it. */
  expiredOnPurpose?: boolean;
  /** Paths relative to the PKI folder. */
  files: { cert: string; key?: string; chain?: string };
}

export interface PkiState {
  version: 1;
  installId: string;
  createdAt: string;
  /** Base URL of the PKI repository baked into every certificate (CRL distribution point, OCSP, CA issuers). */
  repositoryUrl: string;
  generation: number;
  crls: Record<CaId, { number: number; thisUpdate: string; nextUpdate: string }>;
  certificates: CertRecord[];
  /** What changed, newest last (bounded): a running network reports these on its trace. */
  history: PkiChange[];
}

export interface PkiChange {
  generation: number;
  at: string;
  what: string;
}

const HISTORY_LIMIT = 200;

/** A participant hostname and which certificates it needs. */
export interface HostSpec {
  hostname: string;
  /** Organisation name for the certificate subject (the participant's name). */
  organisation: string;
  kinds: LeafKind[];
}

export interface PkiOptions {
  /** Sandbox clock: validity is judged against it (required: a PKI never reads real time by default). */
  clock: Clock;
  /**
   * Wall clock. OpenSSL always checks validity against real time, so certificate and CRL windows are
   * stamped to be sensible under both clocks (a shifted sandbox clock must not break every handshake).
   */
  wallClock?: Clock;
}

export interface MaterialPem {
  certPem: string;
  keyPem: string;
  /** Leaf followed by its issuing CA: what a TLS peer should send. */
  chainPem: string;
}

export type CertState = 'valid' | 'revoked' | 'expired' | 'not-yet-valid';

export class SandboxPki {
  private state: PkiState;
  private stamp: string;
  private readonly clock: Clock;
  private readonly wallClock: Clock;

  private constructor(
    readonly dir: string,
    state: PkiState,
    options: PkiOptions,
  ) {
    this.state = state;
    this.stamp = fileStamp(join(dir, 'state.json'));
    this.clock = options.clock;
    this.wallClock = options.wallClock ?? wallClock;
  }

  static exists(dir: string): boolean {
    return existsSync(join(dir, 'state.json'));
  }

  /** Opens an existing PKI; a clear error tells how to create one. */
  static open(dir: string, options: PkiOptions): SandboxPki {
    if (!SandboxPki.exists(dir)) {
      throw new SandboxError(`no sandbox PKI in ${dir}`, 'create it with: npm run sandbox -- pki init');
    }
    return new SandboxPki(dir, readState(dir), options);
  }

  /** Creates the CA hierarchy and the host certificates. Refuses to overwrite unless `force`. */
  static async init(dir: string, init: { repositoryUrl: string; hosts: HostSpec[]; force?: boolean } & PkiOptions): Promise<SandboxPki> {
    if (SandboxPki.exists(dir) && !init.force) {
      throw new SandboxError(
        `a sandbox PKI already exists in ${dir}`,
        'use pki init --force to throw it away and build a new one (browsers must then trust the new root)',
      );
    }
    mkdirSync(dir, { recursive: true });
    return withLock(dir, async () => {
      for (const sub of ['ca', 'crl', 'hosts']) rmSync(join(dir, sub), { recursive: true, force: true });
      rmSync(join(dir, 'state.json'), { force: true });
      const clock = init.clock;
      const state: PkiState = {
        version: 1,
        installId: secureRandomBytes(4).toString('hex'),
        createdAt: clock.now().toISOString(),
        repositoryUrl: init.repositoryUrl.replace(/\/$/, ''),
        generation: 0,
        crls: {} as PkiState['crls'],
        certificates: [],
        history: [],
      };
      const pki = new SandboxPki(dir, state, init);
      // Key generation dominates the time: run it on all of libuv's threads at once.
      const leaves = init.hosts.flatMap((host) => host.kinds.map((kind) => ({ host, kind })));
      const [caKeys, leafKeys] = await Promise.all([Promise.all(CA_IDS.map(() => generateRsaKey())), Promise.all(leaves.map(() => generateRsaKey()))]);
      await pki.issueCas(caKeys);
      for (const [i, { host, kind }] of leaves.entries()) await pki.issueLeaf(host, kind, 'fresh', leafKeys[i]);
      await pki.writeCrls();
      pki.commit([`created the sandbox PKI (install ${state.installId}) with ${leaves.length} participant certificates`]);
      return pki;
    });
  }

  /**
   * What `npm start` calls: open the PKI (creating it if absent), issue certificates for hosts that
   * are new in the topology, renew certificates close to their end, refresh CRLs that are getting old.
   * Returns what it did, for the start log.
   */
  static async ensure(
    dir: string,
    opts: { repositoryUrl: string; hosts: HostSpec[] } & PkiOptions,
  ): Promise<{ pki: SandboxPki; created: boolean; changes: string[] }> {
    if (!SandboxPki.exists(dir)) {
      return { pki: await SandboxPki.init(dir, opts), created: true, changes: ['created the sandbox PKI'] };
    }
    const pki = SandboxPki.open(dir, opts);
    const wanted = opts.repositoryUrl.replace(/\/$/, '');
    if (pki.state.repositoryUrl !== wanted) {
      throw new SandboxError(
        `the sandbox PKI in ${dir} points its CRL distribution points at ${pki.state.repositoryUrl}, but the topology puts the PKI repository at ${wanted}`,
        'rebuild it with: npm run sandbox -- pki init --force',
      );
    }
    const changes = await pki.mutate(async () => {
      const done: string[] = [];
      for (const host of opts.hosts) {
        for (const kind of host.kinds) {
          const current = pki.current(host.hostname, kind);
          if (!current) {
            await pki.issueLeaf(host, kind, 'fresh');
            done.push(`issued ${kind} certificate for ${host.hostname}`);
          } else if (!current.expiredOnPurpose && !current.revoked && Date.parse(current.notAfter) - pki.wallClock.nowMs() < VALIDITY.renewWithinDays * DAY) {
            // Renewal is maintenance against real time: a time-travelling sandbox clock must still see old certificates expire.
            await pki.issueLeaf(host, kind, 'fresh');
            done.push(`renewed ${kind} certificate for ${host.hostname} (the old one ends ${current.notAfter})`);
          }
        }
      }
      const oldest = Math.min(...CA_IDS.map((ca) => Date.parse(pki.state.crls[ca]?.thisUpdate ?? '1970-01-01T00:00:00Z')));
      if (done.length > 0 || pki.wallClock.nowMs() - oldest > VALIDITY.crlRefreshAfterDays * DAY) {
        if (done.length === 0) done.push('refreshed the CRLs');
        return done;
      }
      return [];
    });
    return { pki, created: false, changes };
  }

  // ---- reading -------------------------------------------------------------------------------

  get installId(): string {
    return this.state.installId;
  }

  get generation(): number {
    return this.state.generation;
  }

  /** Identifies the PKI's current state, also across `pki init --force` (which starts generations anew). */
  get version(): string {
    return `${this.state.installId}:${this.state.generation}`;
  }

  get repositoryUrl(): string {
    return this.state.repositoryUrl;
  }

  /**
   * Re-reads state.json when another process (or another instance) changed it since we last looked.
   * A stat per call: cheap enough to run before every TLS handshake, so a revocation counts at once.
   */
  refresh(): this {
    const stamp = fileStamp(this.statePath);
    if (stamp !== this.stamp) {
      this.state = readState(this.dir);
      this.stamp = stamp;
    }
    return this;
  }

  path(relative: string): string {
    return join(this.dir, relative);
  }

  get statePath(): string {
    return join(this.dir, 'state.json');
  }

  certificates(): CertRecord[] {
    return this.state.certificates.map((c) => ({ ...c }));
  }

  hosts(): string[] {
    return [...new Set(this.state.certificates.filter((c) => c.host).map((c) => c.host!))];
  }

  current(host: string, kind: CertKind): CertRecord | undefined {
    return this.state.certificates.find((c) => c.host === host && c.kind === kind && c.status === 'current');
  }

  caRecord(ca: CaId): CertRecord {
    const record = this.state.certificates.find((c) => c.ca === ca && (c.kind === 'root' || c.kind === 'intermediate') && c.status === 'current');
    if (!record) throw new SandboxError(`the sandbox PKI in ${this.dir} has no ${ca} CA; rebuild it with: npm run sandbox -- pki init --force`);
    return record;
  }

  caCertPem(ca: CaId): string {
    return this.read(this.caRecord(ca).files.cert);
  }

  /** A CA's private key: for signing CRLs and OCSP answers inside the sandbox PKI, nothing else. */
  caKeyPem(ca: CaId): string {
    return this.read(this.caRecord(ca).files.key!);
  }

  get rootCertPath(): string {
    return this.path(this.caRecord('root').files.cert);
  }

  crlPem(ca: CaId): string {
    return this.read(`crl/${ca}.crl.pem`);
  }

  crlDer(ca: CaId): Buffer {
    return readFileSync(this.path(`crl/${ca}.crl`));
  }

  /** The CRLs of every CA: Node checks every certificate in the chain, the intermediate included. */
  allCrlPems(): string[] {
    return CA_IDS.map((ca) => this.crlPem(ca));
  }

  material(host: string, kind: LeafKind): MaterialPem {
    const record = this.current(host, kind);
    if (!record) {
      throw new SandboxError(
        `the sandbox PKI has no ${kind} certificate for ${host}`,
        `is ${host} in the topology? then run: npm start (it issues missing certificates)`,
      );
    }
    if (!record.files.key) {
      throw new SandboxError(
        `the ${kind} certificate of ${host} was signed from its owner's CSR: the sandbox has no key for it`,
        'run your own participant with your key (the reference implementation cannot stand in for it)',
      );
    }
    return { certPem: this.read(record.files.cert), keyPem: this.read(record.files.key), chainPem: this.read(record.files.chain!) };
  }

  /** A certificate's state judged against the sandbox clock. */
  stateOf(record: CertRecord): CertState {
    if (record.revoked) return 'revoked';
    const now = this.clock.nowMs();
    if (now > Date.parse(record.notAfter)) return 'expired';
    if (now < Date.parse(record.notBefore)) return 'not-yet-valid';
    return 'valid';
  }

  findBySerial(serial: string): CertRecord | undefined {
    const wanted = normaliseSerial(serial);
    return this.state.certificates.find((c) => c.serial === wanted);
  }

  // ---- changing ------------------------------------------------------------------------------

  /** Revokes the current certificates of a host (all kinds, or the ones named). */
  async revoke(host: string, opts: { kinds?: LeafKind[]; reason?: RevocationReason } = {}): Promise<CertRecord[]> {
    const reason = opts.reason ?? 'keyCompromise';
    if (!REVOCATION_REASONS.includes(reason)) {
      throw new SandboxError(`unknown revocation reason '${reason}'`, `use one of: ${REVOCATION_REASONS.join(', ')}`);
    }
    return this.changeHost(
      host,
      opts.kinds,
      async (record) => {
        if (record.revoked) return undefined;
        record.revoked = { at: this.nowForX509().toISOString(), reason };
        return record;
      },
      (r) => `revoked the ${r.kind} certificate of ${host} (serial ${r.serial}, reason ${reason})`,
      'revoked',
    );
  }

  /** Replaces the current certificates of a host by fresh ones (new key, new serial). Revoked ones stay on the CRL. */
  async reissue(host: string, opts: { kinds?: LeafKind[] } = {}): Promise<CertRecord[]> {
    return this.changeHost(
      host,
      opts.kinds,
      (record) => this.issueLeaf(this.specOf(record), record.kind as LeafKind, 'fresh'),
      (r) => `issued a new ${r.kind} certificate for ${host} (serial ${r.serial}, valid until ${r.notAfter})`,
    );
  }

  /** Replaces the current certificates of a host by ones whose validity has already ended. */
  async expire(host: string, opts: { kinds?: LeafKind[] } = {}): Promise<CertRecord[]> {
    return this.changeHost(
      host,
      opts.kinds,
      (record) => this.issueLeaf(this.specOf(record), record.kind as LeafKind, 'expired'),
      (r) => `issued an already expired ${r.kind} certificate for ${host} (serial ${r.serial}, ended ${r.notAfter})`,
    );
  }

  /** Rewrites the CRLs (new thisUpdate/nextUpdate, next CRL number). */
  /**
   * Certificates for a participant outside the topology (`sandbox enrol`): each kind of `host` it does not
   * have yet is issued with a new key; `csr` instead signs the participant's own signing request for one kind
   * (replacing a certificate it had). Returns the current certificates of the host.
   */
  async enrol(host: HostSpec, opts: { csr?: { kind: LeafKind; pem: string } } = {}): Promise<CertRecord[]> {
    let publicKeyPem: string | undefined;
    if (opts.csr) {
      try {
        publicKeyPem = (await publicKeyOfCsr(opts.csr.pem)).publicKeyPem;
      } catch (e) {
        throw new SandboxError((e as Error).message);
      }
    }
    await this.mutate(async () => {
      const done: string[] = [];
      for (const kind of host.kinds) {
        if (opts.csr?.kind === kind) {
          await this.issueLeaf(host, kind, 'fresh', undefined, publicKeyPem);
          done.push(`signed the ${kind} certificate signing request of ${host.hostname}`);
        } else {
          // A revoked one (withdrawn earlier) or one expired on purpose is no certificate to hand out again.
          const current = this.current(host.hostname, kind);
          if (!current || current.revoked || current.expiredOnPurpose) {
            await this.issueLeaf(host, kind, 'fresh');
            done.push(`issued ${kind} certificate for ${host.hostname} (enrolled)`);
          }
        }
      }
      return done;
    });
    return host.kinds.map((kind) => this.current(host.hostname, kind)!);
  }

  async refreshCrls(): Promise<void> {
    await this.mutate(async () => ['refreshed the CRLs']);
  }

  private async changeHost(
    host: string,
    kinds: LeafKind[] | undefined,
    change: (record: CertRecord) => Promise<CertRecord | undefined>,
    describe: (record: CertRecord) => string,
    nothingVerb?: string,
  ): Promise<CertRecord[]> {
    const changed: CertRecord[] = [];
    await this.mutate(async () => {
      const targets = (kinds ?? LEAF_KINDS).map((k) => this.current(host, k)).filter((r): r is CertRecord => r !== undefined);
      if (targets.length === 0) {
        const known = this.hosts();
        throw new SandboxError(
          kinds ? `${host} has no ${kinds.join('/')} certificate in the sandbox PKI` : `no certificates for '${host}' in the sandbox PKI`,
          known.length ? `known hosts: ${known.join(', ')}` : undefined,
        );
      }
      for (const target of targets) {
        const result = await change(target);
        if (result) changed.push(result);
      }
      if (changed.length === 0 && nothingVerb)
        throw new SandboxError(
          `the current certificates of ${host} are already ${nothingVerb}`,
          `issue fresh ones with: npm run sandbox -- pki reissue ${host}`,
        );
      return changed.map(describe);
    });
    return changed.map((c) => ({ ...c }));
  }

  private specOf(record: CertRecord): HostSpec {
    const organisation = /O=([^,]+?) \(sandbox\)/.exec(record.subject)?.[1] ?? record.host!;
    return { hostname: record.host!, organisation, kinds: [record.kind as LeafKind] };
  }

  /**
   * Runs a change under the lock on fresh state; the change returns what it did, one sentence each
   * (nothing: no change). Then the CRLs and state.json are rewritten.
   */
  private async mutate(change: () => Promise<string[]>): Promise<string[]> {
    return withLock(this.dir, async () => {
      this.state = readState(this.dir);
      const done = await change();
      if (done.length > 0) {
        await this.writeCrls();
        this.commit(done);
      }
      return done;
    });
  }

  /** The changes made after `generation`, oldest first. */
  changesSince(generation: number): PkiChange[] {
    return (this.state.history ?? []).filter((c) => c.generation > generation);
  }

  private commit(what: string[]): void {
    this.state.generation += 1;
    const at = this.clock.now().toISOString();
    this.state.history = [...(this.state.history ?? []), ...what.map((w) => ({ generation: this.state.generation, at, what: w }))].slice(-HISTORY_LIMIT);
    writeFileAtomic(this.statePath, `${JSON.stringify(this.state, null, 2)}\n`);
    this.stamp = fileStamp(this.statePath);
  }

  /** "Now" for X.509 fields OpenSSL checks against real time: never later than either clock. */
  private nowForX509(): Date {
    return new Date(Math.min(this.clock.nowMs(), this.wallClock.nowMs()));
  }

  private async issueCas([rootKey, ...intermediateKeys]: string[]): Promise<void> {
    const start = new Date(this.nowForX509().getTime() - DAY);
    const end = new Date(Math.max(this.clock.nowMs(), this.wallClock.nowMs()) + VALIDITY.caDays * DAY);
    const serial = newSerial();
    const rootPem = await issueCertificate({
      profile: 'root',
      subject: caSubject('root', this.state.installId),
      subjectKeyPem: rootKey!,
      serialHex: serial,
      notBefore: start,
      notAfter: end,
      permittedDnsSubtrees: [...PERMITTED_DOMAINS],
    });
    this.addRecord({ kind: 'root', ca: 'root', certPem: rootPem, keyPem: rootKey!, base: 'ca/root' });
    for (const [i, ca] of (['private-services', 'browser'] as const).entries()) {
      const key = intermediateKeys[i]!;
      const pem = await issueCertificate({
        profile: 'intermediate',
        subject: caSubject(ca, this.state.installId),
        subjectKeyPem: key,
        issuer: { certPem: rootPem, keyPem: rootKey },
        serialHex: newSerial(),
        notBefore: start,
        notAfter: end,
        ...this.repositoryPointers('root'),
      });
      this.addRecord({ kind: 'intermediate', ca, certPem: pem, keyPem: key, base: `ca/${ca}` });
    }
  }

  private repositoryPointers(issuer: CaId) {
    return {
      crlUrl: `${this.state.repositoryUrl}/crl/${issuer}.crl`,
      ocspUrl: `${this.state.repositoryUrl}/ocsp/${issuer}`,
      caIssuersUrl: `${this.state.repositoryUrl}/ca/${issuer}.crt`,
    };
  }

  private async issueLeaf(host: HostSpec, kind: LeafKind, validity: 'fresh' | 'expired', keyPem?: string, publicKeyPem?: string): Promise<CertRecord> {
    const issuerCa = LEAF_ISSUER[kind];
    const issuer = this.caRecord(issuerCa);
    const issuerPem = this.read(issuer.files.cert);
    const now = this.nowForX509().getTime();
    const [notBefore, notAfter] =
      validity === 'fresh'
        ? [new Date(now - DAY), new Date(Math.max(this.clock.nowMs(), this.wallClock.nowMs()) + VALIDITY.leafDays * DAY)]
        : [new Date(now - (VALIDITY.leafDays + 1) * DAY), new Date(now - 60_000)];
    // A signed CSR: the participant keeps its own key, the sandbox never sees it.
    const key = publicKeyPem ? undefined : (keyPem ?? (await generateRsaKey()));
    const pem = await issueCertificate({
      profile: kind === 'client' ? 'client' : 'server',
      subject: leafSubject(host.hostname, host.organisation),
      ...(key ? { subjectKeyPem: key } : { subjectPublicKeyPem: publicKeyPem }),
      issuer: { certPem: issuerPem, keyPem: this.read(issuer.files.key!) },
      serialHex: newSerial(),
      notBefore,
      notAfter,
      dnsNames: [host.hostname],
      ...this.repositoryPointers(issuerCa),
    });
    const previous = this.current(host.hostname, kind);
    if (previous) previous.status = 'superseded';
    return this.addRecord({
      kind,
      ca: issuerCa,
      host: host.hostname,
      certPem: pem,
      keyPem: key,
      chainPem: pem + issuerPem,
      base: `hosts/${host.hostname}/${kind}`,
      expiredOnPurpose: validity === 'expired' || undefined,
    });
  }

  private addRecord(r: {
    kind: CertKind;
    ca: CaId;
    host?: string;
    certPem: string;
    keyPem?: string;
    chainPem?: string;
    base: string;
    expiredOnPurpose?: boolean;
  }): CertRecord {
    const x = new X509Certificate(r.certPem);
    const record: CertRecord = {
      serial: normaliseSerial(x.serialNumber),
      kind: r.kind,
      ca: r.ca,
      ...(r.host ? { host: r.host } : {}),
      subject: x.subject.split('\n').reverse().join(', '),
      notBefore: new Date(x.validFrom).toISOString(),
      notAfter: new Date(x.validTo).toISOString(),
      fingerprint256: fingerprint256(r.certPem),
      status: 'current',
      ...(r.expiredOnPurpose ? { expiredOnPurpose: true } : {}),
      files: { cert: `${r.base}.pem`, ...(r.keyPem ? { key: `${r.base}.key` } : {}), ...(r.chainPem ? { chain: `${r.base}-chain.pem` } : {}) },
    };
    // The serial keeps superseded certificates apart in the archive; the stable names are what servers load.
    this.write(`archive/${record.serial}.pem`, r.certPem);
    this.write(record.files.cert, r.certPem);
    if (r.keyPem) this.write(record.files.key!, r.keyPem, 0o600);
    else rmSync(this.path(`${r.base}.key`), { force: true }); // the key of an earlier certificate is not this one's
    if (r.chainPem) this.write(record.files.chain!, r.chainPem);
    this.state.certificates.push(record);
    return record;
  }

  private async writeCrls(): Promise<void> {
    const now = this.nowForX509().getTime();
    const later = Math.max(this.clock.nowMs(), this.wallClock.nowMs());
    for (const ca of CA_IDS) {
      const record = this.caRecord(ca);
      const number = (this.state.crls[ca]?.number ?? 0) + 1;
      const thisUpdate = new Date(now - 3_600_000);
      const nextUpdate = new Date(later + VALIDITY.crlDays * DAY);
      const entries = this.state.certificates
        .filter((c) => c.revoked && issuerOf(c) === ca)
        .map((c) => ({ serialHex: c.serial, revokedAt: new Date(c.revoked!.at), reason: c.revoked!.reason }));
      const crl = await createCrl({
        issuerCertPem: this.read(record.files.cert),
        issuerKeyPem: this.read(record.files.key!),
        thisUpdate,
        nextUpdate,
        crlNumber: number,
        entries,
      });
      this.write(`crl/${ca}.crl`, crl.der);
      this.write(`crl/${ca}.crl.pem`, crl.pem);
      this.state.crls[ca] = { number, thisUpdate: thisUpdate.toISOString(), nextUpdate: nextUpdate.toISOString() };
    }
  }

  private read(relative: string): string {
    return readFileSync(this.path(relative), 'utf8');
  }

  private write(relative: string, content: string | Buffer, mode = 0o644): void {
    writeFileAtomic(this.path(relative), content, mode);
  }
}

/** The CA that signed a certificate (and so lists it on its CRL); a root signs itself. */
function issuerOf(record: CertRecord): CaId | undefined {
  if (record.kind === 'root') return undefined;
  return record.kind === 'intermediate' ? 'root' : record.ca;
}

export function normaliseSerial(serial: string): string {
  const hex = serial
    .replace(/[:\s]/g, '')
    .toUpperCase()
    .replace(/^0+(?=.)/, '');
  return hex.length % 2 ? `0${hex}` : hex;
}

/** A random positive 127-bit serial (RFC 5280 asks for at least 64 unpredictable bits). */
function newSerial(): string {
  const bytes = secureRandomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01; // positive, and no leading zero byte
  return bytes.toString('hex');
}

function readState(dir: string): PkiState {
  const path = join(dir, 'state.json');
  let state: PkiState;
  try {
    state = JSON.parse(readFileSync(path, 'utf8')) as PkiState;
  } catch (e) {
    throw new SandboxError(`cannot read ${path}: ${(e as Error).message}`, 'rebuild the PKI with: npm run sandbox -- pki init --force');
  }
  if (state.version !== 1 || !Array.isArray(state.certificates)) {
    throw new SandboxError(
      `${path} is not a sandbox PKI state file (version ${String(state.version)})`,
      'rebuild the PKI with: npm run sandbox -- pki init --force',
    );
  }
  return state;
}

/** One change to the PKI at a time, across processes: the CLI and a running network never change it together. */
function withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true });
  return withFileLock(dir, fn, { lockPath: join(dir, 'state.lock'), what: `the sandbox PKI in ${dir}` });
}
