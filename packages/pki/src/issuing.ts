/**
 * Issuing in the sandbox PKI: the CA hierarchy, participant (leaf) certificates and the CRLs, each
 * written to the PKI folder and recorded in the state. The validity windows are chosen here: OpenSSL
 * judges against the wall clock, the sandbox against its own (time-travelling) clock, so every window
 * must make sense under both. Callers (SandboxPki) hold the lock and commit the state afterwards.
 */
import { X509Certificate } from 'node:crypto';
import { secureRandomBytes, type Clock } from '@medmij-sandbox/network';
import { CA_IDS, LEAF_ISSUER, PERMITTED_DOMAINS, VALIDITY, caSubject, leafSubject, type CaId, type LeafKind } from './hierarchy.js';
import { caRecordOf, currentRecord, normaliseSerial, type CertKind, type CertRecord, type PkiFolder, type PkiState } from './state.js';
import { createCrl, fingerprint256, generateRsaKey, issueCertificate } from './x509.js';

const DAY = 86_400_000;

/** A participant hostname and which certificates it needs. */
export interface HostSpec {
  hostname: string;
  /** Organisation name for the certificate subject (the participant's name). */
  organisation: string;
  kinds: LeafKind[];
}

/** What issuing works on: the folder, the state it adds to (in place) and both clocks. */
export interface IssuingContext {
  folder: PkiFolder;
  state: PkiState;
  /** Sandbox clock. */
  clock: Clock;
  wallClock: Clock;
}

/** "Now" for X.509 fields OpenSSL checks against real time: never later than either clock. */
export function nowForX509(ctx: IssuingContext): Date {
  return new Date(Math.min(ctx.clock.nowMs(), ctx.wallClock.nowMs()));
}

/** The later of the two clocks: windows must not end before either has passed their end. */
function laterNowMs(ctx: IssuingContext): number {
  return Math.max(ctx.clock.nowMs(), ctx.wallClock.nowMs());
}

/** The root (self-signed, name-constrained) and the two issuing CAs under it, from the keys given (root first). */
export async function issueCas(ctx: IssuingContext, [rootKey, ...intermediateKeys]: string[]): Promise<void> {
  const start = new Date(nowForX509(ctx).getTime() - DAY);
  const end = new Date(laterNowMs(ctx) + VALIDITY.caDays * DAY);
  const serial = newSerial();
  const rootPem = await issueCertificate({
    profile: 'root',
    subject: caSubject('root', ctx.state.installId),
    subjectKeyPem: rootKey!,
    serialHex: serial,
    notBefore: start,
    notAfter: end,
    permittedDnsSubtrees: [...PERMITTED_DOMAINS],
  });
  addRecord(ctx, { kind: 'root', ca: 'root', certPem: rootPem, keyPem: rootKey!, base: 'ca/root' });
  for (const [i, ca] of (['private-services', 'browser'] as const).entries()) {
    const key = intermediateKeys[i]!;
    const pem = await issueCertificate({
      profile: 'intermediate',
      subject: caSubject(ca, ctx.state.installId),
      subjectKeyPem: key,
      issuer: { certPem: rootPem, keyPem: rootKey! },
      serialHex: newSerial(),
      notBefore: start,
      notAfter: end,
      ...repositoryPointers(ctx, 'root'),
    });
    addRecord(ctx, { kind: 'intermediate', ca, certPem: pem, keyPem: key, base: `ca/${ca}` });
  }
}

/**
 * A leaf certificate for `host`, replacing the current one of that kind. With `keyPem` that key is used;
 * with `publicKeyPem` (a signed CSR) the sandbox never sees the private key; otherwise a new key is made.
 */
