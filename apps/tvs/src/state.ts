/** What the TVS's front channel (login) and back channel (code resolution) share: services, sessions, codes. */
import type { Clock, RandomStream, TraceBus } from '@medmij-sandbox/network';
import type { SandboxPki } from '@medmij-sandbox/pki';
import type { AssuranceLevelId } from '@medmij-sandbox/tvs-client';
import type { Lang, PersonaCard } from './pages.js';

/** A service that may use this TVS (a DVZA): the "aansluitbestand" of the real TVS. */
export interface TvsService {
  hostname: string;
  name: string;
  /** Its front-channel port, where the login result goes back to (443: a URL that names none). */
  port: number;
}

/**
 * The Whitelist as the TVS reads it (packages/lists ListConsumer): the list to check a caller against, or
 * ListUnusableError when there is none or it expired; `refresh` fetches the newest (index.ts: at the start; later
 * the stelselnode's notices and the poll keep it current, never a fetch per code).
 */
export interface TvsWhitelist {
  require(traceId?: string): { nodes: readonly string[] };
  refresh(): Promise<unknown>;
}

export interface TvsDeps {
  hostname: string;
  /** Front-channel origin: the issuer of every assertion. */
  issuer: string;
  /** Back-channel origin, where services resolve codes with mutual TLS. */
  backchannelUrl: string;
  services: TvsService[];
  /** A service resolves a code only while its hostname is on the Whitelist (MedMij nodes accept MedMij nodes only). */
  whitelist: TvsWhitelist;
  personas: PersonaCard[];
  pki: SandboxPki;
  clock: Clock;
  bus: TraceBus;
  /**
   * The key pseudonyms are derived with (HMAC per service and BSN): a secret, kept by the TVS across restarts
   * so a person keeps their pseudonym (index.ts keeps it in a 0600 file).
   */
  pseudonymKey: Buffer;
  /** Where session ids, cookie values, codes and assertion ids come from: the CSPRNG (a test may inject one). */
  secrets?: RandomStream;
}

export interface LoginSession {
  id: string;
  /** The session cookie's random value: only the browser that opened the login has it. */
  cookie: string;
  service: TvsService;
  redirectUri: string;
  state: string;
  nonce: string;
  minimumLevel: AssuranceLevelId;
  lang: Lang;
  traceId?: string;
  createdAt: number;
  /** Set once the person has chosen: a session is used once. */
  finished?: boolean;
}

export interface IssuedCode {
  service: TvsService;
  redirectUri: string;
  nonce: string;
  bsn: string;
  level: AssuranceLevelId;
  traceId?: string;
  expiresAt: number;
  usedAt?: number;
}
