/**
 * The sandbox PKI hierarchy, modelled on PKIoverheid but named so it can never be mistaken for it:
 *
 *   MedMij Sandbox Root CA - NOT FOR PRODUCTION            (name-constrained to .localhost and .test)
 *   ├── MedMij Sandbox Private Services CA - NOT FOR PRODUCTION   back channel: server + client certificates
 *   │                                                            (like PKIoverheid Private Services G1)
 *   └── MedMij Sandbox Browser CA - NOT FOR PRODUCTION           front channel: certificates browsers see
 *                                                                (like a public OV certificate)
 */
import { SANDBOX_DOMAINS } from '@medmij-sandbox/network';
import type { DistinguishedName } from './x509.js';

export type CaId = 'root' | 'private-services' | 'browser';
export const CA_IDS: readonly CaId[] = ['root', 'private-services', 'browser'];

/** What a leaf certificate is for: back-channel server, back-channel client, or front-channel (browser) server. */
export type LeafKind = 'server' | 'client' | 'browser';
export const LEAF_KINDS: readonly LeafKind[] = ['server', 'client', 'browser'];

export const LEAF_ISSUER: Record<LeafKind, CaId> = { server: 'private-services', client: 'private-services', browser: 'browser' };

export const NOT_FOR_PRODUCTION = 'NOT FOR PRODUCTION';
export const SANDBOX_ORGANISATION = `MedMij Sandbox (${NOT_FOR_PRODUCTION})`;

export const CA_NAMES: Record<CaId, string> = {
  root: `MedMij Sandbox Root CA - ${NOT_FOR_PRODUCTION}`,
  'private-services': `MedMij Sandbox Private Services CA - ${NOT_FOR_PRODUCTION}`,
  browser: `MedMij Sandbox Browser CA - ${NOT_FOR_PRODUCTION}`,
};

/** The domains the root may vouch for (RFC 5280 name constraints): trusting it endangers no real site. */
export const PERMITTED_DOMAINS: readonly string[] = SANDBOX_DOMAINS;

export function caSubject(ca: CaId, installId: string): DistinguishedName {
  // The install id tells two sandbox roots apart (after `pki init --force`) in a browser's trust store.
  return { C: 'NL', O: SANDBOX_ORGANISATION, OU: `Sandbox install ${installId}`, CN: CA_NAMES[ca] };
}

/** A participant's certificate subject: its organisation marked "(sandbox)" once, even when its name says so already. */
export function leafSubject(hostname: string, organisation: string): DistinguishedName {
  const marked = /\(sandbox\)\s*$/i.test(organisation) ? organisation : `${organisation} (sandbox)`;
  return { C: 'NL', O: marked.slice(0, 64), OU: NOT_FOR_PRODUCTION, CN: hostname };
}

export const VALIDITY = {
  caDays: 3650,
  /** The longest lifetime browsers accept for TLS server certificates. */
  leafDays: 397,
  /** Renew a leaf at start when it has fewer days left than this. */
  renewWithinDays: 30,
  crlDays: 7,
  /** Refresh CRLs at start when they are older than this. */
  crlRefreshAfterDays: 1,
} as const;