export async function issueLeaf(
  ctx: IssuingContext,
  host: HostSpec,
  kind: LeafKind,
  validity: 'fresh' | 'expired',
  keyPem?: string,
  publicKeyPem?: string,
): Promise<CertRecord> {
  const issuerCa = LEAF_ISSUER[kind];
  const issuer = caRecordOf(ctx.state, ctx.folder.dir, issuerCa);
  const issuerPem = ctx.folder.read(issuer.files.cert);
  const now = nowForX509(ctx).getTime();
  const [notBefore, notAfter] =
    validity === 'fresh'
      ? [new Date(now - DAY), new Date(laterNowMs(ctx) + VALIDITY.leafDays * DAY)]
      : [new Date(now - (VALIDITY.leafDays + 1) * DAY), new Date(now - 60_000)];
  // A signed CSR: the participant keeps its own key, the sandbox never sees it.
  const key = publicKeyPem ? undefined : (keyPem ?? (await generateRsaKey()));
  const pem = await issueCertificate({
    profile: kind === 'client' ? 'client' : 'server',
    subject: leafSubject(host.hostname, host.organisation),
    ...(key ? { subjectKeyPem: key } : { subjectPublicKeyPem: publicKeyPem }),
    issuer: { certPem: issuerPem, keyPem: ctx.folder.read(issuer.files.key!) },
    serialHex: newSerial(),
    notBefore,
    notAfter,
    dnsNames: [host.hostname],
    ...repositoryPointers(ctx, issuerCa),
  });
  const previous = currentRecord(ctx.state, host.hostname, kind);
  if (previous) previous.status = 'superseded';
  return addRecord(ctx, {
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

/**
 * Start-up maintenance (`SandboxPki.ensure`): issues the certificates hosts of the topology lack, renews
 * those close to their end, and asks for new CRLs when anything changed or they are getting old. Returns
 * what it did, one sentence each; nothing means nothing needs doing (the CRLs are rewritten by the caller).
 */
export async function maintain(ctx: IssuingContext, hosts: HostSpec[]): Promise<string[]> {
  const done: string[] = [];
  for (const host of hosts) {
    for (const kind of host.kinds) {
      const current = currentRecord(ctx.state, host.hostname, kind);
      if (!current) {
        await issueLeaf(ctx, host, kind, 'fresh');
        done.push(`issued ${kind} certificate for ${host.hostname}`);
      } else if (!current.expiredOnPurpose && !current.revoked && Date.parse(current.notAfter) - ctx.wallClock.nowMs() < VALIDITY.renewWithinDays * DAY) {
        // Renewal is maintenance against real time: a time-travelling sandbox clock must still see old certificates expire.
        await issueLeaf(ctx, host, kind, 'fresh');
        done.push(`renewed ${kind} certificate for ${host.hostname} (the old one ends ${current.notAfter})`);
      }
    }
  }
  const oldest = Math.min(...CA_IDS.map((ca) => Date.parse(ctx.state.crls[ca]?.thisUpdate ?? '1970-01-01T00:00:00Z')));
  if (done.length > 0 || ctx.wallClock.nowMs() - oldest > VALIDITY.crlRefreshAfterDays * DAY) {
    if (done.length === 0) done.push('refreshed the CRLs');
    return done;
  }
  return [];
}

/** Rewrites every CA's CRL (DER and PEM): new thisUpdate/nextUpdate, the next CRL number, all revoked serials. */
export async function writeCrls(ctx: IssuingContext): Promise<void> {
  const now = nowForX509(ctx).getTime();
  const later = laterNowMs(ctx);
  for (const ca of CA_IDS) {
    const record = caRecordOf(ctx.state, ctx.folder.dir, ca);
    const number = (ctx.state.crls[ca]?.number ?? 0) + 1;
    const thisUpdate = new Date(now - 3_600_000);
    const nextUpdate = new Date(later + VALIDITY.crlDays * DAY);
    const entries = ctx.state.certificates
      .filter((c) => c.revoked && issuerOf(c) === ca)
      .map((c) => ({ serialHex: c.serial, revokedAt: new Date(c.revoked!.at), reason: c.revoked!.reason }));
    const crl = await createCrl({
      issuerCertPem: ctx.folder.read(record.files.cert),
      issuerKeyPem: ctx.folder.read(record.files.key!),
      thisUpdate,
      nextUpdate,
      crlNumber: number,
      entries,
    });
    ctx.folder.write(`crl/${ca}.crl`, crl.der);
    ctx.folder.write(`crl/${ca}.crl.pem`, crl.pem);
    ctx.state.crls[ca] = { number, thisUpdate: thisUpdate.toISOString(), nextUpdate: nextUpdate.toISOString() };
  }
}

/** Where a certificate issued by `issuer` says its CRL, OCSP responder and issuer certificate are. */
function repositoryPointers(ctx: IssuingContext, issuer: CaId) {
  return {
    crlUrl: `${ctx.state.repositoryUrl}/crl/${issuer}.crl`,
    ocspUrl: `${ctx.state.repositoryUrl}/ocsp/${issuer}`,
    caIssuersUrl: `${ctx.state.repositoryUrl}/ca/${issuer}.crt`,
  };
}

/** Writes a new certificate (and its key and chain) under its stable names and the archive, and records it as current. */
function addRecord(
  ctx: IssuingContext,
  r: {
    kind: CertKind;
    ca: CaId;
    host?: string;
    certPem: string;
    keyPem?: string;
    chainPem?: string;
    base: string;
    expiredOnPurpose?: boolean;
  },
): CertRecord {
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
  ctx.folder.write(`archive/${record.serial}.pem`, r.certPem);
  ctx.folder.write(record.files.cert, r.certPem);
  if (r.keyPem) ctx.folder.write(record.files.key!, r.keyPem, 0o600);
  else ctx.folder.remove(`${r.base}.key`); // the key of an earlier certificate is not this one's
  if (r.chainPem) ctx.folder.write(record.files.chain!, r.chainPem);
  ctx.state.certificates.push(record);
  return record;
}

/** The CA that signed a certificate (and so lists it on its CRL); a root signs itself. */
function issuerOf(record: CertRecord): CaId | undefined {
  if (record.kind === 'root') return undefined;
  return record.kind === 'intermediate' ? 'root' : record.ca;
}

/** A random positive 127-bit serial (RFC 5280 asks for at least 64 unpredictable bits). */
function newSerial(): string {
  const bytes = secureRandomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01; // positive, and no leading zero byte
  return bytes.toString('hex');
}
