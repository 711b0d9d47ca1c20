/**
 * The HTTP headers of the contract: the MedMij correlation headers (SPEC §2.5, §2.7, §10.1) and the Accept
 * header of a resource request (SPEC §10.3). Header names are matched case-insensitively, as HTTP has them.
 */
import { OAUTH, said, say, type Said } from '@medmij-sandbox/rules';
import type { Afsprakenstelsel } from '@medmij-sandbox/network/afsprakenstelsel';
import { tokenRefused, type TokenRefused } from './token.js';

// ---- MedMij-Request-ID and X-Correlation-ID ------------------------------------------------------------

/**
 * MedMij-Request-ID: a new UUID for every request. X-Correlation-ID: the one of the authorization request, on
 * its token and resource requests; a refresh starts a new one, which its resource requests carry (core.tknint.208,
 * core.rscint.201).
 */
export const MEDMIJ_HEADERS = { requestId: 'MedMij-Request-ID', correlationId: 'X-Correlation-ID' } as const;
export type MedmijHeader = (typeof MEDMIJ_HEADERS)[keyof typeof MEDMIJ_HEADERS];

/** Request headers as a server has them: fetch's Headers, or a record (Node's, Hono's `c.req.header()`). */
export type HeaderSource = { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (typeof headers.get === 'function') return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? undefined : record[key];
  return typeof v === 'string' ? v : v?.find((one) => one.trim() !== '');
}

/** The MedMij headers these headers lack (absent or empty), in the order of MEDMIJ_HEADERS; [] when both are there. */
export function missingMedmijHeaders(headers: HeaderSource): MedmijHeader[] {
  return Object.values(MEDMIJ_HEADERS).filter((name) => !headerValue(headers, name)?.trim());
}

/** The MedMij headers of one request, as a PGO sends them (the ids come from the caller: seeded random, no clock). */
export function medmijHeaders(ids: { requestId: string; correlationId: string }): Record<MedmijHeader, string> {
  return { [MEDMIJ_HEADERS.requestId]: ids.requestId, [MEDMIJ_HEADERS.correlationId]: ids.correlationId } as Record<MedmijHeader, string>;
}

/**
 * The token request's MedMij headers, checked: afsprakenstelsel 2 requires both (the DVZA answers invalid_request
 * naming the missing one); 1.5 requires none at the token endpoint, as before. Undefined when nothing is missing.
 */
export function tokenRequestHeadersFault(afsprakenstelsel: Afsprakenstelsel, headers: HeaderSource): TokenRefused | undefined {
  if (afsprakenstelsel === '1.5') return undefined;
  const missing = missingMedmijHeaders(headers);
  return missing.length ? tokenRefused(OAUTH.token.headersMissing, { headers: missing.join(' and ') }) : undefined;
}

// ---- Accept ----------------------------------------------------------------------------------------------

/** What a PGO sends on every resource request (SPEC §10.3: the MGO DVA mock requires it). */
export const FHIR_ACCEPT_STU3 = 'application/fhir+json; fhirVersion=3.0';

/** The media types a resource server of this sandbox answers in (the response is application/fhir+json either way). */
const JSON_TYPES = ['application/fhir+json', 'application/json'] as const;

export type FhirAccept = { acceptable: true; mediaType: (typeof JSON_TYPES)[number] } | { acceptable: false; problem: string; said: Said };

/**
 * Whether a resource request's Accept header is one this STU3, JSON-only resource server can answer (RFC 9110
 * §12.5.1, FHIR http.html#mime-type). Acceptable: no Accept at all (anything goes), or a range with q > 0 that is
 * application/fhir+json or application/json (or a wildcard covering them, which HTTP means as "anything"), without
 * fhirVersion or with fhirVersion 3.0 (3.0.x read as 3.0). Refused: only other versions (4.0: R4) or only other types
 * (application/fhir+xml); the reason names which and shows FHIR_ACCEPT_STU3.
 */
export function parseFhirAccept(accept: string | undefined): FhirAccept {
  if (!accept?.trim()) return { acceptable: true, mediaType: 'application/fhir+json' };
  let otherVersion: string | undefined;
  for (const range of accept.split(',')) {
    const [type = '', ...parameters] = range.split(';').map((p) => p.trim());
    const params = new Map(
      parameters.map((p) => {
        const at = p.indexOf('=');
        return [
          (at < 0 ? p : p.slice(0, at)).trim().toLowerCase(),
          at < 0
            ? ''
            : p
                .slice(at + 1)
                .trim()
                .replace(/^"(.*)"$/, '$1'),
        ] as const;
      }),
    );
    const mediaType = type.toLowerCase();
    const q = params.has('q') ? Number(params.get('q')) : 1;
    if (!(q > 0)) continue;
    const json = (JSON_TYPES as readonly string[]).includes(mediaType) ? (mediaType as (typeof JSON_TYPES)[number]) : undefined;
    if (!json && mediaType !== '*/*' && mediaType !== 'application/*') continue;
    const version = params.get('fhirversion');
    if (version !== undefined && !/^3\.0(\.\d+)?$/.test(version)) {
      otherVersion ??= version;
      continue;
    }
    return { acceptable: true, mediaType: json ?? 'application/fhir+json' };
  }
  const s = otherVersion !== undefined ? said(OAUTH.accept.fhirVersion, { accept, fhirVersion: otherVersion }) : said(OAUTH.accept.notJson, { accept });
  return { acceptable: false, problem: say(s), said: s };
}
