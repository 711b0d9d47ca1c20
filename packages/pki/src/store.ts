/**
 * The sandbox PKI on disk (`.sandbox/pki/`): CA keys and certificates, one server, client and
 * (for participants a browser visits) browser certificate per participant hostname, the CRLs, and
 * state.json with every certificate ever issued. It is created once and kept across restarts, so a
 * developer who trusted the root once never has to again; `pki init --force` rebuilds it.
 *
 * Several processes use it at once (the running network reads it, the CLI changes it), so every
 * change takes a lock, re-reads state.json, writes files atomically and bumps `generation`;
 * readers watch state.json and reload their TLS contexts.
 *
 * This file is the face the rest of the sandbox uses (SandboxPki): opening and creating, reading,
 * and the changes (revoke, reissue, expire, enrol). The state file and folder are in state.ts, the
 * issuing of certificates and CRLs in issuing.ts.
 */
import { mkdirSync } from 'node:fs';
import { SandboxError, secureRandomBytes, wallClock, type Clock } from '@medmij-sandbox/network';
import { CA_IDS, LEAF_KINDS, type CaId, type LeafKind } from './hierarchy.js';
import { issueCas, issueLeaf, maintain, nowForX509, writeCrls, type HostSpec, type IssuingContext } from './issuing.js';
import { PkiFolder, caRecordOf, currentRecord, emptyState, normaliseSerial, type CertKind, type CertRecord, type PkiChange, type PkiState } from './state.js';
import { generateRsaKey, publicKeyOfCsr, REVOCATION_REASONS, type RevocationReason } from './x509.js';

export type { CertKind, CertRecord, PkiChange, PkiState } from './state.js';
export type { HostSpec } from './issuing.js';
export { normaliseSerial } from './state.js';

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
  private readonly folder: PkiFolder;
  private readonly clock: Clock;
  private readonly wallClock: Clock;

  private constructor(
    readonly dir: string,
    state: PkiState,
    options: PkiOptions,
  ) {
    this.folder = new PkiFolder(dir);
    this.state = state;
    this.stamp = this.folder.stateStamp();
    this.clock = options.clock;
    this.wallClock = options.wallClock ?? wallClock;
  }

  static exists(dir: string): boolean {
    return new PkiFolder(dir).hasState();
  }

  /** Opens an existing PKI; a clear error tells how to create one. */
  static open(dir: string, options: PkiOptions): SandboxPki {
    if (!SandboxPki.exists(dir)) {
      throw new SandboxError(`no sandbox PKI in ${dir}`, 'create it with: npm run sandbox -- pki init');
    }
    return new SandboxPki(dir, new PkiFolder(dir).readState(), options);
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
    const folder = new PkiFolder(dir);
    return folder.withLock(async () => {
      for (const sub of ['ca', 'crl', 'hosts', 'state.json']) folder.remove(sub);
      const state = emptyState({ installId: secureRandomBytes(4).toString('hex'), createdAt: init.clock.now(), repositoryUrl: init.repositoryUrl });
      const pki = new SandboxPki(dir, state, init);
      // Key generation dominates the time: run it on all of libuv's threads at once.
      const leaves = init.hosts.flatMap((host) => host.kinds.map((kind) => ({ host, kind })));
      const [caKeys, leafKeys] = await Promise.all([Promise.all(CA_IDS.map(() => generateRsaKey())), Promise.all(leaves.map(() => generateRsaKey()))]);
      await issueCas(pki.issuing, caKeys);
      for (const [i, { host, kind }] of leaves.entries()) await issueLeaf(pki.issuing, host, kind, 'fresh', leafKeys[i]);
      await writeCrls(pki.issuing);
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
    const changes = await pki.mutate(() => maintain(pki.issuing, opts.hosts));
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
    const stamp = this.folder.stateStamp();
    if (stamp !== this.stamp) {
      this.state = this.folder.readState();
      this.stamp = stamp;
    }
    return this;
  }

  path(relative: string): string {
    return this.folder.path(relative);
  }

  get statePath(): string {
    return this.folder.statePath;
  }

  certificates(): CertRecord[] {
    return this.state.certificates.map((c) => ({ ...c }));
  }

  hosts(): string[] {
    return [...new Set(this.state.certificates.filter((c) => c.host).map((c) => c.host!))];
  }

  current(host: string, kind: CertKind): CertRecord | undefined {
    return currentRecord(this.state, host, kind);
  }

  caRecord(ca: CaId): CertRecord {
    return caRecordOf(this.state, this.dir, ca);
  }

  caCertPem(ca: CaId): string {
    return this.folder.read(this.caRecord(ca).files.cert);
  }

  /** A CA's private key: for signing CRLs and OCSP answers inside the sandbox PKI, nothing else. */
  caKeyPem(ca: CaId): string {
    return this.folder.read(this.caRecord(ca).files.key!);
  }

  get rootCertPath(): string {
    return this.path(this.caRecord('root').files.cert);
  }

  crlPem(ca: CaId): string {
    return this.folder.read(`crl/${ca}.crl.pem`);
  }

  crlDer(ca: CaId): Buffer {
    return this.folder.readBytes(`crl/${ca}.crl`);
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
    return { certPem: this.folder.read(record.files.cert), keyPem: this.folder.read(record.files.key), chainPem: this.folder.read(record.files.chain!) };
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
        record.revoked = { at: nowForX509(this.issuing).toISOString(), reason };
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
      (record) => issueLeaf(this.issuing, this.specOf(record), record.kind as LeafKind, 'fresh'),
      (r) => `issued a new ${r.kind} certificate for ${host} (serial ${r.serial}, valid until ${r.notAfter})`,
    );
  }

  /** Replaces the current certificates of a host by ones whose validity has already ended. */
  async expire(host: string, opts: { kinds?: LeafKind[] } = {}): Promise<CertRecord[]> {
    return this.changeHost(
      host,
      opts.kinds,
      (record) => issueLeaf(this.issuing, this.specOf(record), record.kind as LeafKind, 'expired'),
      (r) => `issued an already expired ${r.kind} certificate for ${host} (serial ${r.serial}, ended ${r.notAfter})`,
    );
  }

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
          await issueLeaf(this.issuing, host, kind, 'fresh', undefined, publicKeyPem);
          done.push(`signed the ${kind} certificate signing request of ${host.hostname}`);
        } else {
          // A revoked one (withdrawn earlier) or one expired on purpose is no certificate to hand out again.
          const current = this.current(host.hostname, kind);
          if (!current || current.revoked || current.expiredOnPurpose) {
            await issueLeaf(this.issuing, host, kind, 'fresh');
            done.push(`issued ${kind} certificate for ${host.hostname} (enrolled)`);
          }
        }
      }
      return done;
    });
    return host.kinds.map((kind) => this.current(host.hostname, kind)!);
  }

  /** Rewrites the CRLs (new thisUpdate/nextUpdate, next CRL number). */
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
    return this.folder.withLock(async () => {
      this.state = this.folder.readState();
      const done = await change();
      if (done.length > 0) {
        await writeCrls(this.issuing);
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
    this.stamp = this.folder.commitState(this.state, what, this.clock.now());
  }

  /** What issuing works on: this PKI's folder and clocks, and its current state (changed in place). */
  private get issuing(): IssuingContext {
    return { folder: this.folder, state: this.state, clock: this.clock, wallClock: this.wallClock };
  }
}
